package main

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pufa-gov/pufa/internal/check"
	"github.com/pufa-gov/pufa/internal/gitsync"
	"github.com/pufa-gov/pufa/internal/pipeline"
	"github.com/pufa-gov/pufa/internal/server"
)

// watcher polls the site's source folders for changes. Polling needs no
// platform support and costs little for a few thousand files.
type watcher struct {
	roots    []string
	last     uint64
	interval time.Duration
	// debounce is how long the tree must stay unchanged before a change
	// counts: an editor's save or a git checkout touches many files.
	debounce time.Duration
}

func newWatcher(opts pipeline.Options) *watcher {
	roots := []string{opts.Site, filepath.Join(opts.Site, "..", "themes")}
	if opts.Themes != "" {
		roots[1] = opts.Themes
	}
	roots = append(roots, contentDir(opts))
	w := &watcher{roots: roots, interval: 500 * time.Millisecond, debounce: 300 * time.Millisecond}
	w.last = w.snapshot()
	return w
}

// contentDir is the content folder a build reads.
func contentDir(opts pipeline.Options) string {
	if opts.Content != "" {
		return opts.Content
	}
	return filepath.Join(opts.Site, "..", "content")
}

// snapshot hashes names, sizes and modification times.
func (w *watcher) snapshot() uint64 {
	h := fnv.New64a()
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
				h.Write([]byte(p))
				h.Write([]byte(strconv.FormatInt(fi.ModTime().UnixNano(), 36)))
				h.Write([]byte(strconv.FormatInt(fi.Size(), 36)))
			}
			return nil
		})
	}
	return h.Sum64()
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
		for {
			select {
			case <-ctx.Done():
				return false
			case <-time.After(w.debounce):
			}
			settled := w.snapshot()
			if settled == s {
				break
			}
			s = settled
		}
		w.last = s
		return true
	}
}

// request is what the next build should do, merged from every reason
// given since the last one started.
type request struct {
	pull    bool // git pull first, and build only if it brought something
	build   bool // build in any case
	reasons []string
}

// rebuilder runs builds one at a time: at most one running and one
// queued. Requests arriving while one is queued merge into it.
type rebuilder struct {
	run func(ctx context.Context, req request)

	mu      sync.Mutex
	pending request
	signal  chan struct{} // capacity 1: "pending is not empty"
}

func newRebuilder(run func(context.Context, request)) *rebuilder {
	return &rebuilder{run: run, signal: make(chan struct{}, 1)}
}

// Build asks for a build.
func (b *rebuilder) Build(reason string) { b.add(request{build: true, reasons: []string{reason}}) }

// Pull asks for a pull, and a build if it brings changes.
func (b *rebuilder) Pull(reason string) { b.add(request{pull: true, reasons: []string{reason}}) }

func (b *rebuilder) add(r request) {
	b.mu.Lock()
	b.pending.pull = b.pending.pull || r.pull
	b.pending.build = b.pending.build || r.build
	if len(b.pending.reasons) < 16 {
		b.pending.reasons = append(b.pending.reasons, r.reasons...)
	}
	b.mu.Unlock()
	select {
	case b.signal <- struct{}{}:
	default: // already signalled: merged into the queued request
	}
}

// Loop runs queued requests until ctx ends.
func (b *rebuilder) Loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.signal:
		}
		b.mu.Lock()
		req := b.pending
		b.pending = request{}
		b.mu.Unlock()
		if req.pull || req.build {
			b.run(ctx, req)
		}
	}
}

// publisher keeps the served site up to date: it rebuilds when files
// change, when the content repository has new commits (--pull, the git
// hook), when a scheduled page's publishDate or expiryDate comes, and at
// midnight in Asia/Shanghai (the home page's "now and next" campaigns).
// A failed build or pull keeps the last good release online and is
// reported by /healthz and /metrics.
type publisher struct {
	opts        pipeline.Options
	srv         *server.Server
	logger      *slog.Logger
	pullTimeout time.Duration
	now         func() time.Time
	// tick is how often the schedule is compared with the clock.
	tick time.Duration
	rb   *rebuilder

	mu   sync.Mutex
	next time.Time // the next scheduled rebuild
	why  string
}

// newPublisher returns a publisher building through rb (a new rebuilder
// when nil).
func newPublisher(opts pipeline.Options, srv *server.Server, logger *slog.Logger, rb *rebuilder) *publisher {
	p := &publisher{opts: opts, srv: srv, logger: logger, pullTimeout: gitsync.DefaultTimeout, now: time.Now, tick: time.Second}
	if rb == nil {
		rb = newRebuilder(nil)
	}
	rb.run = p.build
	p.rb = rb
	return p
}

// run starts the build loop and the schedule; w (when not nil) adds file
// polling and pull a periodic git pull (0: none). servedDir is the release
// being served, built at built: what was scheduled since then is not in it
// yet. w should have been made before that build started, so that an edit
// made while it ran is seen.
//
// The returned channel closes when the build loop has stopped after ctx
// ended (a build under way first finishes or gives up).
func (p *publisher) run(ctx context.Context, w *watcher, pull time.Duration, servedDir string, built time.Time) <-chan struct{} {
	p.reschedule(servedDir, built)
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.rb.Loop(ctx)
	}()
	go p.clock(ctx)
	if w != nil {
		go func() {
			for w.wait(ctx) {
				p.rb.Build("files changed")
			}
		}()
	}
	if pull > 0 {
		go func() {
			p.rb.Pull("start")
			t := time.NewTicker(pull)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					p.rb.Pull("every " + pull.String())
				}
			}
		}()
	}
	return done
}

// clock asks for a build when the scheduled moment has come. It compares
// wall-clock times every tick rather than sleeping until then, so a
// corrected system clock or a suspended machine cannot make it miss.
func (p *publisher) clock(ctx context.Context) {
	t := time.NewTicker(p.tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		p.mu.Lock()
		due := !p.next.IsZero() && !p.now().Before(p.next)
		why := p.why
		if due {
			p.next = time.Time{}
		}
		p.mu.Unlock()
		if due {
			p.rb.Build(why)
		}
	}
}

// scheduleMargin is waited past a scheduled moment, so that the build's
// clock is surely past it too.
const scheduleMargin = time.Second

// reschedule sets the next scheduled build: the first publishDate or
// expiryDate, or midnight in Asia/Shanghai, after since, the moment the
// last build started. Counting from the build's start, not from now, keeps
// a moment that passed while that build ran (too late for it to see): the
// clock then fires at once.
func (p *publisher) reschedule(servedDir string, since time.Time) {
	next, why := nextMidnight(since), "midnight"
	at, ok, err := pipeline.NextChange(p.opts, servedDir, since)
	if err != nil {
		p.logger.Warn("schedule", "err", err)
	} else if ok && at.Before(next) {
		next, why = at, "scheduled "+at.In(shanghai).Format(time.RFC3339)
	}
	p.mu.Lock()
	p.next, p.why = next.Add(scheduleMargin), why
	p.mu.Unlock()
	p.logger.Info("next scheduled rebuild", "at", next.In(shanghai).Format(time.RFC3339), "reason", why)
}

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// nextMidnight is the start of the next day in Asia/Shanghai.
func nextMidnight(now time.Time) time.Time {
	t := now.In(shanghai)
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, shanghai)
}

// build runs one request: pull (when asked), build, verify, swap.
func (p *publisher) build(ctx context.Context, req request) {
	log := p.logger.With("reason", strings.Join(req.reasons, "; "))
	if req.pull {
		res, err := gitsync.Pull(ctx, contentDir(p.opts), p.pullTimeout)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return
			}
			log.Error("git pull failed", "err", err)
			p.srv.SetFailure(&server.Failure{Time: p.now(), Message: err.Error()})
			if !req.build {
				return
			}
		case res.Changed():
			log.Info("pulled", "from", res.Before, "to", res.After)
			req.build = true
		}
	}
	if !req.build {
		return
	}
	start := time.Now()
	since := p.now()
	res, err := pipeline.Run(ctx, p.opts)
	stages := stageTimes(res)
	if stages == nil {
		stages = map[string]time.Duration{}
	}
	stages["total"] = time.Since(start)
	if err == nil {
		err = p.srv.Load(res.Dir)
	}
	p.srv.Metrics().ObserveBuild(err == nil, stages)
	served := ""
	if info, ok := p.srv.Current(); ok {
		served = filepath.Join(p.opts.Out, "releases", info.ID)
	}
	p.reschedule(served, since)
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		f := failureOf(err, p.now())
		log.Error("rebuild failed; still serving the last good release", "file", f.File, "err", err)
		p.srv.SetFailure(f)
		return
	}
	log.Info("rebuilt", "release", res.Release.ID, "duration", stages["total"].Round(time.Millisecond).String())
}

// fileRE finds "path/to/page.md:12" in a Hugo or check message.
var fileRE = regexp.MustCompile(`([^\s:"'()\[\]]+\.(?:md|markdown|html|toml|yaml|yml|json|css|js)):(\d+)`)

// failureOf describes a failed build for /healthz, naming the file at
// fault when the error does.
func failureOf(err error, now time.Time) *server.Failure {
	f := &server.Failure{Time: now, Message: err.Error()}
	var ce *check.ContentError
	if errors.As(err, &ce) {
		for _, d := range ce.Report.Diagnostics {
			if d.Severity == check.Error {
				f.File = fmt.Sprintf("%s:%d", d.File, d.Line)
				return f
			}
		}
	}
	if m := fileRE.FindStringSubmatch(err.Error()); m != nil {
		f.File = m[1] + ":" + m[2]
	}
	return f
}
