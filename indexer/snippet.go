package indexer

import (
	"html"
	"strings"
	"unicode/utf8"
)

// snippetRunes is the length of a result snippet in characters.
const snippetRunes = 90

// Snippet returns up to n runes of text around the first of the terms it
// contains, HTML-escaped, with every occurrence of a term wrapped in
// <mark>. Terms are tried longest first; text is never cut inside a
// character. Without a match it returns the start of the text.
func Snippet(text string, terms []string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	first := -1
	for _, t := range terms {
		if t == "" {
			continue
		}
		if i := strings.Index(text, t); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	start := 0
	if first > 0 {
		// Show some context before the match: a quarter of the window.
		back := n / 4
		start = first
		for back > 0 && start > 0 {
			_, size := utf8.DecodeLastRuneInString(text[:start])
			start -= size
			back--
		}
	}
	end, count := start, 0
	for ; count < n && end < len(text); count++ {
		_, size := utf8.DecodeRuneInString(text[end:])
		end += size
	}
	// Near the end of the text, use the room left for more context before.
	for ; count < n && start > 0; count++ {
		_, size := utf8.DecodeLastRuneInString(text[:start])
		start -= size
	}
	window := text[start:end]
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	markInto(&b, window, terms)
	if end < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

// markInto writes s escaped, with occurrences of terms wrapped in <mark>.
func markInto(b *strings.Builder, s string, terms []string) {
	for len(s) > 0 {
		at, term := -1, ""
		for _, t := range terms {
			if t == "" {
				continue
			}
			if i := strings.Index(s, t); i >= 0 && (at < 0 || i < at || i == at && len(t) > len(term)) {
				at, term = i, t
			}
		}
		if at < 0 {
			b.WriteString(html.EscapeString(s))
			return
		}
		b.WriteString(html.EscapeString(s[:at]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(term))
		b.WriteString("</mark>")
		s = s[at+len(term):]
	}
}
