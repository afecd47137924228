package indexer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// publishSite is site() with the pages that own feeds: the news section
// and a department's term page.
func publishSite() *Manifest {
	m := site()
	m.Pages = append(m.Pages,
		Page{URL: "/news/", Permalink: "http://example.test/news/", Kind: "section", Section: "news", Title: "新闻"},
		Page{URL: "/laws/", Permalink: "http://example.test/laws/", Kind: "section", Section: "laws", Title: "法律法规"},
		Page{URL: "/departments/shehui/", Permalink: "http://example.test/departments/shehui/", Kind: "term", Type: "departments", Title: "社会事务科"},
	)
	findPage(m, "/news/2026/yanglao/").Taxonomies = map[string][]string{"departments": {"社会事务科"}}
	return m
}

func TestWritePublishedCarriesOver(t *testing.T) {
	m := publishSite()
	root := t.TempDir()
	release := func(name string, prev string) (string, PublishStats) {
		t.Helper()
		dir := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Join(dir, "public"), 0o755); err != nil {
			t.Fatal(err)
		}
		st, err := WritePublished(m, dir, PublishOptions{Previous: prev})
		if err != nil {
			t.Fatal(err)
		}
		return dir, st
	}
	same := func(a, b, rel string) bool {
		fa, errA := os.Stat(filepath.Join(a, "public", rel))
		fb, errB := os.Stat(filepath.Join(b, "public", rel))
		return errA == nil && errB == nil && os.SameFile(fa, fb)
	}

	r1, st := release("r1", "")
	wantFeeds := []string{"/departments/shehui/index.xml", "/index.xml", "/laws/index.xml", "/news/index.xml"}
	if !slices.Equal(st.Feeds, wantFeeds) || !slices.Equal(st.Written, wantFeeds) || st.Reused != 0 {
		t.Fatalf("first release: %+v, want every feed written: %v", st, wantFeeds)
	}
	files := st.Files

	r2, st := release("r2", r1)
	if st.Files != 0 || st.Reused != files || len(st.Written) != 0 {
		t.Errorf("unchanged: %d files written, %d reused, feeds written %v; want all %d reused", st.Files, st.Reused, st.Written, files)
	}
	for _, rel := range []string{"index.xml", "news/atom.xml", "catalog.json", CampaignsICS} {
		if !same(r1, r2, rel) {
			t.Errorf("unchanged: %s is not the previous release's file", rel)
		}
	}

	// A news page changes: the feeds that list it are written again, the
	// laws feed is not.
	findPage(m, "/news/2026/yanglao/").Title = "民政局开展养老服务普法宣传（更新）"
	r3, st := release("r3", r2)
	wantWritten := []string{"/departments/shehui/index.xml", "/index.xml", "/news/index.xml"}
	if !slices.Equal(st.Written, wantWritten) {
		t.Errorf("after a news edit, feeds written = %v, want %v", st.Written, wantWritten)
	}
	if !same(r2, r3, "laws/index.xml") || same(r2, r3, "news/index.xml") {
		t.Error("after a news edit: want laws/index.xml carried over and news/index.xml written")
	}
	data, _ := os.ReadFile(filepath.Join(r3, "public", "news", "index.xml"))
	if !strings.Contains(string(data), "（更新）") {
		t.Errorf("news feed after the edit does not have the new title:\n%s", data)
	}

	// A previous release written by another program is not reused.
	os.WriteFile(filepath.Join(r3, publishedFile), []byte(`{"version":"other","files":{}}`), 0o644)
	_, st = release("r4", r3)
	if st.Reused != 0 {
		t.Errorf("previous release of another version: %d files reused, want none", st.Reused)
	}
}
