// Package campaign is the calendar of the bureau's legal-education campaigns
// (普法活动): the festivals and commemorative days a campaign can belong to,
// the rule that gives each one's date in a year, the campaign window around
// it, and the campaign page scaffold.
//
// Dates come from rules, never from typing: 清明 is a solar term and 重阳 a
// lunar date (both computed with github.com/6tail/lunar-go), 全国助残日 the
// third Sunday of May, the others fixed dates or whole months. Periods that
// are announced anew every year, such as 宪法宣传周, are read from the data
// file site/data/campaigns.yaml (see ParseData); a year without an entry uses
// the festival's documented fallback and is marked provisional. All dates are
// in Asia/Shanghai.
package campaign

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/width"
)

// MinYear and MaxYear bound the years the calendar computes. Years outside
// are rejected as typing mistakes rather than extrapolated.
const (
	MinYear = 1950
	MaxYear = 2100
)

// Festival is a festival or commemorative day a campaign can belong to.
type Festival struct {
	// Key is the ASCII key used in front matter and file names, e.g. "qingming".
	Key string
	// Name is the Chinese name shown to readers, e.g. "清明节".
	Name string
	// Aliases are other names Lookup accepts, e.g. "5·20".
	Aliases []string
	// Topic is what campaigns on this day are about, e.g. "殡葬改革、文明祭扫".
	Topic string
	// Title is the default campaign title, written after the year:
	// "2027年" + Title.
	Title string
	// Rule gives the festival's date or period in a year.
	Rule Rule
	// Since is the first year the festival was observed; 0 means it
	// predates MinYear.
	Since int
	// Before and After set the default campaign window of a single-day
	// festival: from Before days before the day to After days after it.
	// A period festival's window is the period itself.
	Before, After int
}

// The default window: campaigns run in the week up to the day.
const (
	defaultBefore = 7
	defaultAfter  = 0
)

// festivals is the table of festivals, in the order they fall in a year.
var festivals = []Festival{
	{
		Key: "qingming", Name: "清明节", Aliases: []string{"清明"},
		Topic: "殡葬改革、文明祭扫",
		Title: "清明节文明祭扫与殡葬管理法规宣传",
		Rule:  Rule{Kind: SolarTerm, Term: "清明"},
	},
	{
		// 中华人民共和国残疾人保障法 sets the third Sunday of May; first held in 1991.
		Key: "zhucanri", Name: "全国助残日", Aliases: []string{"助残日"},
		Topic: "残疾人权益保障",
		Title: "全国助残日残疾人权益保障法治宣传",
		Rule:  Rule{Kind: NthWeekday, Month: 5, Weekday: time.Sunday, N: 3},
		Since: 1991,
	},
	{
		Key: "520", Name: "520 婚姻登记宣传日", Aliases: []string{"5·20", "5.20", "婚姻登记宣传日"},
		Topic: "婚姻登记",
		Title: "“5·20”婚姻登记法律宣传",
		Rule:  Rule{Kind: Fixed, Month: 5, Day: 20},
	},
	{
		// The 1949 decision of the Central People's Government; first kept in 1950.
		Key: "liuyi", Name: "六一国际儿童节", Aliases: []string{"六一儿童节", "六一", "儿童节"},
		Topic: "未成年人保护",
		Title: "六一国际儿童节未成年人保护法治宣传",
		Rule:  Rule{Kind: Fixed, Month: 6, Day: 1},
		Since: 1950,
	},
	{
		// Held every May since 2021 by 中央宣传部、司法部、全国普法办.
		Key: "minfadian", Name: "民法典宣传月",
		Topic: "民法典",
		Title: "“美好生活·民法典相伴”民法典宣传月活动",
		Rule:  Rule{Kind: WholeMonth, Month: 5},
		Since: 2021,
	},
	{
		// 中华人民共和国慈善法 (in force 2016-09-01), article 91.
		Key: "cishan", Name: "中华慈善日", Aliases: []string{"慈善日"},
		Topic: "慈善事业、慈善捐赠",
		Title: "中华慈善日慈善法宣传",
		Rule:  Rule{Kind: Fixed, Month: 9, Day: 5},
		Since: 2016,
	},
	{
		// 中华人民共和国老年人权益保障法 makes 重阳 the 老年节.
		Key: "chongyang", Name: "重阳节", Aliases: []string{"重阳", "老年节"},
		Topic: "老年人权益保障",
		Title: "重阳节老年人权益保障法治宣传",
		Rule:  Rule{Kind: Lunar, Month: 9, Day: 9},
	},
	{
		// Organised every October by 全国老龄工作委员会 since 2010; some
		// years start later in the month (2025: 10月10日至31日).
		Key: "jinglao", Name: "敬老月",
		Topic: "养老服务、老年人权益保障",
		Title: "敬老月养老服务与老年人权益保障法治宣传",
		Rule:  Rule{Kind: WholeMonth, Month: 10},
		Since: 2010,
	},
	{
		// Proclaimed by the United Nations General Assembly in 1992.
		Key: "canjiren", Name: "国际残疾人日",
		Topic: "残疾人权益保障、无障碍环境建设",
		Title: "国际残疾人日残疾人权益保障与无障碍环境建设宣传",
		Rule:  Rule{Kind: Fixed, Month: 12, Day: 3},
		Since: 1992,
	},
	{
		// Decision of the NPC Standing Committee of 2014-11-01.
		Key: "xianfa", Name: "国家宪法日", Aliases: []string{"宪法日"},
		Topic: "宪法",
		Title: "国家宪法日宪法宣传",
		Rule:  Rule{Kind: Fixed, Month: 12, Day: 4},
		Since: 2014,
	},
	{
		// Announced every year by 中央宣传部、司法部、全国普法办 since 2018:
		// 12-02..08 (2018), 11-30..12-06 (2020), 11-29..12-05 (2021),
		// 12-04..10 (2022), 12-01..07 (2019, 2023–2025). The fallback is
		// therefore 1–7 December.
		Key: "xianfazhou", Name: "宪法宣传周",
		Topic: "宪法",
		Title: "“宪法宣传周”宪法学习宣传活动",
		Rule:  Rule{Kind: Announced, Month: 12, Day: 1, Days: 7},
		Since: 2018,
	},
}

// init gives the default window to the entries of the table that set
// neither Before nor After.
func init() {
	for i := range festivals {
		if festivals[i].Before == 0 && festivals[i].After == 0 {
			festivals[i].Before, festivals[i].After = defaultBefore, defaultAfter
		}
	}
}

// Festivals returns every festival of the calendar in the order they fall
// in a year. The slice is a copy.
func Festivals() []Festival {
	out := make([]Festival, len(festivals))
	for i, f := range festivals {
		f.Aliases = append([]string(nil), f.Aliases...)
		out[i] = f
	}
	return out
}

// Keys returns the keys of all festivals, in table order.
func Keys() []string {
	keys := make([]string, len(festivals))
	for i, f := range festivals {
		keys[i] = f.Key
	}
	return keys
}

// Lookup finds a festival by its key, Chinese name or an alias. It ignores
// case, white space and full-width forms, so "５２０" and "六一 儿童节" match.
func Lookup(keyOrName string) (Festival, bool) {
	want := normalize(keyOrName)
	if want == "" {
		return Festival{}, false
	}
	for _, f := range Festivals() {
		if normalize(f.Key) == want || normalize(f.Name) == want {
			return f, true
		}
		for _, a := range f.Aliases {
			if normalize(a) == want {
				return f, true
			}
		}
	}
	return Festival{}, false
}

func normalize(s string) string {
	s = width.Fold.String(s)
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u3000' {
			return -1
		}
		return r
	}, s)
	return strings.ToLower(s)
}

// IsPeriod reports whether the festival is a period (a month or a week)
// rather than a single day.
func (f Festival) IsPeriod() bool { return f.Rule.IsPeriod() }

// Span returns the festival's dates in year by its rule: one day, or the
// period for a period festival (for an Announced one, its fallback). It
// fails when year is outside MinYear..MaxYear or before the festival was
// first observed. Calendar.Occurrence also applies the data file.
func (f Festival) Span(year int) (Window, error) {
	if err := f.checkYear(year); err != nil {
		return Window{}, err
	}
	w, err := f.Rule.Span(year)
	if err != nil {
		return Window{}, fmt.Errorf("%s (%s) in %d: %w", f.Name, f.Key, year, err)
	}
	return w, nil
}

// Date returns the festival's day in year; for a period festival, the first
// day of its period by rule. See Span for the errors.
func (f Festival) Date(year int) (Day, error) {
	w, err := f.Span(year)
	return w.Start, err
}

// DefaultWindow returns the campaign window for a festival whose dates are
// span: the period itself, or for a single day from Before days before it
// to After days after it.
func (f Festival) DefaultWindow(span Window) Window {
	if f.IsPeriod() {
		return span
	}
	return Window{span.Start.AddDays(-f.Before), span.End.AddDays(f.After)}
}

func (f Festival) checkYear(year int) error {
	if year < MinYear || year > MaxYear {
		return fmt.Errorf("year %d: %w", year, ErrYearRange)
	}
	if f.Since != 0 && year < f.Since {
		return fmt.Errorf("%s (%s) in %d: %w (first in %d)", f.Name, f.Key, year, ErrNotObserved, f.Since)
	}
	return nil
}
