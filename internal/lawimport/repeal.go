package lawimport

import (
	"regexp"
	"strings"
)

// repeal is what the pages of a repealed law say about its repeal.
type repeal struct {
	// by is the content path of the page of the law that replaced it.
	by string
	// basis is the provision that repealed it (《中华人民共和国民法典》第一千二百六十条).
	basis string
	// on is the day it ceased to apply (YYYY-MM-DD), when known.
	on string
	// interprets is, for an interpretation of a repealed law, that law's
	// title as the interpretation's title quotes it.
	interprets string
}

// bareTitle is a law's title without 中华人民共和国, the form in which
// titles are compared: texts quote the same law with and without it.
func bareTitle(title string) string { return strings.TrimPrefix(title, statePrefix) }

// findRepeals decides which laws are repealed, and by what, from three
// sources, the first that speaks deciding:
//
//  1. the status overrides (site/data/lawstatus.yaml), by lawKey: status
//     repealed makes a law repealed, any other status keeps it from being
//     repealed by the rules below;
//  2. the imported laws themselves: a law whose newest version says
//     "《X》……同时废止" (see lawtext.Law.Repeals) repeals the imported law
//     titled X, unless that law's newest version is not older than the
//     repealing law (a later law of the same name);
//  3. an interpretation of a repealed law (a title such as
//     最高人民法院关于适用《中华人民共和国婚姻法》若干问题的解释（一）, see
//     interpretedLaws) is repealed with it; the law may be repealed by an
//     override although it is not imported.
//
// Parts of split codes (a law with a subtitle) are never repealed by
// title.
func findRepeals(groups []*group, overrides map[string]Override) map[*group]*repeal {
	byTitle := map[string]repeal{}
	for _, g := range groups {
		newest := g.versions[0].law
		for _, r := range newest.Repeals() {
			key := bareTitle(r.Title)
			if key == bareTitle(g.title) {
				// An earlier text of the same law (婚姻法 1980 repeals
				// that of 1950): the versions say that already.
				continue
			}
			c := repeal{
				by:    contentPath(g.slug),
				basis: "《" + newest.Title + "》" + newest.Articles[r.Article].Number,
				on:    dayInForce(newest.Effective, newest.Passed, newest.Version),
			}
			if prev, ok := byTitle[key]; !ok || c.on != "" && (prev.on == "" || c.on < prev.on) {
				byTitle[key] = c
			}
		}
	}

	out := map[*group]*repeal{}
	decided := map[*group]bool{}
	titled := map[string]*group{}
	for _, g := range groups {
		if g.subtitle != "" {
			continue
		}
		titled[bareTitle(g.title)] = g
		if o, ok := overrides[g.slug]; ok {
			decided[g] = true
			if o.Status == StatusRepealed {
				out[g] = o.repeal()
			}
			continue
		}
		c, ok := byTitle[bareTitle(g.title)]
		if !ok {
			continue
		}
		if v := g.versions[0].law.Version; v != "" && c.on != "" && v < c.on {
			out[g] = &c
		}
	}
	for _, g := range groups {
		if g.subtitle != "" || decided[g] || out[g] != nil {
			continue
		}
		for _, cited := range interpretedLaws(g.title) {
			var r *repeal
			if o, ok := overrides[Slug(cited, "")]; ok {
				if o.Status == StatusRepealed {
					r = o.repeal()
				}
			} else if h := titled[bareTitle(cited)]; h != nil && h != g {
				r = out[h]
			}
			if r != nil {
				inherited := *r
				inherited.interprets = cited
				out[g] = &inherited
				break
			}
		}
	}
	return out
}

// dayInForce is the first of the dates that is set.
func dayInForce(dates ...string) string {
	for _, d := range dates {
		if d != "" {
			return d
		}
	}
	return ""
}

var (
	// appliedLaw matches a law quoted as the one applied or carried out:
	// 关于适用《X》若干问题的解释, 关于贯彻执行《X》若干问题的意见.
	appliedLaw = regexp.MustCompile(`(?:适用|执行|实施)《([^《》]+)》`)
	// explainedLaw matches a law quoted before the word 解释:
	// 关于《X》第九十三条第二款的解释.
	explainedLaw = regexp.MustCompile(`《([^《》]+)》[^《》]*解释`)
)

// interpretedLaws returns the laws a title says it interprets or applies,
// in order: the titles it quotes after 适用, 执行 or 实施, or before 解释.
// A decision that amends a law (关于修改《X》的决定) interprets none.
func interpretedLaws(title string) []string {
	var out []string
	for _, re := range []*regexp.Regexp{appliedLaw, explainedLaw} {
		for _, m := range re.FindAllStringSubmatch(title, -1) {
			if t := strings.TrimSpace(m[1]); t != "" && !contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
