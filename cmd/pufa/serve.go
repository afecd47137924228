package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/pufa-gov/pufa/indexer"
	"github.com/pufa-gov/pufa/internal/gitsync"
	"github.com/pufa-gov/pufa/internal/pipeline"
	"github.com/pufa-gov/pufa/internal/release"
	"github.com/pufa-gov/pufa/internal/searchstats"
	"github.com/pufa-gov/pufa/internal/server"
)

// serveCmd serves OUT, building it first when it holds no release.
type serveCmd struct{}

func init() { register(serveCmd{}) }

func (serveCmd) Name() string { return "serve" }
func (serveCmd) Usage() string {
	return "serve [--content DIR] [--out DIR] [--addr HOST:PORT] [--watch] [--pull INTERVAL] [--hook-secret-file FILE] [--log-format text|json] [--search-stats=false]  build if needed, serve (default 127.0.0.1:8080)"
}

func (c serveCmd) Run(ctx context.Context, env *Env, args []string) error {
	var f siteFlags
	fs := newFlagSet(env, c)
	f.register(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `HOST:PORT`")
	watch := fs.Bool("watch", false, "rebuild when content, site or theme files change")
	pull := fs.Duration("pull", 0, "run git pull --ff-only in the content repository every `INTERVAL` (e.g. 5m) and rebuild when it brings commits")
	pullTimeout := fs.Duration("pull-timeout", gitsync.DefaultTimeout, "give up a git pull after `DURATION`")
	hookFile := fs.String("hook-secret-file", "", "accept signed push notifications at POST /hooks/git, verified with the secret in `FILE` (or env PUFA_HOOK_SECRET)")
	logFormat := fs.String("log-format", "text", "log as `text` or json")
	origins := fs.String("cors-origins", "", "comma-separated `ORIGINS` allowed to call /api/search from browsers")
	rateLimit := fs.Int("rate-limit", 0, "searches a second allowed per client (`N`; 0 = no limit)")
	proxies := fs.String("trusted-proxies", "", "comma-separated `CIDRS` of reverse proxies whose X-Forwarded-For is trusted")
	frames := fs.String("frame-ancestors", "", "comma-separated `ORIGINS` (e.g. the district portal) allowed to frame pages")
	hsts := fs.Bool("hsts", false, "send Strict-Transport-Security (when served over TLS)")
	accessLog := fs.Bool("access-log", true, "log every request")
	cacheSize := fs.Int("search-cache", indexer.DefaultCacheSize, "search result pages kept in memory (`N`; 0 = none)")
	searchStats := fs.Bool("search-stats", true, "count searches by their text, per day, in OUT/stats/ (no addresses or anything else about who searched); for pufa report searches")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, rest[0])
	}
	var logger *slog.Logger
	switch *logFormat {
	case "text":
		logger = slog.New(slog.NewTextHandler(env.Stderr, nil))
	case "json":
		logger = slog.New(slog.NewJSONHandler(env.Stderr, nil))
	default:
		return fmt.Errorf("%w: --log-format must be text or json, not %q", errUsage, *logFormat)
	}
	if *pull < 0 || *pull > 0 && *pull < 10*time.Second {
		return fmt.Errorf("%w: --pull must be at least 10s", errUsage)
	}
	tuneGC()
	opts := f.options(env, progressWriter(env.Stderr))
	basePath := "/"
	if f.baseURL != "" {
		u, err := url.Parse(f.baseURL)
		if err != nil || u.Scheme == "" {
			return fmt.Errorf("%w: --base-url %q is not an absolute URL", errUsage, f.baseURL)
		}
		basePath = "/" + strings.Trim(u.Path, "/") + "/"
		if basePath == "//" {
			basePath = "/"
		}
	}
	var trusted []netip.Prefix
	for _, p := range splitList(*proxies) {
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			return fmt.Errorf("%w: --trusted-proxies: %v", errUsage, err)
		}
		trusted = append(trusted, pfx)
	}
	if *rateLimit < 0 {
		return fmt.Errorf("%w: --rate-limit must not be negative", errUsage)
	}
	hookFilePath := *hookFile
	if hookFilePath != "" && !filepath.IsAbs(hookFilePath) {
		hookFilePath = filepath.Join(env.Dir, hookFilePath)
	}
	secret, err := gitsync.LoadSecret(hookFilePath, "PUFA_HOOK_SECRET")
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	if opts.BaseURL == "" {
		opts.BaseURL = "http://" + ln.Addr().String() + "/"
	}
	sopts := server.Options{
		BasePath: basePath, AllowedOrigins: splitList(*origins), Logger: logger,
		RateLimit: *rateLimit, TrustedProxies: trusted, FrameAncestors: splitList(*frames),
		HSTS: *hsts, AccessLog: *accessLog, CacheSize: *cacheSize,
	}
	if *cacheSize <= 0 {
		sopts.CacheSize = -1
	}
	if *searchStats {
		// A read-only OUT (a replica) serves without statistics.
		stats, err := searchstats.Open(searchstats.Options{Dir: filepath.Join(opts.Out, searchstats.Dir), Logger: logger})
		if err != nil {
			logger.Warn("search statistics off", "err", err)
		} else {
			sopts.SearchStats = stats
			// Deferred: written after the server's last request.
			defer func() {
				if err := stats.Flush(); err != nil {
					logger.Warn("search statistics not written", "err", err)
				}
			}()
		}
	}
	// The hook asks the publisher for a pull, and the publisher swaps
	// releases into the server: the rebuilder comes first.
	var pub *publisher
	var rb *rebuilder
	if secret != nil {
		rb = newRebuilder(nil)
		hook, err := gitsync.NewHook(secret, rb.Pull)
		if err != nil {
			return err
		}
		sopts.GitHook = hook
	}
	srv := server.New(sopts)
	if *watch || *pull > 0 || secret != nil {
		pub = newPublisher(opts, srv, logger, rb)
		pub.pullTimeout = *pullTimeout
	}
	out := release.Out{Root: opts.Out}
	if err := out.Clean(); err != nil {
		return err
	}
	var w *watcher
	if *watch {
		// Before the first build: an edit made while it runs is seen.
		w = newWatcher(opts)
	}
	_, dir, skipped, err := out.Servable()
	for _, e := range skipped {
		logger.Warn("release skipped", "err", e)
	}
	if errors.Is(err, release.ErrNoRelease) || *watch {
		logger.Info("building site", "out", opts.Out)
		start := time.Now()
		res, err := pipeline.Run(ctx, opts)
		srv.Metrics().ObserveBuild(err == nil, withTotal(stageTimes(res), time.Since(start)))
		if err != nil {
			if dir == "" {
				return err
			}
			// Serve what is there and say why it is not new.
			logger.Error("build failed; serving the last good release", "err", err)
			srv.SetFailure(failureOf(err, time.Now()))
		} else {
			dir = res.Dir
		}
	} else if err != nil {
		return err
	}
	if err := srv.Load(dir); err != nil {
		return err
	}
	hs := srv.HTTPServer(*addr)
	info, _ := srv.Current()
	fmt.Fprintf(env.Stdout, "serving release %s at http://%s%s\n", info.ID, ln.Addr(), basePath)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	loopCtx, stopLoop := context.WithCancel(ctx)
	defer stopLoop()
	var loopDone <-chan struct{}
	if pub != nil {
		loopDone = pub.run(loopCtx, w, *pull, dir, info.Built)
	}
	if sopts.SearchStats != nil {
		go sopts.SearchStats.Run(loopCtx, searchstats.FlushInterval)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	stopLoop()
	if loopDone != nil {
		// A build under way must not swap a release into a server that
		// is shutting down.
		select {
		case <-loopDone:
		case <-time.After(30 * time.Second):
			logger.Warn("a build was still running at shutdown")
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	logger.Info("shutting down")
	return srv.Shutdown(sctx, hs)
}

func withTotal(m map[string]time.Duration, total time.Duration) map[string]time.Duration {
	if m == nil {
		m = map[string]time.Duration{}
	}
	m["total"] = total
	return m
}

// splitList splits a comma-separated flag value, dropping empty items.
// Garbage collection of a serving process, unless GOGC or GOMEMLIMIT
// say otherwise. A search allocates its matches and results and drops
// them at once; collecting at 200% of the live heap instead of Go's 100%
// took /api/search from 969 to 1,108 requests a second at 16 clients and
// the single client's 99th percentile from 18.7 to 14.5 ms on the whole
// corpus (BENCHMARKS.md, "Serving under load"). The soft limit (the
// peak of a full build of that corpus is below it) makes the collector
// work harder before the heap outgrows it.
const (
	serveGCPercent   = 200
	serveMemoryLimit = 2 << 30
)

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func stageTimes(res *pipeline.Result) map[string]time.Duration {
	if res == nil {
		return nil
	}
	m := map[string]time.Duration{}
	for _, t := range res.Timings {
		m[t.Stage] = t.Duration
	}
	return m
}
