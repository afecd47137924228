package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/pufa-gov/pufa/internal/pipeline"
	"github.com/pufa-gov/pufa/internal/release"
	"github.com/pufa-gov/pufa/internal/server"
)

// serveCmd serves OUT, building it first when it holds no release.
type serveCmd struct{}

func init() { register(serveCmd{}) }

func (serveCmd) Name() string { return "serve" }
func (serveCmd) Usage() string {
	return "serve [--content DIR] [--out DIR] [--addr HOST:PORT] [--watch]  build if needed, serve (default 127.0.0.1:8080)"
}

func (c serveCmd) Run(ctx context.Context, env *Env, args []string) error {
	var f siteFlags
	fs := newFlagSet(env, c)
	f.register(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `HOST:PORT`")
	watch := fs.Bool("watch", false, "rebuild when content, site or theme files change")
	origins := fs.String("cors-origins", "", "comma-separated `ORIGINS` allowed to call /api/search from browsers")
	rateLimit := fs.Int("rate-limit", 0, "searches a second allowed per client (`N`; 0 = no limit)")
	proxies := fs.String("trusted-proxies", "", "comma-separated `CIDRS` of reverse proxies whose X-Forwarded-For is trusted")
	frames := fs.String("frame-ancestors", "", "comma-separated `ORIGINS` (e.g. the district portal) allowed to frame pages")
	hsts := fs.Bool("hsts", false, "send Strict-Transport-Security (when served over TLS)")
	accessLog := fs.Bool("access-log", true, "log every request")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, rest[0])
	}
	logger := slog.New(slog.NewTextHandler(env.Stderr, nil))
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

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if opts.BaseURL == "" {
		opts.BaseURL = "http://" + ln.Addr().String() + "/"
	}
	var trusted []netip.Prefix
	for _, p := range splitList(*proxies) {
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			ln.Close()
			return fmt.Errorf("%w: --trusted-proxies: %v", errUsage, err)
		}
		trusted = append(trusted, pfx)
	}
	if *rateLimit < 0 {
		ln.Close()
		return fmt.Errorf("%w: --rate-limit must not be negative", errUsage)
	}
	srv := server.New(server.Options{
		BasePath: basePath, AllowedOrigins: splitList(*origins), Logger: logger,
		RateLimit: *rateLimit, TrustedProxies: trusted, FrameAncestors: splitList(*frames),
		HSTS: *hsts, AccessLog: *accessLog,
	})
	out := release.Out{Root: opts.Out}
	if err := out.Clean(); err != nil {
		ln.Close()
		return err
	}
	_, dir, err := out.Current()
	if errors.Is(err, release.ErrNoRelease) || *watch {
		logger.Info("building site", "out", opts.Out)
		res, err := pipeline.Run(ctx, opts)
		if err != nil {
			ln.Close()
			return err
		}
		dir = res.Dir
	} else if err != nil {
		ln.Close()
		return err
	}
	if err := srv.Load(dir); err != nil {
		ln.Close()
		return err
	}
	hs := srv.HTTPServer(*addr)
	info, _ := srv.Current()
	fmt.Fprintf(env.Stdout, "serving release %s at http://%s%s\n", info.ID, ln.Addr(), basePath)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if *watch {
		go watchLoop(ctx, opts, srv, logger)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	logger.Info("shutting down")
	return srv.Shutdown(sctx, hs)
}

// watchLoop rebuilds when watched files change and swaps the new release
// in; a failed rebuild keeps the last good release and is reported by
// /healthz.
func watchLoop(ctx context.Context, opts pipeline.Options, srv *server.Server, logger *slog.Logger) {
	w := newWatcher(opts)
	for {
		if !w.wait(ctx) {
			return
		}
		res, err := pipeline.Run(ctx, opts)
		srv.Metrics().ObserveBuild(err == nil, stageTimes(res))
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			logger.Error("rebuild failed", "err", err)
			srv.SetFailure(&server.Failure{Time: time.Now(), Message: err.Error()})
			continue
		}
		if err := srv.Load(res.Dir); err != nil {
			logger.Error("load release", "err", err)
			srv.SetFailure(&server.Failure{Time: time.Now(), Message: err.Error()})
			continue
		}
		logger.Info("rebuilt", "release", res.Release.ID)
	}
}

// splitList splits a comma-separated flag value, dropping empty items.
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
