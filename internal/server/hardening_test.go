package server

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pufa-gov/pufa/internal/release"
)

func TestRateLimit(t *testing.T) {
	ts := newTestServer(t, Options{RateLimit: 2})
	var limited *http.Response
	for i := 0; i < 10; i++ {
		resp, err := http.Get(ts.URL + "/api/search?q=遗嘱")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			limited = resp
			break
		}
	}
	if limited == nil {
		t.Fatal("10 rapid searches at 2/s were never limited")
	}
	if limited.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// Static pages are not limited.
	resp, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("static page after limit: %d", resp.StatusCode)
	}
}

func TestClientIPTrustsOnlyConfiguredProxies(t *testing.T) {
	s := New(Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	tests := []struct {
		remote, xff, want string
	}{
		{"203.0.113.5:1234", "198.51.100.1", "203.0.113.5"},                       // untrusted peer: header ignored
		{"10.0.0.2:1234", "198.51.100.1", "198.51.100.1"},                         // trusted proxy
		{"10.0.0.2:1234", "198.51.100.9, 198.51.100.1, 10.0.0.3", "198.51.100.1"}, // nearest untrusted hop
		{"10.0.0.2:1234", "not-an-ip", "10.0.0.2"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		r.Header.Set("X-Forwarded-For", tt.xff)
		if got := s.clientIP(r); got != tt.want {
			t.Errorf("clientIP(%s, XFF %q) = %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
}

func TestMetrics(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, u := range []string{"/api/search?q=遗嘱", "/", "/nope/"} {
		resp, err := http.Get(ts.URL + u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	resp, err := http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`pufa_http_requests_total{code="200",route="GET /api/search"} 1`,
		`pufa_http_requests_total{code="404",route="GET /"} 1`,
		`pufa_http_request_duration_seconds_bucket{route="GET /api/search"`,
		`pufa_index_documents 6`,
		`pufa_release_info{release=`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// realServer runs the server with its production timeouts on loopback.
func realServer(t *testing.T, tweak func(*http.Server)) string {
	t.Helper()
	s := New(Options{})
	if err := s.Load(fixtureRelease(t)); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := s.HTTPServer(ln.Addr().String())
	if tweak != nil {
		tweak(hs)
	}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close(); s.Close() })
	return ln.Addr().String()
}

func TestSlowClientIsCut(t *testing.T) {
	addr := realServer(t, func(hs *http.Server) { hs.ReadHeaderTimeout = 300 * time.Millisecond })
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Start a request and never finish its headers.
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n")
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	_, err = io.ReadAll(c)
	if time.Since(start) > 4*time.Second {
		t.Fatalf("connection still open after %v (err %v)", time.Since(start), err)
	}
}

func TestOversizedHeaders(t *testing.T) {
	addr := realServer(t, nil)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("a", 64<<10)+"\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("64 KiB header: %d, want 431", resp.StatusCode)
	}
}

func TestGzip(t *testing.T) {
	ts := newTestServer(t, Options{})
	plain := func(url string) []byte {
		req, _ := http.NewRequest("GET", ts.URL+url, nil)
		req.Header.Set("Accept-Encoding", "identity")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return b
	}
	tests := []struct {
		name, url, accept string
		cookie            string
		wantGzip          bool
	}{
		{"html gzip", "/laws/big/", "gzip, deflate, br", "", true},
		{"feed gzip", "/index.xml", "gzip", "", true},
		{"q=0 refuses", "/laws/big/", "gzip;q=0, identity", "", false},
		{"star", "/laws/big/", "*", "", true},
		{"star but gzip refused", "/laws/big/", "gzip;q=0, *", "", false},
		{"x-gzip", "/laws/big/", "x-gzip", "", true},
		{"upper case", "/laws/big/", "GZIP;Q=0.5", "", true},
		{"br only", "/laws/big/", "br", "", false},
		{"none", "/laws/big/", "", "", false},
		{"small file has no copy", "/laws/", "gzip", "", false},
		{"reader preferences rewrite the page", "/laws/big/", "gzip", "pf_size=large", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", ts.URL+tt.url, nil)
			if tt.accept != "" {
				req.Header.Set("Accept-Encoding", tt.accept)
			}
			if tt.cookie != "" {
				req.Header.Set("Cookie", tt.cookie)
			}
			// RoundTrip: the client must not decompress for us.
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Accept-Encoding") {
				t.Errorf("no Vary: Accept-Encoding (%v)", resp.Header.Values("Vary"))
			}
			gotGzip := resp.Header.Get("Content-Encoding") == "gzip"
			if gotGzip != tt.wantGzip {
				t.Fatalf("Content-Encoding %q, want gzip %v", resp.Header.Get("Content-Encoding"), tt.wantGzip)
			}
			if resp.Header.Get("Content-Security-Policy") == "" {
				t.Error("no CSP")
			}
			if !gotGzip {
				return
			}
			if ct := resp.Header.Get("Content-Type"); strings.Contains(ct, "gzip") {
				t.Errorf("Content-Type %q names the encoding", ct)
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			unzipped, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if want := plain(tt.url); !bytes.Equal(unzipped, want) {
				t.Errorf("gzip body differs from the plain one")
			}
			if resp.ContentLength != int64(len(body)) {
				t.Errorf("Content-Length %d for %d bytes", resp.ContentLength, len(body))
			}
		})
	}
	// Validators differ between the encodings, and each revalidates.
	etag := func(accept string) string {
		req, _ := http.NewRequest("GET", ts.URL+"/laws/big/", nil)
		req.Header.Set("Accept-Encoding", accept)
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header.Get("ETag")
	}
	gz, id := etag("gzip"), etag("identity")
	if gz == "" || id == "" || gz == id {
		t.Fatalf("ETags gzip %q identity %q: want two different tags", gz, id)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/laws/big/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("If-None-Match", gz)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the gzip ETag: %d, want 304", resp.StatusCode)
	}
}

// TestSecurityHeadersOnEveryResponse checks error answers too: 4xx and
// 5xx from every adapter, the rate limiter and a recovered panic.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	panicky := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		panic("boom")
	})
	var logs bytes.Buffer
	s := New(Options{RateLimit: 1, GitHook: panicky, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	empty := httptest.NewServer(s.Handler())
	defer empty.Close()
	ts := newTestServer(t, Options{RateLimit: 1, GitHook: panicky})
	tests := []struct {
		name, method, url string
		base              string
		wantStatus        int
	}{
		{"ok", "GET", "/", ts.URL, 200},
		{"missing page", "GET", "/nope/", ts.URL, 404},
		{"dotfile", "GET", "/.git/config", ts.URL, 404},
		{"method", "DELETE", "/", ts.URL, 405},
		{"bad api param", "GET", "/api/search?q=", ts.URL, 400},
		{"bad prefs", "GET", "/prefs?size=huge", ts.URL, 400},
		{"panic", "POST", "/hooks/git", ts.URL, 500},
		{"not ready page", "GET", "/", empty.URL, 503},
		{"not ready api", "GET", "/api/search?q=遗嘱", empty.URL, 503},
		{"rate limited", "GET", "/api/search?q=遗嘱", ts.URL, 429},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp *http.Response
			for range 5 { // the rate limit needs a few requests
				req, _ := http.NewRequest(tt.method, tt.base+tt.url, nil)
				var err error
				resp, err = http.DefaultTransport.RoundTrip(req)
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == tt.wantStatus {
					break
				}
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("%s %s = %d, want %d", tt.method, tt.url, resp.StatusCode, tt.wantStatus)
			}
			for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"} {
				if resp.Header.Get(h) == "" {
					t.Errorf("%s %s (%d): no %s", tt.method, tt.url, resp.StatusCode, h)
				}
			}
			if strings.Contains(resp.Header.Get("Content-Security-Policy"), "unsafe-inline") {
				t.Errorf("CSP allows unsafe-inline")
			}
			if resp.StatusCode == 500 && resp.Header.Get("Content-Encoding") != "" {
				t.Errorf("500 page claims Content-Encoding %q", resp.Header.Get("Content-Encoding"))
			}
		})
	}
}

func TestLoadRefusesAReleaseThatDoesNotVerify(t *testing.T) {
	tests := []struct {
		name   string
		damage func(dir string)
	}{
		{"manifest changed", func(dir string) {
			os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(`{"generator":"x","pages":[]}`), 0o644)
		}},
		{"document count differs", func(dir string) {
			info, _ := release.ReadInfo(dir)
			info.Docs++
			data, _ := json.Marshal(info)
			os.WriteFile(filepath.Join(dir, "release.json"), data, 0o644)
		}},
		{"not ready", func(dir string) { os.Remove(filepath.Join(dir, "READY")) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(Options{})
			defer s.Close()
			good := fixtureRelease(t)
			if err := s.Load(good); err != nil {
				t.Fatal(err)
			}
			before, _ := s.Current()
			bad := fixtureRelease(t)
			tt.damage(bad)
			if err := s.Load(bad); err == nil {
				t.Fatal("Load of a damaged release succeeded")
			}
			if after, _ := s.Current(); after.ID != before.ID {
				t.Errorf("served release changed from %s to %s", before.ID, after.ID)
			}
		})
	}
}

func TestSlowBodyIsCut(t *testing.T) {
	hook := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		w.WriteHeader(http.StatusAccepted)
	})
	s := New(Options{GitHook: hook})
	if err := s.Load(fixtureRelease(t)); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := s.HTTPServer(ln.Addr().String())
	hs.ReadTimeout = 500 * time.Millisecond
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close(); s.Close() })

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST /hooks/git HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
	// Trickle the body, a byte every 100ms, until the server hangs up.
	start := time.Now()
	for time.Since(start) < 5*time.Second {
		c.SetWriteDeadline(time.Now().Add(time.Second))
		if _, err := c.Write([]byte("a")); err != nil {
			break
		}
		c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		buf := make([]byte, 512)
		if n, err := c.Read(buf); n > 0 || err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			break // answered (an error) or closed
		}
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Fatalf("slow body still accepted after %v", d)
	}
}

func TestAccessLogIsJSON(t *testing.T) {
	var logs safeBuffer
	ts := newTestServer(t, Options{AccessLog: true, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	resp, err := http.Get(ts.URL + "/api/search?q=遗嘱")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var found bool
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if rec["msg"] == "request" && rec["route"] == "GET /api/search" && rec["status"] == float64(200) && rec["client"] == "127.0.0.1" {
			if _, ok := rec["duration_ms"].(float64); ok {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("no access log record for the search:\n%s", logs.String())
	}
}

func TestPrefsReturnRegression(t *testing.T) {
	// Found by FuzzSafeReturn: re-encoding turned "/%2F%20" into "//%20".
	for _, ret := range []string{"/%2F%20", "/%2Fevil.example%20", "/%2F%2Fevil.example"} {
		if got := safeReturn(ret, "/"); strings.HasPrefix(got, "//") {
			t.Errorf("safeReturn(%q) = %q", ret, got)
		}
	}
}

// safeBuffer is a bytes.Buffer safe for the server's goroutines.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
