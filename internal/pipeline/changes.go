package pipeline

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// changedBeyondLaws reports whether anything a build reads, other than the
// law pages under lawDir, may have changed since since: a file or folder
// under roots modified since then, or the program itself. It errs towards
// yes: a root it cannot read, or no time to compare with, counts as
// changed.
//
// A build uses it to decide whether to load the word dictionary while Hugo
// renders (see Run). Law pages are left out because an edit to one changes
// its articles, which are indexed without the dictionary; the rare edit
// that changes a law's title loads it when the index needs it.
func changedBeyondLaws(since time.Time, lawDir string, roots ...string) bool {
	if since.IsZero() {
		return true
	}
	newer := func(path string) bool {
		fi, err := os.Stat(path)
		return err != nil || !fi.ModTime().Before(since)
	}
	if exe, err := os.Executable(); err != nil || newer(exe) {
		return true
	}
	lawDir = filepath.Clean(lawDir)
	for _, root := range roots {
		changed := false
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path == lawDir || strings.HasPrefix(path, lawDir+string(filepath.Separator)) {
				if d.IsDir() && path != lawDir {
					return fs.SkipDir
				}
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				return err
			}
			if !fi.ModTime().Before(since) {
				changed = true
				return fs.SkipAll
			}
			return nil
		})
		if err != nil || changed {
			return true
		}
	}
	return false
}
