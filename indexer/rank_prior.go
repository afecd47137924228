package indexer

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Priors: how much a document is worth before the query is considered.
// The law's own text answers a legal question; catalog entries, campaigns
// and news explain and point to it. A law in force outranks an older
// version of it, which outranks a repealed law, and news fades with age.
var typePrior = map[string]float64{
	KindArticle:  1.0,
	KindLaw:      1.0,
	KindCatalog:  1.0,
	KindCampaign: 0.7, // when and where, which its text carries (Page.Facts)
	KindNews:     0.5,
}

const (
	// priorFormer multiplies an article of an older version whose
	// wording the version in force no longer has (see currentFormer): a
	// search for that wording finds it above current text that has only
	// some of the words.
	priorFormer = 0.75
	// priorNotCurrent multiplies an older version that the version in
	// force says again (it ranks right below it), repealed laws (and their
	// interpretations) and retired catalog entries: below current text
	// even where they hold the exact wording.
	priorNotCurrent = 0.4
	// newsHalfLife is the age at which the recency part of a news or
	// campaign page's prior has halved; recencyShare is that part.
	newsHalfLife = 365 * 24 * time.Hour
	recencyShare = 0.4
	// pinScore puts pinned results above any computed score.
	pinScore = 1e6
)

// notCurrent lists the values of a document's current field other than
// "yes" (see currentOf), each with the factor of its prior.
var notCurrent = []struct {
	value string
	prior float64
}{
	{currentSuperseded, priorNotCurrent},
	{currentFormer, priorFormer},
	{currentRepealed, priorNotCurrent},
	{currentRetired, priorNotCurrent},
}

// currentPrior is the factor of the prior of a document whose current
// field is current.
func currentPrior(current string) float64 {
	if current == "" || current == currentYes {
		return 1
	}
	for _, n := range notCurrent {
		if n.value == current {
			return n.prior
		}
	}
	return priorNotCurrent
}

// priorOf is the prior of a document of kind typ, current as its current
// field says (see currentOf), dated date, in an index built at built (so
// that a given index always ranks the same).
func priorOf(typ, current string, date, built time.Time) float64 {
	pr, ok := typePrior[typ]
	if !ok {
		pr = 0.5
	}
	pr *= currentPrior(current)
	if (typ == KindNews || typ == KindCampaign) && !date.IsZero() && !built.IsZero() {
		age := max(built.Sub(date), 0)
		decay := math.Exp2(-float64(age) / float64(newsHalfLife))
		pr *= 1 - recencyShare + recencyShare*decay
	}
	return pr
}

// priorQuery scores the documents its inner query matches by relevance
// times the document's prior, puts pinned documents on top and multiplies
// the score of boosted ones (a law's pages when the query is its name).
//
// The priors of all documents are computed once when the index is opened
// (see loadPriors) and looked up by document number, and pins compare
// document numbers, not IDs: a common word matches most of a large
// library, so the cost per match must stay a lookup or two.
type priorQuery struct {
	inner query.Query
	// pins maps a pinned document's ID to its rank (higher first).
	pins map[string]int
	// boosted maps document IDs to a factor for their score.
	boosted map[string]float64
	// kindFactor multiplies the score of each kind of document (by its
	// index in Kinds) for this query; nil for none.
	kindFactor []float64
	kinds      kindTable
	priors     priorTable
	built      time.Time
	// facets, when set, counts the facet values of every match.
	facets *facetCounter
}

// Searcher implements query.Query.
func (q *priorQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping,
	options search.SearcherOptions) (search.Searcher, error) {
	inner, err := q.inner.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	s := &priorSearcher{inner: inner, reader: i, priors: q.priors, kinds: q.kinds, kindFactor: q.kindFactor, built: q.built, explain: options.Explain, facets: q.facets}
	internal := func(ids map[string]float64) (map[uint64]float64, error) {
		if len(ids) == 0 {
			return nil, nil
		}
		out := make(map[uint64]float64, len(ids))
		for id, v := range ids {
			n, err := i.InternalID(id)
			if err != nil {
				return nil, err
			}
			if len(n) == 8 {
				out[n.Value()] = v
			}
		}
		return out, nil
	}
	pins := make(map[string]float64, len(q.pins))
	for id, r := range q.pins {
		pins[id] = float64(r)
	}
	if s.pins, err = internal(pins); err == nil {
		s.boosted, err = internal(q.boosted)
	}
	if err != nil {
		inner.Close()
		return nil, fmt.Errorf("prior: %w", err)
	}
	return s, nil
}

type priorSearcher struct {
	inner      search.Searcher
	reader     index.IndexReader
	priors     priorTable
	pins       map[uint64]float64 // by document number
	boosted    map[uint64]float64 // by document number
	kinds      kindTable
	kindFactor []float64
	built      time.Time
	explain    bool
	// dv reads the prior of a document the table lacks (none, in an
	// index opened read-only).
	dv     priorVisitor
	facets *facetCounter
}

func (s *priorSearcher) rescore(d *search.DocumentMatch) (*search.DocumentMatch, error) {
	if d == nil {
		return nil, nil
	}
	n := d.IndexInternalID.Value()
	if s.facets != nil {
		s.facets.add(n)
	}
	if r, ok := s.pins[n]; ok {
		d.Score = pinScore*r + d.Score
	} else {
		pr, ok := s.priors.of(n)
		if !ok {
			var err error
			if pr, err = s.dv.prior(s.reader, d.IndexInternalID, s.built); err != nil {
				return nil, err
			}
		}
		d.Score *= pr
		if f, ok := s.boosted[n]; ok {
			d.Score *= f
		}
		if k := s.kinds.of(n); k >= 0 && k < len(s.kindFactor) {
			d.Score *= s.kindFactor[k]
		}
	}
	if s.explain {
		d.Expl = s.explainScore(n, d)
	}
	return d, nil
}

// Next implements search.Searcher.
func (s *priorSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := s.inner.Next(ctx)
	if err != nil {
		return nil, err
	}
	return s.rescore(d)
}

// Advance implements search.Searcher.
func (s *priorSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.inner.Advance(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.rescore(d)
}

// Close implements search.Searcher.
func (s *priorSearcher) Close() error { return s.inner.Close() }

// Weight implements search.Searcher.
func (s *priorSearcher) Weight() float64 { return s.inner.Weight() }

// SetQueryNorm implements search.Searcher.
func (s *priorSearcher) SetQueryNorm(n float64) { s.inner.SetQueryNorm(n) }

// Count implements search.Searcher.
func (s *priorSearcher) Count() uint64 { return s.inner.Count() }

// Min implements search.Searcher.
func (s *priorSearcher) Min() int { return s.inner.Min() }

// Size implements search.Searcher.
func (s *priorSearcher) Size() int { return 64 + s.inner.Size() }

// DocumentMatchPoolSize implements search.Searcher.
func (s *priorSearcher) DocumentMatchPoolSize() int { return s.inner.DocumentMatchPoolSize() }

// priorTable holds the prior of every document by document number; 0
// marks a number without a document.
type priorTable []float32

// kindTable holds the kind of every document by document number, as
// 1 + its index in Kinds; 0 marks a number without a document.
type kindTable []uint8

func (t kindTable) of(n uint64) int {
	if n >= uint64(len(t)) {
		return -1
	}
	return int(t[n]) - 1
}

func (t priorTable) of(n uint64) (float64, bool) {
	if n >= uint64(len(t)) || t[n] == 0 {
		return 0, false
	}
	return float64(t[n]), true
}

// maxPriorTable bounds the table (4 bytes a document).
const maxPriorTable = 1 << 24

// tables are what an opened index computes once for every search: the
// documents' priors and facet values.
type tables struct {
	priors priorTable
	kinds  kindTable
	facets *facetTable
}

// openTables computes the tables of an index from its reader.
func openTables(r index.IndexReader, meta Meta) (tables, error) {
	var t tables
	var err error
	ctx := context.Background()
	if t.priors, t.kinds, err = loadPriors(ctx, r, meta.Built); err != nil {
		return t, err
	}
	t.facets, err = loadFacets(ctx, r, resultFacets, meta.Terms)
	return t, err
}

// eachPosting calls fn with every document that has term in field.
func eachPosting(ctx context.Context, r index.IndexReader, field, term string, fn func(id index.IndexInternalID)) error {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return err
	}
	defer tfr.Close()
	var doc index.TermFieldDoc
	for {
		d, err := tfr.Next(&doc)
		if err != nil {
			return err
		}
		if d == nil {
			return nil
		}
		fn(d.ID)
	}
}

// BM25's parameters: bm25B is how much a field's length normalises a
// term's weight (0 none, 1 in full proportion), bm25K1 how fast repeats of
// a term saturate. Bleve reads them from package variables; set once,
// before any search (init), they are the same for every index of the
// process. Chosen on the tuning half of the judged queries
// (testdata/judged.yaml): an article's text varies from one line to a
// page, and at Bleve's default b = 0.75 a one-line article that merely
// mentions a word outranked the article that defines it.
const (
	bm25B  = 0.3
	bm25K1 = 1.2
)

// fieldLengthScale scales a field's average length as BM25 sees it (1
// when absent; values chosen on the tuning half of testdata/judged.yaml). Bleve has one b for every field; a smaller average makes
// a field's length count for more: a page's body is long and mentions
// much in passing, an article's text says one thing.
var fieldLengthScale = map[string]float64{
	fieldBody:    0.3,
	fieldHeading: 3,
}

func init() {
	search.BM25_b = bm25B
	search.BM25_k1 = bm25K1
}

// fieldKinds lists, for each field BM25 scores, the kinds of document that
// have it (see doc and docsFromManifest): a field's average length is over
// the documents that have it.
var fieldKinds = map[string][]string{
	fieldTitle:      {KindLaw, KindCatalog, KindCampaign, KindNews},
	fieldTitleGrams: {KindLaw, KindCatalog, KindCampaign, KindNews},
	fieldTitlePY:    {KindLaw, KindCatalog, KindCampaign, KindNews},
	fieldHeading:    {KindArticle, KindLaw, KindCatalog},
	fieldText:       {KindArticle},
	fieldBody:       {KindLaw, KindCatalog, KindCampaign, KindNews},
}

// loadBM25Stats computes the statistics Bleve's BM25 scores by: the
// number of documents and, per field, a count from which Bleve takes the
// field's average length (the count divided by the number of documents,
// rounded up).
//
// Bleve's own count is the field's number of distinct terms, summed over
// segments: for the text of 50,000 law articles that makes an average of
// 4 terms where an article has a hundred, so every length counted 25
// times its share and a score fell with the inverse of the length, one
// line beating a page whatever they said. The count here is the sum of
// every term's document frequency (each document's distinct terms: its
// length, but for repeats) scaled from the documents that have the field
// to all of them; counted once over the whole index, it does not depend
// on how the documents are laid out in segments either.
func loadBM25Stats(r index.IndexReader) (*search.BM25Stats, error) {
	n, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("bm25: %w", err)
	}
	fields, err := r.Fields()
	if err != nil {
		return nil, fmt.Errorf("bm25: %w", err)
	}
	st := &search.BM25Stats{DocCount: float64(n), FieldCardinality: make(map[string]int, len(fields))}
	// A field no document has is in no dictionary, and a search that
	// names it needs a count all the same.
	for _, f := range mappedFields() {
		st.FieldCardinality[f] = 0
	}
	kinds := map[string]uint64{}
	for _, k := range Kinds {
		tfr, err := r.TermFieldReader(context.Background(), []byte(k), fieldType, false, false, false)
		if err != nil {
			return nil, fmt.Errorf("bm25: %s: %w", k, err)
		}
		kinds[k] = tfr.Count()
		tfr.Close()
	}
	for _, f := range fields {
		// Bleve's field dictionaries miscount documents (after the first
		// term of one document, every later term counts one): each term's
		// postings are counted instead.
		var postings uint64
		if err := eachTermOf(r, f, func(_ string, c uint64) { postings += c }); err != nil {
			return nil, fmt.Errorf("bm25: %w", err)
		}
		having := uint64(n)
		if ks, ok := fieldKinds[f]; ok {
			having = 0
			for _, k := range ks {
				having += kinds[k]
			}
		}
		if having > 0 {
			scale := fieldLengthScale[f]
			if scale == 0 {
				scale = 1
			}
			st.FieldCardinality[f] = int(scale * float64(postings) / float64(having) * float64(n))
		}
	}
	return st, nil
}

// loadPriors computes the prior of every document of the index from the
// postings of type and current and the dates of news and campaigns.
func loadPriors(ctx context.Context, r index.IndexReader, built time.Time) (priorTable, kindTable, error) {
	docs, err := r.DocCount()
	if err != nil {
		return nil, nil, fmt.Errorf("priors: %w", err)
	}
	t := make(priorTable, 0, min(docs, maxPriorTable))
	kinds := make(kindTable, 0, min(docs, maxPriorTable))
	var dated []index.IndexInternalID
	for k, kind := range Kinds {
		pr := float32(priorOf(kind, currentYes, time.Time{}, built))
		err := eachPosting(ctx, r, fieldType, kind, func(id index.IndexInternalID) {
			n := id.Value()
			if n >= maxPriorTable {
				return
			}
			for uint64(len(t)) <= n {
				t = append(t, 0)
				kinds = append(kinds, 0)
			}
			t[n] = pr
			kinds[n] = uint8(k + 1)
			if kind == KindNews || kind == KindCampaign {
				dated = append(dated, slices.Clone(id))
			}
		})
		if err != nil {
			return nil, nil, fmt.Errorf("priors: %w", err)
		}
	}
	for _, nc := range notCurrent {
		err = eachPosting(ctx, r, fieldCurrent, nc.value, func(id index.IndexInternalID) {
			if n := id.Value(); n < uint64(len(t)) {
				t[n] *= float32(nc.prior)
			}
		})
		if err != nil {
			return nil, nil, fmt.Errorf("priors: %w", err)
		}
	}
	var v priorVisitor
	for _, id := range dated {
		pr, err := v.prior(r, id, built)
		if err != nil {
			return nil, nil, fmt.Errorf("priors: %w", err)
		}
		t[id.Value()] = float32(pr)
	}
	return t, kinds, nil
}

// priorVisitor computes a document's prior from its doc values.
type priorVisitor struct {
	dv           index.DocValueReader
	typ, current []byte
	date         int64
	hasDate      bool
}

func (v *priorVisitor) prior(r index.IndexReader, id index.IndexInternalID, built time.Time) (float64, error) {
	if v.dv == nil {
		dv, err := r.DocValueReader([]string{fieldType, fieldCurrent, fieldDate})
		if err != nil {
			return 0, fmt.Errorf("doc values: %w", err)
		}
		v.dv = dv
	}
	v.typ, v.current, v.hasDate = nil, nil, false
	if err := v.dv.VisitDocValues(id, v.visit); err != nil {
		return 0, err
	}
	var date time.Time
	if v.hasDate {
		date = time.Unix(0, v.date)
	}
	return priorOf(string(v.typ), string(v.current), date, built), nil
}

func (v *priorVisitor) visit(field string, term []byte) {
	switch field {
	case fieldType:
		v.typ = term
	case fieldCurrent:
		v.current = term
	case fieldDate:
		if t, err := time.Parse(time.RFC3339, string(term)); err == nil {
			v.date, v.hasDate = t.UnixNano(), true
		}
	}
}
