package indexer

import (
	"context"
	"fmt"
	"math"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// disMaxQuery matches the documents any of its clauses match and scores
// a document by its best clause plus Tie times the others:
//
//	score = max + Tie × (sum − max)
//
// Bleve's disjunction instead sums the clauses and multiplies by the
// share of clauses matched (its coordination factor). For clauses that
// are the same words looked up in different fields that is wrong: a law
// article has no title and a news page has no article text, so the
// article would lose a third of its score for a field it cannot have.
// Taking the best field is the classic remedy (Lucene's DisjunctionMax).
// With Tie = 1 the clauses are summed without the coordination factor.
type disMaxQuery struct {
	clauses []query.Query
	tie     float64
	// name labels the query's explanations (see explain.go).
	name string
}

func newDisMax(tie float64, clauses ...query.Query) *disMaxQuery {
	return &disMaxQuery{clauses: clauses, tie: tie}
}

func (q *disMaxQuery) add(c ...query.Query) { q.clauses = append(q.clauses, c...) }

// named labels q's explanations with name and returns q.
func (q *disMaxQuery) named(name string) *disMaxQuery {
	q.name = name
	return q
}

// Searcher implements query.Query.
func (q *disMaxQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping,
	options search.SearcherOptions) (search.Searcher, error) {
	ss := make([]search.Searcher, 0, len(q.clauses))
	for _, c := range q.clauses {
		s, err := c.Searcher(ctx, i, m, options)
		if err != nil {
			for _, s := range ss {
				s.Close()
			}
			return nil, fmt.Errorf("dismax clause: %w", err)
		}
		ss = append(ss, s)
	}
	d := &disMaxSearcher{
		searchers: ss,
		currs:     make([]*search.DocumentMatch, len(ss)),
		matching:  make([]int, 0, len(ss)),
		tie:       q.tie,
		explain:   options.Explain,
		name:      q.name,
	}
	d.computeQueryNorm()
	return d, nil
}

// disMaxSearcher walks its clauses' searchers in document order, like
// Bleve's disjunction searcher, and scores as disMaxQuery says.
type disMaxSearcher struct {
	searchers   []search.Searcher
	currs       []*search.DocumentMatch // current match of each searcher
	matching    []int                   // searchers on the lowest current document
	tie         float64
	explain     bool
	name        string
	initialized bool
}

func (s *disMaxSearcher) computeQueryNorm() {
	sum := 0.0
	for _, c := range s.searchers {
		sum += c.Weight()
	}
	if sum <= 0 {
		return
	}
	s.SetQueryNorm(1 / math.Sqrt(sum))
}

func (s *disMaxSearcher) init(ctx *search.SearchContext) error {
	for i, c := range s.searchers {
		if s.currs[i] != nil {
			ctx.DocumentMatchPool.Put(s.currs[i])
		}
		m, err := c.Next(ctx)
		if err != nil {
			return err
		}
		s.currs[i] = m
	}
	s.initialized = true
	s.updateMatching()
	return nil
}

// updateMatching finds the searchers positioned on the lowest document.
func (s *disMaxSearcher) updateMatching() {
	s.matching = s.matching[:0]
	var low index.IndexInternalID
	for i, m := range s.currs {
		if m == nil {
			continue
		}
		if len(s.matching) > 0 {
			switch cmp := m.IndexInternalID.Compare(low); {
			case cmp > 0:
				continue
			case cmp < 0:
				s.matching = s.matching[:0]
			}
		}
		low = m.IndexInternalID
		s.matching = append(s.matching, i)
	}
}

// Next implements search.Searcher.
func (s *disMaxSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.initialized {
		if err := s.init(ctx); err != nil {
			return nil, err
		}
	}
	if len(s.matching) == 0 {
		return nil, nil
	}
	rv := s.currs[s.matching[0]]
	best, sum := 0.0, 0.0
	for _, i := range s.matching {
		sc := s.currs[i].Score
		sum += sc
		best = max(best, sc)
		if s.currs[i] != rv {
			rv.FieldTermLocations = search.MergeFieldTermLocations(rv.FieldTermLocations, []*search.DocumentMatch{s.currs[i]})
		}
	}
	rv.Score = best + s.tie*(sum-best)
	if s.explain {
		rv.Expl = s.explainMatch(rv.Score)
	}
	for _, i := range s.matching {
		if s.currs[i] != rv {
			ctx.DocumentMatchPool.Put(s.currs[i])
		}
		m, err := s.searchers[i].Next(ctx)
		if err != nil {
			return nil, err
		}
		s.currs[i] = m
	}
	s.updateMatching()
	return rv, nil
}

// Advance implements search.Searcher.
func (s *disMaxSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.initialized {
		if err := s.init(ctx); err != nil {
			return nil, err
		}
	}
	for i, c := range s.searchers {
		if s.currs[i] != nil {
			if s.currs[i].IndexInternalID.Compare(id) >= 0 {
				continue
			}
			ctx.DocumentMatchPool.Put(s.currs[i])
		}
		m, err := c.Advance(ctx, id)
		if err != nil {
			return nil, err
		}
		s.currs[i] = m
	}
	s.updateMatching()
	return s.Next(ctx)
}

// Close implements search.Searcher.
func (s *disMaxSearcher) Close() error {
	var first error
	for _, c := range s.searchers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Weight implements search.Searcher.
func (s *disMaxSearcher) Weight() float64 {
	sum := 0.0
	for _, c := range s.searchers {
		sum += c.Weight()
	}
	return sum
}

// SetQueryNorm implements search.Searcher.
func (s *disMaxSearcher) SetQueryNorm(n float64) {
	for _, c := range s.searchers {
		c.SetQueryNorm(n)
	}
}

// Count implements search.Searcher: an upper bound, like a disjunction's.
func (s *disMaxSearcher) Count() uint64 {
	var n uint64
	for _, c := range s.searchers {
		n += c.Count()
	}
	return n
}

// Min implements search.Searcher.
func (s *disMaxSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (s *disMaxSearcher) Size() int {
	n := 64 + 8*len(s.currs) + 8*cap(s.matching)
	for _, c := range s.searchers {
		n += c.Size()
	}
	for _, m := range s.currs {
		if m != nil {
			n += m.Size()
		}
	}
	return n
}

// DocumentMatchPoolSize implements search.Searcher.
func (s *disMaxSearcher) DocumentMatchPoolSize() int {
	n := len(s.currs)
	for _, c := range s.searchers {
		n += c.DocumentMatchPoolSize()
	}
	return n
}
