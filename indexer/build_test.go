package indexer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
)

// site is a small site for the index build tests: two laws of a few
// articles and a news page. Each test changes a copy.
func site() *Manifest {
	cst := time.FixedZone("CST", 8*3600)
	d := time.Date(2026, 3, 1, 9, 0, 0, 0, cst)
	law := func(slug, title string, texts ...string) Page {
		p := Page{URL: "/laws/" + slug + "/", Permalink: "http://example.test/laws/" + slug + "/", Kind: "page",
			Section: "laws", Title: title, Date: &d, Params: Params{Status: "in-force"}}
		for i, t := range texts {
			n := fmt.Sprintf("第%d条", i+1)
			p.Articles = append(p.Articles, Article{Anchor: fmt.Sprintf("a%d", i+1), Number: n, Heading: "第一章　总则", Text: n + "　" + t})
		}
		return p
	}
	return &Manifest{
		Generator: "pufa",
		Site:      SiteInfo{Title: "测试站点", BaseURL: "http://example.test/"},
		Built:     d,
		Pages: []Page{
			{URL: "/", Permalink: "http://example.test/", Kind: "home", Title: "测试站点"},
			law("cishanfa", "中华人民共和国慈善法",
				"为了发展慈善事业，弘扬慈善文化。", "本法所称慈善活动，是指自愿开展的公益活动。",
				"慈善组织应当依法开展活动。", "国家鼓励慈善捐赠。", "慈善信托属于公益信托。"),
			law("binzang", "殡葬管理条例",
				"为了加强殡葬管理，推进殡葬改革。", "殡葬管理的方针是积极地、有步骤地实行火葬。",
				"禁止在耕地、林地建造坟墓。"),
			{URL: "/news/2026/yanglao/", Permalink: "http://example.test/news/2026/yanglao/", Kind: "page", Section: "news",
				Title: "民政局开展养老服务普法宣传", Date: &d, Plain: "社区养老服务站讲解老年人权益保障法。"},
		},
	}
}

func findPage(m *Manifest, url string) *Page {
	for i := range m.Pages {
		if m.Pages[i].URL == url {
			return &m.Pages[i]
		}
	}
	panic("no page " + url)
}

// hits returns the hits for text in the index of dir.
func hits(t *testing.T, dir, text string) []Hit {
	t.Helper()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Search(context.Background(), Query{Text: text, Size: MaxSize})
	if err != nil {
		t.Fatal(err)
	}
	return res.Hits
}

// hitURLs returns the URLs of the hits for text in the index of dir.
func hitURLs(t *testing.T, dir, text string) []string {
	t.Helper()
	var out []string
	for _, h := range hits(t, dir, text) {
		out = append(out, h.URL)
	}
	return out
}

func TestIncrementalBuild(t *testing.T) {
	ctx := context.Background()
	m := site()
	dir := t.TempDir()
	prev := filepath.Join(dir, "0")
	// Small segments and several workers: the updates start from an
	// index of several segments, as a full build of a large site leaves.
	st, err := BuildIndex(ctx, m, prev, BuildOptions{BatchSize: 2, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("full build: %d segments", st.Segments)
	all := st.Docs
	if !st.Full || st.Analysed != all || all != 2+5+3+1 {
		t.Fatalf("first build = %+v: want a full build of all %d documents", st, 2+5+3+1)
	}
	steps := []struct {
		name   string
		change func(m *Manifest)
		// want: documents analysed, reused and deleted, and documents in all.
		analysed, reused, deleted, docs int
		// find is searched for after the step; want are the URLs it must
		// find first, none when empty.
		find string
		want []string
	}{
		{
			name: "edit one article",
			change: func(m *Manifest) {
				findPage(m, "/laws/cishanfa/").Articles[3].Text = "第4条　国家鼓励慈善捐赠，支持志愿服务。"
			},
			analysed: 1, reused: all - 1, docs: all,
			find: "志愿服务", want: []string{"/laws/cishanfa/#a4"},
		},
		{
			name: "add a news page",
			change: func(m *Manifest) {
				p := *findPage(m, "/news/2026/yanglao/")
				p.URL, p.Title, p.Plain = "/news/2026/hunyin/", "婚姻登记处延长服务时间", "婚姻登记处周六上午提供结婚登记预约服务。"
				m.Pages = append(m.Pages, p)
			},
			analysed: 1, reused: all, docs: all + 1,
			find: "结婚登记预约", want: []string{"/news/2026/hunyin/"},
		},
		{
			name: "delete a law",
			change: func(m *Manifest) {
				m.Pages = slices.DeleteFunc(m.Pages, func(p Page) bool { return p.URL == "/laws/binzang/" })
			},
			analysed: 0, reused: all + 1 - 4, deleted: 4, docs: all + 1 - 4,
			find: "火葬",
		},
		{
			name:     "nothing changed",
			change:   func(*Manifest) {},
			analysed: 0, reused: all - 3, docs: all - 3,
			find: "志愿服务", want: []string{"/laws/cishanfa/#a4"},
		},
	}
	for i, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.change(m)
			next := filepath.Join(dir, fmt.Sprint(i+1))
			st, err := BuildIndex(ctx, m, next, BuildOptions{Previous: prev})
			if err != nil {
				t.Fatal(err)
			}
			if st.Full {
				t.Fatalf("built from scratch (%s), want an update of the previous index", st.Reason)
			}
			if st.Analysed != s.analysed || st.Reused != s.reused || st.Deleted != s.deleted || st.Docs != s.docs {
				t.Errorf("analysed %d, reused %d, deleted %d of %d documents; want %d, %d, %d of %d",
					st.Analysed, st.Reused, st.Deleted, st.Docs, s.analysed, s.reused, s.deleted, s.docs)
			}
			got := hitURLs(t, next, s.find)
			if len(got) < len(s.want) || !slices.Equal(got[:len(s.want)], s.want) || len(s.want) == 0 && len(got) > 0 {
				t.Errorf("search %q = %v, want first %v", s.find, got, s.want)
			}
			prev = next
		})
	}
	// Every release's index stays as it was built: the update linked the
	// previous segments and never wrote into them.
	if got := hitURLs(t, filepath.Join(dir, "0"), "火葬"); len(got) == 0 || got[0] != "/laws/binzang/#a2" {
		t.Errorf("the first index after the updates: search 火葬 = %v, want /laws/binzang/#a2 first", got)
	}
	if got := hitURLs(t, filepath.Join(dir, "0"), "志愿服务"); slices.Contains(got, "/laws/cishanfa/#a4") {
		t.Errorf("the first index after the updates finds a later edit: %v", got)
	}
	// The updated index holds what a full build of the same content
	// holds, term for term: the updates analysed their documents as a
	// full build does.
	full := filepath.Join(dir, "full")
	if _, err := BuildIndex(ctx, m, full, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	compareContents(t, "updated index", indexContents(t, filepath.Join(prev, IndexDir, bleveDir)),
		"full build", indexContents(t, filepath.Join(full, IndexDir, bleveDir)))
}

func TestIncrementalFallsBack(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// spoil damages the previous index in dir, or changes m.
		spoil      func(t *testing.T, dir string, m *Manifest)
		wantReason string
	}{
		{
			name:       "no previous index",
			spoil:      func(t *testing.T, dir string, _ *Manifest) { os.RemoveAll(filepath.Join(dir, IndexDir)) },
			wantReason: "no previous index",
		},
		{
			name: "another version",
			spoil: func(t *testing.T, dir string, _ *Manifest) {
				p := filepath.Join(dir, IndexDir, hashesFile)
				data, _ := os.ReadFile(p)
				os.WriteFile(p, []byte(strings.Replace(string(data), hashesHeader, hashesHeader+"0", 1)), 0o644)
			},
			wantReason: "another version",
		},
		{
			name: "segments that do not open",
			spoil: func(t *testing.T, dir string, _ *Manifest) {
				files, _ := filepath.Glob(filepath.Join(dir, IndexDir, bleveDir, "store", "*.zap"))
				if len(files) == 0 {
					t.Fatal("no segment files")
				}
				for _, f := range files {
					os.WriteFile(f, []byte("not a segment"), 0o644)
				}
			},
			wantReason: "open previous index",
		},
		{
			name: "most documents changed",
			spoil: func(t *testing.T, _ string, m *Manifest) {
				for i := range m.Pages {
					for j := range m.Pages[i].Articles {
						m.Pages[i].Articles[j].Text += "（修订）"
					}
				}
			},
			wantReason: "documents changed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := site()
			prev := filepath.Join(t.TempDir(), "prev")
			if _, err := BuildIndex(ctx, m, prev, BuildOptions{}); err != nil {
				t.Fatal(err)
			}
			tt.spoil(t, prev, m)
			next := filepath.Join(t.TempDir(), "next")
			st, err := BuildIndex(ctx, m, next, BuildOptions{Previous: prev})
			if err != nil {
				t.Fatal(err)
			}
			if !st.Full || !strings.Contains(st.Reason, tt.wantReason) {
				t.Errorf("Full, Reason = %v, %q; want a full build because %q", st.Full, st.Reason, tt.wantReason)
			}
			if st.Analysed != st.Docs {
				t.Errorf("analysed %d of %d documents", st.Analysed, st.Docs)
			}
			if got := hitURLs(t, next, "慈善信托"); len(got) == 0 || got[0] != "/laws/cishanfa/#a5" {
				t.Errorf("search 慈善信托 = %v, want /laws/cishanfa/#a5 first", got)
			}
		})
	}
}

func TestBuildIndexCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := BuildIndex(ctx, site(), t.TempDir(), BuildOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("BuildIndex with a cancelled context = %v, want context.Canceled", err)
	}
}

// TestFullBuildBatches builds with segments of two documents and one
// worker, and of three documents and three workers: each worker's
// segments merge into one, and the index holds every document.
func TestFullBuildBatches(t *testing.T) {
	m := site()
	for _, o := range []BuildOptions{{BatchSize: 2, Workers: 1}, {BatchSize: 3, Workers: 3}} {
		dir := t.TempDir()
		st, err := BuildIndex(context.Background(), m, dir, o)
		if err != nil {
			t.Fatal(err)
		}
		if st.Segments < 1 || st.Segments > o.Workers || st.Docs != 11 {
			t.Errorf("BuildIndex(%+v): %d documents in %d segments, want 11 in 1 to %d", o, st.Docs, st.Segments, o.Workers)
		}
		if got := hitURLs(t, dir, "火葬"); len(got) == 0 || got[0] != "/laws/binzang/#a2" {
			t.Errorf("BuildIndex(%+v): search 火葬 = %v", o, got)
		}
	}
}

func TestBuildIndexEmpty(t *testing.T) {
	m := &Manifest{Generator: "pufa", Pages: []Page{{URL: "/", Kind: "home", Title: "首页"}}}
	dir := t.TempDir()
	st, err := BuildIndex(context.Background(), m, dir, BuildOptions{})
	if err != nil || st.Docs != 0 {
		t.Fatalf("BuildIndex of a site without documents = %+v, %v", st, err)
	}
	if got := hitURLs(t, dir, "慈善"); len(got) != 0 {
		t.Errorf("search on an empty index = %v", got)
	}
	m.Pages = site().Pages
	next := filepath.Join(t.TempDir(), "next")
	st, err = BuildIndex(context.Background(), m, next, BuildOptions{Previous: dir})
	if err != nil || st.Docs != 11 || !st.Full {
		t.Errorf("after the empty index: %+v, %v; want 11 documents from scratch (all are new)", st, err)
	}
}

func TestHashDocs(t *testing.T) {
	docs := docsFromManifest(site())
	a, b := hashDocs(docs, 1), hashDocs(docs, 3)
	if !slices.Equal(a, b) {
		t.Fatal("hashes depend on the number of workers")
	}
	if len(slices.Compact(slices.Sorted(slices.Values(a)))) != len(docs) {
		t.Error("two documents share a hash")
	}
	changed := slices.Clone(docs)
	changed[3].Category = []string{"养老服务"}
	changed[4].Date = "2026-03-01T01:00:01Z"
	c := hashDocs(changed, 2)
	for i := range docs {
		if (c[i] != a[i]) != (i == 3 || i == 4) {
			t.Errorf("doc %d: hash changed = %v", i, c[i] != a[i])
		}
	}
}

func BenchmarkHashDocs(b *testing.B) {
	m := &Manifest{Generator: "pufa"}
	for i := range 200 {
		m.Pages = append(m.Pages, Page{URL: fmt.Sprintf("/laws/l%d/", i), Kind: "page", Section: "laws", Title: "法"})
		_, m.Pages[i].Articles = LawText(synthLaw(50))
	}
	docs := docsFromManifest(m)
	var n int64
	for i := range docs {
		n += docBytes(&docs[i])
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		hashDocs(docs, 1)
	}
}

// BenchmarkBuildIndex builds the index of 2,000 article documents from
// scratch, and then again updating it after one article changed.
func BenchmarkBuildIndex(b *testing.B) {
	m := &Manifest{Generator: "pufa"}
	for i := range 40 {
		m.Pages = append(m.Pages, Page{URL: fmt.Sprintf("/laws/l%d/", i), Kind: "page", Section: "laws", Title: fmt.Sprintf("法%d", i)})
		_, m.Pages[i].Articles = LawText(synthLaw(50))
	}
	docs := docsFromManifest(m)
	var n int64
	for i := range docs {
		n += docBytes(&docs[i])
	}
	dir := b.TempDir()
	if err := PreloadAnalysis(""); err != nil {
		b.Fatal(err)
	}
	b.Run("full", func(b *testing.B) {
		b.SetBytes(n)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			if _, err := BuildIndex(context.Background(), m, filepath.Join(dir, fmt.Sprint("full", i)), BuildOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	base := filepath.Join(dir, "base")
	if _, err := BuildIndex(context.Background(), m, base, BuildOptions{}); err != nil {
		b.Fatal(err)
	}
	b.Run("one-change", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			m.Pages[0].Articles[0].Text = fmt.Sprint("第1条　修改", i)
			st, err := BuildIndex(context.Background(), m, filepath.Join(dir, fmt.Sprint("inc", i)), BuildOptions{Previous: base})
			if err != nil || st.Full {
				b.Fatal(err, st.Reason)
			}
		}
	})
}

// The same documents score the same whether the index holds them in one
// segment or in several (a segment per worker, or updates on top).
func TestScoresIndependentOfSegments(t *testing.T) {
	m := site()
	one, several := t.TempDir(), t.TempDir()
	if st, err := BuildIndex(context.Background(), m, one, BuildOptions{Workers: 1}); err != nil || st.Segments != 1 {
		t.Fatalf("one worker: %d segments, %v", st.Segments, err)
	}
	if st, err := BuildIndex(context.Background(), m, several, BuildOptions{Workers: 3, BatchSize: 2}); err != nil || st.Segments < 2 {
		t.Fatalf("three workers: %d segments, %v", st.Segments, err)
	}
	scores := func(dir, q string) []string {
		t.Helper()
		var out []string
		for _, h := range hits(t, dir, q) {
			out = append(out, fmt.Sprintf("%s %.6f", h.URL, h.Score))
		}
		return out
	}
	for _, q := range []string{"火葬", "慈善信托", "慈善 捐赠", "国家", "殡葬管理"} {
		a, b := scores(one, q), scores(several, q)
		if len(a) == 0 {
			t.Errorf("%q finds nothing", q)
		}
		if !slices.Equal(a, b) {
			t.Errorf("%q: one segment %v\nseveral %v", q, a, b)
		}
	}
}

// TestFullBuildMatchesUpdate indexes the same documents through a full
// build (its own analysis and segment writer, see writeSegment) and
// through Bleve's ordinary batch, as updates do: every field must hold
// the same terms with the same documents, frequencies and norms, and
// every document the same stored fields.
func TestFullBuildMatchesUpdate(t *testing.T) {
	m := site()
	m.Pages = append(m.Pages, Page{URL: "/news/2026/shuangyu/", Permalink: "http://example.test/news/2026/shuangyu/",
		Kind: "page", Section: "news", Title: "ＡＢＣ法律 Café 普法", Date: m.Pages[1].Date,
		Plain: "COVID-19 防控期间，Ｋｉｌｏ 与 İstanbul 的居民……法法法法 人民人民 〇 𠀀𠀁"})
	docs := docsFromManifest(m)
	im := newMapping()
	full := filepath.Join(t.TempDir(), "full")
	if err := buildFull(context.Background(), docs, im, full, BuildOptions{BatchSize: 3, Workers: 2}, &Stats{}); err != nil {
		t.Fatal(err)
	}
	byBleve := filepath.Join(t.TempDir(), "bleve")
	idx, err := bleve.New(byBleve, im)
	if err != nil {
		t.Fatal(err)
	}
	b := idx.NewBatch()
	for i := range docs {
		bd, err := mapDoc(idx.Mapping(), &docs[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := b.IndexAdvanced(bd); err != nil {
			t.Fatal(err)
		}
	}
	if err := idx.Batch(b); err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	got, want := indexContents(t, full), indexContents(t, byBleve)
	// Long texts hold bigrams, not single characters (but for one alone).
	if _, ok := want[`text "慈善"`]; !ok {
		t.Error(`no bigram 慈善 in the text field`)
	}
	if _, ok := want[`text "慈"`]; ok {
		t.Error(`a single character of a longer run in the text field`)
	}
	if _, ok := want[`body "〇"`]; !ok {
		t.Error(`no lone character 〇 in the body field`)
	}
	compareContents(t, "full build", got, "update", want)
	if len(want) < 200 {
		t.Fatalf("only %d terms and documents compared", len(want))
	}
}

// bleveReader opens the Bleve index at dir read-only and returns a reader
// of it; both close when the test ends.
func bleveReader(t *testing.T, dir string) index.IndexReader {
	t.Helper()
	idx, err := bleve.OpenUsing(dir, map[string]any{"read_only": true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	ai, err := idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := ai.Reader()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// compareContents reports every term and document (indexContents) in
// which the index named gotName differs from the one named wantName.
func compareContents(t *testing.T, gotName string, got map[string]string, wantName string, want map[string]string) {
	t.Helper()
	w := max(len(gotName), len(wantName))
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got[k] != want[k] {
			t.Errorf("%s:\n%-*s %s\n%-*s %s", k, w, gotName, got[k], w, wantName, want[k])
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: only in the %s: %s", k, gotName, got[k])
		}
	}
}

// indexContents describes the index at dir: for each field and term,
// its postings (document, frequency, norm); for each document, its
// stored fields.
func indexContents(t *testing.T, dir string) map[string]string {
	t.Helper()
	r := bleveReader(t, dir)
	out := map[string]string{}
	for _, field := range append(mappedFields(), "_id") {
		dict, err := r.FieldDict(field)
		if err != nil {
			t.Fatal(err)
		}
		for {
			e, err := dict.Next()
			if err != nil {
				t.Fatal(err)
			}
			if e == nil {
				break
			}
			tfr, err := r.TermFieldReader(context.Background(), []byte(e.Term), field, true, true, false)
			if err != nil {
				t.Fatal(err)
			}
			var postings []string
			for {
				p, err := tfr.Next(nil)
				if err != nil {
					t.Fatal(err)
				}
				if p == nil {
					break
				}
				id, err := r.ExternalID(p.ID)
				if err != nil {
					t.Fatal(err)
				}
				postings = append(postings, fmt.Sprintf("%s×%d/%g", id, p.Freq, p.Norm))
			}
			tfr.Close()
			if len(postings) == 0 {
				// Only deleted documents have it: a segment's dictionary
				// keeps their terms until it is merged.
				continue
			}
			slices.Sort(postings)
			// (The dictionary's own count is left out: over several segments it
			// is not the number of documents that have the term.)
			out[fmt.Sprintf("%s %q", field, e.Term)] = strings.Join(postings, " ")
		}
		dict.Close()
	}
	ids, err := r.DocIDReaderAll()
	if err != nil {
		t.Fatal(err)
	}
	defer ids.Close()
	for {
		iid, err := ids.Next()
		if err != nil {
			t.Fatal(err)
		}
		if iid == nil {
			break
		}
		id, err := r.ExternalID(iid)
		if err != nil {
			t.Fatal(err)
		}
		d, err := r.Document(id)
		if err != nil {
			t.Fatal(err)
		}
		var stored []string
		d.VisitFields(func(f index.Field) {
			stored = append(stored, fmt.Sprintf("%s=%q", f.Name(), f.Value()))
		})
		slices.Sort(stored)
		out["stored "+id] = strings.Join(stored, " ")
	}
	return out
}
