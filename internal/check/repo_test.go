package check

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pufa-gov/pufa/internal/testenv"
)

// repoRoot walks up from the package folder to the folder holding go.mod.
func repoRoot(t testing.TB) string {
	return testenv.RepoRoot(t)
}

// TestRepoContent checks the bureau's real content: it must have no
// errors. Warnings (overdue reviews, a quiet news section) depend on the
// day the test runs and are only logged.
func TestRepoContent(t *testing.T) {
	root := repoRoot(t)
	content := filepath.Join(root, "content")
	if _, err := os.Stat(content); err != nil {
		t.Skipf("no content folder: %v", err)
	}
	start := time.Now()
	rep, err := Run(Options{
		ContentDir: content,
		SiteDir:    filepath.Join(root, "site"),
		BaseDir:    root,
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	t.Logf("%s in %v", rep.Summary(), time.Since(start).Round(time.Millisecond))
	for _, d := range rep.Diagnostics {
		if d.Severity == Error {
			t.Error(d)
		} else {
			t.Log(d)
		}
	}
	if rep.Files == 0 {
		t.Error("no pages checked")
	}
}

// BenchmarkRun checks a generated site the size of a district's: 200
// pages plus 1,100 imported laws of about 20 KB each, with the site's
// search vocabulary, most of whose wording the generated laws lack (so
// every law text is read to the end).
func BenchmarkRun(b *testing.B) {
	dir := b.TempDir()
	writeArchive(b, dir, readArchive(b, "testdata/base.txtar"))
	vocab, err := os.ReadFile(filepath.Join(repoRoot(b), "site", "data", "synonyms.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	writeFile(b, filepath.Join(dir, "site", "data", "synonyms.yaml"), string(vocab))
	article := strings.Repeat("[第一条](#a1)　为了保障老年人合法权益，发展老龄事业，制定本法。\n{#a1 .pf-article}\n\n", 150)
	for i := range 1100 {
		page := fmt.Sprintf("---\ntitle: 法律%d\nlawKey: law%d\nstatus: in-force\nversion: 2020-01-01\ndate: 2020-01-01T00:00:00+08:00\nsource: 国家法律法规数据库\n---\n\n%s", i, i, article)
		writeFile(b, filepath.Join(dir, "content", "laws", fmt.Sprintf("law%d.md", i)), page)
	}
	for i := range 200 {
		page := fmt.Sprintf("---\ntitle: 动态%d\ndate: 2026-04-10T09:00:00+08:00\nsource: 嘉定区民政局\n---\n\n见[法律](/laws/law%d/#a1)和[条目](../../catalog/yanglao.md)。\n", i, i)
		writeFile(b, filepath.Join(dir, "content", "news", "2026", fmt.Sprintf("n%d.md", i)), page)
	}
	opts := Options{ContentDir: filepath.Join(dir, "content"), SiteDir: filepath.Join(dir, "site"), BaseDir: dir, Now: fixtureNow}
	b.ResetTimer()
	for b.Loop() {
		rep, err := Run(opts)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Errors() > 0 {
			b.Fatal(rep.Diagnostics[0])
		}
	}
}

func writeFile(t testing.TB, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
