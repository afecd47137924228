package indexer

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/google/go-cmp/cmp"
)

func TestChineseNumber(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{1, "一"}, {7, "七"}, {10, "十"}, {15, "十五"}, {20, "二十"}, {42, "四十二"},
		{100, "一百"}, {101, "一百零一"}, {110, "一百一十"}, {291, "二百九十一"},
		{1000, "一千"}, {1001, "一千零一"}, {1010, "一千零一十"}, {1077, "一千零七十七"},
		{1136, "一千一百三十六"}, {1254, "一千二百五十四"}, {1260, "一千二百六十"}, {9999, "九千九百九十九"},
	}
	for _, tt := range tests {
		if got := chineseNumber(tt.n); got != tt.want {
			t.Errorf("chineseNumber(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestPlanQuery(t *testing.T) {
	ix := fixtureIndex(t)
	tests := []struct {
		q    string
		want plan // only the fields set are compared
	}{
		{"民法典第1077条", plan{text: "民法典 第一千零七十七条", articles: []string{"第一千零七十七条"}, laws: []string{"中华人民共和国民法典"}}},
		{"1136条", plan{text: "第一千一百三十六条", articles: []string{"第一千一百三十六条"}}},
		{"cishanfa", plan{text: "cishanfa", alt: "慈善法", suggestion: "慈善法", pinyin: "cishanfa", laws: []string{"中华人民共和国慈善法"}}},
		{"离婚冷静期", plan{text: "离婚冷静期", synonyms: []string{"撤回离婚登记申请", "离婚登记"}}},
		{"残疾人保帐法", plan{text: "残疾人保帐法", alt: "残疾人保障法", suggestion: "残疾人保障法"}},
		{"打印遗嘱", plan{text: "打印遗嘱", pins: [][]string{{"/laws/minfadian-jichengbian/#a1136"}}}},
		{"民法典", plan{text: "民法典", laws: []string{"中华人民共和国民法典"},
			lawPages: map[string]bool{"/laws/minfadian-jichengbian/": true, "/laws/minfadian-hunyinjiatingbian/": true},
			pins:     [][]string{{"/laws/minfadian-hunyinjiatingbian/", "/laws/minfadian-jichengbian/"}}}},
		{"民法典 继承编", plan{text: "民法典 继承编", laws: []string{"中华人民共和国民法典"},
			lawPages: map[string]bool{"/laws/minfadian-jichengbian/": true}}},
		{"民法典 遗嘱", plan{text: "民法典 遗嘱", laws: []string{"中华人民共和国民法典"}}},
		// Fourteen words: the first twelve are searched.
		{strings.Repeat("遗嘱 ", 7) + strings.Repeat("继承 ", 7), plan{text: strings.TrimSpace(strings.Repeat("遗嘱 ", 7) + strings.Repeat("继承 ", 5))}},
	}
	for _, tt := range tests {
		got, err := ix.planQuery(context.Background(), tt.q, rankOptions{})
		if err != nil {
			t.Fatal(err)
		}
		w := tt.want
		if got.text != w.text {
			t.Errorf("plan(%q).text = %q, want %q", tt.q, got.text, w.text)
		}
		check := func(name string, got, want any, set bool) {
			if set {
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("plan(%q).%s (-want +got):\n%s", tt.q, name, d)
				}
			}
		}
		check("alt", got.alt, w.alt, w.alt != "" || w.suggestion != "")
		check("suggestion", got.suggestion, w.suggestion, true)
		check("pinyin", got.pinyin, w.pinyin, true)
		check("synonyms", got.synonyms, w.synonyms, w.synonyms != nil)
		check("articles", got.articles, w.articles, w.articles != nil)
		check("laws", got.laws, w.laws, w.laws != nil)
		check("lawPages", got.lawPages, w.lawPages, w.lawPages != nil)
		check("pins", got.pins, w.pins, w.pins != nil)
	}
	// Without best bets, nothing is pinned.
	p, err := ix.planQuery(context.Background(), "打印遗嘱", rankOptions{noBestBets: true})
	if err != nil {
		t.Fatal(err)
	}
	if p.pins != nil {
		t.Errorf("plan without best bets pins %v", p.pins)
	}
}

func TestLawsIn(t *testing.T) {
	sd := &searchData{laws: map[string][]string{}, parts: map[string]bool{"继承编": true}}
	for _, title := range []string{"中华人民共和国民法典", "中华人民共和国慈善法", "殡葬管理条例", "上海市殡葬管理条例", "中华人民共和国宪法"} {
		sd.addLaw(title)
	}
	tests := []struct {
		text       string
		titles     []string
		page, part string
	}{
		{"民法典", []string{"中华人民共和国民法典"}, "中华人民共和国民法典", ""},
		{"中华人民共和国民法典", []string{"中华人民共和国民法典"}, "中华人民共和国民法典", ""},
		{"民法典 继承编", []string{"中华人民共和国民法典"}, "中华人民共和国民法典", "继承编"},
		{"民法典 遗嘱", []string{"中华人民共和国民法典"}, "", ""},
		{"上海市殡葬管理条例", []string{"上海市殡葬管理条例"}, "上海市殡葬管理条例", ""},
		{"殡葬管理条例", []string{"殡葬管理条例"}, "殡葬管理条例", ""},
		{"慈善法和民法典", []string{"中华人民共和国慈善法", "中华人民共和国民法典"}, "", ""},
		{"宪法", []string{"中华人民共和国宪法"}, "中华人民共和国宪法", ""},
		{"打印遗嘱", nil, "", ""},
		{"", nil, "", ""},
	}
	for _, tt := range tests {
		titles, page, part := sd.lawsIn(tt.text)
		if !slices.Equal(titles, tt.titles) || page != tt.page || part != tt.part {
			t.Errorf("lawsIn(%q) = %q, %q, %q; want %q, %q, %q", tt.text, titles, page, part, tt.titles, tt.page, tt.part)
		}
	}
}

// TestDisMax pins the scoring of disMaxQuery on a tiny index: a document
// scores by its best clause plus tie times the others, with no penalty for
// the clauses it does not match.
func TestDisMax(t *testing.T) {
	im := bleve.NewIndexMapping()
	idx, err := bleve.NewMemOnly(im)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	docs := map[string]map[string]string{
		"a":    {"x": "apple", "y": "pear"},
		"b":    {"x": "apple"},
		"none": {"x": "plum"},
	}
	for id, d := range docs {
		if err := idx.Index(id, d); err != nil {
			t.Fatal(err)
		}
	}
	term := func(field, v string) query.Query {
		q := bleve.NewTermQuery(v)
		q.SetField(field)
		return q
	}
	scores := func(q query.Query) map[string]float64 {
		res, err := idx.Search(bleve.NewSearchRequest(q))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, h := range res.Hits {
			out[h.ID] = h.Score
		}
		return out
	}
	x, y := term("x", "apple"), term("y", "pear")
	// The disjunction sums a's two clauses and halves b's one (b's x
	// clause scores as a's: the same term in a field of the same length).
	sum := scores(bleve.NewDisjunctionQuery(x, y))
	xs := 2 * sum["b"]
	ys := sum["a"] - xs
	for _, tie := range []float64{0, 0.3, 1} {
		got := scores(newDisMax(tie, x, y))
		want := map[string]float64{"a": max(xs, ys) + tie*min(xs, ys), "b": xs}
		if len(got) != 2 {
			t.Fatalf("tie %v: hits %v, want a and b", tie, got)
		}
		for id, w := range want {
			if math.Abs(got[id]-w) > 1e-9 {
				t.Errorf("tie %v: %s scores %v, want %v", tie, id, got[id], w)
			}
		}
	}
}

func TestHighlights(t *testing.T) {
	p := plan{text: "离婚冷静期", words: []string{"离婚冷静期"}, synonyms: []string{"撤回离婚登记申请", "离婚登记"}, articles: []string{"第一千零七十七条"}}
	got := p.highlights()
	want := []string{"撤回离婚登记申请", "第一千零七十七条", "离婚冷静期", "离婚登记"}
	if !slices.Equal(got, want) {
		t.Errorf("highlights = %q, want %q", got, want)
	}
}

// BenchmarkQueryBuild measures preparing a query: normalising, planning
// (segmentation, synonyms, pinyin, typos, law names, best bets) and
// building the Bleve query, without searching.
func BenchmarkQueryBuild(b *testing.B) {
	ix := fixtureIndex(b)
	for _, q := range []string{"打印遗嘱", "离婚冷静期", "minfadian", "残疾人保帐法第十条", "养老机构 消防 安全出口 疏散通道"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				query := Query{Text: q}
				if err := ix.Validate(&query); err != nil {
					b.Fatal(err)
				}
				p, err := ix.planQuery(context.Background(), query.Text, rankOptions{})
				if err != nil {
					b.Fatal(err)
				}
				_ = ix.rankedQuery(&p, query, rankOptions{})
			}
		})
	}
}
