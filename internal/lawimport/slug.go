package lawimport

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// statePrefix is left out of slugs: nearly every national law starts with it.
const statePrefix = "中华人民共和国"

// maxSlug bounds a slug so that "-YYYY-MM-DD.md" still fits a file name.
const maxSlug = 100

var pinyinArgs = pinyin.Args{Style: pinyin.Normal}

// Slug returns the file name (without .md) of the newest version of a law:
// the toneless pinyin syllables of the title without 中华人民共和国,
// concatenated, then "-" and those of the subtitle when there is one.
// 中华人民共和国民法典 继承编 → minfadian-jichengbian. ASCII letters and
// digits are kept lower-cased; other characters are dropped.
func Slug(title, subtitle string) string {
	syllables := spell(strings.TrimPrefix(title, statePrefix))
	if subtitle != "" {
		syllables = append(syllables, "-")
		syllables = append(syllables, spell(subtitle)...)
	}
	slug := strings.Join(syllables, "")
	if len(slug) <= maxSlug && slug != "" && slug != "-" {
		return strings.Trim(slug, "-")
	}
	// Too long (or nothing spellable): keep a prefix and make it unique
	// with a digest of the full title.
	suffix := "-" + digest(title, subtitle)[:8]
	var b strings.Builder
	for _, s := range syllables {
		if b.Len()+len(s)+len(suffix) > maxSlug {
			break
		}
		b.WriteString(s)
	}
	base := strings.Trim(b.String(), "-")
	if base == "" {
		base = "law"
	}
	return base + suffix
}

// spell returns the syllables of s: pinyin for each Han character, runs of
// ASCII letters and digits (full-width ones folded) lower-cased.
func spell(s string) []string {
	var out []string
	var ascii strings.Builder
	flush := func() {
		if ascii.Len() > 0 {
			out = append(out, ascii.String())
			ascii.Reset()
		}
	}
	for _, r := range s {
		if r >= '！' && r <= '～' {
			r -= '！' - '!' // full-width ASCII
		}
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			ascii.WriteRune(unicode.ToLower(r))
		case unicode.Is(unicode.Han, r):
			flush()
			if py := pinyin.SinglePinyin(r, pinyinArgs); len(py) > 0 {
				out = append(out, py[0])
			}
		default:
			flush()
		}
	}
	flush()
	return out
}

// digest is a stable hexadecimal digest of a law's identity.
func digest(title, subtitle string) string {
	sum := sha256.Sum256([]byte(title + "\x00" + subtitle))
	return hex.EncodeToString(sum[:])
}
