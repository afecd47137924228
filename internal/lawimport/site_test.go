package lawimport_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pufa-gov/pufa/indexer"
	"github.com/pufa-gov/pufa/internal/lawimport"
	"github.com/pufa-gov/pufa/internal/pipeline"
	"github.com/pufa-gov/pufa/internal/testenv"
)

// TestRepealedLawOnTheSite imports 婚姻法 and an interpretation of it into
// the default content with the site's status overrides, builds the site,
// and checks what residents see: the notice on both pages, naming the part
// of 民法典 that replaced the law, and search results that put 民法典
// above the repealed texts that say the same.
func TestRepealedLawOnTheSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the default site")
	}
	root := testenv.RepoRoot(t)
	content := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(content, os.DirFS(filepath.Join(root, "content"))); err != nil {
		t.Fatal(err)
	}
	overrides, err := lawimport.LoadOverrides(filepath.Join(root, lawimport.OverridesFile))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := lawimport.Import(lawimport.Options{
		Into: filepath.Join(content, "laws"), Sources: []string{filepath.Join("testdata", "repealed")}, Overrides: overrides,
	})
	if err != nil || rep.Failed() {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	res, err := pipeline.Run(context.Background(), pipeline.Options{
		Site: filepath.Join(root, "site"), Content: content, Out: t.TempDir(), BaseDir: root,
	})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	interp := lawimport.Slug("最高人民法院关于适用《中华人民共和国婚姻法》若干问题的解释（一）", "")
	pages := []struct {
		path string
		want []string
	}{
		{"laws/hunyinfa/index.html", []string{
			"本法律法规已废止", "本页是已经废止的法律法规文本", "废止日期：2021年1月1日。",
			"废止依据：《中华人民共和国民法典》第一千二百六十条。",
			`现行规定见：<a href="/laws/minfadian-hunyinjiatingbian/">中华人民共和国民法典 婚姻家庭编</a>`,
			`pf-status--repealed">已废止`,
		}},
		{"laws/hunyinfa-1980-09-10/index.html", []string{"本法律法规已废止", "/laws/minfadian-hunyinjiatingbian/"}},
		{"laws/" + interp + "/index.html", []string{
			"本法律法规已废止", "本文件所解释的《中华人民共和国婚姻法》已经废止，本文件随之不再适用",
			"/laws/minfadian-hunyinjiatingbian/",
		}},
	}
	for _, p := range pages {
		data, err := os.ReadFile(filepath.Join(res.Dir, "public", p.path))
		if err != nil {
			t.Error(err)
			continue
		}
		for _, w := range p.want {
			if !strings.Contains(string(data), w) {
				t.Errorf("%s: no %q", p.path, w)
			}
		}
	}
	list, err := os.ReadFile(filepath.Join(res.Dir, "public", "laws", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(list), `href="/laws/hunyinfa`); n != 1 {
		t.Errorf("the law list links 婚姻法 %d times, want once (its last text)", n)
	}

	ix, err := indexer.Open(res.Dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	tests := []struct{ q, above, below string }{
		{"禁止借婚姻索取财物", "/laws/minfadian-hunyinjiatingbian/#a1042", "/laws/hunyinfa/#a3"},
		{"男不得早于二十二周岁", "/laws/minfadian-hunyinjiatingbian/#a1047", "/laws/hunyinfa/#a6"},
		{"有配偶者与他人同居", "/laws/minfadian-hunyinjiatingbian/#a1042", "/laws/" + interp + "/#a2"},
	}
	for _, tt := range tests {
		r, err := ix.Search(context.Background(), indexer.Query{Text: tt.q, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range r.Hits {
			got = append(got, h.URL)
		}
		i, j := slices.Index(got, tt.above), slices.Index(got, tt.below)
		if i < 0 || j < 0 || i > j {
			t.Errorf("search %q = %q: want %s above %s", tt.q, got, tt.above, tt.below)
		}
	}
}
