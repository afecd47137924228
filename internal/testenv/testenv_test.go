package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRepoRoot(t *testing.T) {
	root := RepoRoot(t)
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("RepoRoot = %s, which has no go.mod", root)
	}
	if _, err := os.Stat(filepath.Join(root, "internal", "testenv", "testenv.go")); err != nil {
		t.Fatalf("RepoRoot = %s, not this repository", root)
	}
}

func TestRootOutsideARepository(t *testing.T) {
	t.Chdir(t.TempDir())
	if dir, err := Root(); err == nil {
		// A temporary folder may lie inside a module on some machines.
		if _, serr := os.Stat(filepath.Join(dir, "go.mod")); serr != nil {
			t.Errorf("Root = %s without go.mod", dir)
		}
	}
}
