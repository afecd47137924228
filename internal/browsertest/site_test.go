package browsertest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pufa-gov/pufa/internal/pipeline"
	"github.com/pufa-gov/pufa/internal/server"
	"github.com/pufa-gov/pufa/internal/testenv"
)

// basePath is the path prefix the site is built and served under, as when
// it is a column inside a district portal. Every test page is served below
// it, so a hard-coded "/" in the theme shows up as a broken link or style.
const basePath = "/pufa/"

// builtSite is the release built once for all tests of the package, and
// the server that serves it.
type builtSite struct {
	root   string // repository root
	public string // the release's web root
	origin string // http://127.0.0.1:PORT
	base   string // http://127.0.0.1:PORT/pufa/
	pages  []page // every HTML file, sorted by path
	server *server.Server
	http   *http.Server
	served chan error
	tmp    string
}

// page is one page the tests look at: an HTML file of the build, or a
// page only the server produces (then file is empty).
type page struct {
	file string // path relative to the web root, slash-separated
	url  string // absolute URL on the test server
	kind string // page type, from the body classes (see pageType); "" for redirects
	size int64
	// For server pages: the HTTP status the server must answer, and a CSS
	// selector of what must be on the page and visible.
	status int
	want   string
}

var (
	siteOnce sync.Once
	site     *builtSite
	siteErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	stopBrowser()
	if site != nil {
		site.close()
	}
	os.Exit(code)
}

// getSite builds and serves the site on first use; later calls share it.
func getSite(t *testing.T) *builtSite {
	t.Helper()
	siteOnce.Do(func() { site, siteErr = buildSite() })
	if siteErr != nil {
		t.Fatalf("build site: %v", siteErr)
	}
	return site
}

// buildSite builds a release with the real build (content check, Hugo,
// index, feeds, verification) and serves it with the real server, the way
// it runs in production.
func buildSite() (*builtSite, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "pufa-browsertest-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	s := &builtSite{root: root, tmp: tmp}
	// The base URL must name the port, so listen before building.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("listen: %w", err)
	}
	s.origin = "http://" + ln.Addr().String()
	s.base = s.origin + basePath
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	siteDir := filepath.Join(root, "site")
	if d := os.Getenv("PUFA_SITE"); d != "" {
		siteDir = d
	}
	res, err := pipeline.Run(ctx, pipeline.Options{Site: siteDir, Out: filepath.Join(tmp, "out"), BaseURL: s.base})
	if err != nil {
		ln.Close()
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("build %s: %w", siteDir, err)
	}
	s.public = filepath.Join(res.Dir, "public")
	s.server = server.New(server.Options{BasePath: basePath})
	if err := s.server.Load(res.Dir); err != nil {
		ln.Close()
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("load release %s: %w", res.Dir, err)
	}
	mux := http.NewServeMux()
	mux.Handle(basePath, s.server.Handler())
	mux.HandleFunc("GET "+portalPath+"{$}", s.portal)
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.served = make(chan error, 1)
	go func() { s.served <- s.http.Serve(ln) }()
	if s.pages, err = listPages(s.public, s.base); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *builtSite) close() {
	s.http.Close()
	if err := <-s.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(os.Stderr, "test server: %v\n", err)
	}
	s.server.Close()
	os.RemoveAll(s.tmp)
}

// repoRoot walks up from the working directory to the folder with go.mod.
func repoRoot() (string, error) {
	return testenv.Root()
}

var bodyClass = regexp.MustCompile(`<body class="([^"]*)"`)

// pageType names a page's type from the classes the theme puts on <body>:
// "layout/search" for a page with its own layout, "home", "404",
// "taxonomy", "term", or "section/laws", "page/laws" and so on. Pages
// without the theme's body (Hugo's alias redirects) have no type.
func pageType(html []byte) string {
	m := bodyClass.FindSubmatch(html)
	if m == nil {
		return ""
	}
	var kind, section, layout string
	for c := range strings.FieldsSeq(string(m[1])) {
		switch {
		case strings.HasPrefix(c, "pf-kind-"):
			kind = strings.TrimPrefix(c, "pf-kind-")
		case strings.HasPrefix(c, "pf-section-"):
			section = strings.TrimPrefix(c, "pf-section-")
		case strings.HasPrefix(c, "pf-layout-"):
			layout = strings.TrimPrefix(c, "pf-layout-")
		}
	}
	switch {
	case layout != "":
		return "layout/" + layout
	case (kind == "page" || kind == "section") && section != "":
		return kind + "/" + section
	default:
		return kind
	}
}

func listPages(public, base string) ([]page, error) {
	var pages []page
	err := filepath.WalkDir(public, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(public, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		u := base + strings.TrimSuffix(rel, "index.html")
		pages = append(pages, page{file: rel, url: u, kind: pageType(b), size: int64(len(b))})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list pages: %w", err)
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].file < pages[j].file })
	return pages, nil
}

// requiredTypes are the page types a resident meets; the site must have at
// least one page of each, and the browser sweeps check one of each.
var requiredTypes = []string{
	"home",
	"section/catalog", "page/catalog",
	"section/campaigns", "page/campaigns",
	"section/laws", "page/laws",
	"section/news", "page/news",
	"section/changes",
	"taxonomy", "term",
	"layout/search",
	"404",
}

// samples returns one page of every type in the build: the largest, since
// it has the most content to get wrong. It reports a required type that
// the build lacks.
func (s *builtSite) samples(t *testing.T) []page {
	t.Helper()
	best := map[string]page{}
	for _, p := range s.pages {
		if p.kind == "" {
			continue
		}
		if cur, ok := best[p.kind]; !ok || p.size > cur.size {
			best[p.kind] = p
		}
	}
	for _, k := range requiredTypes {
		if _, ok := best[k]; !ok {
			t.Errorf("the build has no page of type %q", k)
		}
	}
	var out []page
	for _, p := range best {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b page) int { return strings.Compare(a.kind, b.kind) })
	return out
}

func TestPageType(t *testing.T) {
	tests := []struct {
		html string
		want string
	}{
		{`<body class="pf-body pf-kind-home">`, "home"},
		{`<body class="pf-body pf-kind-page pf-section-laws">`, "page/laws"},
		{`<body class="pf-body pf-kind-section pf-section-catalog">`, "section/catalog"},
		{`<body class="pf-body pf-kind-page pf-layout-search">`, "layout/search"},
		{`<body class="pf-body pf-kind-term pf-section-departments">`, "term"},
		{`<body class="pf-body pf-kind-404">`, "404"},
		{`<body class="pf-body pf-kind-page">`, "page"},
		{`<html><head><meta http-equiv="refresh" content="0; url=/x/"></head></html>`, ""},
	}
	for _, tt := range tests {
		if got := pageType([]byte(tt.html)); got != tt.want {
			t.Errorf("pageType(%q) = %q, want %q", tt.html, got, tt.want)
		}
	}
}
