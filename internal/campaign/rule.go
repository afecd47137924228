package campaign

import (
	"errors"
	"fmt"
	"time"

	"github.com/6tail/lunar-go/calendar"
)

// Kind says how a Rule turns a year into dates.
type Kind int

// The kinds of rule. A single-day rule (SolarTerm, NthWeekday, Fixed, Lunar)
// gives one day; a period rule (WholeMonth, Announced) gives a range.
const (
	// SolarTerm is the day of a solar term (节气), e.g. 清明.
	SolarTerm Kind = iota + 1
	// NthWeekday is the Nth given weekday of a month, e.g. the third
	// Sunday of May.
	NthWeekday
	// Fixed is the same Gregorian date every year, e.g. 4 December.
	Fixed
	// Lunar is a date of the Chinese lunar calendar, e.g. the 9th day of
	// the 9th month.
	Lunar
	// WholeMonth is a whole Gregorian month, e.g. October.
	WholeMonth
	// Announced is a period announced anew every year by the authority
	// that organises it. Until the year's dates are entered in the data
	// file, a fixed fallback range is used and marked provisional.
	Announced
)

// Rule computes the dates of a festival in a given year. Which fields are
// used depends on Kind.
type Rule struct {
	Kind Kind
	// Term is the Chinese name of the solar term (SolarTerm).
	Term string
	// Month is the month, 1–12: Gregorian for NthWeekday, Fixed,
	// WholeMonth and Announced, lunar for Lunar.
	Month int
	// Day is the day of the month (Fixed, Lunar), or the first day of the
	// fallback range (Announced).
	Day int
	// Weekday and N select the Nth weekday of Month (NthWeekday), N from 1.
	Weekday time.Weekday
	N       int
	// Days is the length in days of the fallback range (Announced).
	Days int
}

// Span returns the dates the rule gives in year: Start == End for a
// single-day rule. For an Announced rule it is the fallback range.
func (r Rule) Span(year int) (Window, error) {
	switch r.Kind {
	case SolarTerm:
		d, err := solarTermDay(year, r.Term)
		return Window{d, d}, err
	case NthWeekday:
		if r.N < 1 || r.N > 5 || r.Month < 1 || r.Month > 12 {
			return Window{}, fmt.Errorf("rule %d %s of month %d: out of range", r.N, r.Weekday, r.Month)
		}
		first := Day{year, time.Month(r.Month), 1}
		offset := (int(r.Weekday) - int(first.Weekday()) + 7) % 7
		d := first.AddDays(offset + 7*(r.N-1))
		if d.Month != first.Month {
			return Window{}, fmt.Errorf("month %d of %d has no %s number %d", r.Month, year, r.Weekday, r.N)
		}
		return Window{d, d}, nil
	case Fixed:
		d, err := validDay(year, r.Month, r.Day)
		return Window{d, d}, err
	case Lunar:
		d, err := lunarDay(year, r.Month, r.Day)
		return Window{d, d}, err
	case WholeMonth:
		if r.Month < 1 || r.Month > 12 {
			return Window{}, fmt.Errorf("month %d: out of range", r.Month)
		}
		start := Day{year, time.Month(r.Month), 1}
		end := Day{year, time.Month(r.Month) + 1, 1}.AddDays(-1)
		return Window{start, end}, nil
	case Announced:
		start, err := validDay(year, r.Month, r.Day)
		if err != nil {
			return Window{}, err
		}
		if r.Days < 1 {
			return Window{}, fmt.Errorf("fallback range of %d days: must be at least one day", r.Days)
		}
		return Window{start, start.AddDays(r.Days - 1)}, nil
	}
	return Window{}, fmt.Errorf("unknown rule kind %d", r.Kind)
}

// IsPeriod reports whether the rule gives a range of days rather than one day.
func (r Rule) IsPeriod() bool { return r.Kind == WholeMonth || r.Kind == Announced }

var weekdayNames = [...]string{"日", "一", "二", "三", "四", "五", "六"}
var ordinals = [...]string{"", "第一个", "第二个", "第三个", "第四个", "第五个"}

// String describes the rule in Chinese, e.g. "每年5月第三个星期日".
func (r Rule) String() string {
	switch r.Kind {
	case SolarTerm:
		return "每年" + r.Term + "节气当天"
	case NthWeekday:
		if r.N >= 1 && r.N < len(ordinals) && r.Weekday >= time.Sunday && r.Weekday <= time.Saturday {
			return fmt.Sprintf("每年%d月%s星期%s", r.Month, ordinals[r.N], weekdayNames[r.Weekday])
		}
	case Fixed:
		return fmt.Sprintf("每年%d月%d日", r.Month, r.Day)
	case Lunar:
		return "每年农历" + lunarMonthName(r.Month) + "月" + lunarDayName(r.Day)
	case WholeMonth:
		return fmt.Sprintf("每年%d月整月", r.Month)
	case Announced:
		end := Day{2001, time.Month(r.Month), r.Day}.AddDays(r.Days - 1)
		return fmt.Sprintf("每年公布；未公布的年份暂按%d月%d日至%d月%d日", r.Month, r.Day, int(end.Month), end.Day)
	}
	return fmt.Sprintf("规则 %d", r.Kind)
}

func lunarMonthName(m int) string {
	names := [...]string{"", "正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊"}
	if m >= 1 && m <= 12 {
		return names[m]
	}
	return fmt.Sprint(m)
}

func lunarDayName(d int) string {
	digits := [...]string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	switch {
	case d >= 1 && d <= 10:
		return "初" + digits[d]
	case d > 10 && d < 20:
		return "十" + digits[d-10]
	case d == 20:
		return "二十"
	case d > 20 && d < 30:
		return "廿" + digits[d-20]
	case d == 30:
		return "三十"
	}
	return fmt.Sprint(d)
}

func validDay(year, month, day int) (Day, error) {
	d := Day{year, time.Month(month), day}
	if month < 1 || month > 12 || day < 1 || d.AddDays(0) != d {
		return Day{}, fmt.Errorf("%04d-%02d-%02d: no such date", year, month, day)
	}
	return d, nil
}

// wrapTerms names, for the solar terms that lunar-go lists twice in a year's
// table (once for the end of the previous year or start of the next), the
// key of the second entry.
var wrapTerms = map[string]string{
	"大雪": "DA_XUE", "冬至": "DONG_ZHI", "小寒": "XIAO_HAN", "大寒": "DA_HAN",
	"立春": "LI_CHUN", "雨水": "YU_SHUI", "惊蛰": "JING_ZHE",
}

// errNoTerm reports an unknown solar term name.
var errNoTerm = errors.New("not one of the 24 solar terms")

// solarTermDay returns the date, in Beijing time, on which the named solar
// term falls in the Gregorian year. lunar-go's year table runs from the
// previous December's 大雪 to the next March's 惊蛰, so some terms appear
// twice; the entry that lands in year is the one wanted.
func solarTermDay(year int, term string) (d Day, err error) {
	known := false
	for _, t := range calendar.JIE_QI {
		if t == term {
			known = true
		}
	}
	if !known {
		return Day{}, fmt.Errorf("solar term %q: %w", term, errNoTerm)
	}
	defer recoverInto(&err, "solar term "+term)
	days := calendar.NewLunarYear(year).GetJieQiJulianDays()
	for i, name := range calendar.JIE_QI_IN_USE {
		if name != term && name != wrapTerms[term] {
			continue
		}
		s := calendar.NewSolarFromJulianDay(days[i])
		if s.GetYear() == year {
			return Day{s.GetYear(), time.Month(s.GetMonth()), s.GetDay()}, nil
		}
	}
	return Day{}, fmt.Errorf("solar term %s: not found in %d", term, year)
}

// lunarDay returns the Gregorian date in year of the given lunar month and
// day (never a leap month). A date late in a lunar year can fall in January
// of the next Gregorian year, so the previous lunar year is tried too.
func lunarDay(year, month, day int) (Day, error) {
	if month < 1 || month > 12 || day < 1 || day > 30 {
		return Day{}, fmt.Errorf("lunar %d/%d: out of range", month, day)
	}
	var firstErr error
	for _, ly := range []int{year, year - 1} {
		d, err := lunarToSolar(ly, month, day)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if d.Year == year {
			return d, nil
		}
	}
	if firstErr != nil {
		return Day{}, firstErr
	}
	return Day{}, fmt.Errorf("lunar %d/%d: does not fall in %d", month, day, year)
}

func lunarToSolar(lunarYear, month, day int) (d Day, err error) {
	// lunar-go panics on a day the month does not have (e.g. 30 in a
	// short month); turn that into an error.
	defer recoverInto(&err, fmt.Sprintf("lunar %d/%d/%d", lunarYear, month, day))
	s := calendar.NewLunarFromYmd(lunarYear, month, day).GetSolar()
	return Day{s.GetYear(), time.Month(s.GetMonth()), s.GetDay()}, nil
}

func recoverInto(err *error, what string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: %v", what, r)
	}
}
