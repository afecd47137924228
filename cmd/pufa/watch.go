package main

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/pufa-gov/pufa/internal/pipeline"
)

// watcher polls the site's source folders for changes. Polling needs no
// platform support and costs little for a few thousand files.
type watcher struct {
	roots    []string
	last     string
	interval time.Duration
	debounce time.Duration
}

func newWatcher(opts pipeline.Options) *watcher {
	roots := []string{opts.Site, filepath.Join(opts.Site, "..", "themes")}
	if opts.Content != "" {
		roots = append(roots, opts.Content)
	} else {
		roots = append(roots, filepath.Join(opts.Site, "..", "content"))
	}
	w := &watcher{roots: roots, interval: time.Second, debounce: 300 * time.Millisecond}
	w.last = w.snapshot()
	return w
}

// snapshot summarises names, sizes and modification times.
func (w *watcher) snapshot() string {
	var b strings.Builder
	for _, root := range w.roots {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			name := d.Name()
			if d.IsDir() && (name == "resources" || name == "node_modules" || strings.HasPrefix(name, ".") && p != root) {
				return filepath.SkipDir
			}
			if fi, err := d.Info(); err == nil {
				b.WriteString(p)
				b.WriteString(fi.ModTime().String())
				b.WriteString(string(rune(fi.Size())))
			}
			return nil
		})
	}
	return b.String()
}

// wait blocks until a change has settled, or ctx ends (false).
func (w *watcher) wait(ctx context.Context) bool {
	t := time.NewTicker(w.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
		s := w.snapshot()
		if s == w.last {
			continue
		}
		// Let an editor's save (or a git checkout) finish.
		time.Sleep(w.debounce)
		w.last = w.snapshot()
		return true
	}
}
