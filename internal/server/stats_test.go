package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pufa-gov/pufa/internal/searchstats"
)

func TestSearchStatsCountNewSearchesAndNobody(t *testing.T) {
	dir := t.TempDir()
	day := time.Date(2026, 5, 20, 10, 0, 0, 0, time.UTC)
	rec, err := searchstats.Open(searchstats.Options{Dir: dir, Now: func() time.Time { return day }})
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, Options{SearchStats: rec, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	const (
		resident = "203.0.113.77"
		agent    = "ResidentBrowser/7.1 (身份证 310101)"
	)
	get := func(path string, wantStatus int) {
		t.Helper()
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		req.Header.Set("X-Forwarded-For", resident)
		req.Header.Set("User-Agent", agent)
		req.Header.Set("Referer", "https://portal.example.gov.cn/?user=zhang")
		req.AddCookie(&http.Cookie{Name: cookieSize, Value: "large"})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != wantStatus {
			t.Fatalf("GET %s: %d, want %d", path, resp.StatusCode, wantStatus)
		}
	}
	q := url.QueryEscape
	get("/api/search?q="+q("遗嘱"), 200)
	get("/search/?q="+q(" 遗嘱 "), 200)                   // the page counts too, normalised
	get("/api/search?q="+q("遗嘱")+"&page=2&size=1", 200) // a next page: the same search
	get("/search/?q="+q("遗嘱")+"&type=news", 200)        // a facet: the same search, narrowed
	get("/api/search?q="+q("遗嘱")+"&sort=date", 200)     // another order: the same search
	get("/api/search?q="+q("火星移民"), 200)                // nothing found
	get("/api/search?q=", 400)                          // not a search
	if err := rec.Flush(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, searchstats.FileName("2026-05-20"))
	d, err := searchstats.ReadDay(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]searchstats.Query{
		"遗嘱":   {Query: "遗嘱", Searches: 2, LastTotal: d.Queries[0].LastTotal},
		"火星移民": {Query: "火星移民", Searches: 1, NoResults: 1},
	}
	if len(d.Queries) != len(want) {
		t.Fatalf("queries = %+v, want 遗嘱 twice and 火星移民 once", d.Queries)
	}
	for _, got := range d.Queries {
		if got != want[got.Query] {
			t.Errorf("%s: %+v, want %+v", got.Query, got, want[got.Query])
		}
	}
	if d.Queries[0].LastTotal == 0 {
		t.Errorf("遗嘱: no results recorded: %+v", d.Queries[0])
	}
	// Nothing about who searched is written.
	b, _ := os.ReadFile(path)
	for _, s := range []string{resident, "127.0.0.1", "ResidentBrowser", "310101", "zhang", "portal", cookieSize, "large"} {
		if strings.Contains(string(b), s) {
			t.Errorf("statistics file holds %q:\n%s", s, b)
		}
	}
}

// BenchmarkAPISearchStats measures what counting adds to a search
// answered from the result cache, the cheapest there is: two servers, one
// counting, asked in turn so that both see the same load on the machine.
// It reports the time of a request to each and the difference.
func BenchmarkAPISearchStats(b *testing.B) {
	dir := fixtureRelease(b)
	handler := func(rec *searchstats.Recorder) http.Handler {
		s := New(Options{SearchStats: rec})
		if err := s.Load(dir); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s.Handler()
	}
	rec, err := searchstats.Open(searchstats.Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	off, on := handler(nil), handler(rec)
	target := "/api/search?q=" + url.QueryEscape("打印遗嘱")
	ask := func(h http.Handler) time.Duration {
		start := time.Now()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
		return time.Since(start)
	}
	ask(off)
	ask(on)
	var tOff, tOn time.Duration
	b.ResetTimer()
	for i := range b.N {
		if i%2 == 0 {
			tOff += ask(off)
			tOn += ask(on)
		} else {
			tOn += ask(on)
			tOff += ask(off)
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(tOff.Nanoseconds())/n, "ns/search-off")
	b.ReportMetric(float64(tOn.Nanoseconds())/n, "ns/search-on")
	b.ReportMetric(float64((tOn-tOff).Nanoseconds())/n, "ns/counting")
}
