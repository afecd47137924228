package zh

import (
	"fmt"

	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names under which this package registers its Bleve components. A field
// mapping names an analyzer by its constant, e.g.
//
//	fm := bleve.NewTextFieldMapping()
//	fm.Analyzer = zh.AnalyzerName
const (
	// TokenizerName segments with the dictionary in search mode.
	TokenizerName = "zh_gse"
	// AnalyzerName is zh_gse + width folding + lower case.
	AnalyzerName = "zh"

	// BigramTokenizerName emits the unigrams and bigrams of Chinese text.
	BigramTokenizerName = "zh_bigram"
	// BigramAnalyzerName is zh_bigram + width folding + lower case (index side).
	BigramAnalyzerName = "zh_bigram"

	// BigramQueryTokenizerName emits bigrams, and unigrams only for lone
	// characters.
	BigramQueryTokenizerName = "zh_bigram_query"
	// BigramQueryAnalyzerName is the query side of zh_bigram.
	BigramQueryAnalyzerName = "zh_bigram_query"

	// PinyinTokenizerName emits the pinyin of words and word sequences.
	PinyinTokenizerName = "zh_pinyin"
	// PinyinAnalyzerName is zh_pinyin + width folding + lower case.
	PinyinAnalyzerName = "zh_pinyin"

	// WidthFilterName folds full-width ASCII forms to ASCII.
	WidthFilterName = "zh_width"
)

func init() {
	tokenizers := []struct {
		name string
		t    analysis.Tokenizer
	}{
		{TokenizerName, &Tokenizer{}},
		{BigramTokenizerName, &BigramTokenizer{Unigrams: true}},
		{BigramQueryTokenizerName, &BigramTokenizer{}},
		{PinyinTokenizerName, &PinyinTokenizer{}},
	}
	for _, tk := range tokenizers {
		t := tk.t
		mustRegister(registry.RegisterTokenizer(tk.name,
			func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) { return t, nil }))
	}
	for name, tokenizer := range map[string]string{
		AnalyzerName:            TokenizerName,
		BigramAnalyzerName:      BigramTokenizerName,
		BigramQueryAnalyzerName: BigramQueryTokenizerName,
		PinyinAnalyzerName:      PinyinTokenizerName,
	} {
		mustRegister(registry.RegisterAnalyzer(name, analyzerConstructor(tokenizer)))
	}
	mustRegister(registry.RegisterTokenFilter(WidthFilterName,
		func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) { return WidthFilter{}, nil }))
}

func mustRegister(err error) {
	if err != nil {
		panic(err)
	}
}

// analyzerConstructor builds tokenizer + zh_width + lowercase. The width
// filter folds full-width letters and digits (Ａ１ → A1) in the terms while
// the offsets keep pointing into the original text, which a character
// filter could not do.
func analyzerConstructor(tokenizer string) registry.AnalyzerConstructor {
	return func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		tk, err := cache.TokenizerNamed(tokenizer)
		if err != nil {
			return nil, fmt.Errorf("zh: tokenizer %s: %w", tokenizer, err)
		}
		widthFilter, err := cache.TokenFilterNamed(WidthFilterName)
		if err != nil {
			return nil, fmt.Errorf("zh: token filter %s: %w", WidthFilterName, err)
		}
		lower, err := cache.TokenFilterNamed(lowercase.Name)
		if err != nil {
			return nil, fmt.Errorf("zh: token filter %s: %w", lowercase.Name, err)
		}
		return &analysis.DefaultAnalyzer{
			Tokenizer:    tk,
			TokenFilters: []analysis.TokenFilter{widthFilter, lower},
		}, nil
	}
}

// Tokenizer is the zh_gse tokenizer. Runs of Chinese characters are
// segmented by the shared dictionary in search mode: each word, then the
// words inside it (中华人民共和国, 中华, 人民, 共和国, 共和), each with its own
// byte offsets. Words of other scripts and numbers are kept whole;
// punctuation and symbols are dropped.
//
// Positions count characters: a token's position is that of its first
// Chinese character (each character counts one, each non-Chinese word
// one), so a word and the first word inside it share a position and the
// words of a phrase keep their distances whatever segmentation the phrase
// gets inside a longer word. Positions never decrease along the stream.
type Tokenizer struct{}

// Tokenize implements analysis.Tokenizer.
func (*Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(input)/4+1)
	var ts tokens
	runs(input, func(c class, start, end, rune0 int) {
		if c != classHan {
			out = append(out, ts.newToken(input[start:end], start, end, rune0+1, wordType(input[start:end])))
			return
		}
		walkHan(input[start:end], start, rune0, true, func(n node) {
			out = append(out, ts.newToken(input[n.start:n.end], n.start, n.end, n.rune0+1, analysis.Ideographic))
		})
	})
	return out
}

// wordType is the token type of a run of letters and digits of a
// non-Chinese script: Numeric for digits only (ASCII or full-width).
func wordType(word []byte) analysis.TokenType {
	for _, r := range string(word) {
		if (r < '0' || r > '9') && (r < '０' || r > '９') {
			return analysis.AlphaNumeric
		}
	}
	return analysis.Numeric
}

// WidthFilter is the zh_width token filter: it folds the full-width forms
// of ASCII (U+FF01–U+FF5E: Ａ, １, ＃) to ASCII. Bleve's cjk_width does the
// same but re-encodes every term; this one copies only the terms it
// changes, which for Chinese text is almost none.
type WidthFilter struct{}

// Filter implements analysis.TokenFilter.
func (WidthFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		if hasFullWidth(t.Term) {
			t.Term = foldFullWidth(t.Term)
		}
	}
	return input
}

func hasFullWidth(b []byte) bool {
	// U+FF01..U+FF5E encode as EF BC 81..EF BD 9E.
	for i := 0; i+2 < len(b); i++ {
		if b[i] == 0xEF && (b[i+1] == 0xBC || b[i+1] == 0xBD) {
			r, _ := utf8.DecodeRune(b[i:])
			if r >= 0xFF01 && r <= 0xFF5E {
				return true
			}
		}
	}
	return false
}

func foldFullWidth(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		out = utf8.AppendRune(out, r)
		b = b[size:]
	}
	return out
}

// tokens hands out tokens from slabs: one allocation for many tokens
// instead of one each.
type tokens struct {
	slab []analysis.Token
}

func (t *tokens) next() *analysis.Token {
	if len(t.slab) == cap(t.slab) {
		t.slab = make([]analysis.Token, 0, max(8, 2*cap(t.slab)))
	}
	t.slab = t.slab[:len(t.slab)+1]
	return &t.slab[len(t.slab)-1]
}

// newToken fills the next token.
func (t *tokens) newToken(term []byte, start, end, pos int, typ analysis.TokenType) *analysis.Token {
	tk := t.next()
	*tk = analysis.Token{Term: term, Start: start, End: end, Position: pos, Type: typ}
	return tk
}
