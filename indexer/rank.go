package indexer

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/pufa-gov/pufa/indexer/zh"
)

// Bounds on the work one query may cause. Whatever a resident types, the
// query handed to Bleve is built here from the normalised text, only of
// match, term and conjunctions of term queries, and never larger than
// these.
const (
	// maxQueryWords: words of the query beyond this are ignored.
	maxQueryWords = 12
	// maxAlternatives: formal wordings added for colloquial words.
	maxAlternatives = 4
	// maxPins: results an editor may pin on top of one query.
	maxPins = 10
	// maxExactRunes: longer text is not looked for verbatim.
	maxExactRunes = 32
	// maxGrams: the bigrams of a text looked up at most, in order.
	maxGrams = maxExactRunes
)

// analysis chooses which index fields a query is matched against. The
// relevance test compares them on the judged queries.
type analysis int

const (
	// analysisWordsGrams segments the query into dictionary words and
	// matches each word (as a word in titles, as all of its bigrams in
	// other texts), the whole query verbatim and what the dictionary
	// misses. This is what Search uses.
	analysisWordsGrams analysis = iota
	// analysisGrams matches the query's bigrams, any of them, in the
	// bigram fields: the usual CJK baseline.
	analysisGrams
)

func (a analysis) String() string {
	if a == analysisGrams {
		return "bigram only"
	}
	return "words + bigrams"
}

// rankOptions are the knobs of one search; Search uses the zero value.
type rankOptions struct {
	analysis analysis
	// noBestBets leaves the editors' pinned results out, to measure the
	// ranking on its own.
	noBestBets bool
}

// Field weights. A document is scored by its best-matching field (plus a
// share of the others, see disMaxQuery), so the weights say how much a
// match in each field is worth: a page's or a law's own title most, then a
// law article's text (an article is one or two sentences about one thing,
// its text is what it is about), then what an article is filed under (law,
// chapter, number), then the body of a page.
var (
	weightTitle   = 6.0
	weightText    = 3.0
	weightHeading = 1.5
	weightBody    = 1.0
	// tieFields is the share of the other fields' scores added to the
	// best field's.
	tieFields = 0.3
	// weightExact multiplies a field's weight when the whole query (or a
	// formal wording) occurs in it verbatim.
	weightExact = 2.0
	// singleCharTextShare scales text fields for a one-character query.
	singleCharTextShare = 0.25
	// weightAlternative is the share of a synonym's formal wording
	// relative to the resident's own words: a concept counts the same
	// whichever wording a document uses (chosen on the tuning half of
	// testdata/judged.yaml, against 0.5 and 0.7).
	weightAlternative = 1.0
	// weightColloquialInText is the share of a colloquial word (one the
	// synonyms file gives formal wordings for) in texts matched by
	// bigrams.
	weightColloquialInText = 0.5
	// weightArticleNumber rewards the article a query names by number,
	// weightLawScope the documents of a law the query names.
	weightArticleNumber = 3.0
	weightLawScope      = 1.0
	// weightCoverage rewards each word of a query of several words when
	// the document has them all.
	weightCoverage = 1.0
	// lawPageFactor multiplies the score of a law's page when the query
	// is nothing but the law's name: the resident is looking for the law.
	lawPageFactor = 3.0
)

// plan is a query prepared for Bleve: what to match, what to add, what
// to suggest and what to pin.
type plan struct {
	text       string   // normalised query, within maxQueryWords words
	words      []string // its words
	alt        string   // the pinyin-resolved or corrected query, or ""
	suggestion string   // alt, when it should be offered to the resident
	pinyin     string   // the query as typed when it is pinyin
	synonyms   []string // formal wordings of its colloquial words
	// concepts are what the query asks about: its words grouped with
	// their formal wordings, question and function words marked weak;
	// altConcepts the same of alt.
	concepts    []zh.Concept
	altConcepts []zh.Concept
	articles    []string        // article numbers it names (第一千零七十七条)
	laws        []string        // official titles of the laws it names
	lawPages    map[string]bool // a law's pages when the query is its name
	pins        [][]string      // document IDs pinned on top, by pin in order
}

var arabicArticle = regexp.MustCompile(`第?\s*([0-9]{1,4})\s*条`)

// planQuery prepares normalised text for searching.
func (ix *Index) planQuery(ctx context.Context, text string, opts rankOptions) (plan, error) {
	// 第1077条 and 1077条 are written 第一千零七十七条 in the law.
	text = arabicArticle.ReplaceAllStringFunc(text, func(s string) string {
		n, err := strconv.Atoi(arabicArticle.FindStringSubmatch(s)[1])
		if err != nil || n < 1 {
			return s
		}
		return " 第" + chineseNumber(n) + "条 "
	})
	text = strings.Join(strings.Fields(text), " ")
	p := plan{text: text, words: zh.Segment(text)}
	if len(p.words) > maxQueryWords {
		p.words = p.words[:maxQueryWords]
		p.text = strings.Join(p.words, " ")
	}
	sd := ix.data
	if isASCIILetters(p.text) {
		if t, ok := ix.resolvePinyin(p.text); ok {
			p.pinyin, p.alt, p.suggestion = p.text, t, t
		}
	} else if t, ok := sd.suggester.Suggest(p.text); ok {
		p.alt, p.suggestion = t, t
	}
	p.concepts = sd.synonyms.Concepts(p.words)
	if p.alt != "" {
		p.altConcepts = sd.synonyms.Concepts(zh.Segment(p.alt))
	}
	seen := map[string]bool{}
	for _, cs := range [][]zh.Concept{p.concepts, p.altConcepts} {
		for i := range cs {
			var kept []string
			for _, a := range cs[i].Alternatives {
				if len(p.synonyms) < maxAlternatives && !seen[a] && a != p.alt {
					seen[a] = true
					p.synonyms = append(p.synonyms, a)
					kept = append(kept, a)
				}
			}
			cs[i].Alternatives = kept
		}
	}
	for _, s := range []string{p.text, p.alt} {
		for _, m := range articleNumber.FindAllString(s, 2) {
			p.articles = append(p.articles, m)
		}
	}
	for _, s := range []string{p.text, p.alt} {
		laws, page, part := sd.lawsIn(s)
		for _, l := range laws {
			if !slices.Contains(p.laws, l) {
				p.laws = append(p.laws, l)
			}
		}
		if page != "" && p.lawPages == nil {
			ids, err := sd.lawPages(ctx, ix.bi, page, part)
			if err != nil {
				return p, err
			}
			p.lawPages = map[string]bool{}
			for _, id := range ids {
				p.lawPages[id] = true
			}
		}
	}
	if !opts.noBestBets {
		p.pins = sd.pinsFor(p.text)
		if len(p.pins) == 0 && p.alt != "" {
			p.pins = sd.pinsFor(p.alt)
		}
	}
	return p, nil
}

var articleNumber = regexp.MustCompile(`第[〇零一二三四五六七八九十百千]+条(之[一二三四五六七八九十]+)?`)

// highlights lists the strings to mark in snippets, longest first.
func (p *plan) highlights() []string {
	terms := []string{p.text, p.alt}
	terms = append(terms, p.words...)
	terms = append(terms, p.synonyms...)
	terms = append(terms, p.articles...)
	if p.alt != "" {
		terms = append(terms, zh.Segment(p.alt)...)
	}
	return highlightTerms(terms)
}

// queryConcept is a concept of the query segmented for matching: the
// resident's words (with their parts) and each formal wording.
type queryConcept struct {
	text  string
	own   []zh.QueryWord
	forms []queryForm
}

// queryForm is a formal wording of a concept and its words.
type queryForm struct {
	text  string
	words []zh.QueryWord
}

// single reports whether the concept is one Chinese character and nothing
// else: it says little alone (see wordsQuery).
func (c queryConcept) single() bool {
	return len(c.forms) == 0 && len(c.own) == 1 && isSingleHan(c.own[0].Text)
}

// segmentConcepts segments each concept for matching, without the weak
// ones (question and function words) unless the query has nothing else,
// and at most maxQueryWords of them.
func segmentConcepts(cs []zh.Concept) []queryConcept {
	strong := slices.ContainsFunc(cs, func(c zh.Concept) bool { return !c.Weak })
	var out []queryConcept
	for _, c := range cs {
		if strong && c.Weak {
			continue
		}
		qc := queryConcept{text: c.Text()}
		for _, w := range c.Words {
			qc.own = append(qc.own, zh.SegmentWords(w)...)
		}
		for _, a := range c.Alternatives {
			qc.forms = append(qc.forms, queryForm{text: a, words: zh.SegmentWords(a)})
		}
		if len(qc.own) > 0 {
			out = append(out, qc)
		}
		if len(out) == maxQueryWords {
			break
		}
	}
	return out
}

// textQuery builds the scoring part of the query. For each field it
// matches the query and its correction, concept by concept (a concept by
// the resident's words or any formal wording, whichever scores best), and
// the whole query as an exact substring; a field scores by its best
// wording, a document by its best field plus a share of the others.
func (ix *Index) textQuery(p *plan, a analysis) query.Query {
	type source struct {
		text     string
		concepts []queryConcept // segmented once, matched in every field
	}
	sources := []source{{text: p.text}}
	if p.alt != "" {
		sources = append(sources, source{text: p.alt})
	}
	if a == analysisWordsGrams {
		sources[0].concepts = segmentConcepts(p.concepts)
		if p.alt != "" {
			sources[1].concepts = segmentConcepts(p.altConcepts)
		}
	}
	// A field with no word field is matched by the words' bigrams.
	fields := []struct {
		words, grams string
		weight       float64
	}{
		{fieldTitle, fieldTitleGrams, weightTitle},
		{"", fieldText, weightText},
		{"", fieldHeading, weightHeading},
		{"", fieldBody, weightBody},
	}
	// One character says little where it occurs in running text, much
	// where it occurs in a title: 婚 asks for the pages about marriage,
	// not for the article that says 婚 most often.
	single := utf8.RuneCountInString(p.text) == 1 && isHan(p.text) && p.alt == ""
	top := newDisMax(tieFields)
	for _, f := range fields {
		if single && (f.grams == fieldText || f.grams == fieldBody) {
			f.weight *= singleCharTextShare
		}
		field := newDisMax(0)
		for _, s := range sources {
			w := f.weight
			// Both clauses match a verbatim occurrence; Bleve's
			// disjunction halves a match of the words alone.
			var words query.Query
			switch a {
			case analysisWordsGrams:
				words = wordsQuery(s.concepts, f.words, f.grams, w, f.words == fieldTitle, ix.common)
			case analysisGrams:
				words = matchQuery(s.text, f.grams, zh.BigramQueryAnalyzerName, w)
				for _, syn := range p.synonyms {
					words = bleve.NewDisjunctionQuery(words, matchQuery(syn, f.grams, zh.BigramQueryAnalyzerName, w*weightAlternative))
				}
			}
			if isSingleHan(s.text) || utf8.RuneCountInString(s.text) > maxExactRunes || strings.ContainsRune(s.text, ' ') {
				// One character: the words are the verbatim text. A
				// long text: no document repeats it verbatim. Words
				// the resident spaced: no document has the spaces.
				field.add(words)
				continue
			}
			field.add(bleve.NewDisjunctionQuery(words, gramsQuery(s.text, f.grams, w*weightExact)))
		}
		if f.words == fieldTitle && p.pinyin != "" {
			field.add(matchQuery(p.pinyin, fieldTitlePY, "", f.weight))
		}
		top.add(field)
	}
	return top
}

// coverageQuery rewards a document that has every concept of a query of
// several, wherever they are and in whichever wording: a law whose title
// has one of the words should not outrank the article that has them all.
// It is nil for a query of one concept.
func coverageQuery(p *plan, a analysis, common func(field, word string) bool) query.Query {
	var concepts []queryConcept
	if a == analysisGrams {
		// Without a dictionary, the words are what the resident spaced.
		for _, w := range strings.Fields(p.text) {
			concepts = append(concepts, queryConcept{text: w, own: []zh.QueryWord{{Text: w}}})
		}
	} else {
		seen := map[string]bool{}
		for _, c := range segmentConcepts(p.concepts) {
			if !c.single() && !seen[c.text] {
				seen[c.text] = true
				concepts = append(concepts, c)
			}
		}
	}
	if len(concepts) < 2 {
		return nil
	}
	all := bleve.NewConjunctionQuery()
	for _, c := range concepts {
		anywhere := newDisMax(0)
		// Each wording weighs what the resident's word weighs as all of
		// its bigrams: a concept counts the same whichever wording a
		// document uses.
		grams, _ := zh.QueryGrams(c.text)
		weight := weightCoverage * float64(min(len(grams), maxGrams))
		for _, f := range append([]queryForm{{text: c.text, words: c.own}}, c.forms...) {
			if a != analysisGrams && len(f.words) == 1 {
				t := bleve.NewTermQuery(f.text)
				t.SetField(fieldTitle)
				t.SetBoost(weightCoverage)
				anywhere.add(t)
			}
			_, cover := zh.QueryGrams(f.text)
			boost := weight / float64(max(1, min(len(cover), maxGrams)))
			for _, fld := range []string{fieldTitleGrams, fieldHeading, fieldText, fieldBody} {
				if common == nil || !common(fld, f.text) {
					anywhere.add(termsQuery(cover, fld, boost))
				}
			}
		}
		if len(anywhere.clauses) > 0 {
			all.AddQuery(anywhere)
		}
	}
	if len(all.Conjuncts) == 0 {
		return nil
	}
	return all
}

// boostQuery rewards documents for what the query names: an article
// number, a law (its pages and articles), and all of its words.
func (ix *Index) boostQuery(p *plan, a analysis) query.Query {
	term := func(field, v string, boost float64) *query.TermQuery {
		t := bleve.NewTermQuery(v)
		t.SetField(field)
		t.SetBoost(boost)
		return t
	}
	var clauses []query.Query
	for _, n := range p.articles {
		clauses = append(clauses, term(fieldArticle, n, weightArticleNumber))
	}
	for _, l := range p.laws {
		clauses = append(clauses, term(fieldLawTitle, l, weightLawScope))
	}
	if c := coverageQuery(p, a, ix.common); c != nil {
		clauses = append(clauses, c)
	}
	if asksDefinition(p) {
		for _, g := range definitionTerms {
			clauses = append(clauses, term(fieldText, g, weightDefinition))
		}
	}
	if len(clauses) == 0 {
		return nil
	}
	return newDisMax(1, clauses...).named(explBoosts)
}

// commonShare is the share of an index's documents beyond which a word
// is common in a field: in a query of several words it is not looked up
// there (see wordsQuery, coverageQuery). 中华人民共和国 is in the heading of
// most articles of a national library, 规定 and 应当 in their text.
const commonShare = 0.2

// maxCommonCache bounds the answers of common kept per index.
const maxCommonCache = 50000

// common reports whether word is common in field (see commonShare): its
// covering bigrams are all in more than that share of the documents.
// Answers are kept, up to maxCommonCache of them (an index never changes,
// but residents' words are endless); beyond, each costs a few dictionary
// lookups.
func (ix *Index) common(field, word string) bool {
	key := field + "\x00" + word
	if v, ok := ix.commonCache.Load(key); ok {
		return v.(bool)
	}
	limit := uint64(commonShare * float64(ix.meta.Docs))
	common := true
	_, cover := zh.QueryGrams(word)
	for _, g := range cover {
		tfr, err := ix.termReader.TermFieldReader(context.Background(), []byte(g), field, false, false, false)
		if err != nil {
			common = false
			break
		}
		common = tfr.Count() > limit
		tfr.Close()
		if !common {
			break
		}
	}
	if ix.commonCached.Load() < maxCommonCache {
		if _, loaded := ix.commonCache.LoadOrStore(key, common); !loaded {
			ix.commonCached.Add(1)
		}
	}
	return common
}

// wordsQuery matches the concepts of a query in a word field, or by their
// bigrams in a bigram field when field is ""; a document scores by the
// concepts it has, each by its best wording (see conceptQuery), scaled by
// the share of the concepts it has. A formal wording therefore counts what
// the resident's word counts, once, and never outweighs the query's other
// concepts.
//
// The dictionary leaves single characters where it knows no word: a
// run of characters it cannot place (the 保帐 of a misspelled 残疾人保帐法).
// Looked up alone they match nearly every document, so a run of them is
// matched as a phrase of the bigram field and a lone one not at all,
// unless it is the whole query.
//
// With all set, a document must have every concept: a title that has one
// of several is most often about something else (活动 in the title of a
// law on crowd safety, for 敬老月 活动), and a short title scores high for
// any word it has.
func wordsQuery(concepts []queryConcept, field, grams string, boost float64, all bool, common func(field, word string) bool) query.Query {
	if len(concepts) == 1 && concepts[0].single() {
		return wordQuery(concepts[0].own[0], field, grams, boost)
	}
	d := bleve.NewDisjunctionQuery()
	seen := map[string]bool{}
	var run []string
	flush := func() {
		if len(run) > 1 {
			d.AddQuery(gramsQuery(strings.Join(run, ""), grams, boost))
		}
		run = run[:0]
	}
	for _, c := range concepts {
		if c.single() {
			run = append(run, c.text)
			continue
		}
		flush()
		if seen[c.text] {
			continue
		}
		seen[c.text] = true
		if q := conceptQuery(c, field, grams, boost, len(concepts) > 1, common); q != nil {
			d.AddQuery(q)
		}
	}
	flush()
	if all && len(d.Disjuncts) > 1 {
		d.SetMin(float64(len(d.Disjuncts)))
	}
	return d
}

// conceptQuery matches one concept: the resident's words, or any of its
// formal wordings at weightAlternative, a document scoring by the best.
// In a bigram field a formal wording is looked up verbatim, by all of its
// bigrams, and scored as one term of their average weight, however long
// it is.
// In a query of several concepts, the resident's word is not looked up
// where it is common (see Index.common); it is nil when nothing is left.
func conceptQuery(c queryConcept, field, grams string, boost float64, several bool, common func(field, word string) bool) query.Query {
	best := newDisMax(0)
	if field != "" || !several || common == nil || !common(grams, c.text) {
		// A word in most of the field's documents tells the others
		// apart hardly at all, and costs a walk through most of them:
		// the query's other concepts rank in this field.
		own := boost
		if field == "" && len(c.forms) > 0 {
			// A colloquial word the law does not use: where its
			// bigrams occur in running text they most often span two
			// words (低保 in 最低保修期限).
			own *= weightColloquialInText
		}
		best.add(allWordsQuery(c.own, field, grams, own))
	}
	for _, f := range c.forms {
		if field == "" {
			// A formal wording is the law's own: looked for verbatim,
			// by all of its bigrams, each an equal share.
			g, _ := zh.QueryGrams(f.text)
			best.add(termsQuery(g, grams, boost*weightAlternative/float64(max(1, min(len(g), maxGrams)))))
		} else {
			best.add(allWordsQuery(f.words, field, grams, boost*weightAlternative))
		}
	}
	switch len(best.clauses) {
	case 0:
		return nil
	case 1:
		return best.clauses[0]
	}
	return best
}

// allWordsQuery matches every one of words (a word, or the words of a
// phrase), sharing boost among them.
func allWordsQuery(words []zh.QueryWord, field, grams string, boost float64) query.Query {
	if len(words) == 1 {
		return wordQuery(words[0], field, grams, boost)
	}
	c := bleve.NewConjunctionQuery()
	for _, w := range words {
		c.AddQuery(wordQuery(w, field, grams, boost/float64(len(words))))
	}
	return c
}

func isSingleHan(s string) bool { return utf8.RuneCountInString(s) == 1 && isHan(s) }

// partShare is the weight of a word's parts relative to the word.
const partShare = 0.5

// wordQuery matches one word, or all of its parts: a text that says
// 以录音录像形式立的遗嘱 has the parts of 录音录像遗嘱 if not the word, and a
// text with the word has its parts too (the index holds the words inside
// words), so it scores higher. A single Chinese character is not a word
// of the dictionary: it is looked up in the bigram field, where every
// character is indexed.
func wordQuery(w zh.QueryWord, field, grams string, boost float64) query.Query {
	var q query.Query
	switch {
	case isSingleHan(w.Text) || field == "":
		q = wordGramsQuery(w.Text, grams, boost)
	default:
		t := bleve.NewTermQuery(w.Text)
		t.SetField(field)
		t.SetBoost(boost)
		q = t
	}
	if len(w.Parts) == 0 {
		return q
	}
	// A single character among the parts (the 罪 of 遗弃罪) says little
	// and is not in long texts, which hold bigrams only: the other parts
	// stand for the word.
	parts := bleve.NewConjunctionQuery()
	for _, p := range w.Parts {
		if !isSingleHan(p.Text) {
			parts.AddQuery(wordQuery(p, field, grams, boost*partShare))
		}
	}
	if len(parts.Conjuncts) == 0 {
		return q
	}
	return bleve.NewDisjunctionQuery(q, parts)
}

func isHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}

func matchQuery(text, field, analyzer string, boost float64) query.Query {
	m := bleve.NewMatchQuery(text)
	m.SetField(field)
	m.SetBoost(boost)
	if analyzer != "" {
		m.Analyzer = analyzer
	}
	return m
}

// gramsQuery matches text in a bigram field as all of its bigrams (see
// zh.QueryGrams): where the text occurs verbatim, and almost only there,
// since consecutive bigrams overlap. The field has no positions to check
// more; a two-character word is one bigram and exact either way.
func gramsQuery(text, field string, boost float64) query.Query {
	grams, _ := zh.QueryGrams(text)
	return termsQuery(grams, field, boost)
}

func termsQuery(grams []string, field string, boost float64) query.Query {
	if len(grams) > maxGrams {
		grams = grams[:maxGrams]
	}
	term := func(g string) *query.TermQuery {
		t := bleve.NewTermQuery(g)
		t.SetField(field)
		t.SetBoost(boost)
		return t
	}
	switch len(grams) {
	case 0:
		return bleve.NewMatchNoneQuery()
	case 1:
		return term(grams[0])
	}
	c := bleve.NewConjunctionQuery()
	for _, g := range grams {
		c.AddQuery(term(g))
	}
	return c
}

// wordGramsQuery matches one dictionary word in a bigram field by the
// bigrams that cover its characters (zh.QueryGrams: 中华 人民 共和
// 和国 for 中华人民共和国, not all six), scored like one term: together they
// count what the word counts in a title's word field, however long it
// is. Looking up every bigram would make a word of common characters,
// found in most documents, cost a walk through each of their postings;
// a text with the covering ones almost always has the word.
func wordGramsQuery(word, field string, boost float64) query.Query {
	_, grams := zh.QueryGrams(word)
	return termsQuery(grams, field, boost/float64(max(1, min(len(grams), maxGrams))))
}

// rankedQuery wraps the text query: pinned documents are added and put
// first, every other match is scored by relevance times its prior (see
// priorQuery), and the filters restrict without scoring.
func (ix *Index) rankedQuery(p *plan, q Query, opts rankOptions) *priorQuery {
	var match query.Query = ix.textQuery(p, opts.analysis)
	if boost := ix.boostQuery(p, opts.analysis); boost != nil {
		b := bleve.NewBooleanQuery()
		b.AddMust(match)
		b.AddShould(boost)
		match = b
	}
	pinRank := map[string]int{}
	if len(p.pins) > 0 {
		var ids []string
		for i, group := range p.pins {
			for _, id := range group {
				pinRank[id] = len(p.pins) - i
				ids = append(ids, id)
			}
		}
		match = bleve.NewDisjunctionQuery(match, bleve.NewDocIDQuery(ids))
	}
	var filters []query.Query
	for _, f := range facetFields {
		if v := q.Filters[f]; v != "" {
			t := bleve.NewTermQuery(v)
			t.SetField(f)
			filters = append(filters, t)
		}
	}
	if len(filters) > 0 {
		b := bleve.NewBooleanQuery()
		b.AddMust(match)
		b.AddFilter(bleve.NewConjunctionQuery(filters...))
		match = b
	}
	boosted := map[string]float64{}
	for id := range p.lawPages {
		boosted[id] = lawPageFactor
	}
	return &priorQuery{inner: match, pins: pinRank, boosted: boosted, kindFactor: kindFactors(p), kinds: ix.kinds, priors: ix.priors, built: ix.meta.Built}
}

// chineseNumber writes 1 ≤ n ≤ 9999 in Chinese numerals the way article
// numbers are written: 10 十, 15 十五, 110 一百一十, 1077 一千零七十七.
func chineseNumber(n int) string {
	digits := []rune("零一二三四五六七八九")
	units := []string{"千", "百", "十", ""}
	values := []int{1000, 100, 10, 1}
	var b strings.Builder
	zero := false
	for i, v := range values {
		d := n / v % 10
		if d == 0 {
			if b.Len() > 0 {
				zero = true
			}
			continue
		}
		if zero {
			b.WriteRune('零')
			zero = false
		}
		if !(v == 10 && d == 1 && b.Len() == 0) {
			b.WriteRune(digits[d])
		}
		b.WriteString(units[i])
	}
	return b.String()
}
