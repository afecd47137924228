package indexer

import (
	"context"
	"path/filepath"
	"testing"
)

// words reads the words file of the index under dir.
func words(t *testing.T, dir string) map[string]float64 {
	t.Helper()
	ws, err := readWords(filepath.Join(dir, IndexDir))
	if err != nil {
		t.Fatal(err)
	}
	if ws == nil {
		t.Fatal("no words file")
	}
	out := map[string]float64{}
	for _, w := range ws {
		out[w.Text] = w.Weight
	}
	return out
}

// TestWordsFile: the words file counts the documents of each word of the
// dictionary that the index holds, in a title, a heading or a text, and
// an update counts them again.
func TestWordsFile(t *testing.T) {
	ctx := context.Background()
	m := site()
	dir := t.TempDir()
	prev := filepath.Join(dir, "0")
	if _, err := BuildIndex(ctx, m, prev, BuildOptions{BatchSize: 2, Workers: 3}); err != nil {
		t.Fatal(err)
	}
	check := func(name, dir string, want map[string]float64) {
		t.Helper()
		got := words(t, dir)
		for w, n := range want {
			if got[w] != n {
				t.Errorf("%s: %s in %v documents, want %v", name, w, got[w], n)
			}
		}
	}
	check("full build", prev, map[string]float64{
		"殡葬":  1 + 3, // the law's page (title), its articles (heading)
		"慈善":  1 + 5,
		"火葬":  1 + 1, // the law's page (its first articles), an article's text
		"普法":  1,     // only in the news page's title
		"老年人": 1,
		"离婚":  0, // not in the site
	})
	binzang := findPage(m, "/laws/binzang/")
	binzang.Articles = binzang.Articles[:1]
	findPage(m, "/news/2026/yanglao/").Plain += "慈善组织开展养老服务。"
	next := filepath.Join(dir, "1")
	st, err := BuildIndex(ctx, m, next, BuildOptions{Previous: prev})
	if err != nil {
		t.Fatal(err)
	}
	if st.Full {
		t.Fatalf("second build was a full build: %s", st.Reason)
	}
	check("update", next, map[string]float64{
		"殡葬": 1 + 1,
		"慈善": 1 + 5 + 1,
		"火葬": 0,
	})
	full := filepath.Join(dir, "2")
	if _, err := BuildIndex(ctx, m, full, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	got, want := words(t, next), words(t, full)
	for w, n := range want {
		if got[w] != n {
			t.Errorf("%s: update %v documents, full build %v", w, got[w], n)
		}
	}
	for w := range got {
		if _, ok := want[w]; !ok {
			t.Errorf("%s: in the update's words, not in the full build's", w)
		}
	}
}

// TestEachTermCounts: eachTerm counts each term's documents right, over
// segments and after deletions.
func TestEachTermCounts(t *testing.T) {
	ctx := context.Background()
	m := site()
	dir := t.TempDir()
	prev := filepath.Join(dir, "0")
	if _, err := BuildIndex(ctx, m, prev, BuildOptions{BatchSize: 2, Workers: 3}); err != nil {
		t.Fatal(err)
	}
	findPage(m, "/laws/cishanfa/").Articles[0].Text += "慈善"
	next := filepath.Join(dir, "1")
	if _, err := BuildIndex(ctx, m, next, BuildOptions{Previous: prev}); err != nil {
		t.Fatal(err)
	}
	r := bleveReader(t, filepath.Join(next, IndexDir, bleveDir))
	ix, err := Open(next)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, f := range []string{fieldText, fieldHeading, fieldTitle} {
		got := map[string]uint64{}
		if err := eachTerm(ix.bi, f, func(term string, n uint64) { got[term] += n }); err != nil {
			t.Fatal(err)
		}
		if len(got) < 10 {
			t.Errorf("%s: only %d terms", f, len(got))
		}
		for term, n := range got {
			tfr, err := r.TermFieldReader(ctx, []byte(term), f, false, false, false)
			if err != nil {
				t.Fatal(err)
			}
			if want := tfr.Count(); n != want {
				t.Errorf("%s %q: %d documents, want %d", f, term, n, want)
			}
			tfr.Close()
		}
	}
}
