package indexer

import (
	"html"
	"strings"
	"unicode/utf8"
)

// snippetRunes is the length of a result snippet in characters.
const snippetRunes = 90

// Snippet returns up to n runes of text around the first occurrence of
// the longest of the terms it contains (the most specific match: a place
// name the query gives whole rather than one of its words), HTML-escaped,
// with every occurrence of a term wrapped in <mark>. Of terms as long,
// the earliest occurrence wins; text is never cut inside a character.
// Without a match it returns the start of the text.
func Snippet(text string, terms []string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	first, longest := -1, 0
	for _, t := range terms {
		l := utf8.RuneCountInString(t)
		if l == 0 || l < longest {
			continue
		}
		if i := strings.Index(text, t); i >= 0 && (l > longest || i < first) {
			first, longest = i, l
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
