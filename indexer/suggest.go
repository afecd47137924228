package indexer

import (
	"context"
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/pufa-gov/pufa/indexer/zh"
)

// textFields are the fields a word of a query is looked for in, as its
// bigrams (or a lone character, or a word of another script).
var textFields = []string{fieldTitleGrams, fieldHeading, fieldText, fieldBody}

// resolvePinyin resolves a query of letters typed as pinyin (see
// zh.PinyinIndex.Resolve), unless the index holds each of its words as
// they are (pdf, app): then the resident meant them.
func (ix *Index) resolvePinyin(text string) (string, bool) {
	if ix.holdsAll(strings.Fields(text)) {
		return "", false
	}
	return ix.data.pinyin.Resolve(text)
}

// holdsAll reports whether each of words (of another script) is a term
// of some text field.
func (ix *Index) holdsAll(words []string) bool {
	for _, w := range words {
		held := false
		for _, f := range textFields {
			if ix.fieldFreq(f, strings.ToLower(w)) > 0 {
				held = true
				break
			}
		}
		if !held {
			return false
		}
	}
	return len(words) > 0
}

// maxRepairUnits bounds the parts of a query repairQuery looks at.
const maxRepairUnits = maxQueryWords

// zeroSuggestion returns what to suggest for a query that found nothing:
// the query repaired (see repairQuery) if that finds something with the
// same filters, or nothing. The pinyin resolution or the correction of
// the plan, if any, was searched with the query and found nothing either.
func (ix *Index) zeroSuggestion(ctx context.Context, q Query, p *plan) (string, error) {
	s, err := ix.repairQuery(ctx, p.text)
	if err != nil || s == "" || s == p.text {
		return "", err
	}
	n, err := ix.count(ctx, s, q.Filters)
	if err != nil || n == 0 {
		return "", err
	}
	return s, nil
}

// repairQuery returns text with each part the index lacks replaced by
// one it has, or dropped: a word of letters by the Chinese word its
// syllables spell (养老院 yanglaoyuan: 养老院 养老院), a misspelled term by
// its correction, a Chinese word by the nearest word of the index
// (民诉法: 民事诉讼法), and anything else left out (养老院 xyz: 养老院). The
// parts are what the resident spaced apart and, in Chinese text, the
// dictionary's words, a run of characters it does not know kept together.
// It returns "" when nothing is left.
func (ix *Index) repairQuery(ctx context.Context, text string) (string, error) {
	var out []string
	units := 0
	for _, tok := range strings.Fields(text) {
		var b strings.Builder
		for _, u := range queryUnits(tok) {
			if units++; units > maxRepairUnits {
				break
			}
			r, err := ix.repairUnit(ctx, u)
			if err != nil {
				return "", err
			}
			b.WriteString(r)
		}
		if b.Len() > 0 {
			out = append(out, b.String())
		}
	}
	return strings.Join(out, " "), nil
}

// queryUnits splits a word of a query (no spaces) into the dictionary's
// words, single characters it does not place kept together (民诉法), and
// words of other scripts.
func queryUnits(tok string) []string {
	var out []string
	var run strings.Builder
	flush := func() {
		if run.Len() > 0 {
			out = append(out, run.String())
			run.Reset()
		}
	}
	for _, w := range zh.Segment(tok) {
		if isSingleHan(w) {
			run.WriteString(w)
			continue
		}
		flush()
		out = append(out, w)
	}
	flush()
	return out
}

// repairUnit returns u if the index has it, else what to put in its
// place ("" to drop it). A character alone is dropped: kept, it would
// find anything (的) and say nothing of what the resident looked for.
func (ix *Index) repairUnit(ctx context.Context, u string) (string, error) {
	if isSingleHan(u) {
		return "", nil
	}
	ok, err := ix.hasText(ctx, u)
	if err != nil || ok {
		return u, err
	}
	var tries []string
	sd := ix.data
	if isASCIILetters(u) {
		t, ok := sd.pinyin.ResolveSyllables(u)
		if !ok {
			return "", nil
		}
		tries = append(tries, t)
		u = t
	} else if !isHan(u) {
		return "", nil
	}
	if t, ok := sd.suggester.Suggest(u); ok {
		tries = append(tries, t)
	}
	if t, ok := sd.words.Nearest(u); ok {
		tries = append(tries, t)
	}
	for _, t := range tries {
		ok, err := ix.hasText(ctx, t)
		if err != nil || ok {
			return t, err
		}
	}
	return "", nil
}

// hasText reports whether some document holds text (a word, a run of
// Chinese characters) in one of its text fields: all of its bigrams in
// the same field.
func (ix *Index) hasText(ctx context.Context, text string) (bool, error) {
	grams, _ := zh.QueryGrams(strings.ToLower(text))
	if len(grams) == 0 || len(grams) > maxGrams {
		return false, nil
	}
	var fields []string
	for _, f := range textFields {
		all := true
		for _, g := range grams {
			if ix.fieldFreq(f, g) == 0 {
				all = false
				break
			}
		}
		if all {
			if len(grams) == 1 {
				return true, nil
			}
			fields = append(fields, f)
		}
	}
	if len(fields) == 0 {
		return false, nil
	}
	var qs []query.Query
	for _, f := range fields {
		qs = append(qs, termsQuery(grams, f, 1))
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(qs...), 0, 0, false)
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return false, fmt.Errorf("suggest: %w", err)
	}
	return res.Total > 0, nil
}

// fieldFreq returns the number of documents with term in field.
func (ix *Index) fieldFreq(field, term string) uint64 {
	tfr, err := ix.termReader.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
	if err != nil {
		return 0
	}
	defer tfr.Close()
	return tfr.Count()
}

// count returns the number of documents a search for text with these
// filters finds.
func (ix *Index) count(ctx context.Context, text string, filters map[string]string) (uint64, error) {
	q := Query{Text: text, Filters: filters}
	p, err := ix.planQuery(ctx, text, rankOptions{})
	if err != nil {
		return 0, fmt.Errorf("suggest: %w", err)
	}
	req := bleve.NewSearchRequestOptions(ix.rankedQuery(&p, q, rankOptions{}), 0, 0, false)
	stats, err := ix.bm25()
	if err != nil {
		return 0, fmt.Errorf("suggest: %w", err)
	}
	res, err := ix.bi.SearchInContext(context.WithValue(ctx, search.BM25StatsKey, stats), req)
	if err != nil {
		return 0, fmt.Errorf("suggest: %w", err)
	}
	return res.Total, nil
}
