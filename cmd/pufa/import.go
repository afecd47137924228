package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pufa-gov/pufa/internal/lawimport"
)

// importCmd writes law pages from LawRefBook-format files.
type importCmd struct{}

func init() { register(importCmd{}) }

func (importCmd) Name() string { return "import" }
func (importCmd) Usage() string {
	return "import laws [--into DIR] SRC...   import LawRefBook-format law files or folders"
}

func (c importCmd) Run(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, c)
	into := fs.String("into", "content/laws", "`DIR` the law pages are written to")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) == 0:
		return fmt.Errorf("%w: say what to import: laws", errUsage)
	case rest[0] != "laws":
		return fmt.Errorf("%w: cannot import %q, only laws", errUsage, rest[0])
	case len(rest) == 1:
		return fmt.Errorf("%w: no law files or folders given", errUsage)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	overrides, err := lawimport.LoadOverrides(filepath.Join(env.Dir, lawimport.OverridesFile))
	if err != nil {
		return err
	}
	opts := lawimport.Options{Into: absIn(env.Dir, *into), Overrides: overrides}
	for _, src := range rest[1:] {
		opts.Sources = append(opts.Sources, absIn(env.Dir, src))
	}
	if isTerminal(env.Stdout) {
		opts.Progress = env.Stdout
	}
	rep, err := lawimport.Import(opts)
	if err != nil {
		return err
	}
	for _, s := range rep.Skipped {
		fmt.Fprintf(env.Stdout, "%s: skipped, same text as %s\n", relIn(env.Dir, s.Source), relIn(env.Dir, s.DuplicateOf))
	}
	fmt.Fprintf(env.Stdout, "pufa import: %d law pages in %s (%d written, %d unchanged)\n",
		len(rep.Pages), opts.Into, rep.Written(), len(rep.Pages)-rep.Written())
	if rep.Failed() {
		for _, e := range rep.Errors {
			e.Path = relIn(env.Dir, e.Path)
			fmt.Fprintln(env.Stderr, e)
		}
		fmt.Fprintf(env.Stderr, "pufa import: %d files not imported\n", len(rep.Errors))
		return exitError{1}
	}
	return nil
}

// relIn shortens p to a path relative to dir when it lies inside dir.
func relIn(dir, p string) string {
	if rel, err := filepath.Rel(dir, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return rel
	}
	return p
}

// isTerminal reports whether w is a terminal, where progress lines that
// overwrite each other read well.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
