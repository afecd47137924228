package zh

import (
	"maps"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	index "github.com/blevesearch/bleve_index_api"
)

// gramsByAnalyzer is what Bleve makes of text with the named analyzer:
// the number of tokens and each term's frequency.
func gramsByAnalyzer(t testing.TB, name string, text []byte) (int, map[string]int) {
	t.Helper()
	input := append([]byte(nil), text...) // the lowercase filter writes into its input
	toks := analyzer(t, name).Analyze(input)
	freqs := analysis.TokenFrequency(toks, nil, index.IndexField)
	return len(toks), counts(t, freqs)
}

// counts flattens freqs to term → frequency, checking that each term's
// key and Term agree.
func counts(t testing.TB, freqs index.TokenFrequencies) map[string]int {
	t.Helper()
	out := make(map[string]int, len(freqs))
	for k, tf := range freqs {
		if string(tf.Term) != k {
			t.Fatalf("term %q under key %q", tf.Term, k)
		}
		if len(tf.Locations) != 0 {
			t.Fatalf("term %q has %d locations, want none", k, len(tf.Locations))
		}
		out[k] = tf.Frequency()
	}
	return out
}

// checkGrams compares GramFrequencies with Bleve's analysis of s: with
// unigrams, zh_bigram's terms and length; without, zh_bigram_query's
// terms and zh_bigram's length.
func checkGrams(t *testing.T, s string) {
	t.Helper()
	text := []byte(s)
	length, all := gramsByAnalyzer(t, BigramAnalyzerName, text)
	_, noUnigrams := gramsByAnalyzer(t, BigramQueryAnalyzerName, text)
	for _, tt := range []struct {
		unigrams bool
		want     map[string]int
	}{{true, all}, {false, noUnigrams}} {
		gotLen, freqs := GramFrequencies(text, tt.unigrams)
		if string(text) != s {
			t.Fatalf("GramFrequencies(%q) changed its input to %q", s, text)
		}
		got := counts(t, freqs)
		if gotLen != length || !maps.Equal(got, tt.want) {
			t.Fatalf("GramFrequencies(%q, %v) = %d, %v; want %d, %v", s, tt.unigrams, gotLen, got, length, tt.want)
		}
	}
}

func TestGramFrequencies(t *testing.T) {
	for _, s := range []string{
		"",
		"婚",
		"婚姻登记",
		"离婚冷静期：三十日内，任何一方不愿意离婚的，可以向婚姻登记机关撤回离婚登记申请。",
		"中华人民共和国民法典第1077条",
		"ＡＢＣ１２３低保 COVID-19 Ｋｉｌｏ", // full-width forms fold, letters lower-case
		"ÀÉÎ Σίσυφος İstanbul",   // lower case beyond ASCII
		"法法法法 人民人民",              // repeated terms count up
		"\xff\xfe婚\xff",          // invalid UTF-8 is skipped
		"𠀀𠀁 Ⅻ 〇 々",
	} {
		checkGrams(t, s)
	}
	if n, f := GramFrequencies([]byte("婚姻婚姻"), true); n != 7 || f["婚姻"].Frequency() != 2 || f["姻婚"].Frequency() != 1 || f["婚"].Frequency() != 2 {
		t.Errorf("GramFrequencies(婚姻婚姻, true) = %d, %v", n, counts(t, f))
	}
	// Without unigrams: the bigrams and a lone character, every character
	// still counted in the length.
	if n, f := GramFrequencies([]byte("婚姻婚姻，婚"), false); n != 8 || len(f) != 3 || f["婚姻"].Frequency() != 2 || f["婚"].Frequency() != 1 {
		t.Errorf("GramFrequencies(婚姻婚姻，婚, false) = %d, %v", n, counts(t, f))
	}
}

// TestGramFrequenciesLawText compares with the analyzer on the real law
// texts of testdata, line by line.
func TestGramFrequenciesLawText(t *testing.T) {
	text := lawText(t)
	start := 0
	for i, c := range text {
		if c == '\n' {
			checkGrams(t, string(text[start:i]))
			start = i + 1
		}
	}
	checkGrams(t, string(text))
}

func FuzzGramFrequencies(f *testing.F) {
	for _, s := range []string{"中华人民共和国民法典第1077条", "ＡＢＣ１２３低保", "\xff\xfe婚", "𠀀𠀁 Ⅻ 〇", "ΣΑΣ ǅ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1024 {
			return
		}
		checkGrams(t, s)
	})
}

// BenchmarkGramFrequencies counts the terms of real law text as a full
// build does (compare BenchmarkBigram, the analyzer alone).
func BenchmarkGramFrequencies(b *testing.B) {
	text := lawText(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		GramFrequencies(text, true)
	}
}

// BenchmarkGramFrequenciesText counts them as a long text is indexed:
// without unigrams.
func BenchmarkGramFrequenciesText(b *testing.B) {
	text := lawText(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		GramFrequencies(text, false)
	}
}

// BenchmarkGramFrequenciesByAnalyzer is the same count the way Bleve
// makes it.
func BenchmarkGramFrequenciesByAnalyzer(b *testing.B) {
	text := lawText(b)
	a := analyzer(b, BigramAnalyzerName)
	input := make([]byte, len(text))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		copy(input, text)
		analysis.TokenFrequency(a.Analyze(input), nil, index.IndexField)
	}
}
