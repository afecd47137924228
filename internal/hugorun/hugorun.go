// Package hugorun runs the embedded Hugo in-process.
//
// Hugo keeps process-wide state (loggers, caches), so runs are serialised:
// at most one Hugo build runs at a time in a process.
package hugorun

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gohugoio/hugo/commands"
	"github.com/gohugoio/hugo/common/herrors"
)

var mu sync.Mutex

// Exec runs Hugo with args exactly as the hugo command would, printing to
// the process's standard streams.
func Exec(args []string) error {
	mu.Lock()
	defer mu.Unlock()
	err := commands.Execute(args)
	if err != nil {
		for _, e := range herrors.Errors(err) {
			fmt.Fprintf(os.Stderr, "Error: %v\n", e)
		}
	}
	return err
}

// Options describe one site build.
type Options struct {
	// Site is the Hugo project directory (holding hugo.toml).
	Site string
	// Content replaces the site's content directory when not empty.
	Content string
	// Themes is the themes directory; empty means the site's setting.
	Themes string
	// Dest is the directory Hugo renders into. It must not exist or be empty.
	Dest string
	// BaseURL overrides the configured baseURL when not empty.
	BaseURL string
	// Drafts includes draft, future and expired pages when true.
	Drafts bool
	// CacheDir is Hugo's file cache; empty means a directory under Dest's parent.
	CacheDir string
}

// Build renders the site into opts.Dest. Errors reported by Hugo are
// returned joined, each naming its file and line where Hugo knows it.
func Build(ctx context.Context, opts Options) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	abs := func(p string) (string, error) {
		if p == "" {
			return "", nil
		}
		return filepath.Abs(p)
	}
	var err error
	var site, content, themes, dest, cache string
	if site, err = abs(opts.Site); err != nil {
		return err
	}
	if content, err = abs(opts.Content); err != nil {
		return err
	}
	if themes, err = abs(opts.Themes); err != nil {
		return err
	}
	if dest, err = abs(opts.Dest); err != nil {
		return err
	}
	if cache, err = abs(opts.CacheDir); err != nil {
		return err
	}
	if cache == "" {
		cache = filepath.Join(filepath.Dir(dest), ".hugo-cache")
	}
	args := []string{
		"build",
		"--source", site,
		"--destination", dest,
		"--cacheDir", cache,
		"--logLevel", "error",
		"--quiet",
		"--noBuildLock",
	}
	if content != "" {
		args = append(args, "--contentDir", content)
	}
	if themes != "" {
		args = append(args, "--themesDir", themes)
	}
	if opts.BaseURL != "" {
		args = append(args, "--baseURL", opts.BaseURL)
	}
	if opts.Drafts {
		args = append(args, "--buildDrafts", "--buildFuture")
	}
	mu.Lock()
	defer mu.Unlock()
	if err := commands.Execute(args); err != nil {
		return fmt.Errorf("hugo: %w", joinHugo(err))
	}
	return nil
}

// joinHugo flattens Hugo's error list into one error with a line per cause.
func joinHugo(err error) error {
	errs := herrors.Errors(err)
	if len(errs) <= 1 {
		return err
	}
	var b strings.Builder
	for i, e := range errs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Error())
	}
	return errors.New(b.String())
}
