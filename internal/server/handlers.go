package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/pufa-gov/pufa/indexer"
	"github.com/pufa-gov/pufa/internal/precompress"
)

// httpError is an error with a status and, for 400s, the parameter at fault.
type httpError struct {
	status int
	param  string
	msg    string
}

func (e *httpError) Error() string { return e.msg }

var errNotFound = &httpError{status: http.StatusNotFound, msg: "页面不存在"}

// handler is an HTTP handler that returns its error to one adapter.
type handler func(w http.ResponseWriter, r *http.Request) error

func (s *Server) routes() {
	m := http.NewServeMux()
	handle := func(pattern string, h http.Handler) { m.Handle(pattern, s.instrument(pattern, h)) }
	handle("GET /api/search", s.limit(s.api(s.apiSearch)))
	handle("OPTIONS /api/search", s.api(s.preflight))
	handle("GET /search", s.limit(s.page(s.searchPage)))
	handle("GET /search/{$}", s.limit(s.page(s.searchPage)))
	handle("GET /opensearch.xml", s.page(s.openSearch))
	handle("GET /healthz", s.api(s.healthz))
	handle("GET /metrics", s.metrics.handler())
	handle("GET /prefs", s.page(s.prefs))
	handle("GET /embed/{$}", s.page(s.embed(false)))
	handle("GET /embed/index.json", s.api(s.embed(true)))
	if s.opts.GitHook != nil {
		// Verifying a signature is cheap, but reading bodies is not free:
		// the per-client limit applies when configured.
		handle("POST /hooks/git", s.limit(s.opts.GitHook))
	}
	handle("GET /", s.page(s.static))
	s.mux = m
}

// api adapts a handler whose errors answer as JSON.
func (s *Server) api(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.cors(w, r)
		err := h(w, r)
		if err == nil {
			return
		}
		he := s.classify(r, err)
		body := map[string]string{"error": he.msg}
		if he.param != "" {
			body["param"] = he.param
		}
		writeJSON(w, he.status, body)
	})
}

// page adapts a handler whose errors answer as an HTML page.
func (s *Server) page(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		he := s.classify(r, err)
		s.errorPage(w, r, he)
	})
}

// classify maps an error to a status, logging only server faults.
func (s *Server) classify(r *http.Request, err error) *httpError {
	var he *httpError
	var pe *indexer.ParamError
	switch {
	case errors.As(err, &he):
		return he
	case errors.As(err, &pe):
		return &httpError{status: http.StatusBadRequest, param: pe.Param, msg: pe.Message}
	case errors.Is(err, ErrNotReady):
		return &httpError{status: http.StatusServiceUnavailable, msg: "网站正在生成，请稍后再试"}
	case errors.Is(err, errBusy):
		return &httpError{status: http.StatusServiceUnavailable, msg: "搜索繁忙，请稍后再试"}
	case errors.Is(err, errTimeout):
		return &httpError{status: http.StatusServiceUnavailable, msg: "搜索超时，请换一个更具体的搜索词"}
	}
	s.opts.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	return &httpError{status: http.StatusInternalServerError, msg: "服务器内部错误"}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// errorPage answers with the release's 404 page for misses, and a short
// escaped page otherwise.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, he *httpError) {
	w.Header().Set("Cache-Control", "no-store")
	if he.status == http.StatusNotFound {
		if l, done, err := s.acquire(); err == nil {
			body, err := l.root.ReadFile("404.html")
			done()
			if err == nil {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.WriteHeader(http.StatusNotFound)
				w.Write(applyPrefs(returnHere(body, s.opts.BasePath, s.opts.BasePath+"404.html", r), r))
				return
			}
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(he.status)
	fmt.Fprintf(w, "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>%d</title><main><h1>%s</h1></main></html>\n",
		he.status, html.EscapeString(he.msg))
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	body := map[string]any{}
	if f := s.failure.Load(); f != nil {
		body["lastFailure"] = f
	}
	info, ok := s.Current()
	if !ok {
		body["status"] = "starting"
		writeJSON(w, http.StatusServiceUnavailable, body)
		return nil
	}
	// Still serving, but the newest content is not online: monitors
	// should see the difference.
	body["status"] = "ok"
	if body["lastFailure"] != nil {
		body["status"] = "degraded"
	}
	body["release"] = info.ID
	body["built"] = info.Built
	body["docs"] = info.Docs
	writeJSON(w, http.StatusOK, body)
	return nil
}

// queryOf reads a search request from URL parameters.
func queryOf(r *http.Request) (indexer.Query, error) {
	v := r.URL.Query()
	q := indexer.Query{Text: v.Get("q"), Filters: map[string]string{}, Sort: v.Get("sort")}
	if len(v["q"]) > 1 {
		return q, &httpError{status: 400, param: "q", msg: "只能有一个搜索词"}
	}
	num := func(name string) (int, error) {
		s := v.Get(name)
		if s == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return 0, &httpError{status: 400, param: name, msg: "must be a positive integer"}
		}
		return n, nil
	}
	var err error
	if q.Page, err = num("page"); err != nil {
		return q, err
	}
	if q.Size, err = num("size"); err != nil {
		return q, err
	}
	for name, vals := range v {
		switch name {
		case "q", "page", "size", "sort":
			continue
		case "":
			// A stray "=x" or "&&": nothing was asked for.
			continue
		case "type", "category", "department", "audience", "method":
			if vals[0] != "" {
				q.Filters[name] = vals[0]
			}
		default:
			return q, &httpError{status: 400, param: name, msg: "unknown parameter"}
		}
	}
	return q, nil
}

var (
	errBusy    = errors.New("too many searches")
	errTimeout = errors.New("search timed out")
)

// search runs q on the current release within the configured bounds.
func (s *Server) search(r *http.Request, q indexer.Query) (*indexer.Result, error) {
	select {
	case s.sem <- struct{}{}:
		defer func() { <-s.sem }()
	default:
		return nil, errBusy
	}
	l, done, err := s.acquire()
	if err != nil {
		return nil, err
	}
	defer done()
	ctx, cancel := contextWithTimeout(r, s.opts.SearchTimeout)
	defer cancel()
	res, err := l.ix.Search(ctx, q)
	if err != nil && ctx.Err() != nil {
		return nil, errTimeout
	}
	return res, err
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) error {
	q, err := queryOf(r)
	if err != nil {
		return err
	}
	res, err := s.search(r, q)
	if err != nil {
		return err
	}
	s.countSearch(q, res)
	writeJSON(w, http.StatusOK, res)
	return nil
}

// countSearch counts a search in the statistics, when kept. Only a new
// search counts: its first page, in order of relevance and without
// filters. The next page, another order or a facet narrows what the
// resident already searched for.
func (s *Server) countSearch(q indexer.Query, res *indexer.Result) {
	if s.opts.SearchStats == nil || q.Page > 1 || (q.Sort != "" && q.Sort != "relevance") {
		return
	}
	for _, v := range q.Filters {
		if v != "" {
			return
		}
	}
	// The result's query is the text as the search normalised it,
	// HTML-escaped.
	s.opts.SearchStats.RecordNormalized(html.UnescapeString(res.Query), res.Total)
}

func (s *Server) preflight(w http.ResponseWriter, r *http.Request) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// cors allows configured origins to read the API; never with credentials.
func (s *Server) cors(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if origin == "" || !slices.Contains(s.opts.AllowedOrigins, origin) {
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	w.Header().Set("Access-Control-Allow-Methods", "GET, OPTIONS")
	w.Header().Set("Access-Control-Max-Age", "600")
}

func (s *Server) openSearch(w http.ResponseWriter, r *http.Request) error {
	base := s.opts.BasePath
	origin := "http://" + r.Host
	if r.TLS != nil {
		origin = "https://" + r.Host
	}
	w.Header().Set("Content-Type", "application/opensearchdescription+xml; charset=utf-8")
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">` + "\n")
	b.WriteString("  <ShortName>民政普法搜索</ShortName>\n")
	b.WriteString("  <Description>搜索民政法律法规、普法责任目录和普法活动</Description>\n")
	b.WriteString("  <InputEncoding>UTF-8</InputEncoding>\n  <Language>zh-CN</Language>\n")
	fmt.Fprintf(&b, "  <Url type=\"text/html\" method=\"get\" template=\"%s\"/>\n", html.EscapeString(origin+base+"search/?q={searchTerms}"))
	fmt.Fprintf(&b, "  <Url type=\"application/json\" method=\"get\" template=\"%s\"/>\n", html.EscapeString(origin+base+"api/search?q={searchTerms}&page={startPage?}"))
	b.WriteString("</OpenSearchDescription>\n")
	w.Write(b.Bytes())
	return nil
}

// Display preferences set by /prefs and applied to every HTML page.
const (
	cookieSize     = "pf_size"
	cookieContrast = "pf_contrast"
)

// prefs sets a display preference cookie and returns the reader to the
// page they came from. It works without JavaScript.
func (s *Server) prefs(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	set := func(name, val string, allowed ...string) error {
		if val == "" {
			return nil
		}
		if !slices.Contains(allowed, val) {
			return &httpError{status: 400, param: strings.TrimPrefix(name, "pf_"), msg: "unknown value"}
		}
		http.SetCookie(w, &http.Cookie{
			Name: name, Value: val, Path: s.opts.BasePath,
			MaxAge: 365 * 24 * 3600, HttpOnly: false, SameSite: http.SameSiteLaxMode,
		})
		return nil
	}
	if err := set(cookieSize, v.Get("size"), "large", "normal"); err != nil {
		return err
	}
	if err := set(cookieContrast, v.Get("contrast"), "high", "normal"); err != nil {
		return err
	}
	http.Redirect(w, r, safeReturn(v.Get("return"), s.opts.BasePath), http.StatusSeeOther)
	return nil
}

// safeReturn accepts only a path on this site; anything else goes home.
func safeReturn(ret, base string) string {
	if ret == "" || !strings.HasPrefix(ret, "/") || strings.HasPrefix(ret, "//") || strings.ContainsAny(ret, "\\\r\n") {
		return base
	}
	u, err := url.Parse(ret)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, base) {
		return base
	}
	// Re-encoding can undo an escape: "/%2F%20" decodes to "// " and
	// comes back as "//%20", which a browser reads as another host.
	// Check what is actually sent.
	out := u.RequestURI()
	if !strings.HasPrefix(out, base) || strings.HasPrefix(out, "//") || strings.ContainsAny(out, "\\\r\n\t") {
		return base
	}
	return out
}

// prefClasses returns the display classes the reader's cookies ask for.
func prefClasses(r *http.Request) []string {
	var classes []string
	if c, err := r.Cookie(cookieSize); err == nil && c.Value == "large" {
		classes = append(classes, "pf-large")
	}
	if c, err := r.Cookie(cookieContrast); err == nil && c.Value == "high" {
		classes = append(classes, "pf-contrast")
	}
	return classes
}

// applyPrefs adds the reader's display classes to the <html> element.
func applyPrefs(page []byte, r *http.Request) []byte {
	classes := prefClasses(r)
	if len(classes) == 0 {
		return page
	}
	i := bytes.Index(page, []byte("<html"))
	if i < 0 {
		return page
	}
	end := bytes.IndexByte(page[i:], '>')
	if end < 0 {
		return page
	}
	tag := page[i : i+end]
	add := strings.Join(classes, " ")
	var out bytes.Buffer
	out.Grow(len(page) + 32)
	if j := bytes.Index(tag, []byte(`class="`)); j >= 0 {
		out.Write(page[:i+j+7])
		out.WriteString(add + " ")
		out.Write(page[i+j+7:])
	} else {
		out.Write(page[:i+5])
		out.WriteString(` class="` + add + `"`)
		out.Write(page[i+5:])
	}
	return out.Bytes()
}

// static serves a file from the release's web root. Names are resolved
// inside an os.Root, so neither ".." nor a symlink can leave it; dotfiles
// and directories without index.html are not served: every miss is a 404.
// Text files are answered from their precompressed .gz copy when the
// client accepts gzip.
func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	name := path.Clean("/" + r.URL.Path)
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") {
			return errNotFound
		}
	}
	name = strings.TrimPrefix(name, "/")
	l, done, err := s.acquire()
	if err != nil {
		return err
	}
	defer done()
	if name == "" {
		name = "."
	}
	f, fi, err := openRegular(l.root, name)
	if errors.Is(err, errIsDir) {
		index := path.Join(name, "index.html")
		if f, fi, err = openRegular(l.root, index); err != nil {
			return errNotFound
		}
		if !strings.HasSuffix(r.URL.Path, "/") {
			f.Close()
			http.Redirect(w, r, path.Base(r.URL.Path)+"/", http.StatusMovedPermanently)
			return nil
		}
		name = index
	} else if err != nil {
		return errNotFound
	}
	defer f.Close()
	ctype := contentType(name)
	hd := w.Header()
	hd.Set("Content-Type", ctype)
	isHTML := strings.HasPrefix(ctype, "text/html")
	switch {
	case isHTML:
		hd.Set("Cache-Control", "no-cache")
		hd.Add("Vary", "Cookie")
	case isFingerprinted(name):
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	default:
		hd.Set("Cache-Control", "public, max-age=300")
	}
	var content io.ReadSeeker = f
	size := fi.Size()
	tag := ""
	if isHTML {
		if classes := prefClasses(r); len(classes) > 0 {
			// Rewritten for this reader: served as is, never from the
			// shared compressed copy.
			body, err := io.ReadAll(f)
			if err != nil {
				return err
			}
			body = applyPrefs(body, r)
			content, size, tag = bytes.NewReader(body), int64(len(body)), "-"+strings.Join(classes, "-")
		}
	}
	if precompress.Compressible(name) {
		hd.Add("Vary", "Accept-Encoding")
		if tag == "" && acceptsGzip(r.Header.Get("Accept-Encoding")) {
			if zf, zfi, err := openRegular(l.root, name+precompress.Suffix); err == nil {
				defer zf.Close()
				hd.Set("Content-Encoding", "gzip")
				content, size, tag = zf, zfi.Size(), "-gz"
			}
		}
	}
	hd.Set("ETag", fmt.Sprintf(`"%x-%x%s"`, fi.ModTime().UnixNano(), size, tag))
	http.ServeContent(w, r, name, fi.ModTime(), content)
	return nil
}

var errIsDir = errors.New("is a directory")

// openRegular opens name in root, answering errIsDir for a directory and
// an error for anything but a regular file.
func openRegular(root *os.Root, name string) (*os.File, os.FileInfo, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if fi.IsDir() {
		f.Close()
		return nil, nil, errIsDir
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, errNotFound
	}
	return f, fi, nil
}

// acceptsGzip reports whether an Accept-Encoding header value admits
// gzip: listed (or x-gzip) with a non-zero quality, or covered by "*"
// when gzip is not listed at all.
func acceptsGzip(header string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					f = 0
				}
				q = f
			}
		}
		switch coding {
		case "gzip", "x-gzip":
			return q > 0
		case "*":
			star = q > 0
		}
	}
	return star
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".xml":
		if path.Base(name) == "atom.xml" {
			return "application/atom+xml; charset=utf-8"
		}
		if path.Base(name) == "index.xml" {
			return "application/rss+xml; charset=utf-8"
		}
		return "application/xml; charset=utf-8"
	case ".json":
		if path.Base(name) == "feed.json" {
			return "application/feed+json; charset=utf-8"
		}
		return "application/json; charset=utf-8"
	case ".ics":
		return "text/calendar; charset=utf-8"
	case ".csv":
		return "text/csv; charset=utf-8"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// isFingerprinted reports whether name carries a content hash, as Hugo's
// fingerprint does (style.<64 hex>.css).
func isFingerprinted(name string) bool {
	base := path.Base(name)
	parts := strings.Split(base, ".")
	if len(parts) < 3 {
		return false
	}
	h := parts[len(parts)-2]
	if len(h) < 32 {
		return false
	}
	for _, c := range h {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// headers sets security headers on every response.
func (s *Server) headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		hd.Set("Content-Security-Policy", s.csp)
		if len(s.opts.FrameAncestors) == 0 {
			hd.Set("X-Frame-Options", "SAMEORIGIN")
		}
		if s.opts.HSTS {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.ServeHTTP(w, r)
	})
}

// recoverer turns a panic in a handler into a 500 and a log line.
func (s *Server) recoverer(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.opts.Logger.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				// Whatever the handler had set for its own body no
				// longer applies; the security headers stay.
				for _, k := range []string{"Content-Encoding", "ETag", "Last-Modified", "Cache-Control"} {
					w.Header().Del(k)
				}
				s.errorPage(w, r, &httpError{status: http.StatusInternalServerError, msg: "服务器内部错误"})
			}
		}()
		h.ServeHTTP(w, r)
	})
}
