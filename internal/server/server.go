// Package server answers HTTP for one built release: static files from
// the release's web root, the search page and API, OpenSearch, health and
// the reader's display preferences. A new release is swapped in without
// failing requests; the old one closes when its last request finishes.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pufa-gov/pufa/indexer"
	"github.com/pufa-gov/pufa/internal/release"
	"github.com/pufa-gov/pufa/internal/searchstats"
)

// Options configure a Server.
type Options struct {
	// BasePath is the path prefix the site lives under, e.g. "/pufa/".
	BasePath string
	// AllowedOrigins may call the JSON API from a browser (CORS).
	AllowedOrigins []string
	// SearchTimeout bounds one search; 0 means 2s.
	SearchTimeout time.Duration
	// MaxSearches bounds concurrent searches; beyond it the API answers 503.
	MaxSearches int
	// CacheSize is the number of search result pages kept in memory
	// (indexer.ResultCache); 0 means indexer.DefaultCacheSize, negative
	// none.
	CacheSize int
	Logger    *slog.Logger
	// Now is the clock; nil means time.Now. Tests pin it.
	Now func() time.Time
	// RateLimit is the number of searches a second one client may make;
	// 0 turns the limit off.
	RateLimit int
	// TrustedProxies are the networks whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// FrameAncestors are origins (besides this site) allowed to frame pages.
	FrameAncestors []string
	// HSTS sends Strict-Transport-Security (set it when served over TLS).
	HSTS bool
	// AccessLog writes a structured line per request.
	AccessLog bool
	// GitHook, when set, answers POST /hooks/git (a signed push
	// notification from the content repository's host).
	GitHook http.Handler
	// SearchStats, when set, counts the searches residents make (their
	// text and number of results, nothing about who searched).
	SearchStats *searchstats.Recorder
}

// Server serves the current release.
type Server struct {
	opts    Options
	cur     atomic.Pointer[live]
	sem     chan struct{}
	mux     *http.ServeMux
	failure atomic.Pointer[Failure]
	metrics *Metrics
	limiter *limiter
	csp     string
	// cache keeps recent results of the release being served; nil for
	// none.
	cache *indexer.ResultCache
}

// Failure describes the last failed rebuild, reported by /healthz.
type Failure struct {
	Time time.Time `json:"time"`
	// File is the content or template file at fault, when known.
	File    string `json:"file,omitempty"`
	Message string `json:"message"`
}

// searcher is an opened index, with or without a result cache.
type searcher interface {
	Search(ctx context.Context, q indexer.Query) (*indexer.Result, error)
	Docs() int
	Close() error
}

// live is an opened release. Requests hold mu for reading while they use
// it; retiring takes the write lock, so it waits for them.
type live struct {
	mu         sync.RWMutex
	info       release.Info
	dir        string
	root       *os.Root
	ix         searcher
	searchPage []byte
	embed      *embedSource
}

// ErrNotReady means no release is loaded yet.
var ErrNotReady = errors.New("no release is ready")

// New returns a Server with no release loaded; /healthz answers 503 until
// Load succeeds.
func New(opts Options) *Server {
	if opts.BasePath == "" {
		opts.BasePath = "/"
	}
	if opts.SearchTimeout == 0 {
		opts.SearchTimeout = 2 * time.Second
	}
	if opts.MaxSearches == 0 {
		opts.MaxSearches = 64
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	s := &Server{opts: opts, sem: make(chan struct{}, opts.MaxSearches), metrics: newMetrics()}
	if opts.RateLimit > 0 {
		s.limiter = newLimiter(opts.RateLimit)
	}
	if opts.CacheSize >= 0 {
		s.cache = indexer.NewResultCache(opts.CacheSize)
	}
	// No 'unsafe-inline' anywhere: the theme has no inline scripts or
	// styles (JSON-LD blocks are data, not script).
	s.csp = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " +
		strings.Join(append([]string{"'self'"}, opts.FrameAncestors...), " ")
	s.routes()
	return s
}

// Load opens the release in dir and makes it the one served, after it
// verified (release.Verify, and the index holds the number of documents
// recorded at build time). The previous release is closed once its
// in-flight requests finish. A release that does not verify is refused and
// the one being served stays.
func (s *Server) Load(dir string) error {
	info, err := release.Verify(dir)
	if err != nil {
		return err
	}
	ix, err := indexer.Open(dir)
	if err != nil {
		return err
	}
	if err := ix.Warm(); err != nil {
		ix.Close()
		return fmt.Errorf("release %s: %w", info.ID, err)
	}
	if n := ix.Docs(); n != info.Docs {
		ix.Close()
		return fmt.Errorf("release %s: index holds %d documents, release.json records %d: %w", info.ID, n, info.Docs, release.ErrCorrupt)
	}
	root, err := os.OpenRoot(filepath.Join(dir, "public"))
	if err != nil {
		ix.Close()
		return fmt.Errorf("open web root: %w", err)
	}
	page, err := root.ReadFile("search/index.html")
	if err != nil {
		root.Close()
		ix.Close()
		return fmt.Errorf("release %s has no search page: %w", info.ID, err)
	}
	emb, err := loadEmbed(dir)
	if err != nil {
		root.Close()
		ix.Close()
		return err
	}
	var sx searcher = ix
	if s.cache != nil {
		// Results are kept by release: the new release's searches never
		// answer from the old one's.
		sx = s.cache.For(ix, info.ID)
	}
	l := &live{info: info, dir: dir, root: root, ix: sx, searchPage: page, embed: emb}
	old := s.cur.Swap(l)
	s.metrics.setRelease(info.ID, ix.Docs())
	if old != nil {
		go old.retire()
	}
	s.failure.Store(nil)
	return nil
}

func (s *Server) now() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now()
	}
	return time.Now()
}

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// Metrics returns the server's metrics, for the build loop to report into.
func (s *Server) Metrics() *Metrics { return s.metrics }

// SetFailure records a failed rebuild for /healthz; nil clears it.
func (s *Server) SetFailure(f *Failure) { s.failure.Store(f) }

// Current returns the served release's info.
func (s *Server) Current() (release.Info, bool) {
	l := s.cur.Load()
	if l == nil {
		return release.Info{}, false
	}
	return l.info, true
}

// Close closes the served release.
func (s *Server) Close() error {
	if l := s.cur.Swap(nil); l != nil {
		l.retire()
	}
	return nil
}

func (l *live) retire() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ix.Close()
	l.root.Close()
}

// acquire returns the current release, read-locked; call done when finished.
func (s *Server) acquire() (*live, func(), error) {
	for range 3 {
		l := s.cur.Load()
		if l == nil {
			return nil, nil, ErrNotReady
		}
		l.mu.RLock()
		if s.cur.Load() == l {
			return l, l.mu.RUnlock, nil
		}
		// Swapped while we waited: use the new one.
		l.mu.RUnlock()
	}
	l := s.cur.Load()
	if l == nil {
		return nil, nil, ErrNotReady
	}
	l.mu.RLock()
	return l, l.mu.RUnlock, nil
}

// Handler returns the server's HTTP handler, mounted under BasePath.
func (s *Server) Handler() http.Handler {
	var h http.Handler = s.mux
	if s.opts.BasePath != "/" {
		h = http.StripPrefix(strings.TrimSuffix(s.opts.BasePath, "/"), h)
	}
	return s.recoverer(s.headers(h))
}

// HTTPServer returns an http.Server with timeouts suited to a public site.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(s.opts.Logger.Handler(), slog.LevelWarn),
	}
}

// Shutdown gracefully stops hs within ctx and closes the release.
func (s *Server) Shutdown(ctx context.Context, hs *http.Server) error {
	err := hs.Shutdown(ctx)
	s.Close()
	return err
}
