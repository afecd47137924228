package zh

import (
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// BigramTokenizer is the zh_bigram (Unigrams: true) and zh_bigram_query
// (Unigrams: false) tokenizer. It needs no dictionary, so it finds what
// segmentation misses: a word the dictionary splits differently, a name,
// a single character.
//
// In a run of Chinese characters the character at position p yields its
// bigram with the next character at position p and, with Unigrams, itself
// at position p too. Without Unigrams a run of one character still yields
// that character, so that a one-character query has a term. Words of other
// scripts and numbers are kept whole, one position each; punctuation is
// dropped.
//
// Titles are indexed with Unigrams, long texts without (their length
// still counting every character, see GramFrequencies), queries without:
// the query 婚姻登记 becomes 婚姻 姻登 登记, which a text has where it has
// those characters in a row, and the query 婚 becomes 婚, which matches
// the unigram of a title or a 婚 alone in a text.
type BigramTokenizer struct {
	Unigrams bool
}

// Tokenize implements analysis.Tokenizer.
func (t *BigramTokenizer) Tokenize(input []byte) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(input)/2+1)
	var ts tokens
	runs(input, func(c class, start, end, rune0 int) {
		if c != classHan {
			out = append(out, ts.newToken(input[start:end], start, end, rune0+1, wordType(input[start:end])))
			return
		}
		pos := rune0 + 1
		lone := utf8.RuneCount(input[start:end]) == 1
		for i := start; i < end; {
			_, size := utf8.DecodeRune(input[i:])
			if t.Unigrams || lone {
				out = append(out, ts.newToken(input[i:i+size], i, i+size, pos, analysis.Single))
			}
			if j := i + size; j < end {
				_, size2 := utf8.DecodeRune(input[j:])
				out = append(out, ts.newToken(input[i:j+size2], i, j+size2, pos, analysis.Double))
			}
			i += size
			pos++
		}
	})
	return out
}

var queryAnalyzer = sync.OnceValues(func() (analysis.Analyzer, error) {
	return registry.NewCache().AnalyzerNamed(BigramQueryAnalyzerName)
})

// QueryGrams returns the distinct terms that zh_bigram_query makes of
// text, in order: its bigrams, a lone character, words of other scripts.
// A text that a zh_bigram field holds verbatim has every one of them; an
// index without positions looks a phrase up as all of them.
//
// cover is the same with, for each run of Chinese characters, only as
// many bigrams as cover every character of it: the first, third, fifth…
// and the last (中华人民共和国: 中华 人民 共和 和国, not all six). A text
// has the run verbatim only if it has all of them in a row, and a text
// with these rarely lacks the others, but each bigram looked up costs a
// walk through its postings, and the bigrams of common words are in most
// documents.
func QueryGrams(text string) (all, cover []string) {
	a, err := queryAnalyzer()
	if err != nil {
		// The analyzer is registered by this package's init.
		panic(err)
	}
	toks := a.Analyze([]byte(text))
	add := func(out []string, s string) []string {
		if slices.Contains(out, s) {
			return out
		}
		return append(out, s)
	}
	runStart := 0
	for i, t := range toks {
		term := string(t.Term)
		all = add(all, term)
		if t.Type != analysis.Double {
			cover = add(cover, term)
			continue
		}
		// Bigrams of one run have consecutive positions.
		if i == 0 || toks[i-1].Type != analysis.Double || toks[i-1].Position != t.Position-1 {
			runStart = i
		}
		last := i+1 == len(toks) || toks[i+1].Type != analysis.Double || toks[i+1].Position != t.Position+1
		if (i-runStart)%2 == 0 || last {
			cover = add(cover, term)
		}
	}
	return all, cover
}
