// Package testenv locates what the project's tests read outside their
// own package: the repository's root, and the law corpus that sits beside
// the repository on the project's machines.
//
// Tests that need the whole corpus call LawCorpus: without the corpus
// they skip, except where CI=true, where its absence fails them.
// PUFA_LAW_CORPUS names the corpus when it is elsewhere.
package testenv

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Root returns the repository's root: the nearest folder above the
// working directory (a test's package) that holds go.mod.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// RepoRoot is Root for a test, which fails when there is none.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// CorpusEnv names the environment variable that points the tests at the
// law corpus when it is not beside the repository (a checkout in another
// folder, such as a git worktree).
const CorpusEnv = "PUFA_LAW_CORPUS"

// LawCorpus returns the law corpus: the folder that PUFA_LAW_CORPUS names,
// else the one beside the repository (../shared/corpus/laws). When it is
// absent the test is skipped, or fails when the environment says CI=true.
func LawCorpus(t testing.TB) string {
	t.Helper()
	dir := os.Getenv(CorpusEnv)
	if dir == "" {
		dir = filepath.Join(RepoRoot(t), "..", "shared", "corpus", "laws")
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("law corpus missing under CI=true: %v", err)
		}
		t.Skipf("law corpus not present at %s", dir)
	}
	return dir
}
