package pipeline

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/pufa-gov/pufa/indexer"
	"github.com/pufa-gov/pufa/internal/hugorun"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testSite lays out a site that uses the real hugo.toml and the real
// manifest templates, with minimal HTML layouts, so the manifest is tested
// apart from the look of the theme.
func testSite(t *testing.T, fixture string) (site, content string) {
	t.Helper()
	root, _ := filepath.Abs("../..")
	dir := t.TempDir()
	ar, err := txtar.ParseFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	site = filepath.Join(dir, "site")
	os.MkdirAll(site, 0o755)
	cfg, err := os.ReadFile(filepath.Join(root, "site", "hugo.toml"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(site, "hugo.toml"), cfg, 0o644)
	// The manifest's facts are labelled in the site's words.
	if err := os.CopyFS(filepath.Join(site, "i18n"), os.DirFS(filepath.Join(root, "site", "i18n"))); err != nil {
		t.Fatal(err)
	}
	layouts := filepath.Join(dir, "themes", "pufa", "layouts")
	if err := os.CopyFS(filepath.Join(layouts, "_partials", "manifest"), os.DirFS(filepath.Join(root, "themes", "pufa", "layouts", "_partials", "manifest"))); err != nil {
		t.Fatal(err)
	}
	copyFile(t, filepath.Join(root, "themes", "pufa", "layouts", "home.manifest.json"), filepath.Join(layouts, "home.manifest.json"))
	for _, name := range []string{"home.html", "single.html", "list.html", "taxonomy.html", "term.html"} {
		os.WriteFile(filepath.Join(layouts, name), []byte(`<html lang="zh-CN">{{ .Title }}{{ .Content }}</html>`), 0o644)
	}
	return site, filepath.Join(dir, "content")
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(to), 0o755)
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestManifest(t *testing.T) {
	site, content := testSite(t, "testdata/manifest.txtar")
	dest := filepath.Join(t.TempDir(), "public")
	if err := hugorun.Build(context.Background(), hugorun.Options{Site: site, Content: content, Dest: dest, BaseURL: "https://portal.example.gov.cn/pufa/"}); err != nil {
		t.Fatal(err)
	}
	m, err := indexer.ReadManifest(filepath.Join(dest, indexer.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	// The build time changes on every run; the rest is pinned by the golden.
	m.Built = m.Built.AddDate(0, 0, 0)
	var pages []indexer.Page
	for _, p := range m.Pages {
		if p.Kind == "page" {
			p.Content = ""
			pages = append(pages, p)
		}
	}
	got, _ := json.MarshalIndent(pages, "", "  ")
	golden := "testdata/manifest.golden.json"
	if *update {
		os.WriteFile(golden, append(got, '\n'), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(got)) != strings.TrimSpace(string(want)) {
		t.Errorf("manifest pages differ from %s (run with -update and review):\n%s", golden, got)
	}
	var law *indexer.Page
	for i := range pages {
		if strings.HasSuffix(pages[i].URL, "/laws/minfadian-jichengbian/") {
			law = &pages[i]
		}
	}
	if law == nil || len(law.Articles) != 4 {
		t.Fatalf("law page articles = %+v, want 4", law)
	}
	if a := law.Articles[1]; a.Anchor != "a1121" || a.Number != "第一千一百二十一条" || a.Heading != "第一章　一般规定" || !strings.Contains(a.Text, "推定没有其他继承人") {
		t.Errorf("second article = %+v: want anchor, number, chapter and both paragraphs", a)
	}
	if a := law.Articles[3]; a.Anchor != "a10-1" || !strings.Contains(a.Text, "<不是标签>") {
		t.Errorf("之一 article = %+v", a)
	}
}
