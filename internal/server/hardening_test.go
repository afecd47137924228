package server

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
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
