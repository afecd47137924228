package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/pufa-gov/pufa/indexer"
	"github.com/pufa-gov/pufa/internal/lawimport"
	"github.com/pufa-gov/pufa/internal/release"
)

// incrementalSite writes testdata/incremental.txtar into a folder, imports
// its laws into content/laws and returns the content folder.
func incrementalSite(t *testing.T) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", "incremental.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	content := filepath.Join(dir, "content")
	rep, err := lawimport.Import(lawimport.Options{Into: filepath.Join(content, "laws"), Sources: []string{filepath.Join(dir, "corpus")}})
	if err != nil || rep.Failed() {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	return content
}

// editFile replaces old by new in the file at p.
func editFile(t *testing.T, p, old, new string) {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s does not contain %q", p, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// search returns the URLs of the hits for text in the release in dir.
func search(t *testing.T, dir, text string) []string {
	t.Helper()
	ix, err := indexer.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Search(context.Background(), indexer.Query{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.URL)
	}
	return out
}

// TestBuildIncremental builds a site, then builds it again after each of
// a series of edits: every build starts from the release before, indexes
// only the documents that changed, carries the rest over, and the result
// answers as a build from scratch would.
func TestBuildIncremental(t *testing.T) {
	root, _ := filepath.Abs("../..")
	content := incrementalSite(t)
	out := filepath.Join(t.TempDir(), "out")
	opts := Options{Site: filepath.Join(root, "site"), Content: content, Out: out, BaseDir: filepath.Dir(content)}
	ctx := context.Background()

	first, err := Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Index.Full || first.Previous != "" || first.Index.Analysed != first.Index.Docs || !first.Preloaded {
		t.Fatalf("first build: %+v (previous %q), want a full build", first.Index, first.Previous)
	}
	docs := first.Index.Docs
	law := filepath.Join(content, "laws", "binzangguanlitiaoli.md")
	steps := []struct {
		name string
		edit func(t *testing.T)
		// analysed and deleted documents; the change in the number of documents
		analysed, deleted, more int
		// feeds written by the build, by URL
		feeds []string
		// find is searched for after the build and want its first hit;
		// gone must not be found any more.
		find, want, gone string
		// preload: the word dictionary is loaded while Hugo renders (not
		// when only law pages changed).
		preload bool
	}{
		{
			name: "edit an article",
			edit: func(t *testing.T) {
				editFile(t, law, "允许土葬。", "允许土葬，并鼓励生态安葬。")
			},
			analysed: 1,
			find:     "生态安葬", want: "/laws/binzangguanlitiaoli/#a4",
		},
		{
			name: "nothing changed",
			edit: func(*testing.T) {},
			find: "生态安葬", want: "/laws/binzangguanlitiaoli/#a4",
		},
		{
			name: "add a news page",
			edit: func(t *testing.T) {
				os.WriteFile(filepath.Join(content, "news", "2026", "hunyin.md"), []byte("---\ntitle: 婚姻登记处延长服务时间\ndate: 2026-03-05T09:00:00+08:00\nsource: 嘉定区民政局\n---\n婚姻登记处周六上午提供结婚登记预约服务。\n"), 0o644)
			},
			analysed: 1, more: 1,
			feeds: []string{"/index.xml", "/news/index.xml"},
			find:  "结婚登记预约", want: "/news/2026/hunyin/",
			preload: true,
		},
		{
			name: "delete a news page",
			edit: func(t *testing.T) {
				os.Remove(filepath.Join(content, "news", "2026", "yanglao.md"))
			},
			deleted: 1, more: -1,
			feeds: []string{"/index.xml", "/news/index.xml"},
			find:  "结婚登记预约", want: "/news/2026/hunyin/", gone: "老年人权益保障法",
			preload: true,
		},
	}
	prev := first
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.edit(t)
			res, err := Run(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.Previous != prev.Dir {
				t.Errorf("started from %q, want the release before, %q", res.Previous, prev.Dir)
			}
			ix := res.Index
			if ix.Full {
				t.Fatalf("index built from scratch (%s)", ix.Reason)
			}
			docs += s.more
			if ix.Analysed != s.analysed || ix.Deleted != s.deleted || ix.Docs != docs || ix.Reused != docs-s.analysed {
				t.Errorf("analysed %d, deleted %d, reused %d of %d documents; want %d, %d, %d of %d",
					ix.Analysed, ix.Deleted, ix.Reused, ix.Docs, s.analysed, s.deleted, docs-s.analysed, docs)
			}
			if res.Preloaded != s.preload {
				t.Errorf("word dictionary preloaded = %v, want %v", res.Preloaded, s.preload)
			}
			if !slices.Equal(res.Published.Written, s.feeds) {
				t.Errorf("feeds written = %v, want %v", res.Published.Written, s.feeds)
			}
			if got := search(t, res.Dir, s.find); len(got) == 0 || got[0] != s.want {
				t.Errorf("search %q = %v, want %s first", s.find, got, s.want)
			}
			if s.gone != "" {
				if got := search(t, res.Dir, s.gone); len(got) > 0 {
					t.Errorf("search %q = %v after it was deleted", s.gone, got)
				}
			}
			if _, err := release.Verify(res.Dir); err != nil {
				t.Errorf("release does not verify: %v", err)
			}
			prev = res
		})
	}

	// A full build of the same content answers the same.
	opts.Full = true
	full, err := Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !full.Index.Full || full.Index.Docs != docs {
		t.Errorf("full build: %+v, want %d documents from scratch", full.Index, docs)
	}
	for _, q := range []string{"生态安葬", "结婚登记预约", "慈善", "火葬"} {
		if a, b := search(t, prev.Dir, q), search(t, full.Dir, q); !slices.Equal(a, b) {
			t.Errorf("search %q: updated index %v, full build %v", q, a, b)
		}
	}
}
