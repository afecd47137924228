package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/pufa-gov/pufa/internal/testenv"
)

// repoRoot is the repository root (two levels up from cmd/pufa).
func repoRoot(t testing.TB) string {
	return testenv.RepoRoot(t)
}

// runPufa runs the real program in-process from the repository root.
func runPufa(t testing.TB, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Dir: repoRoot(t)}
	code = run(context.Background(), env, args)
	return out.String(), errb.String(), code
}

var (
	defaultBuildOnce sync.Once
	defaultBuildOut  string
	defaultBuildErr  string
)

// defaultBuild builds the repository's default content once per test run.
func defaultBuild(t *testing.T) string {
	t.Helper()
	defaultBuildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pufa-e2e-")
		if err != nil {
			defaultBuildErr = err.Error()
			return
		}
		out := filepath.Join(dir, "out")
		_, stderr, code := runPufa(t, "build", "--out", out)
		if code != 0 {
			defaultBuildErr = stderr
			return
		}
		defaultBuildOut = out
	})
	if defaultBuildErr != "" {
		t.Fatalf("pufa build of the default content failed:\n%s", defaultBuildErr)
	}
	return defaultBuildOut
}

type apiResult struct {
	Total uint64 `json:"total"`
	Hits  []struct {
		URL, Title, Type, Law, Article, Snippet string
	} `json:"hits"`
}

func TestBuildAndSearchDefaultContent(t *testing.T) {
	out := defaultBuild(t)
	tests := []struct {
		query       string
		wantURL     string // a substring of a top hit's URL
		wantArticle string
		within      int    // the hit must be among the first `within`
		suggestion  string // the "did you mean" the result must carry
	}{
		// The law's own article and the law's own pages come first, before
		// the news, catalog entries and campaigns that explain them.
		{query: "打印遗嘱", wantURL: "/laws/minfadian-jichengbian/#a1136", wantArticle: "第一千一百三十六条", within: 1},
		{query: "民法典", wantURL: "/laws/minfadian-", within: 1},
		{query: "离婚冷静期", wantURL: "/laws/minfadian-hunyinjiatingbian/#a1077", wantArticle: "第一千零七十七条", within: 3},
		{query: "高空抛物", wantURL: "/laws/minfadian-qinquanzerenbian/#a1254", wantArticle: "第一千二百五十四条", within: 3},
		{query: "minfadian", wantURL: "/laws/minfadian-", within: 1, suggestion: "民法典"},
		{query: "婚", wantURL: "hunyin", within: 3},
		{query: "残疾人保帐法", wantURL: "/laws/canjirenbaozhangfa/", within: 3, suggestion: "残疾人保障法"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			stdout, stderr, code := runPufa(t, "search", "--out", out, "--json", tt.query)
			if code != 0 {
				t.Fatalf("pufa search %q: exit %d: %s", tt.query, code, stderr)
			}
			var res apiResult
			if err := json.Unmarshal([]byte(stdout), &res); err != nil {
				t.Fatalf("decode: %v\n%s", err, stdout)
			}
			var extra struct {
				Suggestion string `json:"suggestion"`
			}
			if err := json.Unmarshal([]byte(stdout), &extra); err != nil {
				t.Fatalf("decode: %v\n%s", err, stdout)
			}
			if res.Total == 0 || len(res.Hits) == 0 {
				t.Fatalf("search %q: no hits", tt.query)
			}
			found := false
			for i, h := range res.Hits {
				if i == tt.within {
					break
				}
				if strings.Contains(h.URL, tt.wantURL) && (tt.wantArticle == "" || h.Article == tt.wantArticle) {
					found = true
				}
			}
			if !found {
				t.Errorf("search %q: no hit with URL %q (article %q) among the first %d: %+v", tt.query, tt.wantURL, tt.wantArticle, tt.within, res.Hits)
			}
			if extra.Suggestion != tt.suggestion {
				t.Errorf("search %q: suggestion %q, want %q", tt.query, extra.Suggestion, tt.suggestion)
			}
		})
	}
}

func TestDefaultBuildFeedsParse(t *testing.T) {
	out := defaultBuild(t)
	p := gofeed.NewParser()
	for _, name := range []string{"index.xml", "atom.xml", "feed.json"} {
		f, err := os.Open(filepath.Join(out, "public", name))
		if err != nil {
			t.Fatal(err)
		}
		feed, err := p.Parse(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(feed.Items) == 0 {
			t.Errorf("%s: no items", name)
		}
	}
	ics, err := os.ReadFile(filepath.Join(out, "public", "campaigns.ics"))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(ics, []byte("BEGIN:VEVENT\r\n")); n < 9 {
		t.Errorf("campaigns.ics has %d events, want at least the 9 campaigns of 2026", n)
	}
	home, err := os.ReadFile(filepath.Join(out, "public", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`<link[^>]+rel="?alternate"?[^>]+application/rss\+xml[^>]+index\.xml`).Match(home) {
		t.Errorf("home page does not link its RSS feed in <head>")
	}
}

// treeHash hashes every file's path, mode and content under dir, without
// following links, so any change to an output directory shows.
func treeHash(t *testing.T, dir string) map[string]string {
	t.Helper()
	sums := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			sums[rel] = "link:" + target
		case fi.IsDir():
			sums[rel] = "dir"
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h := sha256.Sum256(data)
			sums[rel] = fi.Mode().String() + hex.EncodeToString(h[:])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sums
}

func TestFailedBuildKeepsPreviousOut(t *testing.T) {
	root := repoRoot(t)
	tmp := t.TempDir()
	content := filepath.Join(tmp, "content")
	if err := os.CopyFS(content, os.DirFS(filepath.Join(root, "content"))); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "out")
	if _, stderr, code := runPufa(t, "build", "--content", content, "--out", out); code != 0 {
		t.Fatalf("first build failed: %s", stderr)
	}
	before := treeHash(t, out)

	// Break one page's front matter.
	bad := filepath.Join(content, "news", "broken.md")
	os.MkdirAll(filepath.Dir(bad), 0o755)
	if err := os.WriteFile(bad, []byte("---\ntitle: [未闭合\ndate: 2026-01-01T09:00:00+08:00\n---\n正文\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runPufa(t, "build", "--content", content, "--out", out)
	if code == 0 {
		t.Fatal("build over broken front matter succeeded")
	}
	if !strings.Contains(stderr, "broken.md") {
		t.Errorf("error does not name the file:\n%s", stderr)
	}
	after := treeHash(t, out)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed after a failed build", k)
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			t.Errorf("%s appeared after a failed build", k)
		}
	}
}

// lineWriter hands each complete line written to it to a channel.
type lineWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	lines chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for {
		line, err := w.buf.ReadString('\n')
		if err != nil {
			w.buf.WriteString(line)
			return len(p), nil
		}
		select {
		case w.lines <- strings.TrimSpace(line):
		default:
		}
	}
}

func TestServeEndToEnd(t *testing.T) {
	out := defaultBuild(t)
	ctx, cancel := context.WithCancel(context.Background())
	lw := &lineWriter{lines: make(chan string, 16)}
	var errb bytes.Buffer
	env := &Env{Stdout: lw, Stderr: &errb, Dir: repoRoot(t)}
	done := make(chan int, 1)
	go func() { done <- run(ctx, env, []string{"serve", "--out", out, "--addr", "127.0.0.1:0"}) }()
	var base string
	select {
	case line := <-lw.lines:
		m := regexp.MustCompile(`at (http://\S+)`).FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("unexpected serve output %q", line)
		}
		base = m[1]
	case code := <-done:
		t.Fatalf("serve exited %d: %s", code, errb.String())
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start")
	}
	get := func(path string) (*http.Response, []byte) {
		t.Helper()
		resp, err := http.Get(base + strings.TrimPrefix(path, "/"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	resp, body := get("/api/search?q=" + "打印遗嘱")
	if resp.StatusCode != 200 {
		t.Fatalf("/api/search: %d %s", resp.StatusCode, body)
	}
	var res apiResult
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Total == 0 {
		t.Errorf("/api/search?q=打印遗嘱: no hits")
	}
	resp, body = get("/search/?q=" + "民法典")
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("pf-result")) {
		t.Errorf("/search: %d, results missing", resp.StatusCode)
	}
	resp, _ = get("/healthz")
	if resp.StatusCode != 200 {
		t.Errorf("/healthz: %d", resp.StatusCode)
	}
	resp, _ = get("/")
	if resp.StatusCode != 200 {
		t.Errorf("/: %d", resp.StatusCode)
	}
	// A taxonomy term's feed, under its Chinese name (regression: term
	// feeds were written to a percent-encoded folder and never served).
	resp, body = get("/departments/" + url.PathEscape("社会事务科") + "/index.xml")
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("<rss")) {
		t.Errorf("term feed: %d %.80s", resp.StatusCode, body)
	}
	// Precompressed copies are served to clients that accept gzip.
	req, _ := http.NewRequest("GET", base+"index.xml", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	gz, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	gz.Body.Close()
	if gz.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("index.xml with Accept-Encoding: gzip: Content-Encoding %q", gz.Header.Get("Content-Encoding"))
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after shutdown: %s", code, errb.String())
		}
	case <-time.After(15 * time.Second):
		t.Error("serve did not shut down")
	}
}

// defaultPage returns the HTML of the page at path (laws/cishanfa) in the
// default build.
func defaultPage(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(defaultBuild(t), "public", path, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLawVersionsListed: each version of a law lists every version of the
// same lawKey, newest first, marking its own and linking the others; a
// law with one version lists none.
func TestLawVersionsListed(t *testing.T) {
	versions := regexp.MustCompile(`(?s)<section class="pf-versions".*?</section>`)
	for _, tt := range []struct {
		path, own, other string
	}{
		{"laws/cishanfa", "2023-12-29", `href="/laws/cishanfa-2016-03-16/">2016-03-16`},
		{"laws/cishanfa-2016-03-16", "2016-03-16", `href="/laws/cishanfa/">2023-12-29`},
	} {
		sec := versions.FindString(defaultPage(t, tt.path))
		if sec == "" {
			t.Errorf("%s: no list of versions", tt.path)
			continue
		}
		if !strings.Contains(sec, `<span aria-current="page">`+tt.own) || !strings.Contains(sec, tt.other) {
			t.Errorf("%s: versions list does not mark %s and link %s:\n%s", tt.path, tt.own, tt.other, sec)
		}
		if strings.Index(sec, "2023-12-29") > strings.Index(sec, "2016-03-16") {
			t.Errorf("%s: versions not newest first:\n%s", tt.path, sec)
		}
	}
	if sec := versions.FindString(defaultPage(t, "laws/canjirenbaozhangfa")); sec != "" {
		t.Errorf("a law with one version lists versions:\n%s", sec)
	}
}

// TestContentLinks: Markdown links render through the link hook: a link
// to content resolves to the page, another site's is marked external, an
// article's own number stays a fragment.
func TestContentLinks(t *testing.T) {
	for _, tt := range []struct{ path, want string }{
		{"catalog/jijinhui", `<a href="/catalog/cishan/">慈善法普法责任</a>`},
		{"news/2025/fazhixuanchuanjiaoyufa-shishi", `<a href="https://flk.npc.gov.cn/" rel="external">`},
		{"laws/cishanfa", `<a href="#a8">第八条</a>`},
	} {
		if !strings.Contains(defaultPage(t, tt.path), tt.want) {
			t.Errorf("%s has no %s", tt.path, tt.want)
		}
	}
}
