package indexer_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pufa-gov/pufa/indexer"
	"github.com/pufa-gov/pufa/internal/lawimport"
	"github.com/pufa-gov/pufa/internal/release"
	"github.com/pufa-gov/pufa/internal/testenv"
)

// corpusSite builds the site from the default content with every law of
// the corpus imported, as `pufa import laws ../shared/corpus/laws` would,
// and returns the release directory.
func corpusSite(t testing.TB) string {
	t.Helper()
	corpus := testenv.LawCorpus(t)
	root := repoRoot(t)
	content := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(content, os.DirFS(filepath.Join(root, "content"))); err != nil {
		t.Fatal(err)
	}
	overrides, err := lawimport.LoadOverrides(filepath.Join(root, lawimport.OverridesFile))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rep, err := lawimport.Import(lawimport.Options{
		Into: filepath.Join(content, "laws"), Sources: []string{corpus}, Overrides: overrides,
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() {
		t.Fatalf("import: %v", rep.Errors)
	}
	t.Logf("imported %d law pages in %v", len(rep.Pages), time.Since(start).Round(time.Millisecond))
	start = time.Now()
	dir := buildSite(t, content)
	t.Logf("built the site in %v", time.Since(start).Round(time.Millisecond))
	return dir
}

// BenchmarkIndexCorpus builds the index of the whole law corpus from
// scratch, as a full build's index stage does, each time into a new
// folder, and reports its speed in MB/s of the text indexed. The word
// dictionary is loaded before (a build loads it while Hugo renders).
// Skipped without the corpus (fails when CI=true).
//
//	go test ./indexer -run '^$' -bench IndexCorpus -benchtime 3x
func BenchmarkIndexCorpus(b *testing.B) {
	dir := corpusSite(b)
	m, err := indexer.ReadManifest(filepath.Join(dir, release.ManifestFile))
	if err != nil {
		b.Fatal(err)
	}
	if err := indexer.PreloadAnalysis(filepath.Join(repoRoot(b), "site", "data")); err != nil {
		b.Fatal(err)
	}
	var st indexer.Stats
	for i := 0; b.Loop(); i++ {
		out := filepath.Join(b.TempDir(), "ix")
		st, err = indexer.BuildIndex(context.Background(), m, out, indexer.BuildOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(st.Bytes)
		b.StopTimer()
		os.RemoveAll(out)
		b.StartTimer()
	}
	b.ReportMetric(float64(st.Docs)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(st.Size)/float64(st.Bytes), "size/text")
	b.Logf("%d documents, %.1f MB of text, index %.0f MB in %d segments", st.Docs, float64(st.Bytes)/1e6, float64(st.Size)/1e6, st.Segments)
}

// latencies records the duration of each search.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

func (l *latencies) report(b *testing.B) {
	slices.Sort(l.d)
	at := func(p float64) float64 {
		if len(l.d) == 0 {
			return 0
		}
		return float64(l.d[min(len(l.d)-1, int(p*float64(len(l.d))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkSearchCorpus measures search latency over an index of the whole
// law corpus (about 1,100 laws) and the default content: the judged
// queries of testdata/relevance.yaml plus the most expensive query a
// resident can send, one after another and from 16 searchers at once.
// It reports the median and 99th-percentile latency of single searches,
// and logs the ranking on testdata/judged.yaml over the whole library.
//
//	go test ./indexer -run '^$' -bench SearchCorpus -benchtime 400x
func BenchmarkSearchCorpus(b *testing.B) {
	dir := corpusSite(b)
	ix, err := indexer.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	b.Logf("%d documents", ix.Docs())
	judged := loadJudged(b, "relevance.yaml")
	// The judged queries were written for the default content; over the
	// whole library other laws answer some of them as well (农村五保供养
	// 工作条例 for 五保户), so these figures understate the ranking.
	for _, a := range indexer.Analyses {
		b.Log(evaluate(b, ix, judged, a+" (whole library)", a, false))
	}
	set := loadJudged(b, "judged.yaml")
	b.Logf("testdata/judged.yaml, whole library:\n%s", judgedTable([]judgedRun{runJudged(b, "product", set, productSearch(ix))}))
	var queries []string
	for _, j := range judged {
		queries = append(queries, j.Q)
	}
	queries = append(queries, expensiveQuery())
	search := func(i int) error {
		_, err := ix.Search(context.Background(), indexer.Query{Text: queries[i%len(queries)]})
		return err
	}
	// Warm up: every query once.
	for i := range queries {
		if err := search(i); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("serial", func(b *testing.B) {
		var l latencies
		for i := 0; b.Loop(); i++ {
			start := time.Now()
			if err := search(i); err != nil {
				b.Fatal(err)
			}
			l.add(time.Since(start))
		}
		l.report(b)
	})
	b.Run("concurrent-16", func(b *testing.B) {
		var l latencies
		var mu sync.Mutex
		next := 0
		b.SetParallelism(max(1, 16/max(1, runtime.GOMAXPROCS(0))))
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				start := time.Now()
				if err := search(i); err != nil {
					b.Error(err)
					return
				}
				l.add(time.Since(start))
			}
		})
		l.report(b)
	})
	b.Run("expensive", func(b *testing.B) {
		var l latencies
		q := indexer.Query{Text: expensiveQuery(), Size: indexer.MaxSize}
		for b.Loop() {
			start := time.Now()
			if _, err := ix.Search(context.Background(), q); err != nil {
				b.Fatal(err)
			}
			l.add(time.Since(start))
		}
		l.report(b)
	})
}

// BenchmarkSearchDefault measures a search over the default content.
func BenchmarkSearchDefault(b *testing.B) {
	ix, err := indexer.Open(buildSite(b, ""))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	for _, q := range []string{"打印遗嘱", "民法典", "婚", "养老机构 消防"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ix.Search(context.Background(), indexer.Query{Text: q}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpen measures opening the index of the default content, as a
// server does when it starts and on each new release, and reports the
// heap the opened index holds (heap-MB). The word dictionary, loaded by
// the first open of a process, is loaded before.
//
//	go test ./indexer -run '^$' -bench 'Open$'
func BenchmarkOpen(b *testing.B) { benchmarkOpen(b, buildSite(b, "")) }

// BenchmarkOpenCorpus is BenchmarkOpen on the whole law corpus.
func BenchmarkOpenCorpus(b *testing.B) { benchmarkOpen(b, corpusSite(b)) }

func benchmarkOpen(b *testing.B, dir string) {
	ix, err := indexer.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	ix.Close()
	var before, after runtime.MemStats
	// Twice: what pools hold survives one collection.
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	ix, err = indexer.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / 1e6
	ix.Close()
	for b.Loop() {
		ix, err := indexer.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
	b.ReportMetric(heap, "heap-MB")
}
