package zh

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/google/go-cmp/cmp"
)

// tok is the part of a token the tables pin: term, position, byte offsets.
type tok struct {
	Term       string
	Pos        int
	Start, End int
}

func toks(ts analysis.TokenStream) []tok {
	out := make([]tok, 0, len(ts))
	for _, t := range ts {
		out = append(out, tok{string(t.Term), t.Position, t.Start, t.End})
	}
	return out
}

func analyzer(t testing.TB, name string) analysis.Analyzer {
	t.Helper()
	a, err := registry.NewCache().AnalyzerNamed(name)
	if err != nil {
		t.Fatalf("AnalyzerNamed(%q): %v", name, err)
	}
	return a
}

func TestAnalyzers(t *testing.T) {
	tests := []struct {
		analyzer string
		input    string
		want     []tok
	}{
		{AnalyzerName, "中华人民共和国民法典", []tok{
			{"中华人民共和国", 1, 0, 21},
			{"中华", 1, 0, 6},
			{"人民共和国", 3, 6, 21},
			{"人民", 3, 6, 12},
			{"共和国", 5, 12, 21},
			{"共和", 5, 12, 18},
			{"民法典", 8, 21, 30},
			{"法典", 9, 24, 30},
		}},
		// A word of the site's dictionary stays whole, with its parts.
		{AnalyzerName, "离婚冷静期", []tok{
			{"离婚冷静期", 1, 0, 15},
			{"离婚", 1, 0, 6},
			{"冷静", 3, 6, 12},
		}},
		{AnalyzerName, "民法典规定的打印遗嘱", []tok{
			{"民法典", 1, 0, 9},
			{"法典", 2, 3, 9},
			{"规定", 4, 9, 15},
			{"的", 6, 15, 18},
			{"打印遗嘱", 7, 18, 30},
			{"打印", 7, 18, 24},
			{"遗嘱", 9, 24, 30},
		}},
		// Digits and Latin words whole, full-width folded, punctuation gone.
		{AnalyzerName, "第1077条：ＡＢＣ离婚", []tok{
			{"第", 1, 0, 3},
			{"1077", 2, 3, 7},
			{"条", 3, 7, 10},
			{"abc", 4, 13, 22},
			{"离婚", 5, 22, 28},
		}},
		{AnalyzerName, "高空抛物、COVID-19", []tok{
			{"高空抛物", 1, 0, 12},
			{"高空", 1, 0, 6},
			{"抛物", 3, 6, 12},
			{"covid", 5, 15, 20},
			{"19", 6, 21, 23},
		}},
		{AnalyzerName, "婚", []tok{{"婚", 1, 0, 3}}},
		{AnalyzerName, "，。！", []tok{}},
		{AnalyzerName, "", []tok{}},

		{BigramAnalyzerName, "离婚冷静期", []tok{
			{"离", 1, 0, 3},
			{"离婚", 1, 0, 6},
			{"婚", 2, 3, 6},
			{"婚冷", 2, 3, 9},
			{"冷", 3, 6, 9},
			{"冷静", 3, 6, 12},
			{"静", 4, 9, 12},
			{"静期", 4, 9, 15},
			{"期", 5, 12, 15},
		}},
		{BigramAnalyzerName, "第1077条：ＡＢＣ离婚", []tok{
			{"第", 1, 0, 3},
			{"1077", 2, 3, 7},
			{"条", 3, 7, 10},
			{"abc", 4, 13, 22},
			{"离", 5, 22, 25},
			{"离婚", 5, 22, 28},
			{"婚", 6, 25, 28},
		}},
		{BigramAnalyzerName, "婚", []tok{{"婚", 1, 0, 3}}},

		{BigramQueryAnalyzerName, "离婚冷静期", []tok{
			{"离婚", 1, 0, 6},
			{"婚冷", 2, 3, 9},
			{"冷静", 3, 6, 12},
			{"静期", 4, 9, 15},
		}},
		// A lone character is kept so that it can match the unigram.
		{BigramQueryAnalyzerName, "婚 姻", []tok{{"婚", 1, 0, 3}, {"姻", 2, 4, 7}}},
		{BigramQueryAnalyzerName, "高空抛物、COVID-19", []tok{
			{"高空", 1, 0, 6},
			{"空抛", 2, 3, 9},
			{"抛物", 3, 6, 12},
			{"covid", 5, 15, 20},
			{"19", 6, 21, 23},
		}},

		{PinyinAnalyzerName, "高空抛物", []tok{
			{"gaokong", 1, 0, 6},
			{"gaokongpaowu", 1, 0, 12},
			{"gkpw", 1, 0, 12},
			{"paowu", 3, 6, 12},
		}},
		{PinyinAnalyzerName, "第1077条：ＡＢＣ", []tok{
			{"di", 1, 0, 3},
			{"1077", 2, 3, 7},
			{"tiao", 3, 7, 10},
			{"abc", 4, 13, 22},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.analyzer+"/"+tt.input, func(t *testing.T) {
			got := toks(analyzer(t, tt.analyzer).Analyze([]byte(tt.input)))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s.Analyze(%q) mismatch (-want +got):\n%s", tt.analyzer, tt.input, diff)
			}
		})
	}
}

// TestPinyinTitle pins the terms a title's pinyin field must hold, whatever
// else it holds.
func TestPinyinTitle(t *testing.T) {
	tests := []struct {
		title string
		want  []string
	}{
		{"中华人民共和国民法典", []string{"minfadian", "mfd", "zhonghuarenmingongheguo", "zhonghuarenmingongheguominfadian", "renmin", "gongheguo"}},
		{"中华人民共和国老年人权益保障法", []string{"laonianrenquanyibaozhangfa", "lnrqybzf", "laonianren", "quanyi"}},
		{"殡葬管理条例", []string{"binzangguanlitiaoli", "bzgltl", "binzang"}},
		// The second reading of a polyphonic character: 银行 is yinhang.
		{"商业银行法", []string{"shangyeyinhangfa", "shangyeyinxingfa"}},
	}
	a := analyzer(t, PinyinAnalyzerName)
	for _, tt := range tests {
		got := make(map[string]bool)
		for _, tk := range a.Analyze([]byte(tt.title)) {
			got[string(tk.Term)] = true
		}
		for _, w := range tt.want {
			if !got[w] {
				t.Errorf("%s.Analyze(%q) has no %q", PinyinAnalyzerName, tt.title, w)
			}
		}
	}
}

// TestStreamInvariants checks on real law text what Bleve relies on:
// positions start at 1 and never decrease, each term is its text's bytes
// (before lower-casing), and offsets lie inside the input.
func TestStreamInvariants(t *testing.T) {
	files, err := filepath.Glob("testdata/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no law texts in testdata: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{TokenizerName, BigramTokenizerName, BigramQueryTokenizerName, PinyinTokenizerName} {
			tk, err := registry.NewCache().TokenizerNamed(name)
			if err != nil {
				t.Fatal(err)
			}
			input := append([]byte(nil), data...)
			ts := tk.Tokenize(input)
			if len(ts) == 0 {
				t.Fatalf("%s: %s: no tokens", name, f)
			}
			if err := checkStream(input, ts, name != PinyinTokenizerName); err != nil {
				t.Errorf("%s: %s: %v", name, f, err)
			}
		}
	}
}

func checkStream(input []byte, ts analysis.TokenStream, termIsText bool) error {
	prev := 1
	for i, t := range ts {
		if t.Position < prev {
			return fmt.Errorf("token %d %q: position %d after %d", i, t.Term, t.Position, prev)
		}
		prev = t.Position
		if t.Start < 0 || t.End > len(input) || t.Start >= t.End {
			return fmt.Errorf("token %d %q: offsets [%d,%d) outside [0,%d)", i, t.Term, t.Start, t.End, len(input))
		}
		if termIsText && string(t.Term) != string(input[t.Start:t.End]) {
			return fmt.Errorf("token %d: term %q but text %q at [%d,%d)", i, t.Term, input[t.Start:t.End], t.Start, t.End)
		}
	}
	return nil
}

// TestSegment pins the query words the search layer builds queries from.
func TestSegment(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"离婚冷静期怎么算？", []string{"离婚冷静期", "怎么", "算"}},
		{"养老院 消防", []string{"养老院", "消防"}},
		{"中华人民共和国民法典第1077条", []string{"中华人民共和国", "民法典", "第", "1077", "条"}},
		{"ＡＢＣ低保", []string{"abc", "低保"}},
		{"《》", nil},
	}
	for _, tt := range tests {
		if got := Segment(tt.q); !cmp.Equal(got, tt.want) {
			t.Errorf("Segment(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

// TestSegmentWords pins the parts of query words: a text with the parts
// of 录音录像遗嘱 but not the word (以录音录像形式立的遗嘱) must still match.
func TestSegmentWords(t *testing.T) {
	w := func(text string, parts ...QueryWord) QueryWord { return QueryWord{Text: text, Parts: parts} }
	tests := []struct {
		q    string
		want []QueryWord
	}{
		{"录音录像遗嘱", []QueryWord{w("录音录像遗嘱", w("录音"), w("录像"), w("遗嘱"))}},
		{"中华人民共和国", []QueryWord{w("中华人民共和国", w("中华"), w("人民共和国", w("人民"), w("共和国")))}},
		{"收养人条件", []QueryWord{w("收养人", w("收养"), w("人")), w("条件")}},
		// Two characters are a word, not two parts.
		{"遗嘱", []QueryWord{w("遗嘱")}},
		{"婚", []QueryWord{w("婚")}},
		{"ＡＢＣ低保", []QueryWord{w("abc"), w("低保")}},
		{"《》", nil},
	}
	for _, tt := range tests {
		got := SegmentWords(tt.q)
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("SegmentWords(%q) (-want +got):\n%s", tt.q, d)
		}
		var tops []string
		for _, g := range got {
			tops = append(tops, g.Text)
		}
		if seg := Segment(tt.q); !cmp.Equal(tops, seg) {
			t.Errorf("SegmentWords(%q) has words %q, Segment %q", tt.q, tops, seg)
		}
	}
}

// TestDictWordsStayWhole: every word of the site's dictionary, searched
// alone, is one word, so the dictionary's frequencies are high enough.
func TestDictWordsStayWhole(t *testing.T) {
	d, err := ParseDict(siteFile(t, DictFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Words) < 150 {
		t.Errorf("%s has %d words, want at least 150", DictFile, len(d.Words))
	}
	for _, w := range d.Words {
		if got := Segment(w.Text); len(got) != 1 || got[0] != w.Text {
			t.Errorf("%s:%d: Segment(%q) = %q, want the word whole", DictFile, w.Line, w.Text, got)
		}
		if !IsWord(w.Text) {
			t.Errorf("IsWord(%q) = false for a dictionary word", w.Text)
		}
	}
	if IsWord("保帐法") {
		t.Errorf("IsWord(%q) = true", "保帐法")
	}
}

// TestTokenizeConcurrently runs the tokenizers from several goroutines (run
// with -race): Bleve analyzes documents of a batch in parallel.
func TestTokenizeConcurrently(t *testing.T) {
	data, err := os.ReadFile("testdata/minfadian-jicheng-bian.md")
	if err != nil {
		t.Fatal(err)
	}
	want := len((&Tokenizer{}).Tokenize(append([]byte(nil), data...)))
	done := make(chan int)
	for i := 0; i < 4; i++ {
		go func() {
			done <- len((&Tokenizer{}).Tokenize(append([]byte(nil), data...)))
		}()
	}
	for i := 0; i < 4; i++ {
		if got := <-done; got != want {
			t.Errorf("concurrent Tokenize: %d tokens, want %d", got, want)
		}
	}
}

// FuzzTokenize feeds arbitrary text (queries are user input) to every
// tokenizer and to the query helpers built on them.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{
		"中华人民共和国民法典第1077条", "离婚冷静期怎么算？", "ＡＢＣ１２３低保", "\xff\xfe婚", "𠀀𠀁 Ⅻ 〇",
		"高空抛物、COVID-19", "残疾人保帐法", "",
	} {
		f.Add(s)
	}
	var names = []string{TokenizerName, BigramTokenizerName, BigramQueryTokenizerName, PinyinTokenizerName}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1024 {
			return
		}
		for _, name := range names {
			tk, err := registry.NewCache().TokenizerNamed(name)
			if err != nil {
				t.Fatal(err)
			}
			input := []byte(s)
			if err := checkStream(input, tk.Tokenize(input), name != PinyinTokenizerName); err != nil {
				t.Fatalf("%s.Tokenize(%q): %v", name, s, err)
			}
		}
		for _, w := range Segment(s) {
			if w == "" {
				t.Fatalf("Segment(%q) has an empty word", s)
			}
		}
	})
}

func TestQueryGrams(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"中华人民共和国", []string{"中华", "人民", "共和", "和国"}},
		{"婚姻登记", []string{"婚姻", "登记"}},
		{"遗嘱", []string{"遗嘱"}},
		{"继承法", []string{"继承", "承法"}},
		{"婚", []string{"婚"}},
		{"民法典 遗嘱", []string{"民法", "法典", "遗嘱"}},
		{"第1077条", []string{"第", "1077", "条"}},
	} {
		if _, got := QueryGrams(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("QueryGrams(%q) covering = %q, want %q", tt.in, got, tt.want)
		}
	}
}
