package indexer

import (
	"regexp"
	"slices"
	"strings"
)

// What a query says about the kind of page it wants. A law's overview
// page and a catalog entry mention the words of many questions in passing;
// they answer a question only when it asks for them: it names the law, or
// asks who is responsible for teaching it (普法 责任部门); a campaign or
// news page answers one that asks about an activity or a case.
var (
	// overviewFactor multiplies the score of law and catalog pages for a
	// query that neither names a law nor asks for them.
	overviewFactor = 0.5
	// intentFactor multiplies the score of the kind of page a query asks
	// for.
	intentFactor = 2.0
)

// intentWords are the words by which a query asks for a kind of page.
var intentWords = map[string][]string{
	KindCatalog: {"普法", "责任", "负责", "部门", "目录", "主管", "谁管", "科室"},
	KindCampaign: {"活动", "宣传", "地点", "时间", "在哪", "哪里", "几点", "哪天", "报名", "讲座",
		"咨询", "宣传日", "宣传周", "宣传月"},
	KindNews: {"案例", "以案释法", "案件", "新闻", "动态", "通知", "调整", "变化", "变更", "公告"},
}

// yearPattern finds a year in a query (2026, 2026年): campaigns and news
// are dated, laws' years are in their final articles.
var yearPattern = regexp.MustCompile(`(^|[^0-9])(19|20)[0-9]{2}([^0-9]|$)`)

// kindFactors returns the factor of each kind (by its index in Kinds) for
// a query, or nil when the query says nothing about kinds.
func kindFactors(p *plan) []float64 {
	f := make([]float64, len(Kinds))
	for i := range f {
		f[i] = 1
	}
	changed := false
	set := func(kind string, v float64) {
		i := slices.Index(Kinds, kind)
		f[i] = v
		changed = true
	}
	if len(p.laws) == 0 && len(p.lawPages) == 0 {
		set(KindLaw, overviewFactor)
		set(KindCatalog, overviewFactor)
	}
	if len(p.articles) > 0 {
		// An article by its number: the law's text, not the pages
		// that cite it.
		set(KindCatalog, overviewFactor)
		set(KindCampaign, overviewFactor)
		set(KindNews, overviewFactor)
	}
	for _, kind := range Kinds {
		for _, w := range intentWords[kind] {
			if strings.Contains(p.text, w) {
				set(kind, intentFactor)
				break
			}
		}
	}
	if yearPattern.MatchString(p.text) {
		set(KindCampaign, intentFactor)
		set(KindNews, intentFactor)
	}
	if !changed {
		return nil
	}
	return f
}

// weightDefinition rewards, for a query that asks what something is, the
// articles that define (本法所称…，是指…).
var weightDefinition = 1.0

// definitionWords are the ways a resident asks what something is.
var definitionWords = []string{"什么是", "是什么", "什么叫", "叫什么", "指什么", "定义", "含义", "算不算", "属不属于"}

// definitionTerms are the bigrams by which a law defines a term.
var definitionTerms = []string{"是指", "所称"}

// asksDefinition reports whether a query asks what something is.
func asksDefinition(p *plan) bool {
	return slices.ContainsFunc(definitionWords, func(w string) bool { return strings.Contains(p.text, w) })
}
