package lawtext

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pufa-gov/pufa/internal/testenv"
)

// TestCorpus parses every file of the national corpus: every law parses,
// every section marker (_index.md) is rejected, and the totals stay pinned.
func TestCorpus(t *testing.T) {
	root := testenv.LawCorpus(t)
	var files, laws, markers, articles, withoutArticles int
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		files++
		rel, _ := filepath.Rel(root, path)
		law, perr := parseFile(path, filepath.ToSlash(rel))
		if d.Name() == "_index.md" {
			markers++
			if perr == nil {
				t.Errorf("Parse(%s) = nil error, want an error for a section marker", rel)
			}
			return nil
		}
		if perr != nil {
			t.Errorf("Parse: %v", perr)
			return nil
		}
		laws++
		articles += len(law.Articles)
		if len(law.Articles) == 0 {
			withoutArticles++
		}
		checkLaw(t, law)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files: %d laws, %d section markers, %d articles, %d laws without articles", files, laws, markers, articles, withoutArticles)
	if files != 1091 || laws != 1078 || markers != 13 {
		t.Errorf("walked %d files (%d laws, %d markers), want 1091 (1078 laws, 13 markers)", files, laws, markers)
	}
	if articles != 53303 {
		t.Errorf("parsed %d articles in all, want 53303", articles)
	}
	if withoutArticles != 35 {
		t.Errorf("%d laws without articles, want 35 (the criminal-law amendments and short decisions)", withoutArticles)
	}
}

func parseFile(path, name string) (*Law, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f, name)
}

// checkLaw asserts the invariants every parsed law keeps.
func checkLaw(t *testing.T, law *Law) {
	t.Helper()
	if law.Title == "" {
		t.Errorf("%s: empty title", law.Name)
	}
	n := 0
	for _, b := range law.Blocks {
		switch b.Kind {
		case BlockArticle:
			if b.Article != n {
				t.Errorf("%s:%d: article block %d out of order", law.Name, b.Line, b.Article)
			}
			n++
		case BlockHeading:
			if b.Level < 1 || b.Text == "" {
				t.Errorf("%s:%d: heading %+v", law.Name, b.Line, b)
			}
		case BlockText:
			if b.Text == "" {
				t.Errorf("%s:%d: empty text block", law.Name, b.Line)
			}
		}
	}
	if n != len(law.Articles) {
		t.Errorf("%s: %d article blocks for %d articles", law.Name, n, len(law.Articles))
	}
	for _, a := range law.Articles {
		if want := FormatNumber(a.N, a.Sub); a.Number != want {
			t.Errorf("%s:%d: number %s is not written canonically (%s)", law.Name, a.Line, a.Number, want)
		}
	}
	for _, d := range append([]string{law.Passed, law.Effective, law.Version}, law.Amended...) {
		if d != "" && len(d) != len("2006-01-02") {
			t.Errorf("%s: date %q", law.Name, d)
		}
	}
}
