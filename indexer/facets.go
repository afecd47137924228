package indexer

import (
	"context"
	"fmt"
	"slices"
	"strings"

	index "github.com/blevesearch/bleve_index_api"
)

// facetSize is the number of values a facet of a result lists at most.
const facetSize = 20

// facetTable holds the facet values of every document of an opened index
// by document number, so that a search counts the facets of its matches
// as they stream past (see priorSearcher) with a lookup or two each.
// Bleve's own facets read every match's doc values after the fact, which
// took a third of the time of a search matching thousands of articles.
//
// The values are stored compactly: document n has the values
// vals[off[n]:off[n+1]], each a field's index times facetStride plus the
// value's index among that field's values.
type facetTable struct {
	fields []string
	terms  [][]string
	off    []uint32
	vals   []uint32
}

// facetStride bounds the values of one facet field.
const facetStride = 1 << 20

// loadFacets reads the postings of every known value of the facet fields.
func loadFacets(ctx context.Context, r index.IndexReader, fields []string, known map[string][]string) (*facetTable, error) {
	docs, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("facets: %w", err)
	}
	t := &facetTable{fields: fields, terms: make([][]string, len(fields))}
	perDoc := make([][]uint32, 0, min(docs, maxPriorTable))
	for fi, f := range fields {
		t.terms[fi] = known[f]
		if len(known[f]) >= facetStride {
			return nil, fmt.Errorf("facets: %s has %d values", f, len(known[f]))
		}
		for ti, term := range known[f] {
			err := eachPosting(ctx, r, f, term, func(id index.IndexInternalID) {
				n := id.Value()
				if n >= maxPriorTable {
					return
				}
				for uint64(len(perDoc)) <= n {
					perDoc = append(perDoc, nil)
				}
				perDoc[n] = append(perDoc[n], uint32(fi*facetStride+ti))
			})
			if err != nil {
				return nil, fmt.Errorf("facets: %w", err)
			}
		}
	}
	t.off = make([]uint32, len(perDoc)+1)
	for n, vs := range perDoc {
		t.vals = append(t.vals, vs...)
		t.off[n+1] = uint32(len(t.vals))
	}
	return t, nil
}

// facetCounter counts the facet values of one search's matches.
type facetCounter struct {
	t      *facetTable
	counts [][]int
}

func (t *facetTable) counter() *facetCounter {
	c := &facetCounter{t: t, counts: make([][]int, len(t.fields))}
	for i := range t.fields {
		c.counts[i] = make([]int, len(t.terms[i]))
	}
	return c
}

// add counts document n.
func (c *facetCounter) add(n uint64) {
	if n+1 >= uint64(len(c.t.off)) {
		return
	}
	for _, v := range c.t.vals[c.t.off[n]:c.t.off[n+1]] {
		c.counts[v/facetStride][v%facetStride]++
	}
}

// result lists each field's values that matches have, most frequent
// first (then by value), at most facetSize of them.
func (c *facetCounter) result() map[string][]Facet {
	out := make(map[string][]Facet, len(c.t.fields))
	for fi, f := range c.t.fields {
		fs := []Facet{}
		for ti, n := range c.counts[fi] {
			if n > 0 {
				fs = append(fs, Facet{Term: c.t.terms[fi][ti], Count: n})
			}
		}
		slices.SortFunc(fs, func(a, b Facet) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Term, b.Term)
		})
		if len(fs) > facetSize {
			fs = fs[:facetSize]
		}
		out[f] = fs
	}
	return out
}
