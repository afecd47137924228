// Package pipeline runs one build of the site: content → Hugo → manifest →
// index and feeds → verified release. It is the only place that knows the
// order of the stages; each stage reads only the previous stage's output.
package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/pufa-gov/pufa/indexer"
	"github.com/pufa-gov/pufa/internal/check"
	"github.com/pufa-gov/pufa/internal/hugorun"
	"github.com/pufa-gov/pufa/internal/release"
)

// Options describe a build.
type Options struct {
	Site    string // Hugo project (site/)
	Content string // content directory; empty means the site's own
	Themes  string // themes directory; empty means the site's own
	Out     string // output directory (OUT)
	BaseURL string
	Drafts  bool
	// Progress receives progress lines; nil for none.
	Progress io.Writer
	// Now is the build time; zero means time.Now.
	Now time.Time
	// BaseDir is the folder content errors name files relative to.
	BaseDir string
}

// Result is what a successful build produced.
type Result struct {
	Release release.Info
	Dir     string
	Timings []Timing
}

// Timing is the wall time of one stage.
type Timing struct {
	Stage    string
	Duration time.Duration
}

// Run builds a new release into opts.Out and switches to it only when
// every stage succeeded and the release verified. On failure the previous
// release is untouched and the error names the cause.
func Run(ctx context.Context, opts Options) (*Result, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	out := release.Out{Root: opts.Out}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	stage, err := out.Begin(now)
	if err != nil {
		return nil, err
	}
	defer stage.Abort()
	res := &Result{}
	step := func(name string, f func() error) error {
		t := time.Now()
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, "%s…\n", name)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		err := f()
		res.Timings = append(res.Timings, Timing{name, time.Since(t)})
		return err
	}
	public := filepath.Join(stage.Path(), "public")
	manifestPath := filepath.Join(stage.Path(), "manifest.json")
	var m *indexer.Manifest
	var stats indexer.Stats
	var feeds []string
	steps := []struct {
		name string
		f    func() error
	}{
		{"check", func() error {
			content := opts.Content
			if content == "" {
				content = filepath.Join(opts.Site, "..", "content")
			}
			rep, err := check.Run(check.Options{ContentDir: content, SiteDir: opts.Site, BaseDir: opts.BaseDir, Now: now})
			if err != nil {
				return err
			}
			return rep.Err()
		}},
		{"hugo", func() error {
			return hugorun.Build(ctx, hugorun.Options{
				Site: opts.Site, Content: opts.Content, Themes: opts.Themes,
				Dest: public, BaseURL: opts.BaseURL, Drafts: opts.Drafts,
				CacheDir: filepath.Join(opts.Out, ".cache"),
			})
		}},
		{"manifest", func() error {
			// The manifest is for later stages, not for the web.
			if err := os.Rename(filepath.Join(public, indexer.ManifestFile), manifestPath); err != nil {
				return fmt.Errorf("manifest: %w", err)
			}
			var err error
			m, err = indexer.ReadManifest(manifestPath)
			return err
		}},
		{"index", func() error {
			var err error
			stats, err = indexer.BuildIndex(ctx, m, stage.Path(), indexer.BuildOptions{
				DataDir: filepath.Join(opts.Site, "data"), Progress: opts.Progress,
			})
			return err
		}},
		{"feeds", func() error {
			var err error
			feeds, err = indexer.WriteFeeds(m, public, indexer.FeedOptions{})
			if err != nil {
				return err
			}
			if err := indexer.WriteCatalog(m, public); err != nil {
				return err
			}
			_, err = indexer.WriteCalendars(m, public)
			return err
		}},
		{"verify", func() error { return verify(stage.Path(), m, stats, feeds) }},
	}
	for _, s := range steps {
		if err := step(s.name, s.f); err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
	}
	sum, err := fileSHA256(manifestPath)
	if err != nil {
		return nil, err
	}
	info := release.Info{Built: now.UTC(), Pages: len(m.Pages), Docs: stats.Docs, Feeds: len(feeds), Manifest: sum}
	if err := stage.Commit(info); err != nil {
		return nil, err
	}
	info.ID = stage.ID()
	res.Release = info
	res.Dir = filepath.Join(opts.Out, "releases", stage.ID())
	return res, nil
}

// verify checks the staged release before it may be served: the index
// opens with every document, and every feed parses with an independent
// parser.
func verify(dir string, m *indexer.Manifest, stats indexer.Stats, feeds []string) error {
	ix, err := indexer.Open(dir)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	n := ix.Docs()
	ix.Close()
	if n != stats.Docs {
		return fmt.Errorf("verify: index has %d documents, built %d", n, stats.Docs)
	}
	prefix := basePath(m.Site.BaseURL)
	parser := gofeed.NewParser()
	for _, u := range feeds {
		rel := strings.TrimPrefix(u, prefix)
		base := filepath.Join(dir, "public", filepath.FromSlash(rel))
		for _, f := range []string{base, strings.TrimSuffix(base, indexer.FeedRSS) + indexer.FeedAtom, strings.TrimSuffix(base, indexer.FeedRSS) + indexer.FeedJSON} {
			fh, err := os.Open(f)
			if err != nil {
				return fmt.Errorf("verify: feed: %w", err)
			}
			_, err = parser.Parse(fh)
			fh.Close()
			if err != nil {
				return fmt.Errorf("verify: feed %s does not parse: %w", f, err)
			}
		}
	}
	return nil
}

func basePath(baseURL string) string {
	i := strings.Index(baseURL, "://")
	if i < 0 {
		return "/"
	}
	rest := baseURL[i+3:]
	j := strings.IndexByte(rest, '/')
	if j < 0 {
		return "/"
	}
	p := rest[j:]
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
