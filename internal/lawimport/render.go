package lawimport

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/pufa-gov/pufa/internal/lawtext"
)

// Source is the value of the source field of every imported law.
const Source = "国家法律法规数据库"

// The statuses of a law page.
const (
	StatusInForce     = "in-force"
	StatusSuperseded  = "superseded"
	StatusRepealed    = "repealed"
	StatusNotImported = "not-imported"
)

// page is one law version as it will be written.
type page struct {
	law          *lawtext.Law
	file         string // the source file as found
	sourceFile   string // the source file relative to the library root
	slug         string
	lawKey       string
	status       string
	supersededBy string // content path, e.g. laws/cishanfa.md
	repeal       *repeal
	statusNote   string
}

// contentPath is the path of a page relative to the content folder, the
// form other pages use to refer to it (lawRef, supersededBy).
func contentPath(slug string) string { return "laws/" + slug + ".md" }

// render writes the Hugo page of a law version: YAML front matter in the
// order of the content model, then the text with one anchor per article.
func render(p *page) []byte {
	l := p.law
	var b bytes.Buffer
	b.WriteString("---\n")
	field := func(name, value string) {
		if value != "" {
			b.WriteString(name + ": " + yamlString(value) + "\n")
		}
	}
	field("title", l.Title)
	field("subtitle", l.Subtitle)
	field("lawKey", p.lawKey)
	field("issuer", l.Issuer)
	field("passed", l.Passed)
	field("effective", l.Effective)
	if len(l.Amended) > 0 {
		b.WriteString("amended: [" + strings.Join(l.Amended, ", ") + "]\n")
	}
	if len(l.History) > 0 {
		b.WriteString("history:\n")
		for _, h := range l.History {
			b.WriteString("  - " + yamlString(h) + "\n")
		}
	}
	field("version", l.Version)
	field("status", p.status)
	field("supersededBy", p.supersededBy)
	if r := p.repeal; r != nil {
		field("repealedBy", r.by)
		field("repealedOn", r.on)
		field("basis", r.basis)
		field("interprets", r.interprets)
	}
	field("statusNote", p.statusNote)
	field("sourceFile", p.sourceFile)
	b.WriteString("articleCount: " + strconv.Itoa(len(l.Articles)) + "\n")
	if l.Version != "" {
		field("date", l.Version+"T00:00:00+08:00")
	}
	field("source", Source)
	b.WriteString("---\n")

	for _, blk := range l.Blocks {
		b.WriteString("\n")
		switch blk.Kind {
		case lawtext.BlockHeading:
			b.WriteString(strings.Repeat("#", blk.Level+1) + " " + escape(blk.Text) + "\n")
		case lawtext.BlockText:
			b.WriteString(escape(blk.Text) + "\n")
		case lawtext.BlockArticle:
			a := l.Articles[blk.Article]
			b.WriteString("[" + a.Number + "](#" + a.Anchor + ")")
			if first := a.Paragraphs[0]; first != "" {
				b.WriteString("\u3000" + escape(first))
			}
			b.WriteString("\n{#" + a.Anchor + " .pf-article}\n")
			for _, para := range a.Paragraphs[1:] {
				b.WriteString("\n" + escape(para) + "\n")
			}
		}
	}
	return b.Bytes()
}

// escapeAlways are the ASCII characters Markdown (with Hugo's goldmark
// extensions and typographer, and Hugo's shortcodes) may read as syntax
// anywhere in a line.
const escapeAlways = "\\`*_{}[]<>#+-=!|~^\"'$&"

// escape makes a line of law text render literally as one paragraph or
// heading text: it backslash-escapes the characters Markdown would
// interpret, the dots of an ellipsis, the period or parenthesis of a
// leading ordered-list number (1. / 1)) and a leading colon (a definition).
func escape(s string) string {
	digits := 0
	for digits < len(s) && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		switch {
		case strings.ContainsRune(escapeAlways, r),
			i == 0 && r == ':',
			i == digits && digits > 0 && (r == '.' || r == ')'),
			r == '.' && (strings.HasPrefix(s[i+1:], ".") || strings.HasSuffix(s[:i], ".")):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// plainASCII is an ASCII string YAML reads as a string without quotes.
var plainASCII = regexp.MustCompile(`^[a-z][a-z0-9._/-]*$`)

// yamlWords are plain scalars YAML 1.1 readers take for booleans or null.
var yamlWords = map[string]bool{
	"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true,
	"true": true, "false": true, "null": true,
}

// yamlString writes s as a YAML scalar: plain when that is unambiguous
// (Chinese text, slugs, paths, dates), double-quoted otherwise.
func yamlString(s string) string {
	if plainYAML(s) {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

func plainYAML(s string) bool {
	if s == "" || yamlWords[s] {
		return false
	}
	if plainASCII.MatchString(s) || isDate(s) || isDateTime(s) {
		return true
	}
	nonASCII := false
	for i, r := range s {
		switch {
		case r >= unicode.MaxASCII:
			// Han text and full-width punctuation; no invisible or
			// line-breaking characters.
			if !unicode.IsGraphic(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff' || r == '\u0085' {
				return false
			}
			nonASCII = true
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case r == ' ' && i > 0 && i < len(s)-1 && s[i-1] != ' ':
		case strings.ContainsRune("/.()_", r) && i > 0:
		default:
			return false
		}
	}
	return nonASCII
}

var (
	datePattern     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	dateTimePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T00:00:00\+08:00$`)
)

func isDate(s string) bool     { return datePattern.MatchString(s) }
func isDateTime(s string) bool { return dateTimePattern.MatchString(s) }
