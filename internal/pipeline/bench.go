package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pufa-gov/pufa/indexer"
	"github.com/pufa-gov/pufa/internal/hugorun"
	"github.com/pufa-gov/pufa/internal/lawimport"
	"github.com/pufa-gov/pufa/internal/rusage"
)

// BenchOptions describe a benchmark of the build on a large site.
type BenchOptions struct {
	// Root is the project folder: its site/ and content/ are the site
	// measured, with every law of Corpus imported into a copy of content/.
	Root string
	// Corpus is a folder of law files in the LawRefBook format.
	Corpus string
	// Work is the folder the copy, the Hugo output and OUT go to; it must
	// not exist or be empty.
	Work string
	// CPUProfile, when not empty, receives a CPU profile of the full build.
	CPUProfile string
	// Index tunes the full index build; zero values mean the defaults.
	Index IndexTuning
	// Edits is the number of one-article edits built; 0 means 3.
	Edits int
	// Progress receives a line per step; nil for none.
	Progress io.Writer
	// Command, when not empty, is a pufa program that runs each measured
	// step in a process of its own ("pufa bench --step JSON", see
	// RunBenchStep), as a person running pufa build would; empty runs
	// the steps in this process, one after the other.
	Command string
}

// BenchStep is one measured step of Bench: Hugo alone (Kind "hugo") or a
// build (Kind "build").
type BenchStep struct {
	Kind       string      `json:"kind"`
	Site       string      `json:"site"`
	Content    string      `json:"content"`
	Out        string      `json:"out"`
	Full       bool        `json:"full,omitempty"`
	Index      IndexTuning `json:"index"`
	CPUProfile string      `json:"cpuProfile,omitempty"`
}

// RunBenchStep runs one step in this process. For Hugo alone the result
// has one timing, "hugo".
func RunBenchStep(ctx context.Context, step BenchStep) (*Result, error) {
	if step.CPUProfile != "" {
		f, err := os.Create(step.CPUProfile)
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	switch step.Kind {
	case "hugo":
		m := rusage.Start()
		err := hugorun.Build(ctx, hugorun.Options{
			Site: step.Site, Content: step.Content, Dest: filepath.Join(step.Out, "public"),
			// Shared by the Hugo-alone steps of one bench, as OUT/.cache
			// is by its builds: the first of each starts cold.
			CacheDir: filepath.Join(filepath.Dir(step.Out), "hugo-cache"),
		})
		u := m.Stop()
		if err != nil {
			return nil, fmt.Errorf("bench: hugo: %w", err)
		}
		return &Result{Timings: []Timing{{Stage: StageHugo, Duration: u.Wall, CPU: u.CPU, PeakRSS: u.PeakRSS}}}, nil
	case "build":
		return Run(ctx, Options{Site: step.Site, Content: step.Content, Out: step.Out, BaseDir: filepath.Dir(step.Content), Full: step.Full, Index: step.Index})
	}
	return nil, fmt.Errorf("bench: unknown step %q", step.Kind)
}

// BenchReport is what Bench measured. Every figure comes from the same
// run, so ratios between them hold on a machine shared with other work.
type BenchReport struct {
	CPUs, Procs int
	// Laws is the number of law pages imported, CorpusBytes the size of
	// the corpus files and Import what importing them used.
	Laws        int
	CorpusBytes int64
	Import      rusage.Usage
	// Hugo are runs of the embedded Hugo alone rendering the same site:
	// before the full build, after it and after the edits.
	Hugo []rusage.Usage
	// Full is a build from scratch and FullTotal what it used.
	Full      *Result
	FullTotal rusage.Usage
	// Edits are builds after a one-article edit each, starting from the
	// release before; EditTotals what each used.
	Edits      []*Result
	EditTotals []rusage.Usage
	// Same is a build of unchanged content.
	Same      *Result
	SameTotal rusage.Usage
	// Edited are the content files changed, Marker the text added to each
	// article, Want the URLs of the articles edited and Found the first
	// search hit for Marker after each edit.
	Edited, Want, Found []string
	Marker              string
	// Search is the search mix on the last release, on the index alone
	// and through a result cache.
	Search, SearchCached SearchMix
}

// SearchMix is the latency of a mix of searches.
type SearchMix struct {
	Searches       int
	Mean, P50, P95 time.Duration
	Hits, Misses   int64
}

// popularQueries are questions residents ask a civil-affairs bureau's
// site again and again.
var popularQueries = []string{
	"离婚冷静期", "打印遗嘱", "养老院消防", "最低生活保障", "残疾人两项补贴", "慈善捐赠",
	"婚姻登记", "遗嘱继承", "殡葬改革", "社会组织登记", "老年人权益保障", "收养登记",
}

// searchMix runs n searches on the release in dir, four in five of them
// popular ones and the fifth each time another, through search.
func searchMix(ctx context.Context, n int, search func(context.Context, indexer.Query) (*indexer.Result, error)) (SearchMix, error) {
	var took []time.Duration
	for i := range n {
		q := popularQueries[i%len(popularQueries)]
		if i%5 == 4 {
			q = fmt.Sprintf("%s 第%d条", popularQueries[(i/5)%len(popularQueries)], i)
		}
		start := time.Now()
		if _, err := search(ctx, indexer.Query{Text: q}); err != nil {
			return SearchMix{}, fmt.Errorf("bench: search %q: %w", q, err)
		}
		took = append(took, time.Since(start))
	}
	var sum time.Duration
	for _, d := range took {
		sum += d
	}
	slices.Sort(took)
	return SearchMix{Searches: n, Mean: sum / time.Duration(n), P50: took[n/2], P95: took[n*95/100]}, nil
}

// benchMarker is appended to one article; it occurs nowhere in the corpus.
const benchMarker = "基准测试改动标记"

var articleLine = regexp.MustCompile(`^\[第[^\]]+条[^\]]*\]\(#(a[0-9-]+)\)`)

// Bench imports the corpus into a copy of the project's content, renders
// it with Hugo alone, then builds it from scratch, after a one-article
// edit and once more unchanged, measuring every stage.
func Bench(ctx context.Context, opts BenchOptions) (*BenchReport, error) {
	say := func(format string, args ...any) {
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, format+"\n", args...)
		}
	}
	rep := &BenchReport{CPUs: runtime.NumCPU(), Procs: runtime.GOMAXPROCS(0)}
	if opts.Edits <= 0 {
		opts.Edits = 3
	}
	site := filepath.Join(opts.Root, "site")
	content := filepath.Join(opts.Work, "content")
	if entries, err := os.ReadDir(opts.Work); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("bench: %s is not empty", opts.Work)
	}
	if err := os.MkdirAll(opts.Work, 0o755); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	say("copying %s", filepath.Join(opts.Root, "content"))
	if err := os.CopyFS(content, os.DirFS(filepath.Join(opts.Root, "content"))); err != nil {
		return nil, fmt.Errorf("bench: copy content: %w", err)
	}
	var err error
	if rep.CorpusBytes, err = treeBytes(opts.Corpus, ".md"); err != nil {
		return nil, fmt.Errorf("bench: corpus: %w", err)
	}
	overrides, err := lawimport.LoadOverrides(filepath.Join(opts.Root, lawimport.OverridesFile))
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	say("importing %s", opts.Corpus)
	m := rusage.Start()
	imp, err := lawimport.Import(lawimport.Options{
		Into: filepath.Join(content, "laws"), Sources: []string{opts.Corpus}, Overrides: overrides,
	})
	rep.Import = m.Stop()
	if err != nil {
		return nil, fmt.Errorf("bench: import: %w", err)
	}
	if imp.Failed() {
		return nil, fmt.Errorf("bench: import: %d files failed, first: %w", len(imp.Errors), imp.Errors[0])
	}
	rep.Laws = len(imp.Pages)

	run := func(step BenchStep) (*Result, rusage.Usage, error) {
		if opts.Command == "" {
			runtime.GC()
			m := rusage.Start()
			res, err := RunBenchStep(ctx, step)
			u := m.Stop()
			if res != nil {
				for _, t := range res.Timings {
					u.PeakRSS = max(u.PeakRSS, t.PeakRSS)
				}
			}
			return res, u, err
		}
		arg, err := json.Marshal(step)
		if err != nil {
			return nil, rusage.Usage{}, err
		}
		cmd := exec.CommandContext(ctx, opts.Command, "bench", "--step", string(arg))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		start := time.Now()
		err = cmd.Run()
		u := rusage.OfProcess(cmd.ProcessState, time.Since(start))
		if err != nil {
			return nil, u, fmt.Errorf("bench: %s: %w\n%s", step.Kind, err, stderr.Bytes())
		}
		var res Result
		if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
			return nil, u, fmt.Errorf("bench: %s: %w", step.Kind, err)
		}
		// Stages sample their peak; the process's own covers all of them.
		for _, t := range res.Timings {
			u.PeakRSS = max(u.PeakRSS, t.PeakRSS)
		}
		return &res, u, nil
	}
	hugoAlone := func(i int) error {
		say("Hugo alone (%d of 3)", i+1)
		dest := filepath.Join(opts.Work, fmt.Sprintf("hugo-%d", i+1))
		_, u, err := run(BenchStep{Kind: "hugo", Site: site, Content: content, Out: dest})
		rep.Hugo = append(rep.Hugo, u)
		if err != nil {
			return err
		}
		return os.RemoveAll(dest)
	}
	build := func(name string, full bool, profile string) (*Result, rusage.Usage, error) {
		say("%s build", name)
		return run(BenchStep{Kind: "build", Site: site, Content: content, Out: filepath.Join(opts.Work, "out"), Full: full, Index: opts.Index, CPUProfile: profile})
	}

	if err := hugoAlone(0); err != nil {
		return nil, err
	}
	if rep.Full, rep.FullTotal, err = build("full", true, opts.CPUProfile); err != nil {
		return nil, err
	}
	if err := hugoAlone(1); err != nil {
		return nil, err
	}
	rep.Marker = benchMarker
	for i := range max(1, opts.Edits) {
		file, want, err := editArticle(filepath.Join(content, "laws"), i)
		if err != nil {
			return nil, err
		}
		res, u, err := build(fmt.Sprintf("one-article edit (%d)", i+1), false, "")
		if err != nil {
			return nil, err
		}
		found, err := firstHit(ctx, res.Dir, fmt.Sprintf("%s%d", benchMarker, i))
		if err != nil {
			return nil, err
		}
		rep.Edits, rep.EditTotals = append(rep.Edits, res), append(rep.EditTotals, u)
		rep.Edited, rep.Want, rep.Found = append(rep.Edited, file), append(rep.Want, want), append(rep.Found, found)
	}
	if rep.Same, rep.SameTotal, err = build("unchanged", false, ""); err != nil {
		return nil, err
	}
	say("search mix")
	ix, err := indexer.Open(rep.Same.Dir)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer ix.Close()
	if rep.Search, err = searchMix(ctx, 500, ix.Search); err != nil {
		return nil, err
	}
	cache := indexer.NewResultCache(0)
	if rep.SearchCached, err = searchMix(ctx, 500, cache.For(ix, rep.Same.Release.ID).Search); err != nil {
		return nil, err
	}
	st := cache.Stats()
	rep.SearchCached.Hits, rep.SearchCached.Misses = st.Hits, st.Misses
	if err := hugoAlone(2); err != nil {
		return nil, err
	}
	return rep, nil
}

// firstHit returns the URL of the first hit for text in the release in
// dir, or "" for none.
func firstHit(ctx context.Context, dir, text string) (string, error) {
	ix, err := indexer.Open(dir)
	if err != nil {
		return "", fmt.Errorf("bench: %w", err)
	}
	defer ix.Close()
	r, err := ix.Search(ctx, indexer.Query{Text: text})
	if err != nil {
		return "", fmt.Errorf("bench: search: %w", err)
	}
	if len(r.Hits) == 0 {
		return "", nil
	}
	return r.Hits[0].URL, nil
}

// editArticle appends benchMarker and n to article 5+n of the first law
// page (in name order) that has at least 10+n, and returns the page and
// the article's URL path below the site root.
func editArticle(laws string, n int) (file, want string, err error) {
	entries, err := os.ReadDir(laws)
	if err != nil {
		return "", "", fmt.Errorf("bench: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") || e.Name() == "_index.md" {
			continue
		}
		p := filepath.Join(laws, e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			return "", "", fmt.Errorf("bench: %w", err)
		}
		lines := strings.Split(string(data), "\n")
		var at []int
		for i, l := range lines {
			if articleLine.MatchString(l) {
				at = append(at, i)
			}
		}
		if len(at) < 10+n {
			continue
		}
		i := at[4+n]
		anchor := articleLine.FindStringSubmatch(lines[i])[1]
		lines[i] += fmt.Sprintf("%s%d", benchMarker, n)
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			return "", "", fmt.Errorf("bench: %w", err)
		}
		return p, "laws/" + strings.TrimSuffix(e.Name(), ".md") + "/#" + anchor, nil
	}
	return "", "", errors.New("bench: no law page with ten articles to edit")
}

// treeBytes returns the size of the files under dir whose names end in ext.
func treeBytes(dir, ext string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ext) {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			n += fi.Size()
		}
		return nil
	})
	return n, err
}

// median returns the run of us with the median wall time, and its index.
func median(us []rusage.Usage) (rusage.Usage, int) {
	idx := make([]int, len(us))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return us[idx[a]].Wall < us[idx[b]].Wall })
	m := idx[len(idx)/2]
	return us[m], m
}

// WriteReport writes the report as Markdown tables: every run, and each
// stage of the full build and of the median edit, with wall time, CPU
// time and peak resident set, and wall time as a ratio to the median of
// Hugo alone.
func (r *BenchReport) WriteReport(w io.Writer) error {
	bw := bufio.NewWriter(w)
	hugoRun, _ := median(r.Hugo)
	hugo := hugoRun.Wall
	ratio := func(d time.Duration) string {
		if hugo <= 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f×", float64(d)/float64(hugo))
	}
	mb := func(n int64) string { return fmt.Sprintf("%.0f MB", float64(n)/1e6) }
	secs := func(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }
	fmt.Fprintf(bw, "%d CPUs (GOMAXPROCS %d); %d law pages imported from %.1f MB of law files in %s.\n\n",
		r.CPUs, r.Procs, r.Laws, float64(r.CorpusBytes)/1e6, secs(r.Import.Wall))
	fmt.Fprintf(bw, "| run (each a process of its own) | wall | × Hugo alone | CPU | peak RSS |\n|---|---:|---:|---:|---:|\n")
	row := func(name string, u rusage.Usage) {
		fmt.Fprintf(bw, "| %s | %s | %s | %s | %s |\n", name, secs(u.Wall), ratio(u.Wall), secs(u.CPU), mb(u.PeakRSS))
	}
	for i, u := range r.Hugo {
		row(fmt.Sprintf("Hugo alone (%d)", i+1), u)
	}
	row("full build", r.FullTotal)
	for i, u := range r.EditTotals {
		row(fmt.Sprintf("after a one-article edit (%d)", i+1), u)
	}
	row("unchanged", r.SameTotal)
	_, mid := median(r.EditTotals)
	edit := r.Edits[mid]
	fmt.Fprintf(bw, "\n| stage | full: wall | × Hugo | CPU | peak RSS | edit (%d): wall | × Hugo | CPU | peak RSS |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n", mid+1)
	stages := func(res *Result) map[string]Timing {
		m := map[string]Timing{}
		for _, t := range res.Timings {
			m[t.Stage] = t
		}
		return m
	}
	fs, es := stages(r.Full), stages(edit)
	cpu := func(t Timing) (string, string) {
		if t.Alongside != "" {
			return "in " + t.Alongside, ""
		}
		return secs(t.CPU), mb(t.PeakRSS)
	}
	for _, n := range []string{StageCheck, StageHugo, StageManifest, StageIndex, StageFeeds, StageCompress, StageVerify} {
		f, e := fs[n], es[n]
		fc, fp := cpu(f)
		ec, ep := cpu(e)
		name := n
		if f.Alongside != "" {
			name += " (alongside " + f.Alongside + ")"
		}
		fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name,
			secs(f.Duration), ratio(f.Duration), fc, fp, secs(e.Duration), ratio(e.Duration), ec, ep)
		if n == StageIndex {
			for _, part := range []struct {
				name string
				f, e rusage.Usage
			}{
				{"– analysis, segments", r.Full.Index.Analysis, edit.Index.Analysis},
				{"– merge / update", r.Full.Index.Write, edit.Index.Write},
			} {
				fmt.Fprintf(bw, "| %s | %s | | %s | | %s | | %s | |\n", part.name,
					secs(part.f.Wall), secs(part.f.CPU), secs(part.e.Wall), secs(part.e.CPU))
			}
		}
	}
	other := func(res *Result, total rusage.Usage) rusage.Usage {
		for _, t := range res.Timings {
			if t.Alongside == "" {
				total.Wall -= t.Duration
				total.CPU -= t.CPU
			}
		}
		return total
	}
	fo, eo := other(r.Full, r.FullTotal), other(edit, r.EditTotals[mid])
	fmt.Fprintf(bw, "| other (start-up, release switch) | %s | %s | %s | | %s | %s | %s | |\n",
		secs(fo.Wall), ratio(fo.Wall), secs(fo.CPU), secs(eo.Wall), ratio(eo.Wall), secs(eo.CPU))
	ix := r.Full.Index
	fmt.Fprintf(bw, "\nIndex: %d documents of %.1f MB of text; %s on disk, %.2f× the text (%.2f× the law files), %d segment(s).\n",
		ix.Docs, float64(ix.Bytes)/1e6, mb(ix.Size), float64(ix.Size)/float64(max(1, ix.Bytes)), float64(ix.Size)/float64(max(1, r.CorpusBytes)), ix.Segments)
	if w := fs[StageIndex].Duration; w > 0 {
		fmt.Fprintf(bw, "Full index stage: %.0f docs/s, %.2f MB/s of text; analysis and segment writing %s CPU on %d goroutines, merging each goroutine's segments into one %s CPU.\n",
			float64(ix.Docs)/w.Seconds(), float64(ix.Bytes)/1e6/w.Seconds(), secs(ix.Analysis.CPU), r.Procs, secs(ix.Write.CPU))
	}
	for i, e := range r.Edits {
		fmt.Fprintf(bw, "Edit %d (%s): %s; %d documents analysed, %d reused, %d deleted; %d segments; %d of %d published files written; %s; search for the edit: first hit %s (want …%s).\n",
			i+1, filepath.Base(r.Edited[i]), buildKind(e.Index), e.Index.Analysed, e.Index.Reused, e.Index.Deleted, e.Index.Segments,
			e.Published.Files, e.Published.Files+e.Published.Reused, preloadKind(e), r.Found[i], r.Want[i])
	}
	s := r.Same.Index
	fmt.Fprintf(bw, "Unchanged: %s; %d documents analysed; %d of %d published files written; %s.\n", buildKind(s), s.Analysed, r.Same.Published.Files, r.Same.Published.Files+r.Same.Published.Reused, preloadKind(r.Same))
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }
	fmt.Fprintf(bw, "\n| %d searches, 4 in 5 popular | mean | median | 95th percentile |\n|---|---:|---:|---:|\n", r.Search.Searches)
	fmt.Fprintf(bw, "| index | %s | %s | %s |\n", ms(r.Search.Mean), ms(r.Search.P50), ms(r.Search.P95))
	fmt.Fprintf(bw, "| with a result cache (%d hits, %d misses) | %s | %s | %s |\n", r.SearchCached.Hits, r.SearchCached.Misses, ms(r.SearchCached.Mean), ms(r.SearchCached.P50), ms(r.SearchCached.P95))
	return bw.Flush()
}

func preloadKind(r *Result) string {
	if r.Preloaded {
		return "word dictionary loaded while Hugo rendered"
	}
	return "only law pages changed: word dictionary not preloaded"
}

func buildKind(s indexer.Stats) string {
	if s.Full {
		if s.Reason != "" {
			return "full index build (" + s.Reason + ")"
		}
		return "full index build"
	}
	return "incremental index build"
}
