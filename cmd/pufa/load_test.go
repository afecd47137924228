package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pufa-gov/pufa/indexer/zh"
	"github.com/pufa-gov/pufa/internal/testenv"
)

// The load tests run only with PUFA_LOAD=1: they take minutes and want the
// machine to themselves. See BENCHMARKS.md, "Serving under load":
//
//	PUFA_LOAD=1 go test -run 'TestLoad|TestEditLatency' -v -timeout 60m ./cmd/pufa
//
// PUFA_LOAD_OUT=DIR keeps (or reuses) the built corpus site in DIR.
func needLoad(t *testing.T) {
	t.Helper()
	if os.Getenv("PUFA_LOAD") != "1" {
		t.Skip("load test: set PUFA_LOAD=1 to run")
	}
}

// corpusSite builds the default content plus every law of the corpus,
// once, into PUFA_LOAD_OUT or a temporary folder.
func corpusSite(t *testing.T) string {
	t.Helper()
	corpus := testenv.LawCorpus(t)
	out := os.Getenv("PUFA_LOAD_OUT")
	if out == "" {
		out = filepath.Join(t.TempDir(), "out")
	}
	if _, err := os.Stat(filepath.Join(out, "current", "READY")); err == nil {
		t.Logf("reusing the corpus site in %s", out)
		return out
	}
	content := filepath.Join(filepath.Dir(out), "corpus-content")
	os.RemoveAll(content)
	if err := os.CopyFS(content, os.DirFS(filepath.Join(repoRoot(t), "content"))); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, stderr, code := runPufa(t, "import", "laws", "--into", filepath.Join(content, "laws"), corpus); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	t.Logf("imported the corpus in %v", time.Since(start).Round(time.Second))
	start = time.Now()
	stdout, stderr, code := runPufa(t, "build", "--content", content, "--out", out)
	if code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	t.Logf("built the corpus site in %v: %s", time.Since(start).Round(time.Second), strings.TrimSpace(stdout))
	return out
}

// loadQueries are what residents type: plain words, phrases, law names,
// pinyin, with filters now and then.
var loadQueries = []string{
	"离婚冷静期", "打印遗嘱", "养老院消防", "遗嘱见证人", "最低生活保障", "特困人员供养", "残疾人就业",
	"未成年人保护", "家庭暴力", "收养登记", "婚姻登记", "殡葬管理", "公益性公墓", "慈善组织", "慈善信托",
	"社会团体登记", "基金会", "村民委员会选举", "居民委员会", "地名管理", "流浪乞讨", "临时救助",
	"老年人权益保障", "赡养义务", "监护人", "继承权", "法定继承", "抚养费", "结婚登记需要什么材料",
	"民法典", "宪法", "行政处罚", "行政复议", "劳动合同", "yanglao", "hunyin", "养老 服务", "法律援助",
	"消防安全", "无障碍环境建设", "志愿服务", "社会救助", "军人抚恤优待", "退役军人", "第一千一百三十六条",
}

func loadURL(rng *rand.Rand) string {
	v := url.Values{"q": {loadQueries[rng.IntN(len(loadQueries))]}}
	switch rng.IntN(10) {
	case 0:
		v.Set("type", "article")
	case 1:
		v.Set("type", "law")
	case 2:
		v.Set("page", "2")
	}
	return "api/search?" + v.Encode()
}

type loadResult struct {
	name     string
	requests int
	errors   int
	firstErr string
	elapsed  time.Duration
	lat      []time.Duration
}

func (r loadResult) pct(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	s := slices.Clone(r.lat)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

func (r loadResult) row() string {
	return fmt.Sprintf("| %s | %d | %.0f | %.1f | %.1f | %d |", r.name, r.requests,
		float64(r.requests)/r.elapsed.Seconds(), ms(r.pct(0.50)), ms(r.pct(0.99)), r.errors)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func loadClient(conc int) *http.Client {
	return &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns: conc, MaxIdleConnsPerHost: conc, IdleConnTimeout: time.Minute,
			DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		},
	}
}

// closedLoop runs conc workers that each send the next request as soon as
// the previous one is answered, for d.
func closedLoop(base string, conc int, d time.Duration, next func(*rand.Rand) string) loadResult {
	client := loadClient(conc)
	defer client.CloseIdleConnections()
	var mu sync.Mutex
	res := loadResult{name: fmt.Sprintf("/api/search, concurrency %d", conc)}
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range conc {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			var lat []time.Duration
			var errs int
			var first string
			for time.Now().Before(deadline) {
				t0 := time.Now()
				if err := fetch(client, base+next(rng)); err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
					continue
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			res.requests += len(lat) + errs
			res.errors += errs
			if res.firstErr == "" {
				res.firstErr = first
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// fixedRate sends rate requests a second for d whatever the answers take
// (an open loop: a slow server does not slow the senders down).
func fixedRate(base string, rate int, d time.Duration, paths []string) loadResult {
	client := loadClient(256)
	defer client.CloseIdleConnections()
	res := loadResult{name: fmt.Sprintf("static pages, %d/s fixed rate", rate)}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var inflight atomic.Int32
	interval := time.Second / time.Duration(rate)
	start := time.Now()
	for i := 0; time.Since(start) < d; i++ {
		if wait := time.Until(start.Add(time.Duration(i) * interval)); wait > 0 {
			time.Sleep(wait)
		}
		if inflight.Load() > 2000 {
			mu.Lock()
			res.errors++
			res.requests++
			mu.Unlock()
			continue
		}
		inflight.Add(1)
		p := paths[i%len(paths)]
		wg.Go(func() {
			defer inflight.Add(-1)
			t0 := time.Now()
			err := fetch(client, base+p)
			mu.Lock()
			res.requests++
			if err != nil {
				res.errors++
				if res.firstErr == "" {
					res.firstErr = err.Error()
				}
			} else {
				res.lat = append(res.lat, time.Since(t0))
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// loadDuration is how long each phase of a load test runs: 30 s, or
// PUFA_LOAD_SECONDS.
func loadDuration() time.Duration {
	if v := os.Getenv("PUFA_LOAD_SECONDS"); v != "" {
		if d, err := time.ParseDuration(v + "s"); err == nil {
			return d
		}
	}
	return 30 * time.Second
}

// logReport logs the rows of a load test as a table, and writes it to
// PUFA_LOAD_REPORT when set.
func logReport(t *testing.T, rows []string) {
	report := "| load | requests | req/s | p50 ms | p99 ms | errors |\n|---|---:|---:|---:|---:|---:|\n" + strings.Join(rows, "\n") + "\n"
	t.Logf("\n%s", report)
	if f := os.Getenv("PUFA_LOAD_REPORT"); f != "" {
		os.WriteFile(f, []byte(report), 0o644)
	}
}

func fetch(c *http.Client, u string) error {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %d", u, resp.StatusCode)
	}
	return nil
}

// TestLoad measures /api/search over the whole law corpus at concurrency
// 1, 16 and 64 for 30s each, static pages at a fixed rate, and then holds
// concurrency 64 for 60s, which must answer every request.
func TestLoad(t *testing.T) {
	needLoad(t)
	out := corpusSite(t)
	s := startServe(t, "--out", out, "--access-log=false")
	t.Logf("serving %s", s.health().Release)
	// Warm the index and the page cache, as a server that has run a while.
	closedLoop(s.base, 4, 5*time.Second, loadURL)

	dur := loadDuration()
	var rows []string
	for _, c := range []int{1, 16, 64} {
		r := closedLoop(s.base, c, dur, loadURL)
		rows = append(rows, r.row())
		t.Log(r.row())
		if r.errors > 0 {
			t.Logf("  first error: %s", r.firstErr)
		}
	}
	static := []string{"", "laws/", "catalog/", "campaigns/", "news/", "index.xml", "catalog.json", "campaigns.ics",
		"laws/minfadian-jichengbian/", "laws/laonianrenquanyibaozhangfa/", "search/", "sitemap.xml"}
	for _, rate := range []int{200, 1000} {
		r := fixedRate(s.base, rate, dur, static)
		rows = append(rows, r.row())
		t.Log(r.row())
		if r.errors > 0 {
			t.Logf("  first error: %s", r.firstErr)
		}
	}
	soak := closedLoop(s.base, 64, 2*dur, loadURL)
	soak.name = fmt.Sprintf("/api/search, concurrency 64, %v", 2*dur)
	rows = append(rows, soak.row())
	t.Log(soak.row())
	if soak.errors > 0 {
		t.Errorf("%d errors in %d requests at concurrency 64; first: %s", soak.errors, soak.requests, soak.firstErr)
	}
	logReport(t, rows)
	_, metrics := s.get("/metrics")
	for _, line := range strings.Split(string(metrics), "\n") {
		if strings.HasPrefix(line, "pufa_http_requests_total") && strings.Contains(line, "search") {
			t.Log(line)
		}
	}
}

// TestEditLatency measures how long an edit to the default content takes
// to become searchable in watch mode.
func TestEditLatency(t *testing.T) {
	needLoad(t)
	content := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(content, os.DirFS(filepath.Join(repoRoot(t), "content"))); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, "--watch", "--content", content, "--out", filepath.Join(t.TempDir(), "out"), "--access-log=false")
	var runs []time.Duration
	for i, word := range []string{"青鸾", "玄鹤", "白鹭"} {
		page := filepath.Join(content, "news", "2026")
		entries, _ := os.ReadDir(page)
		var target string
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".md") {
				target = filepath.Join(page, e.Name())
				break
			}
		}
		data, err := os.ReadFile(target)
		if err != nil {
			t.Fatal(err)
		}
		edited := time.Now()
		os.WriteFile(target, append(data, []byte("\n本次更新的检索标记："+word+"。\n")...), 0o644)
		if !until(5*time.Minute, func() bool { return searchTotal(t, s, word) > 0 }) {
			t.Fatalf("edit %d not searchable after 5 minutes:\n%s", i, s.stderr.String())
		}
		runs = append(runs, time.Since(edited))
		t.Logf("edit %d searchable after %v", i, runs[i].Round(10*time.Millisecond))
		time.Sleep(2 * time.Second)
	}
	_, metrics := s.get("/metrics")
	for _, line := range strings.Split(string(metrics), "\n") {
		if strings.HasPrefix(line, "pufa_build_duration_seconds_sum") {
			t.Log(line)
		}
	}
	t.Logf("serve log:\n%s", s.stderr.String())
	slices.Sort(runs)
	median := runs[len(runs)/2]
	t.Logf("edit → searchable: median %v over %d edits (target 5s)", median.Round(10*time.Millisecond), len(runs))
	if median > 5*time.Second && !raceEnabled {
		t.Errorf("an edit takes %v to become searchable, want at most 5s", median)
	}
}

// longTailQueries returns n distinct two-word queries, each two words of
// one line of a law of the corpus: what residents ask once and never
// again, so no cache answers them.
func longTailQueries(t *testing.T, corpus string, n int) []string {
	t.Helper()
	var files []string
	filepath.WalkDir(corpus, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatalf("no law files under %s", corpus)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	seen := map[string]bool{}
	var out []string
	for tries := 0; len(out) < n && tries < 50*n; tries++ {
		b, err := os.ReadFile(files[rng.IntN(len(files))])
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		var words []string
		for _, w := range zh.SegmentWords(lines[rng.IntN(len(lines))]) {
			if utf8.RuneCountInString(w.Text) >= 2 && isHanWord(w.Text) && !slices.Contains(words, w.Text) {
				words = append(words, w.Text)
			}
		}
		if len(words) < 3 {
			continue
		}
		i, j := rng.IntN(len(words)), rng.IntN(len(words)-1)
		if j >= i {
			j++
		}
		q := words[i] + " " + words[j]
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out
}

func isHanWord(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// searchMix sends half popular questions (the same few dozen, which the
// result cache answers after their first time) and half long-tail
// two-word queries, each sent once.
func searchMix(tail []string) func(*rand.Rand) string {
	var next atomic.Int64
	return func(rng *rand.Rand) string {
		q := loadQueries[rng.IntN(len(loadQueries))]
		if rng.IntN(2) == 0 {
			q = tail[int(next.Add(1)-1)%len(tail)]
		}
		return "api/search?" + url.Values{"q": {q}}.Encode()
	}
}

// TestSearchMix measures /api/search over the whole law corpus with
// highlighted snippets, half popular and half long-tail queries: one
// client alone, then 16 at once (BENCHMARKS.md, "Serving under load").
func TestSearchMix(t *testing.T) {
	needLoad(t)
	out := corpusSite(t)
	tail := longTailQueries(t, testenv.LawCorpus(t), 60000)
	t.Logf("%d long-tail queries, e.g. %q", len(tail), tail[:5])
	s := startServe(t, "--out", out, "--access-log=false")
	dur := loadDuration()
	// Warm the page cache and the popular questions' results, as a
	// server that has run a while; the long tail stays unseen.
	closedLoop(s.base, 2, 5*time.Second, func(rng *rand.Rand) string {
		return "api/search?" + url.Values{"q": {loadQueries[rng.IntN(len(loadQueries))]}}.Encode()
	})
	mix := searchMix(tail)
	var rows []string
	for _, c := range []int{1, 16} {
		r := closedLoop(s.base, c, dur, mix)
		r.name = fmt.Sprintf("/api/search, half popular, half long tail, concurrency %d", c)
		rows = append(rows, r.row())
		t.Log(r.row())
		if r.errors > 0 {
			t.Errorf("%d errors in %d requests; first: %s", r.errors, r.requests, r.firstErr)
		}
	}
	logReport(t, rows)
}
