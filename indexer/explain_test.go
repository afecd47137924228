package indexer

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
)

// explained runs q with explanations on ix.
func explained(t *testing.T, ix *Index, q Query, opts rankOptions) *Result {
	t.Helper()
	q.Explain = true
	res, err := ix.search(context.Background(), q, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Explain == nil {
		t.Fatalf("Search(%q) with Explain: no understanding", q.Text)
	}
	for _, h := range res.Hits {
		if h.Explain == nil {
			t.Fatalf("Search(%q) with Explain: hit %s has no explanation", q.Text, h.URL)
		}
	}
	return res
}

func hitByURL(t *testing.T, res *Result, url string) Hit {
	t.Helper()
	for _, h := range res.Hits {
		if h.URL == url {
			return h
		}
	}
	t.Fatalf("no hit %s among %q", url, urls(res))
	return Hit{}
}

func field(fs []FieldScore, name string) *FieldScore {
	for i := range fs {
		if fs[i].Field == name {
			return &fs[i]
		}
	}
	return nil
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

// checkArithmetic checks that an explanation adds up: the fields and
// boosts make the relevance, the prior's parts its value, and relevance ×
// prior × law page the score.
func checkArithmetic(t *testing.T, h Hit) {
	t.Helper()
	e := h.Explain
	if e.Score != h.Score {
		t.Errorf("%s: explained score %g, hit score %g", h.URL, e.Score, h.Score)
	}
	if e.Pin > 0 {
		return
	}
	sum := 0.0
	for _, f := range slices.Concat(e.Fields, e.Boosts) {
		terms := 0.0
		for _, tm := range f.Terms {
			terms += tm.Score
		}
		if !near(terms, f.Score) {
			t.Errorf("%s: field %s scores %g, its terms %g", h.URL, f.Field, f.Score, terms)
		}
		sum += f.Score
	}
	if !near(sum, e.Relevance) {
		t.Errorf("%s: fields and boosts add up to %g, relevance is %g", h.URL, sum, e.Relevance)
	}
	if e.Prior == nil {
		t.Fatalf("%s: not pinned and no prior", h.URL)
	}
	p := e.Prior
	if math.Abs(p.Type*p.Superseded*p.Recency-p.Value) > 1e-6 {
		t.Errorf("%s: prior %g, its parts %g × %g × %g", h.URL, p.Value, p.Type, p.Superseded, p.Recency)
	}
	want := e.Relevance * p.Value
	if e.LawPage > 0 {
		want *= e.LawPage
	}
	if e.Kind > 0 {
		want *= e.Kind
	}
	if !near(want, e.Score) {
		t.Errorf("%s: relevance × prior × law page × kind = %g, score %g", h.URL, want, e.Score)
	}
}

func TestExplainFieldsAndPrior(t *testing.T) {
	ix := fixtureIndex(t)
	res := explained(t, ix, Query{Text: "慈善法第22条"}, rankOptions{})
	u := res.Explain
	if u.Text != "慈善法 第二十二条" || !slices.Contains(u.Articles, "第二十二条") || !slices.Contains(u.Laws, "中华人民共和国慈善法") {
		t.Errorf("understanding = %+v, want the article number and the law recognised", u)
	}
	h := res.Hits[0]
	if h.URL != "/laws/cishanfa/#a22" {
		t.Fatalf("first hit %s, want /laws/cishanfa/#a22", h.URL)
	}
	e := h.Explain
	if f := field(e.Boosts, fieldArticle); f == nil || f.Terms[0].Term != "第二十二条" || f.Score <= 0 {
		t.Errorf("boosts = %+v, want the article number 第二十二条", e.Boosts)
	}
	if f := field(e.Boosts, fieldLawTitle); f == nil {
		t.Errorf("boosts = %+v, want the law's title", e.Boosts)
	}
	if f := field(e.Fields, fieldText); f == nil || f.Score <= 0 {
		t.Errorf("fields = %+v, want the article's text", e.Fields)
	}
	if e.Prior == nil || e.Prior.Kind != KindArticle || e.Prior.Type != 1 || e.Prior.Superseded != 1 {
		t.Errorf("prior = %+v, want a current article's", e.Prior)
	}
	for _, h := range res.Hits {
		checkArithmetic(t, h)
	}
}

func TestExplainNewsRecencyAndSuperseded(t *testing.T) {
	ix := fixtureIndex(t)
	res := explained(t, ix, Query{Text: "遗嘱", Filters: map[string]string{"type": KindNews}, Size: 50}, rankOptions{})
	h := hitByURL(t, res, "/news/2020/yizhu-xuanchuan/")
	p := h.Explain.Prior
	if p == nil || p.Kind != KindNews || p.Type != typePrior[KindNews] || p.Recency >= 1 || p.AgeDays < 365 {
		t.Errorf("prior of a news page from 2020 = %+v, want news with an age and a recency below 1", p)
	}
	if f := field(h.Explain.Fields, fieldTitle); f == nil {
		t.Errorf("fields = %+v, want the title", h.Explain.Fields)
	}
	for _, h := range res.Hits {
		checkArithmetic(t, h)
	}

	res = explained(t, ix, Query{Text: "中华慈善日", Size: 50}, rankOptions{noBestBets: true})
	old := hitByURL(t, res, "/laws/cishanfa-2016-03-16/#a7")
	if p := old.Explain.Prior; p == nil || p.Superseded != priorNotCurrent {
		t.Errorf("prior of the superseded version = %+v, want superseded %g", p, priorNotCurrent)
	}
	if p := hitByURL(t, res, "/laws/cishanfa/#a7").Explain.Prior; p == nil || p.Superseded != 1 {
		t.Errorf("prior of the version in force = %+v, want superseded 1", p)
	}
	for _, h := range res.Hits {
		checkArithmetic(t, h)
	}
}

func TestExplainPinAndLawPage(t *testing.T) {
	ix := fixtureIndex(t)
	res := explained(t, ix, Query{Text: "打印遗嘱"}, rankOptions{})
	if res.Explain.Pins == 0 {
		t.Errorf("understanding = %+v, want a pin", res.Explain)
	}
	if e := res.Hits[0].Explain; e.Pin != 1 || e.Prior != nil {
		t.Errorf("first hit of a best bet: %+v, want pin 1 and no prior", e)
	}

	res = explained(t, ix, Query{Text: "民法典"}, rankOptions{noBestBets: true})
	if res.Explain.LawPages == 0 {
		t.Fatalf("understanding = %+v, want the law's pages", res.Explain)
	}
	h := hitByURL(t, res, "/laws/minfadian-jichengbian/")
	if h.Explain.LawPage != lawPageFactor {
		t.Errorf("law page factor %g, want %g", h.Explain.LawPage, lawPageFactor)
	}
	for _, h := range res.Hits {
		checkArithmetic(t, h)
	}
}

func TestExplainSynonymsAndCorrection(t *testing.T) {
	ix := fixtureIndex(t)
	res := explained(t, ix, Query{Text: "离婚冷静期"}, rankOptions{noBestBets: true})
	if len(res.Explain.Synonyms) == 0 {
		t.Errorf("understanding = %+v, want the formal wordings", res.Explain)
	}
	res = explained(t, ix, Query{Text: "cishanfa"}, rankOptions{})
	if u := res.Explain; u.Pinyin != "cishanfa" || u.Alternative != "慈善法" || !u.Suggested {
		t.Errorf("understanding = %+v, want pinyin resolved to 慈善法", u)
	}
}

// Without Explain, a result and its hits carry nothing more: the HTTP
// API's answers do not change.
func TestExplainOnlyWhenAsked(t *testing.T) {
	ix := fixtureIndex(t)
	res, err := ix.Search(context.Background(), Query{Text: "慈善法第22条"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"explain"`) {
		t.Errorf("result without Explain has an explanation: %s", b)
	}
	// A cached index answers explanations without keeping them.
	c := NewResultCache(10).For(ix, "r1")
	res, err = c.Search(context.Background(), Query{Text: "慈善法第22条", Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Explain == nil || res.Hits[0].Explain == nil {
		t.Errorf("cached index: no explanation")
	}
	if st := c.cache.Stats(); st.Entries != 0 {
		t.Errorf("cache holds %d entries after an explained search, want 0", st.Entries)
	}
}
