package zh

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	index "github.com/blevesearch/bleve_index_api"
)

// GramFrequencies counts the terms of text as an index field without term
// vectors holds them: the field's length and each distinct term with its
// frequency.
//
// With unigrams, the terms are those of the zh_bigram analyzer, and the
// result is what Bleve makes of it:
//
//	analysis.TokenFrequency(analyzer.Analyze(text), nil, options)
//
// Without, the terms are those of zh_bigram_query (bigrams, a character
// alone in its run, words of other scripts), but the length is still that
// of zh_bigram, every character counted: a long text is found by the
// bigrams of a query, and BM25 ranks it as if it had every character,
// as before the characters were left out (see "Build and index" in
// BENCHMARKS.md). Bleve's own analysis cannot count a length apart from
// the terms it indexes, so the index indexes every document through this.
//
// Either way there is no token stream in between: a term of Chinese text
// is a substring of one copy of text, and the frequencies share
// allocations.
func GramFrequencies(text []byte, unigrams bool) (int, index.TokenFrequencies) {
	// Chinese characters are at least 2 bytes (3 for all common ones):
	// a text has about one distinct term per byte/2 at most.
	hint := len(text)/2 + 1
	if !unigrams {
		hint = len(text)/3 + 1
	}
	freqs := make(index.TokenFrequencies, hint)
	if len(text) == 0 {
		return 0, freqs
	}
	s := string(text)
	b := []byte(s)
	var slab []index.TokenFreq
	length := 0
	add := func(key string, term []byte) {
		length++
		if tf, ok := freqs[key]; ok {
			tf.SetFrequency(tf.Frequency() + 1)
			return
		}
		if len(slab) == cap(slab) {
			slab = make([]index.TokenFreq, 0, max(32, min(2*cap(slab), 1024)))
		}
		slab = append(slab, index.TokenFreq{Term: term})
		tf := &slab[len(slab)-1]
		tf.SetFrequency(1)
		freqs[key] = tf
	}
	runs(b, func(c class, start, end, _ int) {
		if c != classHan {
			term := foldTerm(b[start:end])
			add(string(term), term)
			return
		}
		_, first := utf8.DecodeRuneInString(s[start:])
		lone := start+first == end
		for i := start; i < end; {
			_, size := utf8.DecodeRuneInString(s[i:])
			if unigrams || lone {
				add(s[i:i+size], b[i:i+size])
			} else {
				length++
			}
			if j := i + size; j < end {
				_, size2 := utf8.DecodeRuneInString(s[j:])
				add(s[i:j+size2], b[i:j+size2])
			}
			i += size
		}
	})
	return length, freqs
}

var lower = lowercase.NewLowerCaseFilter()

// foldTerm passes a word of another script through the token filters of
// this package's analyzers: full-width forms folded, then lower case.
func foldTerm(word []byte) []byte {
	tok := analysis.Token{Term: word}
	WidthFilter{}.Filter(analysis.TokenStream{&tok})
	if len(tok.Term) > 0 && &tok.Term[0] == &word[0] {
		// The lower-case filter changes a term in place.
		tok.Term = append([]byte(nil), tok.Term...)
	}
	lower.Filter(analysis.TokenStream{&tok})
	return tok.Term
}
