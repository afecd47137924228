package indexer_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/pufa-gov/pufa/indexer"
	"github.com/pufa-gov/pufa/internal/pipeline"
	"github.com/pufa-gov/pufa/internal/testenv"
)

var (
	compareScoring = flag.Bool("relevance.scoring", false,
		"also rebuild the index with TF-IDF scoring and measure it (slower)")
	fromManifest = flag.String("relevance.manifest", "",
		"index this manifest of an earlier build instead of building the default site")
	showQueries = flag.String("relevance.show", "",
		"comma-separated queries whose top ten to print")
)

// Floors the chosen analysis must reach on the judged queries.
const (
	floorHit5  = 0.9
	floorMRR10 = 0.75
)

// judged is one judged query: of testdata/relevance.yaml, or of
// testdata/judged.yaml, which also gives each its topic, its half (tune
// or test) and whether only the law corpus answers it (see that file).
type judged struct {
	Q      string   `yaml:"q"`
	Kind   string   `yaml:"kind"`
	Topic  string   `yaml:"topic"`
	Corpus bool     `yaml:"corpus"`
	Split  string   `yaml:"split"`
	Want   []string `yaml:"want"`
}

// metrics are the scores of one configuration over the judged queries.
type metrics struct {
	name   string
	hit5   float64
	mrr10  float64
	ranks  []int // rank of the first relevant hit in the top 10, 0 for none
	byKind map[string][2]float64
}

// repoRoot walks up from the working directory to the folder with go.mod.
func repoRoot(t testing.TB) string {
	return testenv.RepoRoot(t)
}

// buildSite builds the site from content (empty for the repository's own)
// into a fresh output folder and returns the release directory.
func buildSite(t testing.TB, content string) string {
	t.Helper()
	root := repoRoot(t)
	res, err := pipeline.Run(context.Background(), pipeline.Options{
		Site:    filepath.Join(root, "site"),
		Content: content,
		Out:     t.TempDir(),
		BaseDir: root,
	})
	if err != nil {
		t.Fatalf("build the site: %v", err)
	}
	return res.Dir
}

// loadJudged reads the judged queries of testdata/name.
func loadJudged(t testing.TB, name string) []judged {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var qs []judged
	if err := yaml.Unmarshal(data, &qs); err != nil {
		t.Fatalf("testdata/%s: %v", name, err)
	}
	return qs
}

// evaluate runs every judged query and scores the top ten results.
func evaluate(t testing.TB, ix *indexer.Index, qs []judged, name, analysis string, bestBets bool) metrics {
	t.Helper()
	m := metrics{name: name, byKind: map[string][2]float64{}}
	counts := map[string]int{}
	for _, j := range qs {
		res, err := ix.SearchWith(context.Background(), indexer.Query{Text: j.Q, Size: 10}, analysis, bestBets)
		if err != nil {
			t.Fatalf("%s: search %q: %v", name, j.Q, err)
		}
		rank := 0
		for i, h := range res.Hits {
			if slices.Contains(j.Want, h.URL) {
				rank = i + 1
				break
			}
		}
		m.ranks = append(m.ranks, rank)
		// Only a misspelled or pinyin query may get a suggestion: a
		// "did you mean" for a correct query misleads.
		if wantSugg := j.Kind == "typo" || j.Kind == "pinyin"; wantSugg != (res.Suggestion != "") {
			t.Errorf("%s: search %q (%s): suggestion %q", name, j.Q, j.Kind, res.Suggestion)
		}
		k := m.byKind[j.Kind]
		if rank >= 1 && rank <= 5 {
			m.hit5++
			k[0]++
		}
		if rank > 0 {
			m.mrr10 += 1 / float64(rank)
			k[1] += 1 / float64(rank)
		}
		m.byKind[j.Kind] = k
		counts[j.Kind]++
	}
	n := float64(len(qs))
	m.hit5 /= n
	m.mrr10 /= n
	for kind, k := range m.byKind {
		c := float64(counts[kind])
		m.byKind[kind] = [2]float64{k[0] / c, k[1] / c}
	}
	return m
}

func (m metrics) String() string {
	var kinds []string
	for k := range m.byKind {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	var b strings.Builder
	fmt.Fprintf(&b, "%-34s hit@5 %.3f  MRR@10 %.3f   ", m.name, m.hit5, m.mrr10)
	for _, k := range kinds {
		fmt.Fprintf(&b, " %s %.2f/%.2f", k, m.byKind[k][0], m.byKind[k][1])
	}
	return b.String()
}

// TestRelevance builds the site from the default content and measures the
// ranking on the judged queries of testdata/relevance.yaml: hit@5 (a
// relevant page among the first five) and MRR@10 (mean reciprocal rank of
// the first relevant page among the first ten), for the chosen analysis
// and, in the same run, for a bigram-only baseline and words only. The
// chosen analysis must reach the floors both with the editors' best bets
// and on its own ranking.
func TestRelevance(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole default site")
	}
	qs := loadJudged(t, "relevance.yaml")
	if len(qs) < 40 {
		t.Fatalf("testdata/relevance.yaml has %d queries, want at least 40", len(qs))
	}
	for _, j := range qs {
		if j.Q == "" || j.Kind == "" || len(j.Want) == 0 {
			t.Fatalf("testdata/relevance.yaml: incomplete entry %+v", j)
		}
	}
	start := time.Now()
	var dir string
	if *fromManifest != "" {
		dir = indexManifest(t, *fromManifest)
	} else {
		dir = buildSite(t, "")
	}
	t.Logf("built the index in %v", time.Since(start).Round(time.Millisecond))
	ix, err := indexer.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, j := range qs {
		for _, u := range j.Want {
			if !docExists(t, ix, u) {
				t.Errorf("testdata/relevance.yaml: %q wants %s, which the site does not have", j.Q, u)
			}
		}
	}

	t.Run("deadline", func(t *testing.T) { testDeadline(t, ix) })

	chosen := indexer.Analyses[0]
	var all []metrics
	product := evaluate(t, ix, qs, chosen+", best bets", chosen, true)
	all = append(all, product)
	organic := evaluate(t, ix, qs, chosen, chosen, false)
	all = append(all, organic)
	for _, a := range indexer.Analyses[1:] {
		all = append(all, evaluate(t, ix, qs, a, a, false))
	}
	if *compareScoring {
		all = append(all, tfidf(t, dir, qs)...)
	}
	t.Logf("%d judged queries, scoring %s; per kind: hit@5/MRR@10", len(qs), indexer.ScoringModel)
	for _, m := range all {
		t.Log(m)
	}
	for i, j := range qs {
		if r := organic.ranks[i]; r != 1 {
			t.Logf("  %-14s %-10s rank %d (best bets %d, %s %d)", j.Q, j.Kind, r, product.ranks[i], all[2].name, all[2].ranks[i])
		}
	}
	if *showQueries != "" {
		for _, q := range strings.Split(*showQueries, ",") {
			for _, a := range indexer.Analyses[:2] {
				res, err := ix.SearchWith(context.Background(), indexer.Query{Text: q, Size: 10}, a, false)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%s (%s): %d hits, suggestion %q", q, a, res.Total, res.Suggestion)
				for i, h := range res.Hits {
					t.Logf("  %2d %7.3f %-8s %s %s", i+1, h.Score, h.Type, h.URL, h.Title)
				}
			}
		}
	}
	for _, m := range []metrics{product, organic} {
		if m.hit5 < floorHit5 || m.mrr10 < floorMRR10 {
			t.Errorf("%s: hit@5 %.3f, MRR@10 %.3f; want at least %.2f and %.2f", m.name, m.hit5, m.mrr10, floorHit5, floorMRR10)
		}
	}
}

// expensiveQuery is as costly a query as a resident can send: the longest
// allowed, of many distinct common words, each found in much of the site.
func expensiveQuery() string {
	words := strings.Fields("国家 人民 政府 法律 规定 社会 组织 管理 部门 单位 个人 应当 " +
		"依法 权利 义务 保护 服务 登记 家庭 老年人 未成年人 残疾人 婚姻 继承 遗嘱 慈善 救助 " +
		"民政 机构 监督 检查 责任 条例 办法 公民 合法 权益 生活 保障 财产 活动 工作 制度")
	var b strings.Builder
	for i := 0; b.Len() < 3*indexer.MaxQueryRunes; i++ {
		b.WriteString(words[i%len(words)])
		b.WriteString("，")
	}
	return string([]rune(b.String())[:indexer.MaxQueryRunes])
}

// testDeadline runs the expensive query without a deadline (it must be
// bounded by the clause caps), with a context that is done by the time
// the search first looks at it (it must stop there and say why), and with
// a real deadline shorter than it takes (it must not run long past it).
func testDeadline(t *testing.T, ix *indexer.Index) {
	q := indexer.Query{Text: expensiveQuery(), Size: indexer.MaxSize}
	// The first search of an index counts its statistics: time a second.
	if _, err := ix.Search(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := ix.Search(context.Background(), q)
	full := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("expensive query (%d characters): %d hits in %v", len([]rune(q.Text)), res.Total, full)
	if full > 2*time.Second {
		t.Errorf("expensive query took %v; the clause caps should bound it", full)
	}
	if res.Total < 2*1024 {
		t.Fatalf("expensive query has %d hits; the test needs enough for the collector to look at its context", res.Total)
	}

	// Done at the search's first look: whenever that comes, the search
	// ends there with the context's error rather than its results.
	ctx := &expiring{Context: context.Background()}
	if _, err := ix.Search(ctx, q); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("search whose context is done mid-way = %v, want context.DeadlineExceeded", err)
	}
	if !ctx.looked.Load() {
		t.Error("the search never looked at its context")
	}

	deadline := full / 4
	dctx, cancel := context.WithTimeout(context.Background(), deadline)
	start = time.Now()
	_, err = ix.Search(dctx, q)
	took := time.Since(start)
	cancel()
	// Generous slack: the machine may be loaded (or under -race).
	if took > deadline+full/2+250*time.Millisecond {
		t.Errorf("search with a %v deadline took %v", deadline, took)
	}
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("search with a %v deadline: %v, want context.DeadlineExceeded", deadline, err)
	}
	t.Logf("with a %v deadline: stopped after %v (%v)", deadline, took, err)
}

// expiring is a context that is done from the first time its Done channel
// is asked for: the search's own check before it starts (Err) passes, and
// the first check while it runs finds it done.
type expiring struct {
	context.Context
	looked atomic.Bool
}

var closedDone = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (c *expiring) Done() <-chan struct{} {
	c.looked.Store(true)
	return closedDone
}

func (c *expiring) Err() error {
	if c.looked.Load() {
		return context.DeadlineExceeded
	}
	return nil
}

// docExists reports whether the index has a document with URL u.
func docExists(t *testing.T, ix *indexer.Index, u string) bool {
	t.Helper()
	ok, err := ix.HasDocument(u)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// indexManifest indexes the manifest at path (with the site's search data)
// into a fresh folder and returns it.
func indexManifest(t *testing.T, path string) string {
	t.Helper()
	m, err := indexer.ReadManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "manifest.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := indexer.BuildIndex(context.Background(), m, out, indexer.BuildOptions{DataDir: filepath.Join(repoRoot(t), "site", "data")}); err != nil {
		t.Fatal(err)
	}
	return out
}

// tfidf rebuilds the index of the release in dir with TF-IDF scoring and
// measures every analysis on it.
func tfidf(t *testing.T, dir string, qs []judged) []metrics {
	t.Helper()
	m, err := indexer.ReadManifest(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	restore := indexer.UseScoring("tf-idf")
	_, err = indexer.BuildIndex(context.Background(), m, out, indexer.BuildOptions{DataDir: filepath.Join(repoRoot(t), "site", "data")})
	restore()
	if err != nil {
		t.Fatal(err)
	}
	ix, err := indexer.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var ms []metrics
	ms = append(ms, evaluate(t, ix, qs, "tf-idf "+indexer.Analyses[0]+", best bets", indexer.Analyses[0], true))
	for _, a := range indexer.Analyses {
		ms = append(ms, evaluate(t, ix, qs, "tf-idf "+a, a, false))
	}
	return ms
}
