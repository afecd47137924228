package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pufa-gov/pufa/internal/lawimport"
	"github.com/pufa-gov/pufa/internal/testenv"
)

// TestCorpusBuild builds the site with every law of the corpus imported,
// from scratch, then after a one-article edit: the edit is indexed alone
// and found by search, the index is a segment per processor, and memory stays under
// the limit the design sets (2 GB).
func TestCorpusBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole law corpus (about a minute)")
	}
	if raceEnabled {
		// The race detector multiplies memory and time (2.6 GB, 7 minutes
		// measured), so the memory limit cannot be judged under it; plain
		// `go test ./internal/pipeline` and `pufa bench` measure it.
		t.Skip("the memory limit is not meaningful under the race detector")
	}
	corpus := testenv.LawCorpus(t)
	root, _ := filepath.Abs("../..")
	work := t.TempDir()
	content := filepath.Join(work, "content")
	if err := os.CopyFS(content, os.DirFS(filepath.Join(root, "content"))); err != nil {
		t.Fatal(err)
	}
	overrides, err := lawimport.LoadOverrides(filepath.Join(root, lawimport.OverridesFile))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := lawimport.Import(lawimport.Options{Into: filepath.Join(content, "laws"), Sources: []string{corpus}, Overrides: overrides})
	if err != nil || rep.Failed() {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	opts := Options{Site: filepath.Join(root, "site"), Content: content, Out: filepath.Join(work, "out"), BaseDir: work}
	ctx := context.Background()

	full, err := Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	ix := full.Index
	t.Logf("full build: %d documents, %.1f MB of text, %.1f MB index, %v", ix.Docs, float64(ix.Bytes)/1e6, float64(ix.Size)/1e6, timings(full))
	// A segment per analysing worker (one per processor).
	if !ix.Full || ix.Segments < 1 || ix.Segments > runtime.GOMAXPROCS(0) || ix.Docs < 50000 {
		t.Errorf("full build: %d documents in %d segments (full %v), want over 50,000 in 1 to %d", ix.Docs, ix.Segments, ix.Full, runtime.GOMAXPROCS(0))
	}
	for _, tm := range full.Timings {
		if tm.PeakRSS > 2e9 {
			t.Errorf("stage %s: peak resident set %.0f MB, over 2 GB", tm.Stage, float64(tm.PeakRSS)/1e6)
		}
	}

	file, want, err := editArticle(filepath.Join(content, "laws"), 0)
	if err != nil {
		t.Fatal(err)
	}
	edit, err := Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("after editing %s: %v", filepath.Base(file), timings(edit))
	if e := edit.Index; e.Full || e.Analysed != 1 || e.Reused != ix.Docs-1 {
		t.Errorf("after one edit: full %v (%s), %d analysed, %d reused; want 1 analysed, %d reused", e.Full, e.Reason, e.Analysed, e.Reused, ix.Docs-1)
	}
	if got := search(t, edit.Dir, benchMarker+"0"); len(got) == 0 || !strings.HasSuffix(got[0], want) {
		t.Errorf("search for the edit = %v, want …%s first", got, want)
	}
}

func timings(res *Result) string {
	var b strings.Builder
	for _, t := range res.Timings {
		fmt.Fprintf(&b, "%s %.2fs ", t.Stage, t.Duration.Seconds())
	}
	return b.String()
}
