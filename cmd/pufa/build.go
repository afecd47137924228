package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pufa-gov/pufa/internal/pipeline"
)

// buildCmd renders the site, indexes it and writes feeds into OUT.
type buildCmd struct{}

func init() { register(buildCmd{}) }

func (buildCmd) Name() string { return "build" }
func (buildCmd) Usage() string {
	return "build [--content DIR] [--out DIR] [--base-url URL] [--drafts]   site + index + feeds into OUT (default ./build)"
}

// siteFlags are the flags build and serve share.
type siteFlags struct {
	content, out, baseURL, site string
	drafts, full                bool
}

func (f *siteFlags) register(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
}) {
	fs.StringVar(&f.content, "content", "", "content `DIR` (default: the site's content/)")
	fs.StringVar(&f.out, "out", "build", "output `DIR`")
	fs.StringVar(&f.baseURL, "base-url", "", "public `URL` of the site, e.g. https://portal.example.gov.cn/pufa/")
	fs.StringVar(&f.site, "site", "site", "Hugo site `DIR` (hugo.toml, data, layouts)")
	fs.BoolVar(&f.drafts, "drafts", false, "include drafts and pages scheduled for later")
	fs.BoolVar(&f.full, "full", false, "rebuild the index, feeds and open data from scratch instead of reusing the previous release's")
}

func (f *siteFlags) options(env *Env, progress io.Writer) pipeline.Options {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(env.Dir, p)
	}
	return pipeline.Options{
		Site:     abs(f.site),
		Content:  abs(f.content),
		Out:      abs(f.out),
		BaseURL:  f.baseURL,
		Drafts:   f.drafts,
		Full:     f.full,
		Progress: progress,
		BaseDir:  env.Dir,
	}
}

func (c buildCmd) Run(ctx context.Context, env *Env, args []string) error {
	var f siteFlags
	fs := newFlagSet(env, c)
	f.register(fs)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, rest[0])
	}
	res, err := pipeline.Run(ctx, f.options(env, progressWriter(env.Stderr)))
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "built release %s: %d pages, %d search documents, %d feeds → %s\n",
		res.Release.ID, res.Release.Pages, res.Release.Docs, res.Release.Feeds, f.options(env, nil).Out)
	return nil
}

// progressWriter returns w when it is a terminal, else nil: long steps
// show progress to people and stay quiet in scripts and logs.
func progressWriter(w io.Writer) io.Writer {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return w
}
