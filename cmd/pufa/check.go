package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/pufa-gov/pufa/internal/check"
)

// checkCmd validates the content against the content model.
type checkCmd struct{}

func init() { register(checkCmd{}) }

func (checkCmd) Name() string { return "check" }
func (checkCmd) Usage() string {
	return "check [--content DIR] [--site DIR] [--now RFC3339]   validate content; file:line: field: message; exit 1"
}

func (c checkCmd) Run(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, c)
	content := fs.String("content", "content", "content `DIR` to check")
	site := fs.String("site", "site", "Hugo site `DIR` whose data/ holds the vocabularies")
	now := fs.String("now", "", "judge reviews and freshness at this `TIME` (RFC 3339; default: now)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, rest[0])
	}
	opts := check.Options{
		ContentDir: absIn(env.Dir, *content),
		SiteDir:    absIn(env.Dir, *site),
		BaseDir:    env.Dir,
	}
	if *now != "" {
		t, err := time.Parse(time.RFC3339, *now)
		if err != nil {
			return fmt.Errorf("%w: --now %q: want a time such as 2026-03-16T09:00:00+08:00", errUsage, *now)
		}
		opts.Now = t
	}
	rep, err := check.Run(opts)
	if err != nil {
		return err
	}
	for _, d := range rep.Diagnostics {
		fmt.Fprintln(env.Stdout, d)
	}
	fmt.Fprintf(env.Stderr, "pufa check: %s\n", rep.Summary())
	if rep.Errors() > 0 {
		return exitError{1}
	}
	return nil
}

// absIn resolves p against dir unless it is absolute.
func absIn(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
