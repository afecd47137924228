package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/pufa-gov/pufa/indexer/zh"
)

// IndexDir and metaFile name what Build writes under its output directory.
const (
	IndexDir = "index"
	metaFile = "meta.json"
	bleveDir = "bleve"
)

// batchSize is the number of documents per Bleve batch.
const batchSize = 500

// Meta is what a built index knows about itself besides the Bleve data:
// the document count (verified on open) and the known filter values, so the
// server can reject unknown filters without asking Bleve.
type Meta struct {
	Docs   int                 `json:"docs"`
	Built  time.Time           `json:"built"`
	Terms  map[string][]string `json:"terms"`
	Titles []string            `json:"titles"`
}

// Stats reports what an index build did.
type Stats struct {
	Docs     int
	Bytes    int64
	Duration time.Duration
}

// SearchDataFiles are the editor-maintained search files (in the site's
// data folder) that an index is built with. They are copied into the index
// so a served index always answers with the words it was built with.
var SearchDataFiles = []string{"dict.txt", "synonyms.yaml", "bestbets.yaml"}

// BuildOptions configure BuildIndex.
type BuildOptions struct {
	// DataDir holds the search data files; empty means none.
	DataDir string
	// Progress receives progress lines; nil for none.
	Progress io.Writer
}

// BuildIndex writes the search index for m into dir/index. dir/index must
// not exist: the caller builds into a fresh release directory.
func BuildIndex(ctx context.Context, m *Manifest, dir string, opts BuildOptions) (Stats, error) {
	start := time.Now()
	progress := opts.Progress
	root := filepath.Join(dir, IndexDir)
	if err := os.MkdirAll(root, 0o755); err != nil {
		return Stats{}, fmt.Errorf("index: %w", err)
	}
	if err := copySearchData(opts.DataDir, root); err != nil {
		return Stats{}, err
	}
	if err := useDict(root); err != nil {
		return Stats{}, err
	}
	docs := docsFromManifest(m)
	idx, err := bleve.New(filepath.Join(root, bleveDir), newMapping())
	if err != nil {
		return Stats{}, fmt.Errorf("index: create: %w", err)
	}
	var st Stats
	batch := idx.NewBatch()
	flush := func() error {
		if batch.Size() == 0 {
			return nil
		}
		if err := idx.Batch(batch); err != nil {
			return err
		}
		batch.Reset()
		return nil
	}
	for i := range docs {
		if err := ctx.Err(); err != nil {
			idx.Close()
			return st, err
		}
		d := &docs[i]
		if err := batch.Index(d.ID, d); err != nil {
			idx.Close()
			return st, fmt.Errorf("index: %s: %w", d.ID, err)
		}
		st.Bytes += int64(len(d.Title) + len(d.Text) + len(d.Body) + len(d.Heading))
		if batch.Size() >= batchSize {
			if err := flush(); err != nil {
				idx.Close()
				return st, fmt.Errorf("index: batch: %w", err)
			}
			if progress != nil {
				fmt.Fprintf(progress, "\rindexing %d/%d", i+1, len(docs))
			}
		}
	}
	if err := flush(); err != nil {
		idx.Close()
		return st, fmt.Errorf("index: batch: %w", err)
	}
	if progress != nil {
		fmt.Fprintf(progress, "\rindexed %d documents\n", len(docs))
	}
	n, err := idx.DocCount()
	if err != nil {
		idx.Close()
		return st, fmt.Errorf("index: count: %w", err)
	}
	if err := idx.Close(); err != nil {
		return st, fmt.Errorf("index: close: %w", err)
	}
	if int(n) != len(docs) {
		return st, fmt.Errorf("index: has %d documents, want %d", n, len(docs))
	}
	meta := Meta{Docs: len(docs), Built: m.Built, Terms: knownTerms(docs), Titles: lawTitles(docs)}
	data, err := json.Marshal(meta)
	if err != nil {
		return st, err
	}
	if err := os.WriteFile(filepath.Join(root, metaFile), data, 0o644); err != nil {
		return st, fmt.Errorf("index: %w", err)
	}
	st.Docs = len(docs)
	st.Duration = time.Since(start)
	return st, nil
}

func knownTerms(docs []doc) map[string][]string {
	sets := map[string]map[string]bool{}
	add := func(field string, vals ...string) {
		if sets[field] == nil {
			sets[field] = map[string]bool{}
		}
		for _, v := range vals {
			sets[field][v] = true
		}
	}
	add(fieldType, Kinds...)
	for i := range docs {
		d := &docs[i]
		add(fieldCategory, d.Category...)
		add(fieldDepartment, d.Department...)
		add(fieldAudience, d.Audience...)
		add(fieldMethod, d.Method...)
	}
	out := map[string][]string{}
	for f, set := range sets {
		var vals []string
		for v := range set {
			vals = append(vals, v)
		}
		sort.Strings(vals)
		out[f] = vals
	}
	return out
}

func lawTitles(docs []doc) []string {
	var out []string
	for i := range docs {
		if docs[i].Type == KindLaw || docs[i].Type == KindCatalog {
			out = append(out, docs[i].Title)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// copySearchData copies the search data files present in from into to.
func copySearchData(from, to string) error {
	if from == "" {
		return nil
	}
	for _, name := range SearchDataFiles {
		data, err := os.ReadFile(filepath.Join(from, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("index: %w", err)
		}
		if err := os.WriteFile(filepath.Join(to, name), data, 0o644); err != nil {
			return fmt.Errorf("index: %w", err)
		}
	}
	return nil
}

// useDict adds the index's user dictionary to the shared segmenter.
func useDict(root string) error {
	p := filepath.Join(root, "dict.txt")
	if _, err := os.Stat(p); err != nil {
		return nil
	}
	d, err := zh.LoadDict(p)
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return zh.UseDict(d)
}
