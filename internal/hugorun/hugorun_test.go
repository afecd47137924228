package hugorun

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"
)

// site lays out testdata/site.txtar with extra files and returns the
// site folder.
func site(t *testing.T, extra map[string]string) string {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{}
	for _, f := range ar.Files {
		files[f.Name] = string(f.Data)
	}
	for k, v := range extra {
		files[k] = v
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "site")
}

func TestBuild(t *testing.T) {
	tests := []struct {
		name          string
		extra         map[string]string
		allowWarnings bool
		wantErr       []string // substrings of the error; nil: success
		wantLogError  bool
	}{
		{name: "clean"},
		{name: "warnf fails the build",
			extra:        map[string]string{"themes/t/layouts/page.html": `<html>{{ warnf "page %s has no summary" .Title }}</html>`},
			wantErr:      []string{"1 warning(s)", "WARN page 通知 has no summary"},
			wantLogError: true},
		{name: "warnings allowed",
			extra:         map[string]string{"themes/t/layouts/page.html": `<html>{{ warnf "page %s has no summary" .Title }}</html>`},
			allowWarnings: true},
		{name: "errorf names its message",
			extra:        map[string]string{"themes/t/layouts/page.html": `<html>{{ errorf "department of %s is missing" .Title }}</html>`},
			wantErr:      []string{"1 error(s)", "ERROR department of 通知 is missing"},
			wantLogError: true},
		{name: "missing ref logged as an error",
			extra:        map[string]string{"site/content/news/b.md": "---\ntitle: 引用\n---\n见[法规]({{< ref \"/laws/none.md\" >}})。\n"},
			wantErr:      []string{"error(s)", "REF_NOT_FOUND", "/laws/none.md"},
			wantLogError: true},
		{name: "missing ref logged as a warning still fails",
			extra: map[string]string{
				"site/content/news/b.md": "---\ntitle: 引用\n---\n见[法规]({{< ref \"/laws/none.md\" >}})。\n",
				"site/hugo.toml": "baseURL = \"http://example.test/\"\ntheme = \"t\"\nthemesDir = \"../themes\"\nrefLinksErrorLevel = \"warning\"\n" +
					"disableKinds = [\"rss\", \"sitemap\", \"taxonomy\", \"term\", \"robotsTXT\", \"404\"]\n",
			},
			wantErr:      []string{"warning(s)", "REF_NOT_FOUND"},
			wantLogError: true},
		{name: "template syntax error names the file",
			extra:   map[string]string{"themes/t/layouts/page.html": `<html>{{ if .Title }}</html>`},
			wantErr: []string{"page.html"}},
		{name: "front matter error names the file",
			extra:   map[string]string{"site/content/news/c.md": "---\ntitle: [\n---\n"},
			wantErr: []string{"c.md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := site(t, tt.extra)
			dest := filepath.Join(t.TempDir(), "public")
			var log bytes.Buffer
			err := Build(context.Background(), Options{Site: dir, Dest: dest, AllowWarnings: tt.allowWarnings, Log: &log})
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Build: %v", err)
				}
				for _, f := range []string{"index.html", "news/a/index.html", "extra.txt", "css/theme.css"} {
					if _, err := os.Stat(filepath.Join(dest, f)); err != nil {
						t.Errorf("output lacks %s", f)
					}
				}
				if tt.allowWarnings && !strings.Contains(log.String(), "WARN page 通知 has no summary") {
					t.Errorf("allowed warning not logged: %q", log.String())
				}
				return
			}
			if err == nil {
				t.Fatalf("Build succeeded, want an error with %q", tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			var le *LogError
			if errors.As(err, &le) != tt.wantLogError {
				t.Errorf("error is a *LogError: %v, want %v (%v)", le != nil, tt.wantLogError, err)
			}
		})
	}
}

func TestBuildOverridesAndConcurrency(t *testing.T) {
	dir := site(t, nil)
	content := filepath.Join(t.TempDir(), "content")
	os.MkdirAll(filepath.Join(content, "news"), 0o755)
	os.WriteFile(filepath.Join(content, "news", "z.md"), []byte("---\ntitle: 替换的内容\n---\n"), 0o644)
	os.WriteFile(filepath.Join(content, "news", "draft.md"), []byte("---\ntitle: 草稿\ndraft: true\n---\n"), 0o644)
	var wg sync.WaitGroup
	dests := []string{filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")}
	errs := make([]error, 2)
	for i := range dests {
		wg.Go(func() {
			errs[i] = Build(context.Background(), Options{Site: dir, Content: content, Dest: dests[i], BaseURL: "https://portal.example.gov.cn/pufa/", Drafts: i == 1})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("build %d: %v", i, err)
		}
		home, _ := os.ReadFile(filepath.Join(dests[i], "index.html"))
		if !bytes.Contains(home, []byte(`/pufa/news/z/`)) {
			t.Errorf("build %d: home lacks the replaced content under the base path:\n%s", i, home)
		}
		_, err := os.Stat(filepath.Join(dests[i], "news", "draft", "index.html"))
		if (err == nil) != (i == 1) {
			t.Errorf("build %d: draft rendered = %v, want %v", i, err == nil, i == 1)
		}
	}
	if err := Build(context.Background(), Options{Site: t.TempDir(), Dest: filepath.Join(t.TempDir(), "x")}); err == nil {
		t.Error("Build of a folder without hugo.toml succeeded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Build(ctx, Options{Site: dir, Dest: filepath.Join(t.TempDir(), "y")}); !errors.Is(err, context.Canceled) {
		t.Errorf("Build with a cancelled context = %v", err)
	}
}
