package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/pufa-gov/pufa/indexer/zh"
)

// Limits on a search request (the HTTP contract answers 400 beyond them).
const (
	MaxQueryRunes = 256
	MaxSize       = 50
	MaxPage       = 100
	DefaultSize   = 10
)

// ParamError reports a search request parameter that is out of bounds or
// unknown. Param is the HTTP parameter's name.
type ParamError struct {
	Param   string
	Message string
}

func (e *ParamError) Error() string { return e.Param + ": " + e.Message }

// Query is a search request.
type Query struct {
	Text string
	// Filters by facet field: type, category, department, audience, method.
	Filters map[string]string
	Page    int // 1-based; 0 means 1
	Size    int // 0 means DefaultSize
	// Sort is "" (relevance) or "date" (newest first).
	Sort string
	// Explain asks for how the query was understood (Result.Explain) and
	// why each hit ranked (Hit.Explain). It costs time: staff tools only.
	Explain bool
}

// Result is one page of search results. Query and Suggestion are
// HTML-escaped text, like the hits' titles.
type Result struct {
	Query      string             `json:"query"`
	Total      uint64             `json:"total"`
	TookMS     int64              `json:"took_ms"`
	Page       int                `json:"page"`
	Size       int                `json:"size"`
	Hits       []Hit              `json:"hits"`
	Facets     map[string][]Facet `json:"facets"`
	Suggestion string             `json:"suggestion,omitempty"`
	// Explain is how the query was understood, when Query.Explain asked.
	Explain *Understanding `json:"explain,omitempty"`
}

// Hit is one search result. Title, Law and Article are HTML-escaped
// text; Snippet is HTML in which only <mark> is markup. So a client may
// insert any of them into a page as HTML and content cannot inject markup.
type Hit struct {
	URL     string  `json:"url"`
	Title   string  `json:"title"`
	Type    string  `json:"type"`
	Law     string  `json:"law,omitempty"`
	Article string  `json:"article,omitempty"`
	Snippet string  `json:"snippet"`
	Date    string  `json:"date,omitempty"`
	Score   float64 `json:"score"`
	// Explain is why the hit ranked, when Query.Explain asked.
	Explain *Explanation `json:"explain,omitempty"`
}

// Facet is a facet value and its count.
type Facet struct {
	Term  string `json:"term"`
	Count int    `json:"count"`
}

// Index is an opened search index. It is safe for concurrent use.
type Index struct {
	bi   bleve.Index
	meta Meta
	data *searchData
	tables
	// termReader reads the index's term dictionaries for query planning
	// (see common); commonCache keeps its answers, commonCached counts
	// them.
	termReader   index.IndexReader
	commonCache  sync.Map
	commonCached atomic.Int64
	// bm25 counts the statistics BM25 scores by (loadBM25Stats) on the
	// first search: it reads every term of the index, which a build that
	// opens the index only to verify it need not wait for.
	bm25 func() (*search.BM25Stats, error)
}

// Open opens the index that BuildIndex wrote under dir and checks that it
// holds the documents its metadata promises.
func Open(dir string) (*Index, error) { return open(dir, true) }

// Check opens the index under dir as Open does, search data and tables
// included, but without loading the word dictionary, which only searching
// needs; it returns the number of documents. A build checks what it wrote
// with it.
func Check(dir string) (int, error) {
	ix, err := open(dir, false)
	if err != nil {
		return 0, err
	}
	n := ix.Docs()
	return n, ix.Close()
}

func open(dir string, preload bool) (*Index, error) {
	root := filepath.Join(dir, IndexDir)
	data, err := os.ReadFile(filepath.Join(root, metaFile))
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	var meta Meta
	if err := json.Unmarshal(data, &meta); err != nil {
		return nil, fmt.Errorf("open index: %s: %w", metaFile, err)
	}
	if err := useDict(root); err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	// Load the segmenter now: an opened index is ready to answer, and the
	// first reader's search does not pay the dictionary load (seconds)
	// against its timeout.
	if preload {
		if _, err := zh.Preload(); err != nil {
			return nil, fmt.Errorf("open index: %w", err)
		}
	}
	bi, err := bleve.OpenUsing(filepath.Join(root, bleveDir), map[string]any{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	n, err := bi.DocCount()
	if err != nil {
		bi.Close()
		return nil, fmt.Errorf("open index: count: %w", err)
	}
	if int(n) != meta.Docs {
		bi.Close()
		return nil, fmt.Errorf("open index: has %d documents, metadata says %d", n, meta.Docs)
	}
	sd, err := loadSearchData(root, bi, &meta)
	if err != nil {
		bi.Close()
		return nil, fmt.Errorf("open index: %w", err)
	}
	// One reader for the index's lifetime: it builds the tables and
	// answers query planning (see common).
	var r index.IndexReader
	adv, err := bi.Advanced()
	if err == nil {
		r, err = adv.Reader()
	}
	if err != nil {
		bi.Close()
		return nil, fmt.Errorf("open index: %w", err)
	}
	t, err := openTables(r, meta)
	if err != nil {
		r.Close()
		bi.Close()
		return nil, fmt.Errorf("open index: %w", err)
	}
	ix := &Index{bi: bi, meta: meta, data: sd, tables: t, termReader: r}
	ix.bm25 = sync.OnceValues(func() (*search.BM25Stats, error) { return loadBM25Stats(ix.termReader) })
	return ix, nil
}

// Warm computes what the first search would otherwise compute first (the
// statistics BM25 scores by, a few tenths of a second for a library of
// 50,000 documents). A server warms an index before it answers with it;
// a build that only verifies the index need not.
func (ix *Index) Warm() error {
	_, err := ix.bm25()
	return err
}

// Close releases the index.
func (ix *Index) Close() error {
	ix.termReader.Close()
	return ix.bi.Close()
}

// Docs returns the number of documents in the index.
func (ix *Index) Docs() int { return ix.meta.Docs }

// Terms returns the known values of a filter field.
func (ix *Index) Terms(field string) []string { return ix.meta.Terms[field] }

// Validate normalises q in place and reports the first bad parameter.
func (ix *Index) Validate(q *Query) error {
	text, err := zh.Normalize(q.Text)
	switch {
	case errors.Is(err, zh.ErrEmpty):
		return &ParamError{"q", "请输入搜索词"}
	case errors.Is(err, zh.ErrTooLong):
		return &ParamError{"q", fmt.Sprintf("搜索词不能超过 %d 个字", MaxQueryRunes)}
	case err != nil:
		return &ParamError{"q", err.Error()}
	}
	q.Text = text
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Size == 0 {
		q.Size = DefaultSize
	}
	if q.Page < 1 || q.Page > MaxPage {
		return &ParamError{"page", fmt.Sprintf("must be between 1 and %d", MaxPage)}
	}
	if q.Size < 1 || q.Size > MaxSize {
		return &ParamError{"size", fmt.Sprintf("must be between 1 and %d", MaxSize)}
	}
	if q.Sort != "" && q.Sort != "date" && q.Sort != "relevance" {
		return &ParamError{"sort", `must be "relevance" or "date"`}
	}
	for _, f := range facetFields {
		v, ok := q.Filters[f]
		if !ok || v == "" {
			continue
		}
		if !slices.Contains(ix.meta.Terms[f], v) {
			return &ParamError{f, fmt.Sprintf("unknown value %q", v)}
		}
	}
	for f := range q.Filters {
		if !slices.Contains(facetFields, f) {
			return &ParamError{f, "unknown filter"}
		}
	}
	return nil
}

// Search runs q. It stops when ctx is done: a search cut short by its
// deadline returns an error that wraps ctx.Err().
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	return ix.search(ctx, q, rankOptions{})
}

func (ix *Index) search(ctx context.Context, q Query, opts rankOptions) (*Result, error) {
	start := time.Now()
	if err := ix.Validate(&q); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	p, err := ix.planQuery(ctx, answerWords(q.Text), opts)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	pq := ix.rankedQuery(&p, q, opts)
	pq.facets = ix.facets.counter()
	req := bleve.NewSearchRequestOptions(pq, q.Size, (q.Page-1)*q.Size, false)
	req.Fields = []string{fieldTitle, fieldURL, fieldType, fieldLaw, fieldArticle, fieldDate, fieldText, fieldBody, fieldSuccessor}
	if q.Sort == "date" {
		req.SortBy([]string{"-" + fieldDate, "-_score"})
	}
	req.Explain = q.Explain
	stats, err := ix.bm25()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	sr, err := ix.bi.SearchInContext(context.WithValue(ctx, search.BM25StatsKey, stats), req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	suggestion := p.suggestion
	if sr.Total == 0 {
		// Whatever the plan resolved the query to was searched with it.
		if suggestion, err = ix.zeroSuggestion(ctx, q, &p); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	res := &Result{
		Query:      html.EscapeString(q.Text),
		Total:      sr.Total,
		Page:       q.Page,
		Size:       q.Size,
		Hits:       make([]Hit, 0, len(sr.Hits)+1),
		Facets:     pq.facets.result(),
		Suggestion: html.EscapeString(suggestion),
	}
	hits := sr.Hits
	if q.Sort != "date" && !filtered(q) {
		if hits, err = ix.withSuccessors(ctx, hits, req.Fields); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	marks := p.highlights()
	for _, h := range hits {
		res.Hits = append(res.Hits, hitOf(h, marks))
	}
	if q.Explain {
		ix.explainResult(res, sr.Hits, &p)
	}
	res.TookMS = time.Since(start).Milliseconds()
	return res, nil
}

// filtered reports whether q restricts the results by a facet.
func filtered(q Query) bool {
	for _, v := range q.Filters {
		if v != "" {
			return true
		}
	}
	return false
}

// resultFacets are the facets a result counts (the HTTP contract's).
var resultFacets = []string{fieldType, fieldCategory, fieldDepartment, fieldAudience}

func isASCIILetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == ' ' || r == '\'') {
			return false
		}
	}
	return strings.TrimSpace(s) != ""
}

func hitOf(h *search.DocumentMatch, marks []string) Hit {
	str := func(f string) string {
		s, _ := h.Fields[f].(string)
		return s
	}
	hit := Hit{
		URL:     str(fieldURL),
		Title:   html.EscapeString(str(fieldTitle)),
		Type:    str(fieldType),
		Law:     html.EscapeString(str(fieldLaw)),
		Article: html.EscapeString(str(fieldArticle)),
		Score:   h.Score,
	}
	if hit.Type == KindArticle {
		// An article is titled by its law and number.
		hit.Title = html.EscapeString(strings.TrimSpace(str(fieldLaw) + " " + str(fieldArticle)))
	}
	if d := str(fieldDate); d != "" {
		if t, err := time.Parse(time.RFC3339, d); err == nil && !t.IsZero() && t.Year() > 1 {
			hit.Date = t.In(shanghai).Format("2006-01-02")
		}
	}
	body := str(fieldText)
	if body == "" {
		body = str(fieldBody)
	}
	hit.Snippet = Snippet(body, marks, snippetRunes)
	return hit
}

// highlightTerms lists the strings to mark in snippets, longest first so
// a longer match wins, without blanks and duplicates.
func highlightTerms(terms []string) []string {
	set := map[string]bool{}
	var out []string
	for _, w := range terms {
		w = strings.TrimSpace(w)
		if w == "" || set[w] {
			continue
		}
		set[w] = true
		out = append(out, w)
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()
