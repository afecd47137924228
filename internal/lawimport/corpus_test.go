package lawimport

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pufa-gov/pufa/internal/testenv"
)

// TestCorpusDeterministic imports the whole national corpus twice into
// fresh folders and requires byte-identical output, then once more over
// the first folder and requires that nothing is rewritten.
func TestCorpusDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 1,078 laws")
	}
	corpus := testenv.LawCorpus(t)
	var reps [2]Report
	var dirs [2]string
	for i := range reps {
		dirs[i] = t.TempDir()
		start := time.Now()
		rep, err := Import(Options{Into: dirs[i], Sources: []string{corpus}})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("run %d: %d pages, %d skipped, %d errors in %v", i+1, len(rep.Pages), len(rep.Skipped), len(rep.Errors), time.Since(start).Round(time.Millisecond))
		for _, e := range rep.Errors {
			t.Errorf("run %d: %v", i+1, e)
		}
		reps[i] = rep
	}
	// Four laws are filed under two subjects with the same text.
	if n := len(reps[0].Pages); n != 1074 || len(reps[0].Skipped) != 4 {
		t.Errorf("%d pages and %d skipped, want 1074 and 4", n, len(reps[0].Skipped))
	}
	a, b := readDir(t, dirs[0]), readDir(t, dirs[1])
	if len(a) != len(reps[0].Pages) || len(a) != len(b) {
		t.Fatalf("%d and %d files written for %d pages", len(a), len(b), len(reps[0].Pages))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between runs", name)
		}
	}
	start := time.Now()
	rep, err := Import(Options{Into: dirs[0], Sources: []string{corpus}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("re-import over unchanged output: %v", time.Since(start).Round(time.Millisecond))
	if n := rep.Written(); n != 0 {
		t.Errorf("re-import rewrote %d unchanged pages", n)
	}
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = data
	}
	return out
}
