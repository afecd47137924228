package indexer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/pufa-gov/pufa/indexer/zh"
)

// searchData is what an index is searched with besides Bleve: the editors'
// synonyms and best bets (copied into the index when it was built), the
// vocabulary that corrects typos, taken from the index's own law titles
// and the site's dictionary, and the words of the index (see lexicon),
// which pinyin resolves to.
type searchData struct {
	synonyms  *zh.Synonyms
	pinyin    *zh.PinyinIndex
	suggester *zh.Suggester
	// words holds the words of the index, to find the nearest one to a
	// word it lacks.
	words *zh.WordIndex
	bets  *zh.BestBets
	// pins maps a pin (see pinKey) to the documents it resolved to.
	pins map[string][]string
	// laws maps the names of the laws in the index (the official title
	// and, for national laws, the title without 中华人民共和国) to the
	// official titles; parts holds the parts of split codes (继承编).
	laws        map[string][]string
	maxLawRunes int
	parts       map[string]bool
	// pages caches lawPages by title and part.
	pages sync.Map
}

// Vocabulary weights: a law's title wins a tie over a dictionary word
// with the same spelling, which wins over a facet term.
const (
	weightVocabTitle = 10000
	weightVocabTerm  = 100
)

// loadSearchData reads the search data files under root and resolves the
// best bets against the index. Missing files mean no synonyms, no best
// bets, no site words; a malformed one is an error (a build that copied
// it fails its verification, which opens the index).
func loadSearchData(root string, bi bleve.Index, meta *Meta) (*searchData, error) {
	sd := &searchData{pins: map[string][]string{}, laws: map[string][]string{}, parts: map[string]bool{}}
	read := func(name string) ([]byte, error) {
		data, err := os.ReadFile(filepath.Join(root, name))
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return data, err
	}
	var vocab []zh.Term
	data, err := read("dict.txt")
	if err != nil {
		return nil, err
	}
	if data != nil {
		d, err := zh.ParseDict(data)
		if err != nil {
			return nil, err
		}
		vocab = append(vocab, d.Terms()...)
	}
	if data, err = read("synonyms.yaml"); err != nil {
		return nil, err
	}
	if sd.synonyms, err = zh.LoadSynonyms(data); err != nil {
		return nil, err
	}
	for _, s := range sd.synonyms.Entries() {
		vocab = append(vocab, zh.Term{Text: s.Word, Weight: weightVocabTerm})
	}
	for _, f := range []string{fieldLawTitle, fieldPart} {
		terms, err := fieldTerms(bi, f)
		if err != nil {
			return nil, err
		}
		for _, t := range terms {
			vocab = append(vocab, zh.Term{Text: t, Weight: weightVocabTitle})
			if f == fieldPart {
				sd.parts[t] = true
			} else {
				sd.addLaw(t)
			}
		}
	}
	for _, f := range []string{fieldCategory, fieldAudience} {
		for _, t := range meta.Terms[f] {
			vocab = append(vocab, zh.Term{Text: t, Weight: weightVocabTerm})
		}
	}
	sd.suggester = zh.NewSuggester(vocab, zh.IsWord)
	lex, err := lexicon(root, bi, sd.synonyms, vocab)
	if err != nil {
		return nil, err
	}
	sd.pinyin = zh.NewPinyinIndex(lex)
	sd.words = zh.NewWordIndex(sd.pinyin.Terms())

	if data, err = read("bestbets.yaml"); err != nil {
		return nil, err
	}
	if sd.bets, err = zh.LoadBestBets(data); err != nil {
		return nil, err
	}
	for _, bet := range sd.bets.Entries() {
		for _, pin := range bet.Pins {
			k := pinKey(pin)
			if _, ok := sd.pins[k]; ok {
				continue
			}
			ids, err := resolvePin(bi, pin)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", zh.BestBetsFile, pin.Line, err)
			}
			sd.pins[k] = ids
		}
	}
	return sd, nil
}

// statePrefix starts the titles of national laws; residents leave it out.
const statePrefix = "中华人民共和国"

// minLawNameRunes: shorter names (宪法 is the shortest) would be found
// inside too many words.
const minLawNameRunes = 2

func (sd *searchData) addLaw(title string) {
	add := func(name string) {
		n := utf8.RuneCountInString(name)
		if n < minLawNameRunes || slices.Contains(sd.laws[name], title) {
			return
		}
		sd.laws[name] = append(sd.laws[name], title)
		sd.maxLawRunes = max(sd.maxLawRunes, n)
	}
	add(title)
	if rest, ok := strings.CutPrefix(title, statePrefix); ok {
		add(rest)
	}
}

// lawsIn finds the names of laws in text, longest first from the left,
// and returns their official titles. When text is nothing but one law's
// name (and perhaps one of its parts: 民法典 继承编) it also returns that
// title and part: the resident is looking for the law itself.
func (sd *searchData) lawsIn(text string) (titles []string, page, part string) {
	if text == "" || len(sd.laws) == 0 {
		return nil, "", ""
	}
	runes := []rune(strings.ReplaceAll(text, " ", ""))
	var rest []rune
	found := 0
	for i := 0; i < len(runes); {
		n := 0
		for l := min(sd.maxLawRunes, len(runes)-i); l >= minLawNameRunes; l-- {
			if ts, ok := sd.laws[string(runes[i:i+l])]; ok {
				for _, t := range ts {
					if !slices.Contains(titles, t) {
						titles = append(titles, t)
					}
				}
				n = l
				found++
				break
			}
		}
		if n == 0 {
			rest = append(rest, runes[i])
			n = 1
		}
		i += n
	}
	if found == 1 && len(titles) == 1 && (len(rest) == 0 || sd.parts[string(rest)]) {
		page = titles[0]
		if len(rest) > 0 {
			part = string(rest)
		}
	}
	return titles, page, part
}

// maxLawPages bounds the pages of one law (its parts and versions).
const maxLawPages = 20

// lawPages returns the IDs of the law pages (not articles) with this
// official title and, if part is not empty, this part.
func (sd *searchData) lawPages(ctx context.Context, bi bleve.Index, title, part string) ([]string, error) {
	key := title + "\x00" + part
	if v, ok := sd.pages.Load(key); ok {
		return v.([]string), nil
	}
	c := []query.Query{termQuery(fieldLawTitle, title), termQuery(fieldType, KindLaw)}
	if part != "" {
		c = append(c, termQuery(fieldPart, part))
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(c...), maxLawPages, 0, false)
	res, err := bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("law pages of %s: %w", title, err)
	}
	ids := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	sd.pages.Store(key, ids)
	return ids, nil
}

func termQuery(field, v string) *query.TermQuery {
	t := bleve.NewTermQuery(v)
	t.SetField(field)
	return t
}

// fieldTerms lists the distinct values of a keyword field.
func fieldTerms(bi bleve.Index, field string) ([]string, error) {
	dict, err := bi.FieldDict(field)
	if err != nil {
		return nil, fmt.Errorf("terms of %s: %w", field, err)
	}
	defer dict.Close()
	var out []string
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, fmt.Errorf("terms of %s: %w", field, err)
		}
		if e == nil {
			return out, nil
		}
		out = append(out, e.Term)
	}
}

func pinKey(p zh.Pin) string {
	return strings.Join([]string{p.Law, p.Subtitle, p.Article, p.Page, p.URL}, "\x00")
}

// resolvePin finds the documents a pin names: a law's pages in force (or
// its newest version when none is), the article with that number, a
// content page by path, or a page by URL. A pin that names nothing in
// this index resolves to nothing: the law may not be in the library yet.
func resolvePin(bi bleve.Index, p zh.Pin) ([]string, error) {
	term := func(field, v string) query.Query {
		t := bleve.NewTermQuery(v)
		t.SetField(field)
		return t
	}
	var q query.Query
	switch {
	case p.Law != "":
		c := []query.Query{term(fieldLawTitle, p.Law)}
		if p.Subtitle != "" {
			c = append(c, term(fieldPart, p.Subtitle))
		}
		if p.Article != "" {
			c = append(c, term(fieldType, KindArticle), term(fieldArticle, p.Article))
		} else {
			c = append(c, term(fieldType, KindLaw))
		}
		q = bleve.NewConjunctionQuery(c...)
	case p.Page != "":
		q = term(fieldFile, p.Page)
	default:
		q = bleve.NewDocIDQuery([]string{p.URL})
	}
	req := bleve.NewSearchRequestOptions(q, maxPins, 0, false)
	req.SortBy([]string{"-" + fieldDate, "_id"})
	// Current documents first; a superseded version only when nothing
	// else is left.
	cur := bleve.NewBooleanQuery()
	cur.AddMust(q)
	cur.AddFilter(term(fieldCurrent, currentYes))
	req.Query = cur
	res, err := bi.Search(req)
	if err != nil {
		return nil, fmt.Errorf("resolve pin: %w", err)
	}
	if len(res.Hits) == 0 {
		req.Query = q
		req.Size = 1
		if res, err = bi.Search(req); err != nil {
			return nil, fmt.Errorf("resolve pin: %w", err)
		}
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids, nil
}

// pinsFor returns the documents pinned for a query, one group per pin in
// the editors' order, without duplicates, at most maxPins in all. The
// documents of one pin (the parts of a split code) are ranked among
// themselves by relevance.
func (sd *searchData) pinsFor(text string) [][]string {
	var out [][]string
	seen := map[string]bool{}
	n := 0
	for _, pin := range sd.bets.Lookup(text) {
		var group []string
		for _, id := range sd.pins[pinKey(pin)] {
			if !seen[id] && n < maxPins {
				seen[id] = true
				group = append(group, id)
				n++
			}
		}
		if len(group) > 0 {
			out = append(out, group)
		}
	}
	return out
}
