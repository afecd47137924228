package zh

import (
	"errors"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// MaxQueryRunes is the longest query Normalize accepts, in characters.
const MaxQueryRunes = 256

var (
	// ErrEmpty is returned by Normalize for a query with nothing to search.
	ErrEmpty = errors.New("zh: empty query")
	// ErrTooLong is returned by Normalize for a query over MaxQueryRunes.
	ErrTooLong = errors.New("zh: query too long")
)

// querySyntax are the characters that mean something in Bleve's query
// string syntax (and a few that only make trouble in a query). Normalize
// turns them into spaces so that no user syntax reaches Bleve.
const querySyntax = `+-=&|><!(){}[]^"~*?:\/`

// Normalize cleans a user's query before it is analyzed or shown back:
// compatibility forms are folded (NFKC: full-width Ａ１？ become A1?, the
// ideographic space a space), Bleve query-syntax characters become spaces,
// control and format characters (zero-width spaces, direction marks) are
// removed, and runs of spaces collapse to one, trimmed at both ends.
// Letters keep their case. It returns ErrEmpty when nothing is left and
// ErrTooLong when more than MaxQueryRunes characters are.
func Normalize(q string) (string, error) {
	// Refuse absurd input before doing any work on it; NFKC can expand a
	// character, never shrink one below a quarter of its bytes' worth.
	if len(q) > 4*4*MaxQueryRunes {
		return "", ErrTooLong
	}
	q = strings.ToValidUTF8(q, " ")
	// Remove invisible characters first, so that NFKC composes what they
	// separated and a second Normalize finds nothing more to do.
	q = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) || (unicode.IsControl(r) && !unicode.IsSpace(r)) {
			return -1
		}
		return r
	}, q)
	q = norm.NFKC.String(q)
	var b strings.Builder
	b.Grow(len(q))
	space := false
	n := 0
	for _, r := range q {
		if unicode.IsSpace(r) || strings.ContainsRune(querySyntax, r) ||
			unicode.Is(unicode.Cf, r) || unicode.IsControl(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
		if n > MaxQueryRunes {
			return "", ErrTooLong
		}
	}
	if b.Len() == 0 {
		return "", ErrEmpty
	}
	out := b.String()
	// The replacements put spaces where characters were, so they cannot
	// join what NFKC would compose; should that ever change, normalizing
	// again keeps Normalize idempotent.
	if !norm.NFKC.IsNormalString(out) {
		return Normalize(norm.NFKC.String(out))
	}
	return out, nil
}

// foldWord folds a word of a non-Chinese script the way the analyzers do:
// full-width forms to ASCII, then lower case.
func foldWord(s string) string {
	return strings.ToLower(width.Fold.String(s))
}

// foldKey is how editors' words (synonyms, best bets) and queries are
// compared: normalized, lower-cased, without spaces.
func foldKey(s string) string {
	n, err := Normalize(s)
	if err != nil {
		return ""
	}
	return strings.ReplaceAll(strings.ToLower(n), " ", "")
}
