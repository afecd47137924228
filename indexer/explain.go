package indexer

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search"
)

// Explanations: why a search ranked its hits as it did, for the staff
// who tune the dictionaries (pufa search --explain). A search asked to
// explain (Query.Explain) has Bleve build each match's explanation tree;
// the ranking's own searchers add theirs (disMaxSearcher.explainMatch,
// priorSearcher.explainScore), and explainResult reads the tree of each
// hit into what matched where, the prior and the boosts.

// Understanding is how a query was understood before it was looked up.
type Understanding struct {
	// Text is the normalised query, as it is looked up.
	Text string `json:"text"`
	// Words are its words, as the dictionary segments them.
	Words []string `json:"words"`
	// Alternative is the query corrected, or resolved from pinyin; Pinyin
	// is the query as typed when it was pinyin.
	Alternative string `json:"alternative,omitempty"`
	Pinyin      string `json:"pinyin,omitempty"`
	// Suggested tells whether Alternative is offered to the resident.
	Suggested bool `json:"suggested,omitempty"`
	// Synonyms are the formal wordings added for colloquial words.
	Synonyms []string `json:"synonyms,omitempty"`
	// Laws are the official titles of the laws the query names; LawPages
	// the number of a law's pages boosted because the query is its name.
	Laws     []string `json:"laws,omitempty"`
	LawPages int      `json:"law_pages,omitempty"`
	// Articles are the article numbers the query names.
	Articles []string `json:"articles,omitempty"`
	// Pins is the number of results the editors' best bets put on top.
	Pins int `json:"pins,omitempty"`
}

// Explanation is why one hit scored what it did:
//
//	Score = Relevance × Prior × LawPage × Kind, or, for a pinned hit,
//	Score = pinned rank × 1,000,000 + Relevance.
type Explanation struct {
	Score float64 `json:"score"`
	// Relevance is the score of the match before prior and boosts: the
	// sum of Fields and Boosts.
	Relevance float64 `json:"relevance"`
	// Fields are the index fields the query's words matched, with their
	// share of Relevance, highest first.
	Fields []FieldScore `json:"fields"`
	// Boosts are the rewards for what the query names: an article
	// number (field article), a law (field lawtitle), all of its words
	// (any other field), highest first.
	Boosts []FieldScore `json:"boosts,omitempty"`
	// Prior is what the document is worth before the query is
	// considered; nil for a pinned hit.
	Prior *Prior `json:"prior,omitempty"`
	// LawPage is the factor of a law's page when the query is the law's
	// name (0 when it does not apply).
	LawPage float64 `json:"law_page,omitempty"`
	// Kind is the factor of the hit's kind of page for this query (see
	// kindFactors: a catalog entry for a question about who is
	// responsible, a law's overview below its articles); 0 when none
	// applies.
	Kind float64 `json:"kind,omitempty"`
	// Pin is the hit's place among the best bets (1 first; 0 not pinned).
	Pin int `json:"pin,omitempty"`
}

// FieldScore is what matched in one field and what it added.
type FieldScore struct {
	Field string      `json:"field"`
	Score float64     `json:"score"`
	Terms []TermScore `json:"terms"`
}

// TermScore is one term of the index that matched and what it added.
type TermScore struct {
	Term  string  `json:"term"`
	Score float64 `json:"score"`
}

// Prior is a document's prior and what it is made of:
//
//	Value = Type × Superseded × Recency
type Prior struct {
	Value float64 `json:"value"`
	Kind  string  `json:"kind"`
	// Type is the prior of the document's kind.
	Type float64 `json:"type"`
	// Superseded is the factor of a superseded law or retired entry (1
	// for a current one).
	Superseded float64 `json:"superseded"`
	// Recency is the factor of a news or campaign page's age (1 for other
	// kinds); AgeDays is that age when the index was built.
	Recency float64 `json:"recency"`
	AgeDays int     `json:"age_days,omitempty"`
}

// Messages that label the ranking's own nodes of an explanation tree.
const (
	explBoosts  = "boosts"
	explScore   = "relevance × prior × law page, or pinned"
	explPrior   = "prior"
	explLawPage = "law page"
	explKind    = "kind of page"
	explPin     = "pinned rank"
)

// explainMatch is the explanation of the disjunction-max score of the
// document its matching searchers are on: the best clause as it is, each
// other one scaled by the tie, so that the children add up to the score.
func (s *disMaxSearcher) explainMatch(score float64) *search.Explanation {
	value := func(i int) float64 {
		if e := s.currs[i].Expl; e != nil {
			return e.Value
		}
		return s.currs[i].Score
	}
	best := -1
	for k, i := range s.matching {
		if best < 0 || value(i) > value(s.matching[best]) {
			best = k
		}
	}
	children := make([]*search.Explanation, 0, len(s.matching))
	for k, i := range s.matching {
		e := s.currs[i].Expl
		if e == nil {
			e = &search.Explanation{Value: value(i), Message: "clause"}
		}
		if k != best {
			e = &search.Explanation{Value: s.tie * e.Value, Message: fmt.Sprintf("%g × another clause", s.tie),
				Children: []*search.Explanation{e}}
		}
		children = append(children, e)
	}
	msg := fmt.Sprintf("best clause plus %g × the other %d", s.tie, len(s.matching)-1)
	if s.name != "" {
		msg = s.name + ": " + msg
	}
	return &search.Explanation{Value: score, Message: msg, Children: children}
}

// explainScore is the explanation of d's score after rescore (document
// number n): its relevance (the inner explanation) and the pin, or the
// prior and the law-page factor.
func (s *priorSearcher) explainScore(n uint64, d *search.DocumentMatch) *search.Explanation {
	rel := d.Expl
	if rel == nil {
		rel = &search.Explanation{Message: "relevance"}
	}
	e := &search.Explanation{Value: d.Score, Message: explScore, Children: []*search.Explanation{rel}}
	if r, ok := s.pins[n]; ok {
		e.Children = append(e.Children, &search.Explanation{Value: r, Message: explPin})
		return e
	}
	pr, ok := s.priors.of(n)
	if !ok {
		var err error
		if pr, err = s.dv.prior(s.reader, d.IndexInternalID, s.built); err != nil {
			pr = math.NaN()
		}
	}
	e.Children = append(e.Children, &search.Explanation{Value: pr, Message: explPrior})
	if f, ok := s.boosted[n]; ok {
		e.Children = append(e.Children, &search.Explanation{Value: f, Message: explLawPage})
	}
	if k := s.kinds.of(n); k >= 0 && k < len(s.kindFactor) {
		e.Children = append(e.Children, &search.Explanation{Value: s.kindFactor[k], Message: explKind})
	}
	return e
}

// understandingOf tells how p understood its query.
func understandingOf(p *plan) *Understanding {
	u := &Understanding{
		Text:        p.text,
		Words:       slices.Clone(p.words),
		Alternative: p.alt,
		Pinyin:      p.pinyin,
		Suggested:   p.suggestion != "",
		Synonyms:    slices.Clone(p.synonyms),
		Laws:        slices.Clone(p.laws),
		LawPages:    len(p.lawPages),
		Articles:    slices.Clone(p.articles),
	}
	for _, g := range p.pins {
		u.Pins += len(g)
	}
	if u.Words == nil {
		u.Words = []string{}
	}
	return u
}

// explainResult adds to res how p understood the query and, to each
// hit, why it scored what it did (from the hits' explanation trees).
func (ix *Index) explainResult(res *Result, hits search.DocumentMatchCollection, p *plan) {
	res.Explain = understandingOf(p)
	for i, h := range hits {
		if i >= len(res.Hits) {
			break
		}
		// A pinned document's rank counts down from the first best
		// bet's, len(p.pins) (see rankedQuery).
		res.Hits[i].Explain = ix.explainHit(h, len(p.pins))
	}
}

// explainHit reads the explanation tree of one hit.
func (ix *Index) explainHit(h *search.DocumentMatch, pinGroups int) *Explanation {
	ex := &Explanation{Score: h.Score, Fields: []FieldScore{}}
	top := h.Expl
	if top == nil || top.Message != explScore || len(top.Children) == 0 {
		return ex
	}
	rel := top.Children[0]
	ex.Relevance = rel.Value
	for _, c := range top.Children[1:] {
		switch c.Message {
		case explPin:
			ex.Pin = pinGroups - int(c.Value) + 1
		case explPrior:
			ex.Prior = ix.priorOfHit(h, c.Value)
		case explLawPage:
			ex.LawPage = c.Value
		case explKind:
			ex.Kind = c.Value
		}
	}
	fields := map[string]*FieldScore{}
	boosts := map[string]*FieldScore{}
	var walk func(e *search.Explanation, share float64, boost bool)
	walk = func(e *search.Explanation, share float64, boost bool) {
		if e == nil || share == 0 || math.IsNaN(share) {
			return
		}
		if field, term, ok := termOf(e.Message); ok {
			m := fields
			if boost {
				m = boosts
			}
			f := m[field]
			if f == nil {
				f = &FieldScore{Field: field}
				m[field] = f
			}
			f.Score += share
			j := slices.IndexFunc(f.Terms, func(t TermScore) bool { return t.Term == term })
			if j < 0 {
				f.Terms = append(f.Terms, TermScore{Term: term})
				j = len(f.Terms) - 1
			}
			f.Terms[j].Score += share
			return
		}
		if strings.HasPrefix(e.Message, explBoosts+":") {
			boost = true
		}
		// Bleve's disjunction multiplies the sum of its matches by the
		// share of its clauses matched (coord): the share goes to the
		// sum. Every other node adds up its children.
		kids := e.Children
		if e.Message == "product of:" {
			kids = slices.DeleteFunc(slices.Clone(kids), func(c *search.Explanation) bool {
				return c == nil || len(c.Children) == 0
			})
		}
		sum := 0.0
		for _, c := range kids {
			if c != nil {
				sum += c.Value
			}
		}
		if sum == 0 {
			return
		}
		for _, c := range kids {
			if c != nil {
				walk(c, share*c.Value/sum, boost)
			}
		}
	}
	walk(rel, rel.Value, false)
	ex.Fields = sortedScores(fields)
	ex.Boosts = sortedScores(boosts)
	return ex
}

// termOf reads the field and term of a term's score explanation:
// "weight(field:term^boost in doc), product of:" or, with a boost of 1,
// "fieldWeight(field:term in doc), …".
func termOf(msg string) (field, term string, ok bool) {
	var rest string
	switch {
	case strings.HasPrefix(msg, "weight("):
		rest = msg[len("weight("):]
	case strings.HasPrefix(msg, "fieldWeight("):
		rest = msg[len("fieldWeight("):]
	default:
		return "", "", false
	}
	field, rest, ok = strings.Cut(rest, ":")
	if !ok || field == "" {
		// A constant score (a pinned document's ID): no field.
		return "", "", false
	}
	end := strings.LastIndex(rest, " in ")
	if end < 0 {
		return "", "", false
	}
	term = rest[:end]
	if i := strings.LastIndexByte(term, '^'); i >= 0 {
		term = term[:i]
	}
	return field, term, true
}

func sortedScores(m map[string]*FieldScore) []FieldScore {
	out := make([]FieldScore, 0, len(m))
	for _, f := range m {
		slices.SortStableFunc(f.Terms, func(a, b TermScore) int { return cmpDesc(a.Score, b.Score, a.Term, b.Term) })
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b FieldScore) int { return cmpDesc(a.Score, b.Score, a.Field, b.Field) })
	return out
}

// cmpDesc orders by score, highest first, then by name.
func cmpDesc(a, b float64, an, bn string) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return strings.Compare(an, bn)
}

// priorOfHit tells what the prior value of hit h is made of, from the
// document's kind, status and date.
func (ix *Index) priorOfHit(h *search.DocumentMatch, value float64) *Prior {
	pr := &Prior{Value: value, Superseded: 1, Recency: 1}
	id, err := ix.termReader.InternalID(h.ID)
	if err != nil || id == nil {
		return pr
	}
	var v priorVisitor
	if _, err := v.prior(ix.termReader, id, ix.meta.Built); err != nil {
		return pr
	}
	pr.Kind = string(v.typ)
	var date time.Time
	if v.hasDate {
		date = time.Unix(0, v.date)
	}
	var ok bool
	if pr.Type, ok = typePrior[pr.Kind]; !ok {
		pr.Type = 0.5
	}
	pr.Superseded = currentPrior(string(v.current))
	built := ix.meta.Built
	if (pr.Kind == KindNews || pr.Kind == KindCampaign) && !date.IsZero() && !built.IsZero() {
		age := max(built.Sub(date), 0)
		pr.AgeDays = int(age / (24 * time.Hour))
		pr.Recency = 1 - recencyShare + recencyShare*math.Exp2(-float64(age)/float64(newsHalfLife))
	}
	return pr
}
