package searchstats

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a settable clock for a Recorder.
type clock struct{ t atomic.Pointer[time.Time] }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.set(t)
	return c
}

func (c *clock) set(t time.Time) { c.t.Store(&t) }
func (c *clock) now() time.Time  { return *c.t.Load() }
func at(s string) time.Time      { t, _ := time.ParseInLocation("2006-01-02 15:04", s, shanghai); return t }
func open(t *testing.T, dir string, c *clock, max int) *Recorder {
	t.Helper()
	r, err := Open(Options{Dir: dir, Now: c.now, MaxQueries: max})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func readDay(t *testing.T, dir, date string) *Day {
	t.Helper()
	d, err := ReadDay(filepath.Join(dir, FileName(date)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func find(d *Day, q string) *Query {
	for i := range d.Queries {
		if d.Queries[i].Query == q {
			return &d.Queries[i]
		}
	}
	return nil
}

func flush(t *testing.T, r *Recorder) {
	t.Helper()
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
}

func TestRecordCountsByNormalisedText(t *testing.T) {
	dir := t.TempDir()
	r := open(t, dir, newClock(at("2026-05-20 10:00")), 0)
	r.Record(" 低保 ", 5)
	r.Record("低保", 0)
	r.Record("　低保\u200b", 7) // ideographic space, zero-width space
	r.Record("ＤＢ", 2)        // full-width letters fold
	r.Record("DB", 2)
	r.Record("   ", 0) // nothing to search: not counted
	flush(t, r)
	d := readDay(t, dir, "2026-05-20")
	if len(d.Queries) != 2 {
		t.Fatalf("queries = %+v, want 低保 and DB", d.Queries)
	}
	want := Query{Query: "低保", Searches: 3, NoResults: 1, LastTotal: 7}
	if got := d.Queries[0]; got != want {
		t.Errorf("first = %+v, want %+v", got, want)
	}
	if q := find(d, "DB"); q == nil || q.Searches != 2 {
		t.Errorf("DB = %+v, want 2 searches", q)
	}
}

func TestRecordBoundsDistinctQueries(t *testing.T) {
	dir := t.TempDir()
	r := open(t, dir, newClock(at("2026-05-20 10:00")), 3)
	for i := range 10 {
		r.Record(fmt.Sprintf("词%d", i), uint64(i))
	}
	r.Record("词0", 0) // counted before the bound was reached: still its own
	flush(t, r)
	d := readDay(t, dir, "2026-05-20")
	if len(d.Queries) != 3 {
		t.Errorf("%d distinct queries kept, want 3: %+v", len(d.Queries), d.Queries)
	}
	if q := find(d, "词0"); q == nil || q.Searches != 2 || q.NoResults != 2 {
		t.Errorf("词0 = %+v, want 2 searches, 2 without results", q)
	}
	if d.Other != (Other{Searches: 7}) {
		t.Errorf("other = %+v, want 7 searches", d.Other)
	}
	r.mu.Lock()
	n := len(r.day.queries)
	r.mu.Unlock()
	if n != 3 {
		t.Errorf("%d distinct queries in memory, want 3", n)
	}
}

func TestTextsThatMayIdentifySomeoneAreOnlyCounted(t *testing.T) {
	dir := t.TempDir()
	r := open(t, dir, newClock(at("2026-05-20 10:00")), 0)
	r.Record("张三 13812345678 低保", 1)      // a mobile number
	r.Record("310101195001011234 养老金", 0) // an ID card number
	r.Record("３１０１０１１９５００１０１１２３４", 0)     // the same, full width
	r.Record("zhang@example.com 遗嘱", 0)
	r.Record("民法典第1077条", 3) // an article number is no one's
	r.Record("2026年 清明", 3)
	flush(t, r)
	d := readDay(t, dir, "2026-05-20")
	b, _ := os.ReadFile(filepath.Join(dir, FileName("2026-05-20")))
	for _, s := range []string{"13812345678", "310101", "zhang", "张三"} {
		if strings.Contains(string(b), s) {
			t.Errorf("statistics file holds %q:\n%s", s, b)
		}
	}
	if len(d.Queries) != 2 || d.Other != (Other{Searches: 4, NoResults: 3}) {
		t.Errorf("queries %+v, other %+v; want the article number and the year, 4 others (3 without results)", d.Queries, d.Other)
	}
}

func TestFlushIsAtomicAndRestartAddsUp(t *testing.T) {
	dir := t.TempDir()
	c := newClock(at("2026-05-20 10:00"))
	r := open(t, dir, c, 0)
	r.Record("低保", 10)
	r.Record("低保", 10)
	r.Record("离婚冷静期", 0)
	flush(t, r)
	flush(t, r) // nothing new: nothing to write
	// A restarted server adds to the day's counts.
	r2 := open(t, dir, c, 0)
	r2.Record("低保", 12)
	r2.Record("遗嘱", 1)
	flush(t, r2)
	d := readDay(t, dir, "2026-05-20")
	if q := find(d, "低保"); q == nil || *q != (Query{Query: "低保", Searches: 3, LastTotal: 12}) {
		t.Errorf("低保 = %+v, want 3 searches, last 12 results", q)
	}
	if q := find(d, "离婚冷静期"); q == nil || q.Searches != 1 || q.NoResults != 1 {
		t.Errorf("离婚冷静期 = %+v, want 1 search without results", q)
	}
	if q := find(d, "遗嘱"); q == nil || q.Searches != 1 {
		t.Errorf("遗嘱 = %+v, want 1 search", q)
	}
	// No temporary file is left behind, and only the day's file is there.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "searches-2026-05-20.json" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files %q, want only searches-2026-05-20.json", names)
	}
}

// Writes replace the file by renaming a complete one over it: readers
// racing with flushes always read a whole day.
func TestConcurrentReadersSeeWholeFiles(t *testing.T) {
	dir := t.TempDir()
	r := open(t, dir, newClock(at("2026-05-20 10:00")), 0)
	r.Record("低保", 1)
	flush(t, r)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ctx.Err() == nil; i++ {
			r.Record(fmt.Sprintf("词%d", i%500), uint64(i))
			if i%50 == 0 {
				if err := r.Flush(); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()
	for range 200 {
		if _, err := ReadDay(filepath.Join(dir, FileName("2026-05-20"))); err != nil {
			t.Fatalf("read during flushes: %v", err)
		}
	}
	cancel()
	wg.Wait()
}

func TestDaysRollOverAtShanghaiMidnight(t *testing.T) {
	dir := t.TempDir()
	c := newClock(at("2026-05-20 23:59"))
	r := open(t, dir, c, 0)
	r.Record("低保", 1)
	c.set(at("2026-05-21 00:01"))
	r.Record("低保", 2)
	r.Record("遗嘱", 3)
	flush(t, r)
	if d := readDay(t, dir, "2026-05-20"); len(d.Queries) != 1 || d.Queries[0].Searches != 1 {
		t.Errorf("20 May = %+v, want one search of 低保", d.Queries)
	}
	if d := readDay(t, dir, "2026-05-21"); len(d.Queries) != 2 {
		t.Errorf("21 May = %+v, want 低保 and 遗嘱", d.Queries)
	}
}

func TestUnreadableFileIsKeptAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName("2026-05-20"))
	os.WriteFile(path, []byte("{not json"), 0o644)
	r := open(t, dir, newClock(at("2026-05-20 10:00")), 0)
	r.Record("低保", 1)
	flush(t, r)
	if d := readDay(t, dir, "2026-05-20"); len(d.Queries) != 1 {
		t.Errorf("queries = %+v", d.Queries)
	}
	if b, err := os.ReadFile(path + ".bad"); err != nil || string(b) != "{not json" {
		t.Errorf("unreadable file not kept aside: %v %q", err, b)
	}
}

func TestRunFlushesEveryInterval(t *testing.T) {
	dir := t.TempDir()
	r := open(t, dir, newClock(at("2026-05-20 10:00")), 0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx, 10*time.Millisecond); close(done) }()
	r.Record("低保", 1)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(dir, FileName("2026-05-20"))); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("not flushed within 5s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}

func TestReportOrderAndSince(t *testing.T) {
	dir := t.TempDir()
	c := newClock(at("2026-05-18 10:00"))
	r := open(t, dir, c, 0)
	record := func(q string, n int, total uint64) {
		for range n {
			r.Record(q, total)
		}
	}
	record("旧词", 50, 0)
	c.set(at("2026-05-19 10:00"))
	record("低保", 5, 40)
	record("打印遗嘱", 2, 0)
	record("电子遗嘱", 3, 1)
	c.set(at("2026-05-20 10:00"))
	record("低保", 4, 41)
	record("打印遗嘱", 1, 6) // found results since: no longer unanswered
	record("殡葬补贴", 2, 0)
	record("无障碍", 7, 2)
	flush(t, r)
	os.WriteFile(filepath.Join(dir, ".searches-123.tmp"), []byte("{"), 0o644)
	os.WriteFile(filepath.Join(dir, "searches-2026-05-17.json.bad"), []byte("{"), 0o644)

	days, err := ReadDir(dir, "2026-05-19")
	if err != nil {
		t.Fatal(err)
	}
	s := Summarize(days)
	if s.From != "2026-05-19" || s.To != "2026-05-20" || s.Days != 2 || s.Searches != 24 || s.NoResults != 4 {
		t.Errorf("summary = %s..%s %d days %d searches %d without results, want 2026-05-19..2026-05-20 2 days 24 searches 4 without",
			s.From, s.To, s.Days, s.Searches, s.NoResults)
	}
	texts := func(qs []Query) string {
		var out []string
		for _, q := range qs {
			out = append(out, fmt.Sprintf("%s:%d", q.Query, q.Searches))
		}
		return strings.Join(out, " ")
	}
	if got, want := texts(s.Top(4)), "低保:9 无障碍:7 打印遗嘱:3 电子遗嘱:3"; got != want {
		t.Errorf("top = %s, want %s", got, want)
	}
	if got, want := texts(s.Unanswered(10)), "殡葬补贴:2"; got != want {
		t.Errorf("unanswered = %s, want %s", got, want)
	}
	if got, want := texts(s.Poor(10)), "无障碍:7 电子遗嘱:3"; got != want {
		t.Errorf("poor = %s, want %s", got, want)
	}
	if q := s.Top(1)[0]; q.LastTotal != 41 || q.NoResults != 0 {
		t.Errorf("低保 = %+v, want the latest day's total 41", q)
	}
	all, err := ReadDir(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if s := Summarize(all); s.Top(1)[0].Query != "旧词" || s.From != "2026-05-18" {
		t.Errorf("all days: top %+v from %s, want 旧词 from 2026-05-18", s.Top(1), s.From)
	}
	if days, err := ReadDir(filepath.Join(dir, "none"), ""); err != nil || len(days) != 0 {
		t.Errorf("missing folder: %v %v, want no days", days, err)
	}
}

// BenchmarkRecord is what counting adds to a search.
func BenchmarkRecord(b *testing.B) {
	r, err := Open(Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	qs := []string{"低保", "离婚冷静期", "打印遗嘱", "残疾人两项补贴", "养老院消防", "高龄津贴怎么申请"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			r.Record(qs[i%len(qs)], uint64(i))
			i++
		}
	})
}

// BenchmarkRecordNormalized is what counting adds to a search whose
// result holds the normalised text already (the server's case).
func BenchmarkRecordNormalized(b *testing.B) {
	r, err := Open(Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	qs := []string{"低保", "离婚冷静期", "打印遗嘱", "残疾人两项补贴", "养老院消防", "高龄津贴怎么申请"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			r.RecordNormalized(qs[i%len(qs)], uint64(i))
			i++
		}
	})
}
