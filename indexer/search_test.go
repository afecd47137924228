package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"time"

	"golang.org/x/tools/txtar"
)

// fixtureIndex builds the index of testdata/relevance_search.txtar with
// the site's dictionary and synonyms and the fixture's best bets.
func fixtureIndex(t testing.TB) *Index {
	t.Helper()
	return fixtureIndexOf(t, "relevance_search.txtar")
}

// fixtureIndexOf builds the index of the manifest in testdata/name, as
// fixtureIndex does.
func fixtureIndexOf(t testing.TB, name string) *Index {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	var m Manifest
	for _, f := range ar.Files {
		switch f.Name {
		case "manifest.json":
			if err := json.Unmarshal(f.Data, &m); err != nil {
				t.Fatalf("manifest.json: %v", err)
			}
		default:
			if err := os.WriteFile(filepath.Join(data, f.Name), f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, name := range []string{"dict.txt", "synonyms.yaml"} {
		b, err := os.ReadFile(filepath.Join("..", "site", "data", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(data, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	if _, err := BuildIndex(context.Background(), &m, out, BuildOptions{DataDir: data}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func urls(res *Result) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.URL)
	}
	return out
}

func TestSearchRanking(t *testing.T) {
	ix := fixtureIndex(t)
	tests := []struct {
		name  string
		q     Query
		first string // the URL of the first hit
		want  []string
		not   []string // URLs that must not be among the hits
	}{
		{name: "pinned article first", q: Query{Text: "打印遗嘱"}, first: "/laws/minfadian-jichengbian/#a1136"},
		{name: "alias of a best bet", q: Query{Text: "电脑遗嘱"}, first: "/laws/minfadian-jichengbian/#a1136"},
		{name: "law name finds the law's pages", q: Query{Text: "民法典"},
			want: []string{"/laws/minfadian-jichengbian/", "/laws/minfadian-hunyinjiatingbian/"}},
		{name: "law in force before its older version", q: Query{Text: "中华慈善日", Filters: map[string]string{"type": "article"}}, first: "/laws/cishanfa/#a7"},
		{name: "pinned law resolves to the version in force", q: Query{Text: "慈善法"}, first: "/laws/cishanfa/"},
		{name: "pins by content path and URL", q: Query{Text: "继承目录"},
			want: []string{"/catalog/minfadian-jicheng/", "/campaigns/2026/cishan/"}},
		{name: "article by Arabic number", q: Query{Text: "慈善法第22条"}, first: "/laws/cishanfa/#a22"},
		{name: "article by Chinese number", q: Query{Text: "民法典第一千零七十七条"}, first: "/laws/minfadian-hunyinjiatingbian/#a1077"},
		{name: "colloquial word finds the law's wording", q: Query{Text: "离婚冷静期"}, first: "/laws/minfadian-hunyinjiatingbian/#a1077"},
		{name: "parts of a dictionary word", q: Query{Text: "录音录像遗嘱"}, first: "/laws/minfadian-jichengbian/#a1137"},
		{name: "one character", q: Query{Text: "婚"}, first: "/laws/minfadian-hunyinjiatingbian/"},
		{name: "pinyin", q: Query{Text: "cishanfa"}, first: "/laws/cishanfa/"},
		{name: "pages without a kind are not indexed", q: Query{Text: "遗嘱", Size: 50}, not: []string{"/about/", "/news/"}},
		{name: "type filter", q: Query{Text: "遗嘱", Filters: map[string]string{"type": "news"}, Size: 50},
			want: []string{"/news/2026/yianshifa-dayin-yizhu/", "/news/2020/yizhu-xuanchuan/"},
			not:  []string{"/laws/minfadian-jichengbian/#a1136"}},
		{name: "filter keeps pins out that do not pass it", q: Query{Text: "打印遗嘱", Filters: map[string]string{"type": "catalog"}},
			first: "/catalog/minfadian-jicheng/", not: []string{"/laws/minfadian-jichengbian/#a1136"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := urls(res)
			if tt.first != "" && (len(got) == 0 || got[0] != tt.first) {
				t.Errorf("Search(%q) = %q, want %s first", tt.q.Text, got, tt.first)
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("Search(%q) = %q, want %s among them", tt.q.Text, got, w)
				}
			}
			for _, n := range tt.not {
				if slices.Contains(got, n) {
					t.Errorf("Search(%q) = %q, want no %s", tt.q.Text, got, n)
				}
			}
		})
	}
}

func TestSearchLawTitles(t *testing.T) {
	ix := fixtureIndex(t)
	res, err := ix.Search(context.Background(), Query{Text: "民法典第一千一百三十六条"})
	if err != nil {
		t.Fatal(err)
	}
	h := res.Hits[0]
	want := Hit{URL: "/laws/minfadian-jichengbian/#a1136", Title: "中华人民共和国民法典 继承编 第一千一百三十六条",
		Type: KindArticle, Law: "中华人民共和国民法典 继承编", Article: "第一千一百三十六条", Date: "2020-05-28"}
	h.Score, h.Snippet = 0, ""
	if h != want {
		t.Errorf("first hit = %+v, want %+v", h, want)
	}
	res, err = ix.Search(context.Background(), Query{Text: "民法典", Filters: map[string]string{"type": "law"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.Law != "" || h.Article != "" {
			t.Errorf("law hit %s has law %q, article %q; only article hits have them", h.URL, h.Law, h.Article)
		}
	}
}

func TestSearchSuggestion(t *testing.T) {
	ix := fixtureIndex(t)
	tests := []struct {
		q, want string
		first   string
	}{
		{"cishanfa", "慈善法", "/laws/cishanfa/"},
		{"mfd", "民法典", ""},
		// The fixture has no such law: a correction that finds nothing
		// is no help.
		{"残疾人保帐法", "", ""},
		{"离婚冷净期", "离婚冷静期", "/laws/minfadian-hunyinjiatingbian/#a1077"},
		{"打印遗嘱", "", ""},
		{"居民委员会组织法", "", ""},
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), Query{Text: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		if res.Suggestion != tt.want {
			t.Errorf("Search(%q).Suggestion = %q, want %q", tt.q, res.Suggestion, tt.want)
		}
		if tt.first != "" && (len(res.Hits) == 0 || res.Hits[0].URL != tt.first) {
			t.Errorf("Search(%q) = %q, want %s first", tt.q, urls(res), tt.first)
		}
	}
}

// TestSearchZeroResults: a query that finds nothing gets a suggestion
// that finds something, if there is one: the words the index lacks
// replaced by near ones or left out.
func TestSearchZeroResults(t *testing.T) {
	ix := fixtureIndex(t)
	ctx := context.Background()
	tests := []struct {
		q, want string
	}{
		{"离登", "离婚登记"},              // an abbreviation
		{"xyz 离登", "离婚登记"},          // letters that are no pinyin left out
		{"离登 火星人", "离婚登记"},          // a word nowhere near any left out
		{"jianzhengren 火星人", "见证人"}, // pinyin among other words
		{"以案释法 qwe", "以案释法"},        // a word only in a title
		{"qwertyuiop", ""},          // nothing near
		{"火星人的飞船", ""},              // 的 alone says nothing
		{"残疾人保帐法", ""},              // the correction finds nothing either
		{"航天发射场", ""},               // nor does anything near
		{"打印遗嘱", ""},                // found: no suggestion
	}
	for _, tt := range tests {
		res, err := ix.Search(ctx, Query{Text: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		if tt.q != "打印遗嘱" && res.Total != 0 {
			t.Errorf("Search(%q) found %d; the test wants a query that finds nothing", tt.q, res.Total)
			continue
		}
		if res.Suggestion != tt.want {
			t.Errorf("Search(%q).Suggestion = %q, want %q", tt.q, res.Suggestion, tt.want)
		}
		if tt.want == "" || res.Suggestion == "" {
			continue
		}
		again, err := ix.Search(ctx, Query{Text: res.Suggestion})
		if err != nil {
			t.Fatal(err)
		}
		if again.Total == 0 {
			t.Errorf("Search(%q) suggests %q, which finds nothing", tt.q, res.Suggestion)
		}
	}
	// With a filter, the suggestion finds something that passes it.
	res, err := ix.Search(ctx, Query{Text: "离登", Filters: map[string]string{"type": "news"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Suggestion != "" {
		t.Errorf("Search(离登, news) suggests %q, which finds no news", res.Suggestion)
	}
}

// TestSearchPinyinAnyWord: pinyin resolves to any word of the index, in
// full or by first letters, not only to the dictionary's words and the
// titles.
func TestSearchPinyinAnyWord(t *testing.T) {
	ix := fixtureIndex(t)
	tests := []struct {
		q, want string
	}{
		{"jianzhengren", "见证人"},
		{"jian zheng ren", "见证人"},
		{"jzr", "见证人"},        // not 继承人, were 承 read zheng
		{"yianshifa", "以案释法"}, // only in a title
		{"yasf", "以案释法"},
		{"gongkaimujuan", "公开募捐"},
		{"gkmj", "公开募捐"},
		{"lihundengji", "离婚登记"},
		{"lh", ""},
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), Query{Text: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		if res.Suggestion != tt.want {
			t.Errorf("Search(%q).Suggestion = %q, want %q", tt.q, res.Suggestion, tt.want)
		}
		if tt.want != "" && res.Total == 0 {
			t.Errorf("Search(%q) found nothing", tt.q)
		}
	}
}

// markup finds any tag other than <mark> and </mark>.
var markup = regexp.MustCompile(`<(?:/?[a-ln-z!]|/?m(?:[^a]|a[^r]|ar[^k]|ark[^>]))`)

// TestSearchEscapes: titles, laws, article numbers, snippets, the echoed
// query and the suggestion carry no markup from content or from the query,
// only the <mark> of snippets.
func TestSearchEscapes(t *testing.T) {
	ix := fixtureIndex(t)
	queries := []string{
		"遗嘱", "<script>alert(1)</script>遗嘱", `<img src=x onerror=alert(1)>`, "script", "img onerror",
		`"><svg onload=alert(1)>遗嘱`, "遗嘱条例", "&lt;script&gt;", "第一条",
	}
	seen := map[string]bool{}
	for _, q := range queries {
		for _, kind := range []string{"", KindLaw, KindArticle, KindNews} {
			query := Query{Text: q, Size: 50, Filters: map[string]string{}}
			if kind != "" {
				query.Filters["type"] = kind
			}
			res, err := ix.Search(context.Background(), query)
			var pe *ParamError
			if errors.As(err, &pe) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			check := func(what, s string) {
				if markup.MatchString(s) || strings.ContainsAny(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s), `<>"`) {
					t.Errorf("Search(%q): %s carries markup: %q", q, what, s)
				}
			}
			for _, s := range []string{res.Query, res.Suggestion} {
				if strings.ContainsAny(s, `<>"'`) {
					t.Errorf("Search(%q): query or suggestion not escaped: %q", q, s)
				}
			}
			for _, h := range res.Hits {
				seen[h.URL] = true
				for _, s := range []string{h.Title, h.Law, h.Article, h.Type, h.Date} {
					if strings.ContainsAny(s, `<>"'`) {
						t.Errorf("Search(%q): %s: text not escaped: %q", q, h.URL, s)
					}
				}
				check(h.URL+" snippet", h.Snippet)
			}
		}
	}
	for _, u := range []string{"/laws/xss/", "/laws/xss/#a1", "/news/2026/xss/"} {
		if !seen[u] {
			t.Errorf("no query found %s; its escaping went untested", u)
		}
	}
	res, err := ix.Search(context.Background(), Query{Text: "遗嘱公告"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].Title != "&lt;script&gt;alert(1)&lt;/script&gt;遗嘱公告" {
		t.Errorf("Search(遗嘱公告) first hit = %+v, want the escaped title", res.Hits)
	}
}

func TestSearchFacetsAndPages(t *testing.T) {
	ix := fixtureIndex(t)
	ctx := context.Background()
	all, err := ix.Search(ctx, Query{Text: "遗嘱", Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, h := range all.Hits {
		counts[h.Type]++
	}
	if int(all.Total) != len(all.Hits) {
		t.Fatalf("total %d, %d hits", all.Total, len(all.Hits))
	}
	for _, f := range all.Facets["type"] {
		if f.Count != counts[f.Term] {
			t.Errorf("facet type=%s counts %d, hits have %d", f.Term, f.Count, counts[f.Term])
		}
	}
	for _, name := range []string{"type", "category", "department", "audience"} {
		if _, ok := all.Facets[name]; !ok {
			t.Errorf("no %s facet", name)
		}
	}
	if got := all.Facets["audience"]; !slices.Contains(got, Facet{"老年人", 1}) {
		t.Errorf("audience facet = %v, want 老年人 1", got)
	}

	// Pages of two partition the results in order, however they are cut.
	var paged []string
	for page := 1; ; page++ {
		res, err := ix.Search(ctx, Query{Text: "遗嘱", Size: 2, Page: page})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != all.Total {
			t.Errorf("page %d: total %d, want %d", page, res.Total, all.Total)
		}
		if len(res.Hits) == 0 {
			break
		}
		paged = append(paged, urls(res)...)
	}
	if !slices.Equal(paged, urls(all)) {
		t.Errorf("pages of 2 = %q\nwant %q", paged, urls(all))
	}

	// Newest first.
	byDate, err := ix.Search(ctx, Query{Text: "遗嘱", Size: 50, Sort: "date"})
	if err != nil {
		t.Fatal(err)
	}
	var dates []string
	for _, h := range byDate.Hits {
		dates = append(dates, h.Date)
	}
	if !slices.IsSortedFunc(dates, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("sort=date gives dates %q, want newest first", dates)
	}

	// Filters restrict the results and the facets.
	news, err := ix.Search(ctx, Query{Text: "遗嘱", Size: 50, Filters: map[string]string{"department": "社会事务科"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := urls(news); !slices.Equal(sorted(got), []string{"/catalog/minfadian-jicheng/", "/news/2026/yianshifa-dayin-yizhu/"}) {
		t.Errorf("department=社会事务科 gives %q", got)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestPriors(t *testing.T) {
	// The same text dated now and four years earlier: the recent one wins.
	built := time.Date(2026, 11, 26, 9, 0, 0, 0, shanghai)
	recent := priorOf(KindNews, currentYes, time.Date(2026, 10, 1, 0, 0, 0, 0, shanghai), built)
	old := priorOf(KindNews, currentYes, time.Date(2022, 10, 1, 0, 0, 0, 0, shanghai), built)
	law := priorOf(KindArticle, currentYes, time.Date(2020, 5, 28, 0, 0, 0, 0, shanghai), built)
	superseded := priorOf(KindArticle, currentSuperseded, time.Date(2020, 5, 28, 0, 0, 0, 0, shanghai), built)
	if !(law > recent && recent > old && old > 0) {
		t.Errorf("priors: article %v, recent news %v, old news %v; want them decreasing", law, recent, old)
	}
	if superseded >= law {
		t.Errorf("prior of a superseded article %v, in force %v", superseded, law)
	}

	// The same from an index: the dates come from its doc values.
	m := site()
	news := findPage(m, "/news/2026/yanglao/")
	oldDate := time.Date(2022, 3, 1, 9, 0, 0, 0, shanghai)
	older := *news
	older.URL, older.Date = "/news/2022/yanglao/", &oldDate
	m.Pages = append(m.Pages, older)
	dir := t.TempDir()
	if _, err := BuildIndex(context.Background(), m, dir, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	r := bleveReader(t, filepath.Join(dir, IndexDir, bleveDir))
	table, _, err := loadPriors(context.Background(), r, built)
	if err != nil {
		t.Fatal(err)
	}
	prior := func(url string) float64 {
		id, err := r.InternalID(url)
		if err != nil || id == nil {
			t.Fatalf("no document %s: %v", url, err)
		}
		pr, _ := table.of(id.Value())
		return pr
	}
	want := func(d time.Time) float64 { return float64(float32(priorOf(KindNews, currentYes, d, built))) }
	if got := prior(news.URL); got != want(*news.Date) {
		t.Errorf("prior of %s dated %v = %v, want %v", news.URL, news.Date, got, want(*news.Date))
	}
	if got := prior(older.URL); got != want(oldDate) {
		t.Errorf("prior of %s dated %v = %v, want %v", older.URL, oldDate, got, want(oldDate))
	}
}

func TestSearchBounds(t *testing.T) {
	ix := fixtureIndex(t)
	tests := []struct {
		q     Query
		param string
	}{
		{Query{Text: ""}, "q"},
		{Query{Text: "  \u200b "}, "q"},
		{Query{Text: strings.Repeat("法", MaxQueryRunes+1)}, "q"},
		{Query{Text: "遗嘱", Page: MaxPage + 1}, "page"},
		{Query{Text: "遗嘱", Size: MaxSize + 1}, "size"},
		{Query{Text: "遗嘱", Sort: "title"}, "sort"},
		{Query{Text: "遗嘱", Filters: map[string]string{"type": "poem"}}, "type"},
		{Query{Text: "遗嘱", Filters: map[string]string{"colour": "red"}}, "colour"},
	}
	for _, tt := range tests {
		_, err := ix.Search(context.Background(), tt.q)
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Param != tt.param {
			t.Errorf("Search(%+v) = %v, want a ParamError for %s", tt.q, err, tt.param)
		}
	}
	// Query syntax is text: nothing of it reaches Bleve.
	for _, q := range []string{`+title:遗嘱 -body:继承`, `遗嘱~2 AND *`, `/.*/`, `url:"x"^10`} {
		if _, err := ix.Search(context.Background(), Query{Text: q}); err != nil {
			t.Errorf("Search(%q) = %v", q, err)
		}
	}
}

// TestSearchConcurrent searches from many goroutines at once (run with
// -race): the plan caches and the prior table are shared.
func TestSearchConcurrent(t *testing.T) {
	ix := fixtureIndex(t)
	queries := []string{"民法典", "打印遗嘱", "cishanfa", "残疾人保帐法", "婚", "慈善法第7条", "民法典 继承编"}
	want := map[string][]string{}
	for _, q := range queries {
		res, err := ix.Search(context.Background(), Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		want[q] = urls(res)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				q := queries[(g+i)%len(queries)]
				res, err := ix.Search(context.Background(), Query{Text: q})
				if err != nil {
					t.Error(err)
					return
				}
				if got := urls(res); !slices.Equal(got, want[q]) {
					t.Errorf("Search(%q) = %q concurrently, %q alone", q, got, want[q])
					return
				}
			}
		}()
	}
	wg.Wait()
}

// The facets a search counts as its matches stream past equal Bleve's
// own facets of the same query, with and without filters.
func TestFacetsMatchBleve(t *testing.T) {
	ix := fixtureIndex(t)
	ctx := context.Background()
	for _, q := range []Query{
		{Text: "遗嘱"}, {Text: "婚姻登记"}, {Text: "老年人"}, {Text: "的"},
		{Text: "遗嘱", Filters: map[string]string{"type": "catalog"}},
		{Text: "登记", Filters: map[string]string{"department": "社会事务科"}},
	} {
		res, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if err := ix.Validate(&q); err != nil {
			t.Fatal(err)
		}
		p, err := ix.planQuery(ctx, q.Text, rankOptions{})
		if err != nil {
			t.Fatal(err)
		}
		req := bleve.NewSearchRequestOptions(ix.rankedQuery(&p, q, rankOptions{}), 10, 0, false)
		for _, f := range resultFacets {
			req.AddFacet(f, bleve.NewFacetRequest(f, facetSize))
		}
		sr, err := ix.bi.SearchInContext(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if sr.Total != res.Total {
			t.Errorf("%q: total %d, Bleve %d", q.Text, res.Total, sr.Total)
		}
		for _, f := range resultFacets {
			want := []Facet{}
			if fr := sr.Facets[f]; fr != nil && fr.Terms != nil {
				for _, tf := range fr.Terms.Terms() {
					want = append(want, Facet{Term: tf.Term, Count: tf.Count})
				}
			}
			if !slices.Equal(res.Facets[f], want) {
				t.Errorf("%q %v: facet %s = %v, Bleve's %v", q.Text, q.Filters, f, res.Facets[f], want)
			}
		}
	}
}

// A word in most documents' headings is common there: a query of several
// words ranks by the others in that field, and a query of that word alone
// still finds it.
func TestCommonWords(t *testing.T) {
	ix := fixtureIndex(t)
	sr, err := ix.bi.Search(bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), MaxSize, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	articles := 0
	for _, h := range sr.Hits {
		if strings.Contains(h.ID, "#") {
			articles++
		}
	}
	if float64(articles) < 2*commonShare*float64(ix.Docs()) {
		t.Fatalf("the fixture has %d articles of %d documents: too few to test", articles, ix.Docs())
	}
	// Every article's heading starts with 中华人民共和国.
	if !ix.common(fieldHeading, "中华人民共和国") {
		t.Error("中华人民共和国 is not common in headings")
	}
	if ix.common(fieldText, "遗嘱") || ix.common(fieldHeading, "不存在的词语") {
		t.Error("a rare or absent word is common")
	}
	res, err := ix.Search(context.Background(), Query{Text: "中华人民共和国"})
	if err != nil || res.Total == 0 {
		t.Errorf("search 中华人民共和国 alone: %v hits, %v", res, err)
	}
}

// The answers common keeps are bounded, whatever residents search for.
func TestCommonCacheBounded(t *testing.T) {
	ix := fixtureIndex(t)
	for i := range maxCommonCache + 100 {
		ix.common(fieldText, fmt.Sprintf("词%d", i))
	}
	if n := ix.commonCached.Load(); n != maxCommonCache {
		t.Errorf("%d answers kept, want at most %d", n, maxCommonCache)
	}
}
