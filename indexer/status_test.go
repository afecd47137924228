package indexer

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

// statusManifest reads the manifest of testdata/status_search.txtar.
func statusManifest(t *testing.T) *Manifest {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", "status_search.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	for _, f := range ar.Files {
		if f.Name == "manifest.json" {
			if err := json.Unmarshal(f.Data, &m); err != nil {
				t.Fatal(err)
			}
		}
	}
	return &m
}

// TestCurrentOfVersions checks what the documents of older versions and
// repealed laws say of themselves: the articles an older version words
// otherwise are "former", the ones the version in force says again (with
// small changes or none) "superseded"; the texts whose version in force
// the site lacks name the page about it.
func TestCurrentOfVersions(t *testing.T) {
	docs := map[string]doc{}
	for _, d := range docsFromManifest(statusManifest(t)) {
		docs[d.ID] = d
	}
	tests := []struct{ id, current, successor string }{
		{"/laws/cishanfa/", currentYes, ""},
		{"/laws/cishanfa/#a22", currentYes, ""},
		{"/laws/cishanfa-2016-03-16/", currentSuperseded, ""},
		{"/laws/cishanfa-2016-03-16/#a7", currentSuperseded, ""},
		{"/laws/cishanfa-2016-03-16/#a22", currentSuperseded, ""},
		{"/laws/cishanfa-2016-03-16/#a6", currentFormer, ""},
		{"/laws/hunyindengjitiaoli/", currentSuperseded, "/laws/hunyindengjitiaoli-2025/"},
		{"/laws/hunyindengjitiaoli/#a5", currentSuperseded, "/laws/hunyindengjitiaoli-2025/"},
		{"/laws/hunyindengjitiaoli-2025/", currentYes, ""},
		{"/laws/hunyinfa/", currentRepealed, ""},
		{"/laws/hunyinfa/#a3", currentRepealed, ""},
	}
	for _, tt := range tests {
		d, ok := docs[tt.id]
		if !ok {
			t.Errorf("no document %s", tt.id)
			continue
		}
		if d.Current != tt.current || d.Successor != tt.successor {
			t.Errorf("%s: current %q, successor %q; want %q, %q", tt.id, d.Current, d.Successor, tt.current, tt.successor)
		}
	}
}

func TestPriorsOfStatus(t *testing.T) {
	built := time.Date(2026, 11, 26, 9, 0, 0, 0, shanghai)
	law := time.Date(2016, 3, 16, 0, 0, 0, 0, shanghai)
	inForce := priorOf(KindArticle, currentYes, law, built)
	former := priorOf(KindArticle, currentFormer, law, built)
	superseded := priorOf(KindArticle, currentSuperseded, law, built)
	repealed := priorOf(KindArticle, currentRepealed, law, built)
	if !(inForce > former && former > superseded && superseded >= repealed && repealed > 0) {
		t.Errorf("priors: in force %v, former wording %v, said again %v, repealed %v; want them decreasing", inForce, former, superseded, repealed)
	}
	// A verbatim match (weightExact) of a former wording outweighs a
	// match of the words alone in text in force.
	if former*weightExact <= inForce {
		t.Errorf("a former wording matched verbatim scores %v, text in force with the words %v", former*weightExact, inForce)
	}
}

func TestSearchVersionsAndRepeals(t *testing.T) {
	ix := fixtureIndexOf(t, "status_search.txtar")
	tests := []struct {
		name  string
		q     Query
		first []string // the first hits, in order
		above [2]string
		not   []string
	}{
		{name: "same wording: the version in force, then the older one right below",
			q: Query{Text: "中华慈善日"}, first: []string{"/laws/cishanfa/#a7", "/laws/cishanfa-2016-03-16/#a7"}},
		{name: "an older wording is found by its words",
			q: Query{Text: "国务院民政部门主管全国慈善工作"}, first: []string{"/laws/cishanfa-2016-03-16/#a6"}},
		{name: "an older wording changed a little is found by its words, above other text in force",
			q: Query{Text: "依法登记满二年的慈善组织"}, first: []string{"/laws/cishanfa-2016-03-16/#a22"},
			above: [2]string{"/laws/cishanfa/#a22", "/laws/cishanfa/#a35"}},
		{name: "the page about a revision the site lacks follows the old text",
			q: Query{Text: "本人的户口簿、身份证"}, first: []string{"/laws/hunyindengjitiaoli/#a5", "/laws/hunyindengjitiaoli-2025/"}},
		{name: "not when the results are filtered",
			q:   Query{Text: "本人的户口簿、身份证", Filters: map[string]string{"type": KindArticle}},
			not: []string{"/laws/hunyindengjitiaoli-2025/"}},
		{name: "a repealed law below the law that replaced it",
			q: Query{Text: "禁止借婚姻索取财物"}, above: [2]string{"/laws/minfadian-hunyinjiatingbian/#a1042", "/laws/hunyinfa/#a3"}},
		{name: "a repealed law below the law in force, even with more of the words",
			q: Query{Text: "男不得早于二十二周岁 晚婚晚育"}, above: [2]string{"/laws/minfadian-hunyinjiatingbian/#a1047", "/laws/hunyinfa/#a6"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := urls(res)
			if len(got) < len(tt.first) || !slices.Equal(got[:len(tt.first)], tt.first) {
				t.Errorf("Search(%q) = %q, want %q first", tt.q.Text, got, tt.first)
			}
			if a, b := tt.above[0], tt.above[1]; a != "" {
				i, j := slices.Index(got, a), slices.Index(got, b)
				if i < 0 || j < 0 || i > j {
					t.Errorf("Search(%q) = %q, want %s above %s", tt.q.Text, got, a, b)
				}
			}
			for _, n := range tt.not {
				if slices.Contains(got, n) {
					t.Errorf("Search(%q) = %q, want no %s", tt.q.Text, got, n)
				}
			}
			for i := 1; i < len(res.Hits); i++ {
				if res.Hits[i].Score > res.Hits[i-1].Score {
					t.Errorf("Search(%q): hit %d scores %v, above the %v of the one before", tt.q.Text, i+1, res.Hits[i].Score, res.Hits[i-1].Score)
				}
			}
		})
	}
}

// TestWithSuccessorsMovesUp checks that the page about the version in
// force moves up to the old text it follows, once.
func TestWithSuccessorsMovesUp(t *testing.T) {
	ix := fixtureIndexOf(t, "status_search.txtar")
	res, err := ix.Search(context.Background(), Query{Text: "婚姻登记条例 户口簿", Size: 20})
	if err != nil {
		t.Fatal(err)
	}
	got := urls(res)
	old, next := slices.Index(got, "/laws/hunyindengjitiaoli/#a5"), slices.Index(got, "/laws/hunyindengjitiaoli-2025/")
	law := slices.Index(got, "/laws/hunyindengjitiaoli/")
	first := min(old, law)
	if law < 0 {
		first = old
	}
	if next < 0 || (next > first+1) {
		t.Errorf("hits %q: want the 2025 page right after the first 2003 hit", got)
	}
	n := 0
	for _, u := range got {
		if u == "/laws/hunyindengjitiaoli-2025/" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("hits %q: the 2025 page %d times", got, n)
	}
}

// TestFactsIndexed checks that what the theme says of a page besides its
// text (Page.Facts) is searched with it: in the body, where snippets show
// it, and for a campaign also as what it is filed under.
func TestFactsIndexed(t *testing.T) {
	facts := "线下活动：文明祭扫咨询；活动时间：2026年4月2日 星期四 9:00–11:30；活动地点：嘉定镇街道社区事务受理服务中心。"
	m := &Manifest{Pages: []Page{
		{URL: "/campaigns/2026/qingming/", Kind: "page", Section: "campaigns", Title: "2026年清明节宣传", Plain: "清明节宣传。", Facts: facts},
		{URL: "/catalog/binzang/", Kind: "page", Section: "catalog", Title: "《殡葬管理条例》普法责任", Plain: "要点。",
			Facts: "责任部门：社会事务科。", Params: Params{Law: "殡葬管理条例"}, Refs: Refs{LawRef: &Ref{URL: "/laws/binzang/", Title: "殡葬管理条例"}}},
	}}
	docs := docsFromManifest(m)
	if len(docs) != 2 {
		t.Fatalf("%d documents", len(docs))
	}
	if c := docs[0]; c.Body != "清明节宣传。\n"+facts || c.Heading != facts {
		t.Errorf("campaign: body %q, heading %q", c.Body, c.Heading)
	}
	if c := docs[1]; c.Body != "要点。\n责任部门：社会事务科。" || c.Heading != "殡葬管理条例" || c.LawTitle != "殡葬管理条例" {
		t.Errorf("catalog entry: body %q, heading %q, law %q", c.Body, c.Heading, c.LawTitle)
	}
}
