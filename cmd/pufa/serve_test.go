package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pufa-gov/pufa/internal/gitsync"
	"github.com/pufa-gov/pufa/internal/pipeline"
	"github.com/pufa-gov/pufa/internal/release"
)

// syncBuffer collects a command's output while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// served is a running "pufa serve".
type served struct {
	t      *testing.T
	base   string
	stderr *syncBuffer
	// stop shuts serve down and waits for it to exit.
	stop func()
}

// startServe runs the real serve command in-process on a free port and
// returns once it answers. It is stopped when the test ends.
func startServe(t *testing.T, args ...string) *served {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	env := &Env{Stdout: stdout, Stderr: stderr, Dir: repoRoot(t)}
	done := make(chan struct{})
	var code int
	go func() {
		defer close(done)
		code = run(ctx, env, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...))
	}()
	stop := sync.OnceFunc(func() {
		cancel()
		select {
		case <-done:
			if code != 0 && !t.Failed() {
				t.Errorf("serve exited %d after shutdown:\n%s", code, stderr.String())
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not shut down")
		}
	})
	t.Cleanup(stop)
	re := regexp.MustCompile(`at (http://\S+)`)
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(stdout.String()); m != nil {
			return &served{t: t, base: m[1], stderr: stderr, stop: stop}
		}
		select {
		case <-done:
			t.Fatalf("serve exited %d:\n%s", code, stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start:\n%s", stderr.String())
	return nil
}

func (s *served) get(path string) (int, []byte) {
	s.t.Helper()
	resp, err := http.Get(s.base + strings.TrimPrefix(path, "/"))
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

type health struct {
	Status      string    `json:"status"`
	Release     string    `json:"release"`
	Built       time.Time `json:"built"`
	LastFailure *struct {
		File    string `json:"file"`
		Message string `json:"message"`
	} `json:"lastFailure"`
}

func (s *served) health() health {
	s.t.Helper()
	_, body := s.get("/healthz")
	var h health
	if err := json.Unmarshal(body, &h); err != nil {
		s.t.Fatalf("/healthz: %v: %s", err, body)
	}
	return h
}

// until polls cond every 200ms until it holds or limit passes.
func until(limit time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(200 * time.Millisecond)
	}
	return cond()
}

// smallContent writes a content folder with a home page, the search
// page and one news page, which builds in a few seconds.
func smallContent(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	writeSkeleton(t, dir)
	writePage(t, dir, "news/2026/yanglao.md", "民政局开展养老服务普法宣传", "2026-03-01T09:00:00+08:00", "民政局在社区开展养老服务法律法规宣传，讲解老年人权益保障法。")
	return dir
}

// writeSkeleton writes the pages every site needs: home and search.
func writeSkeleton(t *testing.T, dir string) {
	t.Helper()
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "_index.md"), []byte("---\ntitle: 嘉定区民政局普法专栏\ndate: 2025-03-20T09:00:00+08:00\nsource: 嘉定区民政局\n---\n民政法律法规宣传。\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "search.md"), []byte("---\ntitle: 站内搜索\nlayout: search\n---\n"), 0o644)
}

func writePage(t *testing.T, content, name, title, publish, body string) {
	t.Helper()
	p := filepath.Join(content, filepath.FromSlash(name))
	os.MkdirAll(filepath.Dir(p), 0o755)
	text := fmt.Sprintf("---\ntitle: %s\ndate: %s\npublishDate: %s\nsource: 嘉定区民政局\n---\n%s\n", title, publish, publish, body)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func searchTotal(t *testing.T, s *served, q string) int {
	t.Helper()
	code, body := s.get("/api/search?q=" + url.QueryEscape(q))
	if code != 200 {
		return -1
	}
	var res apiResult
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatalf("/api/search: %v", err)
	}
	return int(res.Total)
}

// TestScheduledPageAppears: a page written ahead of its publishDate goes
// online by itself within 60s of it in watch mode: its page, the feeds
// and search, without anyone touching a file again.
func TestScheduledPageAppears(t *testing.T) {
	content := smallContent(t)
	s := startServe(t, "--watch", "--content", content, "--out", filepath.Join(t.TempDir(), "out"))
	first := s.health()
	// The editor saves a page scheduled a little ahead. Saving triggers
	// a rebuild at once (which must leave the page out); the schedule
	// must bring it in.
	lead := 20 * time.Second
	publish := time.Now().Add(lead).Truncate(time.Second)
	writePage(t, content, "news/2026/dingshi.md", "定时发布的婚姻登记通知", publish.Format(time.RFC3339),
		"自下月起，婚姻登记处延长周六服务时间，关键词：预约登记鹤鸣。")
	online := func() (page, feed, search bool) {
		code, _ := s.get("/news/2026/dingshi/")
		_, rss := s.get("/index.xml")
		return code == 200, bytes.Contains(rss, []byte("定时发布的婚姻登记通知")), searchTotal(t, s, "鹤鸣") > 0
	}
	for time.Until(publish) > 0 {
		if p, f, q := online(); p || f || q {
			t.Fatalf("scheduled page online %v before its publishDate: page %v feed %v search %v", time.Until(publish), p, f, q)
		}
		time.Sleep(500 * time.Millisecond)
	}
	var at time.Time
	ok := until(3*time.Minute, func() bool {
		p, f, q := online()
		if p && f && q {
			at = time.Now()
			return true
		}
		return false
	})
	if !ok {
		t.Fatalf("scheduled page not online 3 min after its publishDate (release %s, first %s):\n%s", s.health().Release, first.Release, s.stderr.String())
	}
	h := s.health()
	delay := at.Sub(publish)
	t.Logf("scheduled page online %v after its publishDate; its build started %v after it", delay.Round(100*time.Millisecond), h.Built.Sub(publish).Round(100*time.Millisecond))
	// The build that published it started after the moment (before it,
	// Hugo would have left the page out).
	if h.Built.Before(publish) {
		t.Errorf("publishing build started at %v, before the publishDate %v", h.Built, publish)
	}
	if delay > 60*time.Second && !raceEnabled {
		t.Errorf("scheduled page online %v after its publishDate, want within 60s", delay)
	}
	if h.Status != "ok" {
		t.Errorf("healthz after the scheduled build: %+v", h)
	}
	_, metrics := s.get("/metrics")
	for _, want := range []string{
		`pufa_builds_total{outcome="ok"}`,
		`pufa_build_duration_seconds_count{stage="total"}`,
		`pufa_build_duration_seconds_count{stage="hugo"}`,
		`pufa_release_info{release="` + h.Release + `"} 1`,
		`pufa_index_documents 2`,
		`pufa_http_requests_total{code="200",route="GET /api/search"}`,
		`pufa_http_request_duration_seconds_bucket{route="GET /api/search"`,
	} {
		if !bytes.Contains(metrics, []byte(want)) {
			t.Errorf("/metrics after the scheduled rebuild lacks %q", want)
		}
	}
}

// TestFailedRebuildKeepsServing: a broken edit leaves the last good
// release online, /healthz names the file, and fixing it recovers.
func TestFailedRebuildKeepsServing(t *testing.T) {
	content := smallContent(t)
	s := startServe(t, "--watch", "--content", content, "--out", filepath.Join(t.TempDir(), "out"), "--log-format", "json")
	good := s.health().Release
	page := filepath.Join(content, "news", "2026", "yanglao.md")
	orig, _ := os.ReadFile(page)
	os.WriteFile(page, []byte("---\ntitle: [未闭合\n---\n正文\n"), 0o644)
	if !until(2*time.Minute, func() bool { return s.health().LastFailure != nil }) {
		t.Fatalf("no failure reported after a broken edit:\n%s", s.stderr.String())
	}
	h := s.health()
	if h.Status != "degraded" || h.Release != good || !strings.Contains(h.LastFailure.File, "yanglao.md") || h.LastFailure.Message == "" {
		t.Errorf("healthz after a failed rebuild = %+v (file %q), want degraded, release %s, the file named", h, h.LastFailure.File, good)
	}
	if code, _ := s.get("/news/2026/yanglao/"); code != 200 {
		t.Errorf("page of the last good release: %d", code)
	}
	if n := searchTotal(t, s, "养老服务"); n < 1 {
		t.Errorf("search on the last good release: %d hits", n)
	}
	os.WriteFile(page, orig, 0o644)
	if !until(2*time.Minute, func() bool { h := s.health(); return h.Release != good && h.LastFailure == nil }) {
		t.Fatalf("no recovery after the fix: %+v", s.health())
	}
	_, metrics := s.get("/metrics")
	if !bytes.Contains(metrics, []byte(`pufa_builds_total{outcome="failed"} 1`)) {
		t.Errorf("/metrics does not count the failed build")
	}
	// --log-format json: every log line is a JSON object.
	for _, line := range strings.Split(strings.TrimSpace(s.stderr.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
	}
}

// TestServeSkipsAReleaseThatDoesNotVerify: serve passes over a damaged
// newest release and serves the previous one.
func TestServeSkipsAReleaseThatDoesNotVerify(t *testing.T) {
	content := smallContent(t)
	out := filepath.Join(t.TempDir(), "out")
	for range 2 {
		if _, stderr, code := runPufa(t, "build", "--content", content, "--out", out); code != 0 {
			t.Fatalf("build: %s", stderr)
		}
	}
	o := release.Out{Root: out}
	newest, dir, err := o.Current()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(`{"pages":[]}`), 0o644)
	s := startServe(t, "--content", content, "--out", out)
	h := s.health()
	if h.Release == "" || h.Release == newest.ID {
		t.Fatalf("serving %q, want the release before the damaged %s", h.Release, newest.ID)
	}
	if !strings.Contains(s.stderr.String(), "release skipped") {
		t.Errorf("no log line about the skipped release:\n%s", s.stderr.String())
	}
	if cur, _, err := o.Current(); err != nil || cur.ID != h.Release {
		t.Errorf("current = %s (%v), want it pointed back at %s", cur.ID, err, h.Release)
	}
}

// TestHookPullsAndBuilds: a signed push notification makes serve pull the
// content repository and publish the new commit.
func TestHookPullsAndBuilds(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	gitEnv := append(os.Environ(), "GIT_AUTHOR_NAME=编辑", "GIT_AUTHOR_EMAIL=e@example.gov.cn",
		"GIT_COMMITTER_NAME=编辑", "GIT_COMMITTER_EMAIL=e@example.gov.cn", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	git := func(in string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = in, gitEnv
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	origin := filepath.Join(dir, "origin.git")
	git(dir, "init", "--quiet", "--bare", "--initial-branch=main", origin)
	editor := filepath.Join(dir, "editor")
	git(dir, "clone", "--quiet", origin, editor)
	writeSkeleton(t, editor)
	writePage(t, editor, "news/2026/yanglao.md", "民政局开展养老服务普法宣传", "2026-03-01T09:00:00+08:00", "讲解老年人权益保障法。")
	git(editor, "add", ".")
	git(editor, "commit", "--quiet", "-m", "first")
	git(editor, "push", "--quiet", "origin", "HEAD:main")
	checkout := filepath.Join(dir, "checkout")
	git(dir, "clone", "--quiet", "--branch", "main", origin, checkout)
	secretFile := filepath.Join(dir, "hook-secret")
	secret := "s3cret-for-the-test-hook-0123456789"
	os.WriteFile(secretFile, []byte(secret+"\n"), 0o600)

	s := startServe(t, "--content", checkout, "--out", filepath.Join(dir, "out"), "--hook-secret-file", secretFile)
	first := s.health().Release
	writePage(t, editor, "news/2026/xinwen.md", "残疾人两项补贴申领指引", "2026-03-02T09:00:00+08:00", "关键词：两项补贴蓝鹊。")
	git(editor, "add", ".")
	git(editor, "commit", "--quiet", "-m", "second")
	git(editor, "push", "--quiet", "origin", "HEAD:main")

	post := func(body []byte, sig, id string) int {
		req, _ := http.NewRequest("POST", s.base+"hooks/git", bytes.NewReader(body))
		if sig != "" {
			req.Header.Set("X-Hub-Signature-256", sig)
		}
		req.Header.Set("X-GitHub-Delivery", id)
		req.Header.Set("X-GitHub-Event", "push")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	body := []byte(`{"ref":"refs/heads/main"}`)
	if c := post(body, gitsync.Sign([]byte("wrong-secret-0123456789"), body), "x-1"); c != 403 {
		t.Errorf("hook with a wrong signature: %d", c)
	}
	if c := post(body, "", "x-2"); c != 401 {
		t.Errorf("hook without a signature: %d", c)
	}
	time.Sleep(2 * time.Second)
	if h := s.health(); h.Release != first {
		t.Fatalf("rejected deliveries changed the release: %+v", h)
	}
	if c := post(body, gitsync.Sign([]byte(secret), body), "d-1"); c != 202 {
		t.Fatalf("signed hook: %d", c)
	}
	if !until(2*time.Minute, func() bool { return searchTotal(t, s, "蓝鹊") > 0 }) {
		t.Fatalf("pushed page not searchable after the hook:\n%s", s.stderr.String())
	}
	if code, _ := s.get("/news/2026/xinwen/"); code != 200 {
		t.Errorf("pushed page: %d", code)
	}
	if c := post(body, gitsync.Sign([]byte(secret), body), "d-1"); c != 200 {
		t.Errorf("replayed delivery: %d, want 200", c)
	}
}

func TestRebuilderRunsOneAndQueuesOne(t *testing.T) {
	var running, maxRunning, builds atomic.Int32
	release := make(chan struct{})
	var got []request
	var mu sync.Mutex
	rb := newRebuilder(func(ctx context.Context, r request) {
		n := running.Add(1)
		if n > maxRunning.Load() {
			maxRunning.Store(n)
		}
		mu.Lock()
		got = append(got, r)
		mu.Unlock()
		builds.Add(1)
		<-release
		running.Add(-1)
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go rb.Loop(ctx)
	rb.Build("first")
	until(5*time.Second, func() bool { return running.Load() == 1 })
	// While the first runs, a burst of requests: they merge into one.
	for i := range 20 {
		if i%2 == 0 {
			rb.Build(fmt.Sprint("change ", i))
		} else {
			rb.Pull(fmt.Sprint("hook ", i))
		}
	}
	release <- struct{}{}
	until(5*time.Second, func() bool { return builds.Load() == 2 })
	release <- struct{}{}
	time.Sleep(100 * time.Millisecond)
	if builds.Load() != 2 || maxRunning.Load() != 1 {
		t.Fatalf("%d builds, at most %d at once; want 2 builds, 1 at once", builds.Load(), maxRunning.Load())
	}
	mu.Lock()
	defer mu.Unlock()
	if !got[1].pull || !got[1].build || len(got[1].reasons) < 2 {
		t.Errorf("queued request = %+v, want pull and build merged", got[1])
	}
}

func TestPublisherSchedule(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	content := filepath.Join(t.TempDir(), "content")
	writePage(t, content, "news/a.md", "已发布", "2026-03-01T09:00:00+08:00", "正文")
	tests := []struct {
		name    string
		now     time.Time
		page    string // publishDate of a second page; "" for none
		want    time.Time
		wantWhy string
	}{
		{"midnight in Shanghai, not UTC", time.Date(2026, 3, 20, 23, 30, 0, 0, cst), "", time.Date(2026, 3, 21, 0, 0, 0, 0, cst), "midnight"},
		{"late UTC evening is the next morning in Shanghai", time.Date(2026, 3, 20, 17, 0, 0, 0, time.UTC), "", time.Date(2026, 3, 22, 0, 0, 0, 0, cst), "midnight"},
		{"publishDate before midnight", time.Date(2026, 3, 20, 8, 0, 0, 0, cst), "2026-03-20T09:30:00+08:00", time.Date(2026, 3, 20, 9, 30, 0, 0, cst), "scheduled"},
		{"publishDate after midnight", time.Date(2026, 3, 20, 8, 0, 0, 0, cst), "2026-03-25T09:30:00+08:00", time.Date(2026, 3, 21, 0, 0, 0, 0, cst), "midnight"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(filepath.Join(content, "news", "b.md"))
			if tt.page != "" {
				writePage(t, content, "news/b.md", "预告", tt.page, "正文")
			}
			p := newPublisher(optionsFor(content), nil, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
			p.now = func() time.Time { return tt.now }
			p.reschedule("", tt.now)
			p.mu.Lock()
			next, why := p.next, p.why
			p.mu.Unlock()
			if !next.Equal(tt.want.Add(scheduleMargin)) || !strings.HasPrefix(why, tt.wantWhy) {
				t.Errorf("next rebuild %v (%s), want %v (%s)", next.In(cst), why, tt.want.Add(scheduleMargin), tt.wantWhy)
			}
		})
	}
}

func TestFailureNamesTheFile(t *testing.T) {
	tests := []struct{ err, want string }{
		{`build: hugo: "/srv/site/content/news/2026/a.md:3:1": failed to unmarshal YAML`, "/srv/site/content/news/2026/a.md:3"},
		{`build: hugo: render of "home" failed: "/srv/themes/pufa/layouts/home.html:12:5": execute of template failed`, "/srv/themes/pufa/layouts/home.html:12"},
		{"build: verify: index has 3 documents, built 4", ""},
	}
	for _, tt := range tests {
		if got := failureOf(fmt.Errorf("%s", tt.err), time.Now()).File; got != tt.want {
			t.Errorf("failureOf(%q).File = %q, want %q", tt.err, got, tt.want)
		}
	}
}

// optionsFor are build options for the repository's site with content.
func optionsFor(content string) pipeline.Options {
	root, _ := filepath.Abs("../..")
	return pipeline.Options{Site: filepath.Join(root, "site"), Content: content}
}
