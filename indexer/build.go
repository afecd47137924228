package indexer

import (
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/util"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zapv17 "github.com/blevesearch/zapx/v17"

	"github.com/pufa-gov/pufa/indexer/zh"
	"github.com/pufa-gov/pufa/internal/rusage"
)

// IndexDir and the names below are what BuildIndex writes under its
// output directory.
const (
	IndexDir   = "index"
	metaFile   = "meta.json"
	bleveDir   = "bleve"
	hashesFile = "hashes.tsv"
)

// indexFormat names the layout of an index directory and of the documents
// in it. Any change to what BuildIndex writes that the mapping and the
// program do not already show changes it, so that the next build starts
// from scratch instead of reusing documents of another shape.
const indexFormat = "pufa-index/6"

// Tuning of a full build, chosen by measurement on the whole law corpus
// (see "Build and index" in BENCHMARKS.md).
const (
	// DefaultBatchSize is the number of documents per segment that a full
	// build writes before each worker merges its segments into one.
	// Larger segments hold more analysed documents in memory at once and
	// were no faster: merging costs about the same for 2 segments as for
	// 109.
	DefaultBatchSize = 500
	// fullBuildGCPercent is the garbage collector's target (GOGC) during
	// a full build. On the whole corpus 200 rather than Go's 100 took the
	// index stage from 9.9 to 8.3 s for 1.2 GB instead of 0.8 GB peak;
	// 400 was no faster.
	fullBuildGCPercent = 200
	// maxSegments bounds the segments of an index that incremental builds
	// may start from. Updates merge their small segments as they go (see
	// compact), so an index beyond it is not one this package left; the
	// next build starts from scratch, which leaves a segment per worker.
	maxSegments = 24
	// maxChangedShare is the share of documents to analyse again beyond
	// which a full build costs about as much as an update and leaves a
	// few large segments instead of many. (Deleting is cheap and does not
	// count.)
	maxChangedShare = 0.3
)

// Meta is what a built index knows about itself besides the Bleve data:
// the document count (verified on open) and the known filter values, so the
// server can reject unknown filters without asking Bleve.
type Meta struct {
	Docs  int                 `json:"docs"`
	Built time.Time           `json:"built"`
	Terms map[string][]string `json:"terms"`
}

// Stats reports what an index build did.
type Stats struct {
	// Docs is the number of documents in the index.
	Docs int
	// Bytes is the text of all documents (titles, headings, texts and
	// bodies) in bytes: what the index is an index of.
	Bytes int64
	// Duration is the wall time of the whole build.
	Duration time.Duration
	// Full is true when the index was built from scratch; Reason says why
	// a previous index could not be reused (empty when none was offered).
	Full   bool
	Reason string
	// Analysed is the number of documents analysed and written, and
	// AnalysedBytes their text; Reused documents were carried over
	// unchanged from the previous index; Deleted ones were removed from it.
	Analysed      int
	AnalysedBytes int64
	Reused        int
	Deleted       int
	// Size is the index's size on disk in bytes and Segments the number of
	// Bleve segments it holds.
	Size     int64
	Segments int
	// Analysis is the wall time during which documents were analysed (in
	// a full build: and written as segments, on the same goroutines) and
	// the CPU time those goroutines used; Write the same for merging each
	// worker's segments into one (full build) or applying the changes
	// (update).
	Analysis, Write rusage.Usage
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
	// Previous is a directory holding an index that BuildIndex wrote
	// before (a previous release). When it is of the same format, built
	// by the same program with the same search data, the new index starts
	// as a copy of it (segment files are hard-linked: they never change)
	// and only documents whose content changed are analysed; documents
	// that vanished are deleted. Empty, or an index that cannot be reused,
	// means a full build.
	Previous string
	// Workers is the number of goroutines analysing documents; 0 means one
	// per processor.
	Workers int
	// BatchSize is the number of documents per segment of a full build;
	// 0 means DefaultBatchSize.
	BatchSize int
	// Merging, when set, is called once, when the build stops using
	// every processor: in a full build when the last worker has written
	// its segments and the workers merge theirs, in an update before it
	// starts. Work that can wait for a free processor may start then.
	Merging func()
}

// merging calls o.Merging; BuildIndex makes it run once however often
// it is called.
func (o *BuildOptions) merging() {
	if o.Merging != nil {
		o.Merging()
	}
}

// errNotReusable is why a previous index was not reused; the build then
// starts from scratch.
type errNotReusable struct{ reason string }

func (e errNotReusable) Error() string { return e.reason }

// BuildIndex writes the search index for m into dir/index. dir/index must
// not exist: the caller builds into a fresh release directory.
func BuildIndex(ctx context.Context, m *Manifest, dir string, opts BuildOptions) (Stats, error) {
	start := time.Now()
	if opts.Merging != nil {
		opts.Merging = sync.OnceFunc(opts.Merging)
	}
	defer opts.merging()
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
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
	im := newMapping()
	version, err := indexVersion(im, root)
	if err != nil {
		return Stats{}, err
	}
	docs := docsFromManifest(m)
	hashes := hashDocs(docs, opts.Workers)
	var st Stats
	for i := range docs {
		st.Bytes += docBytes(&docs[i])
	}
	st.Docs = len(docs)

	done := false
	if opts.Previous != "" {
		opts.merging()
		err := updateIndex(ctx, docs, hashes, version, root, filepath.Join(opts.Previous, IndexDir), &st)
		var nr errNotReusable
		switch {
		case err == nil:
			done = true
		case errors.As(err, &nr) && ctx.Err() == nil:
			st.Reason = nr.reason
			if err := os.RemoveAll(filepath.Join(root, bleveDir)); err != nil {
				return st, fmt.Errorf("index: %w", err)
			}
		default:
			return st, err
		}
	}
	if !done {
		st.Full = true
		st.Analysed, st.AnalysedBytes, st.Reused, st.Deleted = len(docs), st.Bytes, 0, 0
		if err := buildFull(ctx, docs, im, filepath.Join(root, bleveDir), opts, &st); err != nil {
			return st, err
		}
	}
	prevRoot := ""
	if done {
		prevRoot = filepath.Join(opts.Previous, IndexDir)
	}
	if err := writeWords(root, prevRoot); err != nil {
		return st, err
	}
	if opts.Progress != nil {
		fmt.Fprintf(opts.Progress, "\rindexed %d documents (%d analysed)\n", len(docs), st.Analysed)
	}

	if err := writeHashes(filepath.Join(root, hashesFile), version, docs, hashes); err != nil {
		return st, err
	}
	meta := Meta{Docs: len(docs), Built: m.Built, Terms: knownTerms(docs)}
	if err := writeJSON(filepath.Join(root, metaFile), meta); err != nil {
		return st, err
	}
	st.Size = dirSize(root)
	st.Duration = time.Since(start)
	return st, nil
}

// hashesHeader begins hashes.tsv: the version of the index follows it
// (see indexVersion), then a line per document: its content hash, a tab,
// its ID.
const hashesHeader = "pufa-hashes "

func writeHashes(path, version string, docs []doc, hashes []string) error {
	var b strings.Builder
	b.Grow(len(docs) * 80)
	b.WriteString(hashesHeader + version + "\n")
	for i := range docs {
		b.WriteString(hashes[i])
		b.WriteByte('\t')
		b.WriteString(docs[i].ID)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

// readHashes reads what writeHashes wrote: the version and the hash of
// every document by ID.
func readHashes(path string) (string, map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	head, rest, _ := strings.Cut(string(data), "\n")
	version, ok := strings.CutPrefix(head, hashesHeader)
	if !ok {
		return "", nil, fmt.Errorf("%s: not a hashes file", filepath.Base(path))
	}
	docs := make(map[string]string, strings.Count(rest, "\n"))
	for line := range strings.SplitSeq(strings.TrimSuffix(rest, "\n"), "\n") {
		if line == "" {
			continue
		}
		h, id, ok := strings.Cut(line, "\t")
		if !ok {
			return "", nil, fmt.Errorf("%s: bad line %q", filepath.Base(path), line)
		}
		docs[id] = h
	}
	return version, docs, nil
}

// segmentPlugin writes the segments of a full build. It is the segment
// format scorch writes by default, so the index opens and updates as any
// other; writeRoot records it as the format of the segments.
var segmentPlugin scorch.SegmentPlugin = &zapv17.ZapPlugin{}

// buildFull writes every document into a new Bleve index at path.
//
// opts.Workers goroutines each take the next opts.BatchSize documents,
// analyse them and write them as a segment file of their own, so that
// analysis and segment writing, most of a build, run on every processor.
// When no documents are left, each worker merges the segments it wrote
// into one, again all at once; the index is made of those segments, one
// per worker (see writeRoot). The count of the result is checked.
func buildFull(ctx context.Context, docs []doc, im mapping.IndexMapping, path string, opts BuildOptions, st *Stats) error {
	if len(docs) == 0 {
		// Bleve writes an empty index as an ordinary one.
		idx, err := bleve.New(path, im)
		if err != nil {
			return fmt.Errorf("index: create: %w", err)
		}
		if err := idx.Close(); err != nil {
			return fmt.Errorf("index: %w", err)
		}
		st.Segments, err = checkCount(path, 0)
		return err
	}
	store := filepath.Join(path, "store")
	if err := os.MkdirAll(store, 0o755); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	tmp, err := os.MkdirTemp(path, "build-")
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	defer os.RemoveAll(tmp)
	// Collect garbage less often while building: the analysed documents
	// of a segment are short-lived garbage by the megabyte.
	defer debug.SetGCPercent(debug.SetGCPercent(fullBuildGCPercent))

	nSegs := (len(docs) + opts.BatchSize - 1) / opts.BatchSize
	// A segment per worker, numbered as rootKey can encode.
	workers := min(opts.Workers, nSegs, rootMaxID)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	errs := make(chan error, workers)
	merged := make([]string, workers)
	var analysis, merging rusage.Usage
	var mu sync.Mutex
	var wg sync.WaitGroup
	written, analysing := 0, workers
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			th := rusage.StartThread()
			var mine []string
			for i := range next {
				lo, hi := i*opts.BatchSize, min(len(docs), (i+1)*opts.BatchSize)
				p := filepath.Join(tmp, fmt.Sprintf("%06d.zap", i))
				if err := writeSegment(im, docs[lo:hi], p); err != nil {
					th.Stop()
					errs <- err
					cancel()
					return
				}
				mine = append(mine, p)
				mu.Lock()
				written += hi - lo
				if opts.Progress != nil {
					fmt.Fprintf(opts.Progress, "\rindexing %d/%d", written, len(docs))
				}
				mu.Unlock()
			}
			cpu := th.Stop()
			mu.Lock()
			analysis.CPU += cpu
			analysis.Wall = max(analysis.Wall, time.Since(start))
			if analysing--; analysing == 0 {
				// The last worker to finish its segments: the others are
				// merging theirs and one processor or more is free.
				opts.merging()
			}
			mu.Unlock()
			if ctx.Err() != nil {
				return
			}
			mergeStart := time.Now()
			th = rusage.StartThread()
			out := filepath.Join(tmp, fmt.Sprintf("merged-%d.zap", w))
			err := mergeSegments(ctx, mine, out)
			cpu = th.Stop()
			mu.Lock()
			merging.CPU += cpu
			merging.Wall = max(merging.Wall, time.Since(mergeStart))
			mu.Unlock()
			if err != nil {
				errs <- err
				cancel()
				return
			}
			merged[w] = out
		}()
	}
	go func() {
		defer close(next)
		for i := range nSegs {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	wg.Wait()
	st.Analysis, st.Write = analysis, merging
	select {
	case err := <-errs:
		return err
	default:
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	var segs []string
	for _, m := range merged {
		if m != "" {
			segs = append(segs, m)
		}
	}
	if err := writeRoot(im, segs, path); err != nil {
		return err
	}
	st.Segments, err = checkCount(path, len(docs))
	return err
}

// mergeSegments merges the segment files paths into one at out, or
// renames the only one.
func mergeSegments(ctx context.Context, paths []string, out string) error {
	if len(paths) == 1 {
		return os.Rename(paths[0], out)
	}
	segs := make([]segment.Segment, 0, len(paths))
	defer func() {
		for _, s := range segs {
			s.Close()
		}
	}()
	for _, p := range paths {
		s, err := segmentPlugin.Open(p)
		if err != nil {
			return fmt.Errorf("index: open segment: %w", err)
		}
		segs = append(segs, s)
	}
	closing := make(chan struct{})
	stop := context.AfterFunc(ctx, func() { close(closing) })
	defer stop()
	if _, _, err := segmentPlugin.Merge(segs, make([]*roaring.Bitmap, len(segs)), out, closing, nil); err != nil {
		return fmt.Errorf("index: merge segments: %w", err)
	}
	return nil
}

// writeSegment analyses docs and writes them as one segment file at path.
func writeSegment(im mapping.IndexMapping, docs []doc, path string) error {
	analysed := make([]index.Document, 0, len(docs))
	for i := range docs {
		bd, err := analyse(im, &docs[i])
		if err != nil {
			return err
		}
		analysed = append(analysed, bd)
	}
	seg, _, err := segmentPlugin.New(analysed)
	if err != nil {
		return fmt.Errorf("index: segment: %w", err)
	}
	us, ok := seg.(segment.UnpersistedSegment)
	if !ok {
		return fmt.Errorf("index: segment of type %T cannot be written", seg)
	}
	if err := us.Persist(path); err != nil {
		return fmt.Errorf("index: write segment: %w", err)
	}
	return seg.Close()
}

// mapDoc maps d to a Bleve document through im, with the fields of the
// bigram analyzers made gramFields. Every document goes into the index
// this way: analysed by writeSegment in a full build, by Bleve in an
// update.
func mapDoc(im mapping.IndexMapping, d *doc) (*document.Document, error) {
	bd := document.NewDocument(d.ID)
	if err := im.MapDocument(bd, d); err != nil {
		return nil, fmt.Errorf("index: %s: %w", d.ID, err)
	}
	grams, text := im.AnalyzerNamed(zh.BigramAnalyzerName), im.AnalyzerNamed(zh.BigramQueryAnalyzerName)
	for i, f := range bd.Fields {
		tf, ok := f.(*document.TextField)
		if !ok || !tf.Options().IsIndexed() || tf.Options().IncludeTermVectors() {
			continue
		}
		switch tf.Analyzer() {
		case grams:
			bd.Fields[i] = &gramField{TextField: tf, unigrams: true}
		case text:
			bd.Fields[i] = &gramField{TextField: tf}
		}
	}
	return bd, nil
}

// analyse maps d (mapDoc) and analyses it as Bleve does before writing a
// segment: every indexed field, the document's ID field, and the
// composite fields made of them.
func analyse(im mapping.IndexMapping, d *doc) (*document.Document, error) {
	bd, err := mapDoc(im, d)
	if err != nil {
		return nil, err
	}
	bd.AddIDField()
	for _, f := range bd.Fields {
		if !f.Options().IsIndexed() {
			continue
		}
		f.Analyze()
		if bd.HasComposite() && f.Name() != "_id" {
			bd.VisitComposite(func(cf index.CompositeField) {
				cf.Compose(f.Name(), f.AnalyzedLength(), f.AnalyzedTokenFrequencies())
			})
		}
	}
	return bd, nil
}

// gramField is a text field of a bigram analyzer without term vectors,
// analysed by zh.GramFrequencies: the same terms as the analyzer in half
// the time with a quarter of the memory (BenchmarkGramFrequencies), and,
// for the long texts indexed without unigrams, a length that still counts
// every character. Everything else is the field's own.
type gramField struct {
	*document.TextField
	unigrams bool
	length   int
	freqs    index.TokenFrequencies
}

func (g *gramField) Analyze() {
	g.length, g.freqs = zh.GramFrequencies(g.Value(), g.unigrams)
}

func (g *gramField) AnalyzedLength() int { return g.length }

func (g *gramField) AnalyzedTokenFrequencies() index.TokenFrequencies { return g.freqs }

func (g *gramField) Size() int {
	return g.TextField.Size() + g.freqs.Size()
}

// writeRoot makes the index at path of the segment files segs (moved
// into it): Bleve's scorch layout, as bleve.NewBuilder leaves it, but
// with a segment per analysing worker instead of one. The snapshot that
// root.bolt records names the segment files, their format, and the
// index's mapping; scorch opens it, and updates it, as any other.
func writeRoot(im mapping.IndexMapping, segs []string, path string) error {
	mappingJSON, err := util.MarshalJSON(im)
	if err != nil {
		return fmt.Errorf("index: mapping: %w", err)
	}
	if len(segs) > rootMaxID {
		return fmt.Errorf("index: %d segments, at most %d", len(segs), rootMaxID)
	}
	store := filepath.Join(path, "store")
	var names []string
	for i, p := range segs {
		// The names scorch gives segment files: the segment's number,
		// twelve hexadecimal digits. Updates number theirs after the
		// highest on disk.
		name := fmt.Sprintf("%012x.zap", i+1)
		if err := os.Rename(p, filepath.Join(store, name)); err != nil {
			return fmt.Errorf("index: %w", err)
		}
		names = append(names, name)
	}
	rootPath := filepath.Join(store, "root.bolt")
	root, err := util.OpenBolt(rootPath, 0o600, nil)
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	err = func() error {
		tx, err := root.Begin(true)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		writer, err := util.NewFileWriter([]byte(rootPath))
		if err != nil {
			return err
		}
		snapshots, err := tx.CreateBucketIfNotExists(util.BoltSnapshotsBucket)
		if err != nil {
			return err
		}
		snap, err := snapshots.CreateBucketIfNotExists(rootKey(rootEpoch))
		if err != nil {
			return err
		}
		meta, err := snap.CreateBucketIfNotExists(util.BoltMetaDataKey)
		if err != nil {
			return err
		}
		version := make([]byte, 4)
		binary.BigEndian.PutUint32(version, segmentPlugin.Version())
		now, err := time.Now().MarshalText()
		if err != nil {
			return err
		}
		for _, kv := range []struct {
			k, v []byte
			w    util.FileWriter
		}{
			{util.BoltMetaDataSegmentTypeKey, []byte(segmentPlugin.Type()), nil},
			{util.BoltMetaDataSegmentVersionKey, version, nil},
			{util.BoltMetaDataFileWriterIDKey, []byte(writer.Id()), writer},
			{util.BoltMetaDataTimeStamp, now, writer},
		} {
			if err := meta.Put(kv.k, kv.v, kv.w); err != nil {
				return err
			}
		}
		internal, err := snap.CreateBucketIfNotExists(util.BoltInternalKey)
		if err != nil {
			return err
		}
		if err := internal.Put(util.MappingInternalKey, mappingJSON, writer); err != nil {
			return err
		}
		for i, name := range names {
			seg, err := snap.CreateBucketIfNotExists(rootKey(uint64(i + 1)))
			if err != nil {
				return err
			}
			if err := seg.Put(util.BoltPathKey, []byte(name), writer); err != nil {
				return err
			}
		}
		return tx.Commit()
	}()
	if cerr := root.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("index: write root: %w", err)
	}
	// What bleve.New writes beside the store, so that bleve.Open reads
	// the result as a scorch index.
	if err := os.WriteFile(filepath.Join(path, "index_meta.json"), []byte(`{"storage":"scorch","index_type":"scorch"}`), 0o644); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

// rootEpoch is the epoch of the one snapshot writeRoot records, the one
// an index built from a single batch has.
const rootEpoch = 3

// rootMaxID is the largest number rootKey encodes.
const rootMaxID = 109

// rootKey encodes a small snapshot epoch or segment number as scorch's
// root.bolt keys them: one byte, 136 plus the number (the order-keeping
// variable-length encoding scorch uses, for numbers up to rootMaxID).
func rootKey(n uint64) []byte {
	if n > rootMaxID {
		panic("rootKey: number too large")
	}
	return []byte{byte(136 + n)}
}

// updateIndex builds the index at root by copying the previous index in
// prev and applying the difference: documents whose hash changed or that
// are new are indexed, documents that vanished are deleted. It returns an
// errNotReusable when prev cannot be the start of this index.
func updateIndex(ctx context.Context, docs []doc, hashes []string, version, root, prev string, st *Stats) error {
	oldVersion, oldDocs, err := readHashes(filepath.Join(prev, hashesFile))
	if errors.Is(err, fs.ErrNotExist) {
		return errNotReusable{"no previous index"}
	}
	if err != nil {
		return errNotReusable{fmt.Sprintf("previous index: %v", err)}
	}
	if oldVersion != version {
		return errNotReusable{"previous index is of another version (mapping, search data or program changed)"}
	}
	prevBleve := filepath.Join(prev, bleveDir)
	var changed []int
	seen := make(map[string]bool, len(docs))
	for i := range docs {
		seen[docs[i].ID] = true
		if oldDocs[docs[i].ID] != hashes[i] {
			changed = append(changed, i)
		}
	}
	var deleted []string
	for id := range oldDocs {
		if !seen[id] {
			deleted = append(deleted, id)
		}
	}
	sort.Strings(deleted)
	if float64(len(changed)) > maxChangedShare*float64(len(docs)) {
		return errNotReusable{fmt.Sprintf("%d of %d documents changed", len(changed), len(docs))}
	}

	writeStart := time.Now()
	th := rusage.StartThread()
	defer func() {
		st.Write = rusage.Usage{Wall: time.Since(writeStart), CPU: th.Stop()}
	}()
	path := filepath.Join(root, bleveDir)
	if err := linkTree(prevBleve, path); err != nil {
		return errNotReusable{fmt.Sprintf("copy previous index: %v", err)}
	}
	idx, err := bleve.Open(path)
	if err != nil {
		return errNotReusable{fmt.Sprintf("open previous index: %v", err)}
	}
	n, err := idx.DocCount()
	if err != nil || int(n) != len(oldDocs) {
		idx.Close()
		return errNotReusable{fmt.Sprintf("previous index has %d documents, its hashes %d", n, len(oldDocs))}
	}
	if segs := rootSegments(idx); segs >= maxSegments {
		idx.Close()
		return errNotReusable{fmt.Sprintf("previous index has %d segments", segs)}
	}
	if len(changed)+len(deleted) > 0 {
		b := idx.NewBatch()
		for _, id := range deleted {
			b.Delete(id)
		}
		im := idx.Mapping()
		for _, i := range changed {
			bd, err := mapDoc(im, &docs[i])
			if err == nil {
				err = b.IndexAdvanced(bd)
			}
			if err != nil {
				idx.Close()
				return fmt.Errorf("index: %s: %w", docs[i].ID, err)
			}
			st.AnalysedBytes += docBytes(&docs[i])
		}
		if err := ctx.Err(); err != nil {
			idx.Close()
			return err
		}
		if err := idx.Batch(b); err != nil {
			idx.Close()
			return fmt.Errorf("index: apply changes: %w", err)
		}
	}
	// Each update adds a small segment. Merge the small ones together by
	// Bleve's tiered policy (the large segment of the last full build is
	// left alone) and wait for it, so that no merge is half done when the
	// index closes and the release is sealed.
	if err := compact(ctx, idx); err != nil {
		idx.Close()
		return fmt.Errorf("index: merge: %w", err)
	}
	n, err = idx.DocCount()
	st.Segments = rootSegments(idx)
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	if int(n) != len(docs) {
		return fmt.Errorf("index: has %d documents after the update, want %d", n, len(docs))
	}
	st.Analysed, st.Deleted, st.Reused = len(changed), len(deleted), len(docs)-len(changed)
	return nil
}

// compact runs Bleve's tiered merge policy on idx to completion.
func compact(ctx context.Context, idx bleve.Index) error {
	adv, err := idx.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return fmt.Errorf("index is a %T, not scorch", adv)
	}
	opts := mergeplan.DefaultMergePlanOptions
	return s.ForceMerge(ctx, &opts)
}

// checkCount opens the index at path, checks it holds n documents and
// returns its number of segments.
func checkCount(path string, n int) (int, error) {
	idx, err := bleve.OpenUsing(path, map[string]any{"read_only": true})
	if err != nil {
		return 0, fmt.Errorf("index: open: %w", err)
	}
	got, err := idx.DocCount()
	segs := rootSegments(idx)
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("index: count: %w", err)
	}
	if int(got) != n {
		return 0, fmt.Errorf("index: has %d documents, want %d", got, n)
	}
	return segs, nil
}

// rootSegments returns the number of segments of the index's current
// snapshot (files of older snapshots may still be on disk).
func rootSegments(idx bleve.Index) int {
	stats, _ := idx.StatsMap()["index"].(map[string]any)
	n, _ := stats["TotFileSegmentsAtRoot"].(uint64)
	return int(n)
}

// hashDocs returns the content hash of every document: of its ID and of
// every field Bleve reads (the fields of doc with a JSON name), on workers
// goroutines.
func hashDocs(docs []doc, workers int) []string {
	out := make([]string, len(docs))
	plan := docPlan()
	var wg sync.WaitGroup
	per := max(1, (len(docs)+workers-1)/max(1, workers))
	for lo := 0; lo < len(docs); lo += per {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			var buf []byte
			for i := lo; i < hi; i++ {
				buf = appendField(buf[:0], docs[i].ID)
				v := reflect.ValueOf(&docs[i]).Elem()
				for _, f := range plan {
					buf = appendField(buf, f.name)
					buf = f.append(buf, v.Field(f.index))
				}
				sum := sha256.Sum256(buf)
				out[i] = hex.EncodeToString(sum[:16])
			}
		}(lo, min(len(docs), lo+per))
	}
	wg.Wait()
	return out
}

// hashedField is a field of doc that hashDocs encodes.
type hashedField struct {
	index  int
	name   string
	append func([]byte, reflect.Value) []byte
}

// docPlan lists the fields of doc that Bleve maps (those with a JSON
// name) and how each is encoded for hashing: strings and lists of them as
// they are, times with their zone, anything else as JSON.
var docPlan = sync.OnceValue(func() []hashedField {
	t := reflect.TypeFor[doc]()
	var plan []hashedField
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		hf := hashedField{index: i, name: name}
		switch {
		case f.Type.Kind() == reflect.String:
			hf.append = func(b []byte, v reflect.Value) []byte { return appendField(b, v.String()) }
		case f.Type == reflect.TypeFor[time.Time]():
			hf.append = func(b []byte, v reflect.Value) []byte {
				t, _ := v.Interface().(time.Time).MarshalBinary()
				return appendField(b, string(t))
			}
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.String:
			hf.append = func(b []byte, v reflect.Value) []byte {
				b = binary.AppendUvarint(b, uint64(v.Len()))
				for j := range v.Len() {
					b = appendField(b, v.Index(j).String())
				}
				return b
			}
		default:
			hf.append = func(b []byte, v reflect.Value) []byte {
				data, err := json.Marshal(v.Interface())
				if err != nil {
					data = []byte(err.Error())
				}
				return appendField(b, string(data))
			}
		}
		plan = append(plan, hf)
	}
	return plan
})

// appendField appends s with its length before it, so that no two lists
// of fields encode alike.
func appendField(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func docBytes(d *doc) int64 {
	return int64(len(d.Title) + len(d.Heading) + len(d.Text) + len(d.Body))
}

// indexVersion identifies what the documents of an index depend on
// besides their content: the index format, the mapping (fields, analyzers,
// scoring), the search data files copied into root (the user dictionary
// changes how text is segmented) and the program itself (analyzers and
// the segmenter's dictionary are compiled in). An index of another
// version is never updated, only rebuilt.
func indexVersion(im mapping.IndexMapping, root string) (string, error) {
	h := sha256.New()
	h.Write([]byte(indexFormat + "\n"))
	mj, err := util.MarshalJSON(im)
	if err != nil {
		return "", fmt.Errorf("index: mapping: %w", err)
	}
	h.Write(mj)
	for _, name := range SearchDataFiles {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("index: %w", err)
		}
		fmt.Fprintf(h, "\n%s %d\n", name, len(data))
		h.Write(data)
	}
	h.Write([]byte(programID()))
	return hex.EncodeToString(h.Sum(nil)), nil
}

var programOnce = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return "unknown program"
	}
	// The Go build ID changes whenever anything compiled into the program
	// does.
	if f, err := elf.Open(exe); err == nil {
		defer f.Close()
		if s := f.Section(".note.go.buildid"); s != nil {
			if data, err := s.Data(); err == nil {
				return string(data)
			}
		}
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return "unknown program"
	}
	return fmt.Sprintf("%s %d %d", exe, fi.Size(), fi.ModTime().UnixNano())
})

// programID identifies the running program's build.
func programID() string { return programOnce() }

// linkTree recreates the directory tree from at to: files are hard-linked
// (copied where links are not possible), except Bleve's root.bolt and any
// file ending in .json, which an opened index rewrites in place and so are
// copied.
func linkTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if strings.HasSuffix(p, ".zap") {
			if err := os.Link(p, dst); err == nil {
				return nil
			}
		}
		return copyFile(p, dst)
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// dirSize returns the bytes of the files under dir.
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

func writeJSON(path string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
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

// PreloadAnalysis gives the shared word segmenter the user dictionary in
// dataDir (see SearchDataFiles) and builds it, which takes about a second
// of CPU. A build calls it at its start, on a goroutine of its own, so that
// the load overlaps rendering instead of delaying the first document
// analysed or the verification of the index.
func PreloadAnalysis(dataDir string) error {
	if err := useDict(dataDir); err != nil {
		return err
	}
	_, err := zh.Preload()
	return err
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
