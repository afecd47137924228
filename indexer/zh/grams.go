package zh

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	index "github.com/blevesearch/bleve_index_api"
)

// GramFrequencies is what the zh_bigram analyzer and Bleve's count of
// token frequencies make of text for a field without term vectors: the
// number of tokens (the field's length) and each distinct term with its
// frequency. It gives the same result as
//
//	analysis.TokenFrequency(analyzer.Analyze(text), nil, options)
//
// without a token stream in between: a term of Chinese text is a
// substring of one copy of text, and the frequencies share allocations.
// Indexing the long texts of the law corpus spends most of its analysis
// here (see "Build and index" in BENCHMARKS.md).
func GramFrequencies(text []byte) (int, index.TokenFrequencies) {
	// Chinese characters are at least 2 bytes (3 for all common ones):
	// a text has about one distinct term per byte/2 at most.
	freqs := make(index.TokenFrequencies, len(text)/2+1)
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
		for i := start; i < end; {
			_, size := utf8.DecodeRuneInString(s[i:])
			add(s[i:i+size], b[i:i+size])
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
