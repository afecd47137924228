package pipeline

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestChangedBeyondLaws(t *testing.T) {
	dir := t.TempDir()
	site, content, themes := filepath.Join(dir, "site"), filepath.Join(dir, "content"), filepath.Join(dir, "themes")
	laws := filepath.Join(content, "laws")
	// The previous build began now (after this test's program was
	// built); every file and folder is an hour older, but the one a case
	// touches, which is a second newer.
	since := time.Now()
	old := since.Add(-time.Hour)
	files := []string{
		filepath.Join(site, "hugo.toml"), filepath.Join(site, "data", "synonyms.yaml"),
		filepath.Join(content, "news", "a.md"), filepath.Join(laws, "_index.md"), filepath.Join(laws, "binzang.md"),
		filepath.Join(themes, "pufa", "layouts", "home.html"),
	}
	reset := func() {
		for _, f := range files {
			os.MkdirAll(filepath.Dir(f), 0o755)
			if _, err := os.Stat(f); err != nil {
				os.WriteFile(f, []byte("x"), 0o644)
			}
		}
		filepath.Walk(dir, func(p string, _ os.FileInfo, _ error) error { return os.Chtimes(p, old, old) })
	}
	touch := func(p string) {
		newer := since.Add(time.Second)
		if err := os.Chtimes(p, newer, newer); err != nil {
			t.Fatal(err)
		}
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(exe)
	if err != nil {
		t.Fatal(err)
	}
	exeTime := fi.ModTime()
	tests := []struct {
		name  string
		since time.Time
		touch string
		roots []string
		want  bool
	}{
		{"nothing changed", since, "", []string{site, content, themes}, false},
		{"a law page", since, filepath.Join(laws, "binzang.md"), []string{site, content, themes}, false},
		{"the law folder (a law added or removed)", since, laws, []string{site, content, themes}, false},
		{"a news page", since, filepath.Join(content, "news", "a.md"), []string{site, content, themes}, true},
		{"a folder of pages (a page removed)", since, filepath.Join(content, "news"), []string{site, content, themes}, true},
		{"search data", since, filepath.Join(site, "data", "synonyms.yaml"), []string{site, content, themes}, true},
		{"a template", since, filepath.Join(themes, "pufa", "layouts", "home.html"), []string{site, content, themes}, true},
		{"no previous time", time.Time{}, "", []string{site, content, themes}, true},
		{"the program (built after the previous build began)", exeTime.Add(-time.Minute), "", []string{site, content, themes}, true},
		{"a root that cannot be read", since, "", []string{site, filepath.Join(dir, "missing")}, true},
	}
	for _, tt := range tests {
		reset()
		if tt.touch != "" {
			touch(tt.touch)
		}
		if got := changedBeyondLaws(tt.since, laws, tt.roots...); got != tt.want {
			t.Errorf("%s: changedBeyondLaws = %v, want %v", tt.name, got, tt.want)
		}
	}
}
