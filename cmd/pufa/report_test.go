package main

import (
	"encoding/json"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pufa-gov/pufa/internal/searchstats"
)

// writeStats writes day files into OUT/stats.
func writeStats(t *testing.T, out string, days map[string]string) {
	t.Helper()
	dir := filepath.Join(out, searchstats.Dir)
	os.MkdirAll(dir, 0o755)
	for date, body := range days {
		if err := os.WriteFile(filepath.Join(dir, searchstats.FileName(date)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// inOrder reports whether the strings occur in s in this order.
func inOrder(s string, parts ...string) bool {
	for _, p := range parts {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}

func TestReportSearches(t *testing.T) {
	out := t.TempDir()
	writeStats(t, out, map[string]string{
		"2026-05-18": `{"date":"2026-05-18","queries":[{"query":"旧词","searches":50,"no_results":50,"last_total":0}]}`,
		"2026-05-19": `{"date":"2026-05-19","queries":[
			{"query":"低保","searches":5,"no_results":0,"last_total":40},
			{"query":"电子遗嘱","searches":3,"no_results":0,"last_total":1},
			{"query":"打印遗嘱","searches":2,"no_results":2,"last_total":0}]}`,
		"2026-05-20": `{"date":"2026-05-20","queries":[
			{"query":"无障碍","searches":7,"no_results":0,"last_total":2},
			{"query":"低保","searches":4,"no_results":0,"last_total":41},
			{"query":"殡葬补贴","searches":2,"no_results":2,"last_total":0},
			{"query":"打印遗嘱","searches":1,"no_results":0,"last_total":6}],
			"other":{"searches":3,"no_results":1}}`,
	})
	stdout, stderr, code := runPufa(t, "report", "searches", "--out", out, "--since", "2026-05-19")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"2026-05-19 至 2026-05-20", "27 次搜索（其中 5 次没有结果）", "少于 3 条", "另有 3 次搜索"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "旧词") {
		t.Errorf("--since 2026-05-19 reports a query of 2026-05-18:\n%s", stdout)
	}
	top, rest, _ := strings.Cut(stdout, "二、")
	unanswered, poor, _ := strings.Cut(rest, "三、")
	poor, _, _ = strings.Cut(poor, "另有")
	if !inOrder(top, "最常搜索", "低保", "无障碍", "打印遗嘱", "电子遗嘱", "殡葬补贴") {
		t.Errorf("most frequent not in order 低保 9, 无障碍 7, 打印遗嘱 3, 电子遗嘱 3, 殡葬补贴 2:\n%s", top)
	}
	if !strings.Contains(unanswered, "殡葬补贴") || strings.Contains(unanswered, "打印遗嘱") {
		t.Errorf("no results: want 殡葬补贴 only (打印遗嘱 finds results since):\n%s", unanswered)
	}
	if !inOrder(poor, "无障碍", "电子遗嘱") || strings.Contains(poor, "低保") {
		t.Errorf("poor results: want 无障碍 then 电子遗嘱:\n%s", poor)
	}

	stdout, stderr, code = runPufa(t, "report", "searches", "--out", out, "--json", "--top", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep searchReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if rep.From != "2026-05-18" || len(rep.Top) != 2 || rep.Top[0].Query != "旧词" || rep.Top[1].Query != "低保" || rep.Top[1].Searches != 9 {
		t.Errorf("json = %+v, want from 2026-05-18, top 旧词 then 低保 ×9", rep)
	}

	for _, args := range [][]string{
		{"report"}, {"report", "clicks"}, {"report", "searches", "--since", "20.5.2026"}, {"report", "searches", "--top", "0"},
	} {
		if _, _, code := runPufa(t, append(args, "--out", out)...); code != 2 {
			t.Errorf("pufa %s: exit %d, want 2", strings.Join(args, " "), code)
		}
	}
	stdout, _, code = runPufa(t, "report", "searches", "--out", filepath.Join(out, "none"))
	if code != 0 || !strings.Contains(stdout, "还没有搜索统计") {
		t.Errorf("no statistics: exit %d:\n%s", code, stdout)
	}
}

// TestServeSearchReport: residents' searches on a running server end up
// in the report, counted by their normalised text, beside the web root
// and without their addresses.
func TestServeSearchReport(t *testing.T) {
	content := smallContent(t)
	out := filepath.Join(t.TempDir(), "out")
	s := startServe(t, "--content", content, "--out", out, "--access-log=false")
	for _, path := range []string{
		"/api/search?q=" + url.QueryEscape("养老服务"),
		"/search/?q=" + url.QueryEscape(" 养老服务　"),
		"/api/search?q=" + url.QueryEscape("养老服务") + "&page=2&size=1",
		"/api/search?q=" + url.QueryEscape("火星移民"),
	} {
		if code, body := s.get(path); code != 200 {
			t.Fatalf("GET %s: %d %s", path, code, body)
		}
	}
	s.stop() // writes the statistics
	files, _ := filepath.Glob(filepath.Join(out, searchstats.Dir, "searches-*.json"))
	if len(files) != 1 {
		t.Fatalf("statistics files %q, want one", files)
	}
	b, _ := os.ReadFile(files[0])
	if strings.Contains(string(b), "127.0.0.1") {
		t.Errorf("statistics hold the client's address:\n%s", b)
	}
	filepath.WalkDir(filepath.Join(out, "releases"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), "searches-") {
			t.Errorf("statistics inside a release: %s", p)
		}
		return nil
	})

	stdout, stderr, code := runPufa(t, "report", "searches", "--out", out, "--json")
	if code != 0 {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	var rep searchReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if rep.Searches != 3 || len(rep.Top) != 2 || rep.Top[0].Query != "养老服务" || rep.Top[0].Searches != 2 || rep.Top[0].LastTotal == 0 {
		t.Errorf("report = %+v, want 养老服务 twice with results, then 火星移民", rep)
	}
	if len(rep.Unanswered) != 1 || rep.Unanswered[0].Query != "火星移民" {
		t.Errorf("no results = %+v, want 火星移民", rep.Unanswered)
	}
	stdout, _, _ = runPufa(t, "report", "searches", "--out", out)
	if !inOrder(stdout, "最常搜索", "养老服务", "没有结果", "火星移民") {
		t.Errorf("report:\n%s", stdout)
	}

	// --search-stats=false counts nothing.
	s = startServe(t, "--content", content, "--out", out, "--access-log=false", "--search-stats=false")
	s.get("/api/search?q=" + url.QueryEscape("养老服务"))
	s.stop()
	stdout, _, _ = runPufa(t, "report", "searches", "--out", out, "--json")
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || rep.Searches != 3 {
		t.Errorf("with --search-stats=false: %d searches, want still 3 (%v)", rep.Searches, err)
	}
}

func TestSearchExplain(t *testing.T) {
	out := defaultBuild(t)
	stdout, stderr, code := runPufa(t, "search", "--out", out, "--explain", "--size", "3", "慈善法第22条")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"查询理解", "识别的条号：第二十二条", "识别的法律：中华人民共和国慈善法",
		"/laws/cishanfa/#a22", "条号 article", "法条正文 text", "先验 1 = 类型 法条 1"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("explanation lacks %q:\n%s", want, stdout)
		}
	}
	stdout, _, _ = runPufa(t, "search", "--out", out, "--explain", "--size", "3", "低保")
	for _, want := range []string{"同义词（补充的法规用语）：最低生活保障", "置顶"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("explanation lacks %q:\n%s", want, stdout)
		}
	}
	stdout, _, _ = runPufa(t, "search", "--out", out, "--json", "--explain", "--size", "1", "慈善法第22条")
	var res struct {
		Explain struct{ Articles []string } `json:"explain"`
		Hits    []struct {
			Explain *struct {
				Fields []struct{ Field string }
				Prior  *struct{ Kind string }
			} `json:"explain"`
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if len(res.Explain.Articles) == 0 || len(res.Hits) == 0 || res.Hits[0].Explain == nil || res.Hits[0].Explain.Prior == nil {
		t.Errorf("--json --explain: %s", stdout)
	}
	stdout, _, _ = runPufa(t, "search", "--out", out, "--json", "慈善法第22条")
	if strings.Contains(stdout, `"explain"`) {
		t.Errorf("--json without --explain explains:\n%s", stdout)
	}
}
