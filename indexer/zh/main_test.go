package zh

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pufa-gov/pufa/internal/testenv"
)

// TestMain gives the shared segmenter the site's dictionary, as the
// indexer does, so that the token tables below are those of the site.
func TestMain(m *testing.M) {
	root, err := repoRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if _, err := LoadDict(filepath.Join(root, DictFile)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(m.Run())
}

// repoRoot walks up from the working directory to the folder with go.mod.
func repoRoot() (string, error) {
	return testenv.Root()
}

// siteFile reads a file of the repository.
func siteFile(t testing.TB, rel string) []byte {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// corpusLaw is one law text of ../shared/corpus/laws.
type corpusLaw struct {
	path     string // relative to the corpus folder
	title    string
	subtitle string
	text     string
}

var corpus struct {
	once sync.Once
	laws []corpusLaw
	err  error
}

// lawCorpus returns the laws of ../shared/corpus/laws. It skips the test
// when the corpus is absent, unless CI=true.
func lawCorpus(t testing.TB) []corpusLaw {
	t.Helper()
	dir := testenv.LawCorpus(t)
	corpus.once.Do(func() {
		corpus.err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.HasSuffix(p, ".md") || d.Name() == "_index.md" {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			law := corpusLaw{path: rel, text: string(data)}
			lines := strings.SplitN(law.text, "\n", 6)
			var heads []string
			for _, l := range lines {
				if strings.HasPrefix(l, "# ") {
					heads = append(heads, strings.TrimSpace(l[2:]))
				} else if strings.TrimSpace(l) != "" {
					break
				}
			}
			if len(heads) > 0 {
				law.title = heads[0]
			}
			if len(heads) > 1 {
				law.subtitle = heads[1]
			}
			corpus.laws = append(corpus.laws, law)
			return nil
		})
	})
	if corpus.err != nil {
		t.Fatalf("read law corpus: %v", corpus.err)
	}
	return corpus.laws
}
