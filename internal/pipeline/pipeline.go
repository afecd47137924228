// Package pipeline runs one build of the site: content → Hugo → manifest →
// index and feeds → verified release. It is the only place that knows the
// order of the stages; each stage reads only the previous stage's output.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/pufa-gov/pufa/indexer"
	"github.com/pufa-gov/pufa/internal/check"
	"github.com/pufa-gov/pufa/internal/hugorun"
	"github.com/pufa-gov/pufa/internal/precompress"
	"github.com/pufa-gov/pufa/internal/release"
	"github.com/pufa-gov/pufa/internal/rusage"
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
	// Full builds the search index, feeds and open data from scratch.
	// By default a build starts from the release being served: only
	// search documents whose content changed are indexed again, and
	// feeds and calendars whose items did not change are carried over.
	Full bool
	// Index tunes the search index build; zero values mean the defaults.
	Index IndexTuning
}

// IndexTuning are the knobs of a full index build, for measuring them
// (see indexer.BuildOptions).
type IndexTuning struct {
	Workers   int
	BatchSize int
}

// Result is what a successful build produced.
type Result struct {
	Release release.Info
	Dir     string
	// Previous is the release the build started from; empty for none.
	Previous string
	// Preloaded says whether the build loaded the word dictionary while
	// Hugo rendered, rather than only when the index needed it.
	Preloaded bool
	Timings   []Timing
	// Index says what the index stage did: documents analysed, reused
	// and deleted, size on disk, and why it built from scratch.
	Index indexer.Stats
	// Published says what the feeds stage did.
	Published indexer.PublishStats
}

// Timing is what one stage of a build used.
type Timing struct {
	Stage    string
	Duration time.Duration // wall time
	// CPU is the CPU time the process used during the stage and PeakRSS
	// the largest resident set during it, in bytes (0 where the system
	// does not tell).
	CPU     time.Duration
	PeakRSS int64
	// Alongside names the stage this one ran alongside, whose CPU time
	// and peak include this one's (which then has none of its own).
	Alongside string `json:",omitempty"`
}

// Stage names, in the order a build runs them (check alongside hugo).
const (
	StageCheck    = "check"
	StageHugo     = "hugo"
	StageManifest = "manifest"
	StageIndex    = "index"
	StageFeeds    = "feeds"
	StageVerify   = "verify"
	StageCompress = "compress"
)

// Run builds a new release into opts.Out and switches to it only when
// every stage succeeded and the release verified. On failure the previous
// release is untouched and the error names the cause.
//
// Unless opts.Full, the build starts from the release being served: the
// new release's index is that release's index (its segment files linked)
// with the changed documents indexed again and the vanished ones deleted,
// and its feeds, open data and calendars are that release's files where
// their inputs did not change. Hugo renders every page each time.
func Run(ctx context.Context, opts Options) (*Result, error) {
	started := time.Now()
	now := opts.Now
	if now.IsZero() {
		now = started
	}
	content := opts.Content
	if content == "" {
		content = filepath.Join(opts.Site, "..", "content")
	}
	themes := opts.Themes
	if themes == "" {
		themes = filepath.Join(opts.Site, "..", "themes")
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
	// The release being served is where this build starts from: its index
	// and feeds are reused where their inputs did not change.
	var prevStarted time.Time
	if !opts.Full {
		if info, dir, err := out.Current(); err == nil {
			res.Previous, prevStarted = dir, info.Started
		}
	}
	// Loading the word segmenter takes about a second of CPU, which a
	// build needs to analyse a changed document with a title (a page, a
	// law). Load it while Hugo renders: measured on the whole corpus, a
	// one-page rebuild took 1.19× as long as Hugo alone this way and
	// 1.32× loading it after rendering, for about 300 MB more resident
	// memory while Hugo runs. When only law pages changed since the
	// previous build began, the changed documents are most likely
	// articles, which need no dictionary: it is then loaded only if the
	// index turns out to need it (about a second of CPU saved in a
	// one-article rebuild, see BENCHMARKS.md). An error shows again, and
	// stops the build, in the index stage.
	if res.Previous == "" || changedBeyondLaws(prevStarted, filepath.Join(content, "laws"), opts.Site, content, themes) {
		res.Preloaded = true
		go indexer.PreloadAnalysis(filepath.Join(opts.Site, "data"))
	}
	step := func(name string, f func() error) error {
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, "%s…\n", name)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		meter := rusage.Start()
		err := f()
		u := meter.Stop()
		res.Timings = append(res.Timings, Timing{Stage: name, Duration: u.Wall, CPU: u.CPU, PeakRSS: u.PeakRSS})
		return err
	}
	public := filepath.Join(stage.Path(), "public")
	manifestPath := filepath.Join(stage.Path(), release.ManifestFile)
	var m *indexer.Manifest
	var feeds []string
	steps := []struct {
		name string
		f    func() error
	}{
		{StageHugo, func() error {
			// Content is checked while Hugo renders it: the check reads
			// files and Hugo leaves a processor idle now and then. A
			// content error is the build's error even when Hugo also
			// failed, since it names the file and field to fix.
			checked := make(chan error, 1)
			start := time.Now()
			var checkWall time.Duration
			if opts.Progress != nil {
				fmt.Fprintf(opts.Progress, "%s…\n", StageCheck)
			}
			go func() {
				rep, err := check.Run(check.Options{ContentDir: content, SiteDir: opts.Site, BaseDir: opts.BaseDir, Now: now})
				if err == nil {
					err = rep.Err()
				}
				checkWall = time.Since(start)
				checked <- err
			}()
			herr := hugorun.Build(ctx, hugorun.Options{
				Site: opts.Site, Content: opts.Content, Themes: opts.Themes,
				Dest: public, BaseURL: opts.BaseURL, Drafts: opts.Drafts,
				CacheDir: filepath.Join(opts.Out, ".cache"),
			})
			cerr := <-checked
			res.Timings = append(res.Timings, Timing{Stage: StageCheck, Duration: checkWall, Alongside: StageHugo})
			if cerr != nil {
				return cerr
			}
			return herr
		}},
		{StageManifest, func() error {
			// The manifest is for later stages, not for the web.
			if err := os.Rename(filepath.Join(public, indexer.ManifestFile), manifestPath); err != nil {
				return fmt.Errorf("manifest: %w", err)
			}
			var err error
			m, err = indexer.ReadManifest(manifestPath)
			return err
		}},
		{StageIndex, func() error {
			// Feeds, open data and calendars, then the gzip copies of the
			// web root, need the manifest but not the index: they are
			// written while the index merges its segments, on the
			// processor the merge leaves idle.
			type sideResult struct {
				timings []Timing
				pub     indexer.PublishStats
				err     error
			}
			side := make(chan sideResult, 1)
			merging := make(chan struct{})
			go func() {
				<-merging
				var r sideResult
				r.timings, r.pub, r.err = sideStages(m, stage.Path(), res.Previous)
				side <- r
			}()
			var err error
			res.Index, err = indexer.BuildIndex(ctx, m, stage.Path(), indexer.BuildOptions{
				DataDir: filepath.Join(opts.Site, "data"), Progress: opts.Progress,
				Previous: res.Previous, Workers: opts.Index.Workers, BatchSize: opts.Index.BatchSize,
				Merging: func() { close(merging) },
			})
			r := <-side
			res.Timings = append(res.Timings, r.timings...)
			res.Published, feeds = r.pub, r.pub.Feeds
			return errors.Join(err, r.err)
		}},
		{StageVerify, func() error { return verify(stage.Path(), m, res.Index, res.Published) }},
	}
	for _, s := range steps {
		if err := step(s.name, s.f); err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
	}
	info := release.Info{Built: now.UTC(), Started: started.UTC(), Pages: len(m.Pages), Docs: res.Index.Docs, Feeds: len(feeds), Manifest: m.SHA256}
	if err := stage.Commit(info); err != nil {
		return nil, err
	}
	info.ID = stage.ID()
	res.Release = info
	res.Dir = filepath.Join(opts.Out, "releases", stage.ID())
	return res, nil
}

// sideStages writes the feeds, open data and calendars of m into the
// staged release in dir, then the gzip copies of its web root, and
// reports their wall times as run alongside the index stage. Files equal
// to the previous release's reuse its gzip copies.
func sideStages(m *indexer.Manifest, dir, previous string) ([]Timing, indexer.PublishStats, error) {
	start := time.Now()
	pub, err := indexer.WritePublished(m, dir, indexer.PublishOptions{Previous: previous})
	timings := []Timing{{Stage: StageFeeds, Duration: time.Since(start), Alongside: StageIndex}}
	if err != nil {
		return timings, pub, fmt.Errorf("%s: %w", StageFeeds, err)
	}
	start = time.Now()
	var prevPublic string
	if previous != "" {
		prevPublic = filepath.Join(previous, "public")
	}
	err = precompress.Precompress(filepath.Join(dir, "public"), precompress.Options{Previous: prevPublic})
	timings = append(timings, Timing{Stage: StageCompress, Duration: time.Since(start), Alongside: StageIndex})
	return timings, pub, err
}

// verify checks the staged release before it may be served: the index
// opens with every document, and every feed written by this build parses
// with an independent parser (feeds carried over from the previous
// release are its verified files, linked).
func verify(dir string, m *indexer.Manifest, stats indexer.Stats, pub indexer.PublishStats) error {
	n, err := indexer.Check(dir)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	if n != stats.Docs {
		return fmt.Errorf("verify: index has %d documents, built %d", n, stats.Docs)
	}
	prefix, err := indexer.BasePath(m.Site.BaseURL)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	parser := gofeed.NewParser()
	for _, u := range pub.Written {
		rel := strings.TrimPrefix(u, prefix)
		if dec, err := url.PathUnescape(rel); err == nil {
			rel = dec
		}
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
