package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pufa-gov/pufa/indexer"
	"github.com/pufa-gov/pufa/internal/precompress"
	"github.com/pufa-gov/pufa/internal/release"
)

// fixtureRelease writes a small release by hand: a few pages, an index
// built from a manifest, and traps for the static file server.
func fixtureRelease(t testing.TB) string {
	t.Helper()
	out := release.Out{Root: t.TempDir()}
	stage, err := out.Begin(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2026, 5, 20, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	m := &indexer.Manifest{
		Generator: "pufa",
		Site:      indexer.SiteInfo{Title: "测试站点", BaseURL: "http://example.test/"},
		Pages: []indexer.Page{
			{URL: "/laws/minfadian-jichengbian/", Permalink: "http://example.test/laws/minfadian-jichengbian/", Kind: "page", Section: "laws",
				Title: "中华人民共和国民法典", Date: &date, Params: indexer.Params{Subtitle: "继承编", Status: "in-force"},
				Articles: []indexer.Article{
					{Anchor: "a1136", Number: "第一千一百三十六条", Heading: "第三章 遗嘱继承和遗赠", Text: "打印的遗嘱，应当有两个以上见证人在场见证。遗嘱人和见证人应当在遗嘱每一页签名，注明年、月、日。"},
					{Anchor: "a1137", Number: "第一千一百三十七条", Heading: "第三章 遗嘱继承和遗赠", Text: "以录音录像形式立的遗嘱，应当有两个以上见证人在场见证。"},
				}},
			{URL: "/news/xss/", Permalink: "http://example.test/news/xss/", Kind: "page", Section: "news",
				Title: `<script>alert(1)</script>遗嘱公告`, Date: &date,
				Plain: `遗嘱 <img src=x onerror=alert(1)> 见证人 & 继承`},
		},
	}
	m.Pages = append(m.Pages,
		indexer.Page{URL: "/campaigns/2026/qingming/", Permalink: "http://example.test/campaigns/2026/qingming/", Kind: "page", Section: "campaigns",
			Title: "2026年清明节殡葬改革法规宣传", Date: &date, Params: indexer.Params{EventDate: "2026-04-05", Window: &indexer.Window{Start: "2026-03-28", End: "2026-04-06"}}},
		indexer.Page{URL: "/campaigns/2026/zhucanri/", Permalink: "http://example.test/campaigns/2026/zhucanri/", Kind: "page", Section: "campaigns",
			Title: "2026年全国助残日<无障碍>宣传", Date: &date, Params: indexer.Params{EventDate: "2026-05-17", Window: &indexer.Window{Start: "2026-05-10", End: "2026-05-17"}}},
	)
	stats, err := indexer.BuildIndex(context.Background(), m, stage.Path(), indexer.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(stage.Path(), "manifest.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	pub := filepath.Join(stage.Path(), "public")
	files := map[string]string{
		"index.html":        `<!doctype html><html lang="zh-CN"><body><h1>首页</h1></body></html>`,
		"404.html":          `<!doctype html><html lang="zh-CN"><body><h1>页面不存在</h1></body></html>`,
		"search/index.html": `<!doctype html><html lang="zh-CN"><body><main><h1>站内搜索</h1><!--pufa:results--></main></body></html>`,
		"css/style.0123456789abcdef0123456789abcdef.css": `body{}`,
		".secret":              "secret",
		".git/config":          "[remote \"origin\"]\n\turl = https://token@git.example/bureau/content.git\n",
		"laws/index.html":      `<html lang="zh-CN"><h1>法规</h1></html>`,
		"nolisting/readme.txt": "x",
		"laws/big/index.html":  `<!doctype html><html lang="zh-CN"><body>` + strings.Repeat("<p>打印的遗嘱，应当有两个以上见证人在场见证。</p>", 60) + `</body></html>`,
		"index.xml":            `<?xml version="1.0"?><rss><channel>` + strings.Repeat("<item><title>遗嘱</title></item>", 40) + `</channel></rss>`,
	}
	for name, body := range files {
		p := filepath.Join(pub, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	secret := filepath.Join(t.TempDir(), "outside.txt")
	os.WriteFile(secret, []byte("outside"), 0o644)
	if err := os.Symlink(secret, filepath.Join(pub, "escape.txt")); err != nil {
		t.Fatal(err)
	}
	if err := precompress.Precompress(pub, precompress.Options{}); err != nil {
		t.Fatal(err)
	}
	sum, err := release.FileSHA256(filepath.Join(stage.Path(), "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := stage.Commit(release.Info{Docs: stats.Docs, Pages: len(m.Pages), Manifest: sum}); err != nil {
		t.Fatal(err)
	}
	_, dir, err := out.Current()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func newTestServer(t *testing.T, opts Options) *httptest.Server {
	t.Helper()
	s := New(opts)
	if err := s.Load(fixtureRelease(t)); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); s.Close() })
	return ts
}

func TestRoutes(t *testing.T) {
	ts := newTestServer(t, Options{AllowedOrigins: []string{"https://portal.example.gov.cn"}})
	tests := []struct {
		name       string
		url        string
		header     map[string]string
		wantStatus int
		want       []string // substrings of the body
		notWant    []string
		wantHeader map[string]string
		// wantSafeJSON decodes the body and checks that no string in it
		// carries markup other than <mark>.
		wantSafeJSON bool
	}{
		{name: "home", url: "/", wantStatus: 200, want: []string{"首页"}},
		{name: "api article hit", url: "/api/search?q=打印遗嘱", wantStatus: 200,
			want: []string{`"article":"第一千一百三十六条"`, `#a1136`, `\u003cmark\u003e`}},
		{name: "api empty q", url: "/api/search?q=", wantStatus: 400, want: []string{`"param":"q"`}},
		{name: "api long q", url: "/api/search?q=" + strings.Repeat("法", 300), wantStatus: 400, want: []string{`"param":"q"`}},
		{name: "api bad page", url: "/api/search?q=遗嘱&page=0", wantStatus: 400, want: []string{`"param":"page"`}},
		{name: "api page too far", url: "/api/search?q=遗嘱&page=101", wantStatus: 400, want: []string{`"param":"page"`}},
		{name: "api size too big", url: "/api/search?q=遗嘱&size=51", wantStatus: 400, want: []string{`"param":"size"`}},
		{name: "api unknown type", url: "/api/search?q=遗嘱&type=poem", wantStatus: 400, want: []string{`"param":"type"`}},
		{name: "api unknown param", url: "/api/search?q=遗嘱&foo=1", wantStatus: 400, want: []string{`"param":"foo"`}},
		{name: "api escapes content", url: "/api/search?q=遗嘱&type=news", wantStatus: 200, wantSafeJSON: true},
		{name: "api escapes query", url: "/api/search?q=%3Cscript%3E遗嘱", wantStatus: 200, wantSafeJSON: true},
		{name: "cors allowed", url: "/api/search?q=遗嘱", header: map[string]string{"Origin": "https://portal.example.gov.cn"}, wantStatus: 200,
			wantHeader: map[string]string{"Access-Control-Allow-Origin": "https://portal.example.gov.cn", "Vary": "Origin"}},
		{name: "cors other origin", url: "/api/search?q=遗嘱", header: map[string]string{"Origin": "https://evil.example"}, wantStatus: 200,
			wantHeader: map[string]string{"Access-Control-Allow-Origin": ""}},
		{name: "search page", url: "/search/?q=遗嘱", wantStatus: 200, want: []string{"pf-result", "<mark>遗嘱</mark>"},
			notWant: []string{"<script>alert", "<img src=x"}},
		{name: "search page echoes query escaped", url: "/search/?q=%3Cscript%3E遗嘱", wantStatus: 200, notWant: []string{"<script>"}},
		{name: "search page bad param", url: "/search/?q=", wantStatus: 400, want: []string{"role=\"alert\""}},
		{name: "healthz", url: "/healthz", wantStatus: 200, want: []string{`"status":"ok"`}},
		{name: "opensearch", url: "/opensearch.xml", wantStatus: 200, want: []string{"OpenSearchDescription", "search/?q={searchTerms}"}},
		{name: "dotfile", url: "/.secret", wantStatus: 404, notWant: []string{"secret"}},
		{name: "dot dot", url: "/../release.json", wantStatus: 404},
		{name: "dot dot deeper", url: "/laws/../../../release.json", wantStatus: 404},
		{name: "encoded dot dot", url: "/%2e%2e/release.json", wantStatus: 404},
		{name: "encoded dot dot upper", url: "/%2E%2E/%2E%2E/manifest.json", wantStatus: 404},
		{name: "double encoded dot dot", url: "/%252e%252e/release.json", wantStatus: 404},
		{name: "encoded slash", url: "/..%2frelease.json", wantStatus: 404},
		{name: "backslash", url: "/%5c..%5crelease.json", wantStatus: 404},
		{name: "backslash dot dot", url: "/..%5c..%5cREADY", wantStatus: 404},
		{name: "nul byte", url: "/index.html%00.txt", wantStatus: 404},
		{name: "git config", url: "/.git/config", wantStatus: 404, notWant: []string{"token"}},
		{name: "git config encoded", url: "/%2egit/config", wantStatus: 404, notWant: []string{"token"}},
		{name: "git config via dot dot", url: "/laws/../.git/config", wantStatus: 404, notWant: []string{"token"}},
		{name: "index beside web root", url: "/../index/", wantStatus: 404},
		{name: "escaping symlink", url: "/escape.txt", wantStatus: 404, notWant: []string{"outside"}},
		{name: "no listing", url: "/nolisting/", wantStatus: 404},
		{name: "missing", url: "/nope/", wantStatus: 404, want: []string{"页面不存在"}},
		{name: "fingerprinted asset cached", url: "/css/style.0123456789abcdef0123456789abcdef.css", wantStatus: 200,
			wantHeader: map[string]string{"Cache-Control": "public, max-age=31536000, immutable"}},
		{name: "prefs redirect stays on site", url: "/prefs?size=large&return=//evil.example/", wantStatus: 200, want: []string{"首页"}},
		{name: "prefs bad value", url: "/prefs?size=huge", wantStatus: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", ts.URL+tt.url, nil)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("GET %s = %d, want %d\n%s", tt.url, resp.StatusCode, tt.wantStatus, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("GET %s: body lacks %q\n%s", tt.url, w, body)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(string(body), w) {
					t.Errorf("GET %s: body contains %q\n%s", tt.url, w, body)
				}
			}
			if tt.wantSafeJSON {
				var v any
				if err := json.Unmarshal(body, &v); err != nil {
					t.Fatal(err)
				}
				checkNoMarkup(t, v)
			}
			for k, v := range tt.wantHeader {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("GET %s: header %s = %q, want %q", tt.url, k, got, v)
				}
			}
			if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("GET %s: no nosniff header", tt.url)
			}
		})
	}
}

func TestPrefsCookieAppliesClass(t *testing.T) {
	ts := newTestServer(t, Options{})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(ts.URL + "/prefs?size=large&contrast=high&return=/laws/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/laws/" {
		t.Fatalf("prefs: %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	req, _ := http.NewRequest("GET", ts.URL+"/laws/", nil)
	for _, c := range resp.Cookies() {
		req.AddCookie(c)
	}
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `<html class="pf-large pf-contrast" lang="zh-CN">`) {
		t.Errorf("page with cookies lacks classes:\n%s", body)
	}
}

func TestHealthzBeforeLoad(t *testing.T) {
	s := New(Options{})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != 503 || body["status"] != "starting" {
		t.Errorf("healthz before load = %d %v, want 503 starting", resp.StatusCode, body)
	}
}

func TestBasePath(t *testing.T) {
	ts := newTestServer(t, Options{BasePath: "/pufa/"})
	for url, want := range map[string]int{"/pufa/": 200, "/pufa/api/search?q=遗嘱": 200, "/": 404, "/api/search?q=遗嘱": 404} {
		resp, err := http.Get(ts.URL + url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", url, resp.StatusCode, want)
		}
	}
}

// checkNoMarkup fails if any decoded JSON string holds a tag other than <mark>.
func checkNoMarkup(t *testing.T, v any) {
	t.Helper()
	switch x := v.(type) {
	case string:
		s := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(x)
		if strings.ContainsAny(s, "<>") {
			t.Errorf("JSON string carries markup: %q", x)
		}
	case []any:
		for _, e := range x {
			checkNoMarkup(t, e)
		}
	case map[string]any:
		for _, e := range x {
			checkNoMarkup(t, e)
		}
	}
}

func TestEmbedFollowsTheClock(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	tests := []struct {
		now      time.Time
		wantNow  string
		wantNext string
		wantDays int
	}{
		{time.Date(2026, 4, 1, 10, 0, 0, 0, cst), "清明节", "助残日", 39},
		// 00:30 on 7 April in Shanghai is still 6 April in UTC: the day is Shanghai's.
		{time.Date(2026, 4, 7, 0, 30, 0, 0, cst), "", "助残日", 33},
		{time.Date(2026, 5, 17, 23, 0, 0, 0, cst), "助残日", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.now.Format(time.RFC3339), func(t *testing.T) {
			now := tt.now
			ts := newTestServer(t, Options{Now: func() time.Time { return now }})
			resp, err := http.Get(ts.URL + "/embed/index.json")
			if err != nil {
				t.Fatal(err)
			}
			var d embedData
			json.NewDecoder(resp.Body).Decode(&d)
			resp.Body.Close()
			joined := func(items []embedItem) string {
				var s []string
				for _, it := range items {
					s = append(s, it.Title)
				}
				return strings.Join(s, "|")
			}
			if got := joined(d.Now); tt.wantNow == "" && got != "" || !strings.Contains(got, tt.wantNow) {
				t.Errorf("now = %q, want %q", got, tt.wantNow)
			}
			if got := joined(d.Next); tt.wantNext == "" && got != "" || !strings.Contains(got, tt.wantNext) {
				t.Errorf("next = %q, want %q", got, tt.wantNext)
			}
			if tt.wantNext != "" && (len(d.Next) == 0 || d.Next[0].DaysUntil == nil || *d.Next[0].DaysUntil != tt.wantDays) {
				t.Errorf("next[0].daysUntil = %+v, want %d", d.Next, tt.wantDays)
			}
			resp, err = http.Get(ts.URL + "/embed/")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), "<无障碍>") {
				t.Errorf("embed fragment carries unescaped title: %s", body)
			}
		})
	}
}
