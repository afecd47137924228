package zh

import (
	"os"
	"path/filepath"
	"testing"
)

// lawText is the real law text of testdata, concatenated.
func lawText(b testing.TB) []byte {
	b.Helper()
	files, err := filepath.Glob("testdata/*.md")
	if err != nil || len(files) == 0 {
		b.Fatalf("no law texts in testdata: %v", err)
	}
	var text []byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		text = append(text, data...)
	}
	return text
}

func benchmarkAnalyzer(b *testing.B, name string) {
	text := lawText(b)
	a := analyzer(b, name)
	if _, err := Preload(); err != nil {
		b.Fatal(err)
	}
	input := make([]byte, len(text))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	tokens := 0
	for b.Loop() {
		copy(input, text) // the lowercase filter may write into its input
		tokens = len(a.Analyze(input))
	}
	b.ReportMetric(float64(tokens), "tokens/op")
}

// BenchmarkSegment analyzes real law text with the zh analyzer (gse search
// mode, width folding, lower case).
func BenchmarkSegment(b *testing.B) { benchmarkAnalyzer(b, AnalyzerName) }

// BenchmarkBigram analyzes the same text with zh_bigram.
func BenchmarkBigram(b *testing.B) { benchmarkAnalyzer(b, BigramAnalyzerName) }

// BenchmarkPinyinTitle analyzes one law title with zh_pinyin.
func BenchmarkPinyinTitle(b *testing.B) {
	a := analyzer(b, PinyinAnalyzerName)
	title := []byte("中华人民共和国老年人权益保障法")
	if _, err := Preload(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		a.Analyze(append([]byte(nil), title...))
	}
}

// BenchmarkLoadDictionary builds a fresh segmenter from the embedded
// dictionary and the site's words: the cost a process pays once.
func BenchmarkLoadDictionary(b *testing.B) {
	d, err := ParseDict(siteFile(b, DictFile))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := newSegmenter(d.Words); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNormalize(b *testing.B) {
	q := "  《中华人民共和国民法典》第１０７７条：离婚冷静期　怎么算？ title:\"x\" "
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Normalize(q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSuggest(b *testing.B) {
	s := NewSuggester(vocabulary(b), IsWord)
	if _, err := Preload(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := s.Suggest("请问残疾人保帐法第十条怎么规定"); !ok {
			b.Fatal("no suggestion")
		}
	}
}

func BenchmarkExpand(b *testing.B) {
	s, err := LoadSynonyms(siteFile(b, SynonymsFile))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := Preload(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if len(s.Expand("低保和五保户怎么申请")) == 0 {
			b.Fatal("no expansion")
		}
	}
}
