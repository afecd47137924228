package indexer

import "strings"

// askedFacts maps the question words residents add to a search (清明 宣传活动
// 在哪里, 助残日 活动 几点, 婚姻登记 普法 哪个部门负责) to the word that labels
// the answer in the facts the theme adds to catalog entries and campaigns
// (活动地点, 活动时间, 责任部门; see layouts/_partials/manifest/facts.html and
// Page.Facts). Searched as typed, a question word is in no page, and a
// page with every other word loses the reward for having them all.
// Longer phrases come first.
var askedFacts = []struct{ asked, label string }{
	{"哪个部门负责", "责任部门"},
	{"哪个科室负责", "责任部门"},
	{"哪个部门", "责任部门"},
	{"哪个科室", "责任部门"},
	{"谁负责", "责任部门"},
	{"什么地方", "地点"},
	{"在哪里", "地点"},
	{"在哪儿", "地点"},
	{"哪里", "地点"},
	{"哪儿", "地点"},
	{"什么时候", "时间"},
	{"几月几号", "时间"},
	{"几月几日", "时间"},
	{"几点钟", "时间"},
	{"几点", "时间"},
	{"哪一天", "时间"},
	{"哪天", "时间"},
}

// answerWords replaces the question words of a normalised query with the
// words that label their answers, each as a word of its own.
func answerWords(text string) string {
	out := text
	for _, a := range askedFacts {
		if strings.Contains(out, a.asked) {
			out = strings.ReplaceAll(out, a.asked, " "+a.label+" ")
		}
	}
	if out == text {
		return text
	}
	return strings.Join(strings.Fields(out), " ")
}
