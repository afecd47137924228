package indexer

import (
	"context"
	"fmt"
)

// Hooks for the relevance test and benchmarks (package indexer_test).

// Analyses names the analyses the relevance test compares; the first is
// the one Search uses.
var Analyses = []string{analysisWordsGrams.String(), analysisGrams.String()}

// SearchWith runs q with the named analysis, with or without best bets.
func (ix *Index) SearchWith(ctx context.Context, q Query, analysisName string, bestBets bool) (*Result, error) {
	for _, a := range []analysis{analysisWordsGrams, analysisGrams} {
		if a.String() == analysisName {
			return ix.search(ctx, q, rankOptions{analysis: a, noBestBets: !bestBets})
		}
	}
	return nil, fmt.Errorf("unknown analysis %q", analysisName)
}

// UseScoring makes BuildIndex use the given Bleve scoring model ("bm25",
// "tf-idf") until the returned function is called.
func UseScoring(model string) (restore func()) {
	old := indexScoring
	indexScoring = model
	return func() { indexScoring = old }
}

// ScoringModel is the scoring model Search is built for.
const ScoringModel = scoringModel

// HasDocument reports whether the index holds the document with this ID
// (its URL).
func (ix *Index) HasDocument(id string) (bool, error) {
	d, err := ix.bi.Document(id)
	if err != nil {
		return false, err
	}
	return d != nil, nil
}
