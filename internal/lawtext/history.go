package lawtext

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// datePattern matches a date such as 2020年5月28日.
var datePattern = regexp.MustCompile(`(\d{4})年(\d{1,2})月(\d{1,2})日`)

// fileDatePattern matches the version date in a file name: 慈善法(2023-12-29).md.
var fileDatePattern = regexp.MustCompile(`\((\d{4}-\d{2}-\d{2})\)\.md$`)

var (
	amendWords    = []string{"修正", "修订", "修改"}
	effectWords   = []string{"施行", "执行", "实施"}
	adoptionWords = []string{"通过", "批准", "发布", "公布", "审议"}
)

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// isoDate turns 2020年5月28日 into 2020-05-28, rejecting dates that do not
// exist.
func isoDate(y, m, d string) (string, error) {
	year, _ := strconv.Atoi(y)
	month, _ := strconv.Atoi(m)
	day, _ := strconv.Atoi(d)
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Year() != year || int(t.Month()) != month || t.Day() != day {
		return "", fmt.Errorf("no such date %s年%s月%s日", y, m, d)
	}
	return t.Format(time.DateOnly), nil
}

// versionFromName returns the date in a file name like 慈善法(2023-12-29).md.
func versionFromName(name string) (string, error) {
	m := fileDatePattern.FindStringSubmatch(name)
	if m == nil {
		return "", nil
	}
	if _, err := time.Parse(time.DateOnly, m[1]); err != nil {
		return "", fmt.Errorf("version date in file name: %w", err)
	}
	return m[1], nil
}

// splitEvents finds the dated steps of one history line. A line may hold
// more than one step ("…修订根据2017年11月23日…第二次修正"): a new step
// starts at a date that opens the line or follows 根据 or an opening
// bracket; dates elsewhere belong to the text around them.
func splitEvents(line string) ([]Event, error) {
	locs := datePattern.FindAllStringSubmatchIndex(line, -1)
	var starts [][]int
	for _, loc := range locs {
		before := strings.TrimRight(line[:loc[0]], " 　")
		if before == "" || strings.HasSuffix(before, "根据") ||
			before == "(" || before == "（" {
			starts = append(starts, loc)
		}
	}
	events := make([]Event, 0, len(starts))
	for i, loc := range starts {
		date, err := isoDate(line[loc[2]:loc[3]], line[loc[4]:loc[5]], line[loc[6]:loc[7]])
		if err != nil {
			return nil, err
		}
		end := len(line)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		text := strings.TrimSpace(line[loc[0]:end])
		text = strings.TrimSuffix(text, "根据")
		events = append(events, Event{Date: date, Kind: classify(text), Text: strings.TrimSpace(text)})
	}
	return events, nil
}

func classify(text string) EventKind {
	switch {
	case containsAny(text, amendWords):
		return EventAmended
	case containsAny(text, effectWords):
		return EventEffective
	case containsAny(text, adoptionWords):
		return EventPassed
	}
	return EventOther
}

// summarize fills Passed, Effective, Amended, Version and Issuer from the
// events and the text. version is the date from the file name, if any.
func (l *Law) summarize(version string) {
	var adoption *Event
	for i := range l.Events {
		e := &l.Events[i]
		switch e.Kind {
		case EventPassed:
			if l.Passed == "" {
				l.Passed = e.Date
				adoption = e
			}
		case EventEffective:
			l.Effective = e.Date
		case EventAmended:
			if len(l.Amended) == 0 || l.Amended[len(l.Amended)-1] != e.Date {
				l.Amended = append(l.Amended, e.Date)
			}
		}
	}
	if l.Passed == "" {
		// "发布施行" adopts and brings into force in one step.
		for i := range l.Events {
			if e := &l.Events[i]; e.Kind == EventEffective && containsAny(e.Text, adoptionWords) {
				l.Passed, adoption = e.Date, e
				break
			}
		}
	}
	l.Version = version
	if l.Version == "" {
		for _, e := range l.Events {
			if (e.Kind == EventPassed || e.Kind == EventAmended) && e.Date > l.Version {
				l.Version = e.Date
			}
		}
	}
	if l.Version == "" {
		for _, e := range l.Events {
			l.Version = max(l.Version, e.Date)
		}
	}
	if l.Effective == "" && len(l.Amended) == 0 {
		// An unamended text states its own date of effect; an amended one
		// may still carry the original date, so it is not trusted then.
		l.Effective = l.statedEffective()
	}
	if l.Version == "" {
		l.Version = l.Effective
	}
	if adoption == nil && len(l.Events) > 0 {
		adoption = &l.Events[0]
	}
	if adoption != nil {
		l.Issuer = issuer(adoption.Text)
	}
}

// effectivePattern matches the clause that brings a text into force:
// 本条例自1999年1月1日起施行.
var effectivePattern = regexp.MustCompile(`^本\p{Han}{1,8}自(\d{4})年(\d{1,2})月(\d{1,2})日起(?:施行|实施|执行)`)

// statedEffective returns the date on which the text says it takes effect,
// looking at the last such clause in its articles or text paragraphs.
func (l *Law) statedEffective() string {
	for i := len(l.Blocks) - 1; i >= 0; i-- {
		paras := []string{l.Blocks[i].Text}
		if l.Blocks[i].Kind == BlockArticle {
			paras = l.Articles[l.Blocks[i].Article].Paragraphs
		}
		for j := len(paras) - 1; j >= 0; j-- {
			if m := effectivePattern.FindStringSubmatch(paras[j]); m != nil {
				if d, err := isoDate(m[1], m[2], m[3]); err == nil {
					return d
				}
			}
		}
	}
	return ""
}

var (
	// congressPattern matches 第十三届全国人民代表大会常务委员会 and
	// 上海市第十届人民代表大会常务委员会.
	congressPattern = regexp.MustCompile(`^((?:\p{Han}{1,8}?(?:省|市|自治区|自治州|县|区))?)第[〇零一二三四五六七八九十百]+届(全国)?(人民代表大会(?:常务委员会)?)`)
	// standingPattern matches the standing committee named without a term.
	standingPattern = regexp.MustCompile(`(全国人民代表大会常务委员会)第`)
	// organPattern matches a government organ that issues a decree or
	// approves a text: 国务院令第…号, 公安部令, 国务院、中央军事委员会令.
	organPattern = regexp.MustCompile(`^(?:经)?((?:[\p{Han}]+?)(?:、[\p{Han}]+?)*)(?:令|第[〇零一二三四五六七八九十百千\d]+号令|第[〇零一二三四五六七八九十百千\d]+次|批准|发布|公布|通过|部务会议|部长办公会议|常务会议|室务会议|\d{4}年|$)`)
	// organSuffix says a name is an organ and not the start of a sentence.
	organSuffix = regexp.MustCompile(`(国务院|政务院|部|委员会|委|总局|局|署|办公室|中央军委|中共中央)$`)
)

// issuer names the body that adopted a law from the text of its adoption
// step, or returns "" when the text does not name one.
func issuer(text string) string {
	rest := strings.TrimLeft(text, "(（")
	if loc := datePattern.FindStringIndex(rest); loc != nil && loc[0] == 0 {
		rest = rest[loc[1]:]
	}
	rest = strings.TrimSpace(rest)
	if m := congressPattern.FindStringSubmatch(rest); m != nil {
		place := strings.TrimPrefix(m[1], "中华人民共和国")
		return place + m[2] + m[3]
	}
	if m := standingPattern.FindStringSubmatch(rest); m != nil {
		return m[1]
	}
	rest = strings.ReplaceAll(rest, "中华人民共和国", "")
	if m := organPattern.FindStringSubmatch(rest); m != nil {
		for _, part := range strings.Split(m[1], "、") {
			if !organSuffix.MatchString(part) {
				return ""
			}
		}
		// The same body is written both ways; keep one spelling.
		return strings.ReplaceAll(m[1], "中央军委", "中央军事委员会")
	}
	return ""
}
