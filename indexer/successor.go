package indexer

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
)

// withSuccessors returns hits with, right after the first hit from an
// older text whose version in force the library lacks (doc.Successor), the
// page that replaced it: a search for the wording of the 2003 婚姻登记条例
// shows the page on the 2025 revision, which says what changed, next to
// the old article. A successor already ranked above that hit stays where
// it is; one ranked below on the same page moves up. The page may so hold
// one hit more than asked for, and such a page does not always match the
// query. fields are the stored fields the hits carry.
func (ix *Index) withSuccessors(ctx context.Context, hits []*search.DocumentMatch, fields []string) ([]*search.DocumentMatch, error) {
	first := map[string]int{} // the position of each hit
	for i, h := range hits {
		if _, ok := first[h.ID]; !ok {
			first[h.ID] = i
		}
	}
	after := map[string]int{} // successor → the position of the hit it follows
	var ids []string
	for i, h := range hits {
		s, _ := h.Fields[fieldSuccessor].(string)
		if s == "" {
			continue
		}
		if _, ok := after[s]; ok {
			continue
		}
		if j, ok := first[s]; ok && j < i {
			continue
		}
		after[s] = i
		ids = append(ids, s)
	}
	if len(ids) == 0 {
		return hits, nil
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = fields
	sr, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("successors: %w", err)
	}
	found := map[string]*search.DocumentMatch{}
	for _, h := range sr.Hits {
		found[h.ID] = h
	}
	out := make([]*search.DocumentMatch, 0, len(hits)+len(found))
	for i, h := range hits {
		if _, moved := found[h.ID]; moved && after[h.ID] < i {
			continue
		}
		out = append(out, h)
		for _, s := range ids {
			if f := found[s]; f != nil && after[s] == i {
				f.Score = h.Score
				out = append(out, f)
			}
		}
	}
	return out, nil
}
