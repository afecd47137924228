package campaign

import (
	"container/list"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/6tail/lunar-go/calendar"
)

// Published dates, from the State Council's holiday notices (清明),
// the China Disabled Persons' Federation (全国助残日) and printed almanacs
// (重阳).
func TestDatePublished(t *testing.T) {
	tests := []struct {
		key   string
		dates map[int]string
	}{
		{"qingming", map[int]string{
			2024: "2024-04-04", 2025: "2025-04-04", 2026: "2026-04-05", 2027: "2027-04-05",
			2028: "2028-04-04", 2029: "2029-04-04", 2030: "2030-04-05",
		}},
		{"chongyang", map[int]string{
			2024: "2024-10-11", 2025: "2025-10-29", 2026: "2026-10-18", 2027: "2027-10-08",
			2028: "2028-10-26", 2029: "2029-10-16", 2030: "2030-10-05",
		}},
		{"zhucanri", map[int]string{
			1991: "1991-05-19", 2024: "2024-05-19", 2025: "2025-05-18", 2026: "2026-05-17",
			2027: "2027-05-16", 2028: "2028-05-21", 2029: "2029-05-20", 2030: "2030-05-19",
		}},
		{"520", map[int]string{2027: "2027-05-20"}},
		{"liuyi", map[int]string{2027: "2027-06-01"}},
		{"minfadian", map[int]string{2027: "2027-05-01"}},
		{"cishan", map[int]string{2027: "2027-09-05"}},
		{"jinglao", map[int]string{2027: "2027-10-01"}},
		{"canjiren", map[int]string{2027: "2027-12-03"}},
		{"xianfa", map[int]string{2027: "2027-12-04"}},
		{"xianfazhou", map[int]string{2027: "2027-12-01"}},
	}
	for _, tt := range tests {
		f, ok := Lookup(tt.key)
		if !ok {
			t.Fatalf("Lookup(%q) not found", tt.key)
		}
		for year, want := range tt.dates {
			got, err := f.Date(year)
			if err != nil {
				t.Errorf("%s.Date(%d): %v", tt.key, year, err)
				continue
			}
			if got.String() != want {
				t.Errorf("%s.Date(%d) = %s, want %s", tt.key, year, got, want)
			}
		}
	}
}

// TestAgainstLunarGo checks every supported year against lunar-go's own
// festival and solar-term tables, a code path independent of the one the
// rules use.
func TestAgainstLunarGo(t *testing.T) {
	for year := MinYear; year <= MaxYear; year++ {
		check := func(key string, has func(s *calendar.Solar) bool) {
			t.Helper()
			f, _ := Lookup(key)
			if f.Since > year {
				return
			}
			d, err := f.Date(year)
			if err != nil {
				t.Fatalf("%s.Date(%d): %v", key, year, err)
			}
			if d.Year != year {
				t.Errorf("%s.Date(%d) = %s: not in the year", key, year, d)
			}
			if !has(calendar.NewSolarFromYmd(d.Year, int(d.Month), d.Day)) {
				t.Errorf("%s.Date(%d) = %s: lunar-go disagrees", key, year, d)
			}
		}
		check("qingming", func(s *calendar.Solar) bool { return s.GetLunar().GetJieQi() == "清明" })
		check("chongyang", func(s *calendar.Solar) bool { return listHas(s.GetLunar().GetFestivals(), "重阳节") })
		check("zhucanri", func(s *calendar.Solar) bool { return listHas(s.GetFestivals(), "全国助残日") })
		check("cishan", func(s *calendar.Solar) bool { return listHas(s.GetOtherFestivals(), "中华慈善日") })
		check("canjiren", func(s *calendar.Solar) bool { return listHas(s.GetOtherFestivals(), "世界残疾人日") })
	}
}

func listHas(l *list.List, want string) bool {
	for e := l.Front(); e != nil; e = e.Next() {
		if e.Value == want {
			return true
		}
	}
	return false
}

func TestSolarTermsAllInYear(t *testing.T) {
	// Each of the 24 terms falls once in every Gregorian year, in order
	// from 小寒 (January) to 冬至 (December).
	order := append(append([]string{}, calendar.JIE_QI[1:]...), calendar.JIE_QI[0])
	for _, year := range []int{MinYear, 1999, 2000, 2024, 2027, 2050, MaxYear} {
		prev := Day{}
		for _, term := range order {
			d, err := solarTermDay(year, term)
			if err != nil {
				t.Fatalf("solarTermDay(%d, %s): %v", year, term, err)
			}
			if d.Year != year || !prev.Before(d) && !prev.IsZero() {
				t.Errorf("solarTermDay(%d, %s) = %s, after %s", year, term, d, prev)
			}
			prev = d
		}
	}
	if _, err := solarTermDay(2027, "春节"); !errors.Is(err, errNoTerm) {
		t.Errorf("solarTermDay(2027, 春节) error = %v, want errNoTerm", err)
	}
}

func TestLunarDay(t *testing.T) {
	tests := []struct {
		year, month, day int
		want             string
	}{
		{2027, 1, 1, "2027-02-06"},  // 春节 2027
		{2026, 1, 1, "2026-02-17"},  // 春节 2026
		{2027, 12, 8, "2027-01-15"}, // 腊八 of lunar 2026 falls in January 2027
		{2025, 8, 15, "2025-10-06"}, // 中秋 2025
	}
	for _, tt := range tests {
		got, err := lunarDay(tt.year, tt.month, tt.day)
		if err != nil || got.String() != tt.want {
			t.Errorf("lunarDay(%d, %d, %d) = %v, %v, want %s", tt.year, tt.month, tt.day, got, err, tt.want)
		}
	}
	// lunar-go panics on day 30 of a 29-day month; find such a month.
	short := 1
	for calendar.NewLunarYear(2025).GetMonth(short).GetDayCount() != 29 {
		short++
	}
	for _, bad := range [][3]int{{2025, short, 30}, {2025, 13, 1}, {2025, 1, 0}} {
		if d, err := lunarDay(bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("lunarDay(%v) = %s, want an error", bad, d)
		}
	}
}

func TestRuleSpan(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		year int
		want string
	}{
		{"third Sunday", Rule{Kind: NthWeekday, Month: 5, Weekday: time.Sunday, N: 3}, 2027, "2027-05-16"},
		{"first Monday", Rule{Kind: NthWeekday, Month: 9, Weekday: time.Monday, N: 1}, 2027, "2027-09-06"},
		{"fifth Sunday", Rule{Kind: NthWeekday, Month: 5, Weekday: time.Sunday, N: 5}, 2027, "2027-05-30"},
		{"whole December", Rule{Kind: WholeMonth, Month: 12}, 2027, "2027-12-01 至 2027-12-31"},
		{"whole February leap", Rule{Kind: WholeMonth, Month: 2}, 2028, "2028-02-01 至 2028-02-29"},
		{"announced fallback", Rule{Kind: Announced, Month: 12, Day: 1, Days: 7}, 2027, "2027-12-01 至 2027-12-07"},
		{"fixed", Rule{Kind: Fixed, Month: 2, Day: 29}, 2028, "2028-02-29"},
	}
	for _, tt := range tests {
		got, err := tt.rule.Span(tt.year)
		if err != nil || got.String() != tt.want {
			t.Errorf("%s: Span(%d) = %v, %v, want %s", tt.name, tt.year, got, err, tt.want)
		}
	}
	bad := []Rule{
		{Kind: NthWeekday, Month: 6, Weekday: time.Sunday, N: 5}, // June 2027 has four Sundays
		{Kind: NthWeekday, Month: 5, Weekday: time.Sunday, N: 0},
		{Kind: Fixed, Month: 2, Day: 29},
		{Kind: Fixed, Month: 13, Day: 1},
		{Kind: WholeMonth, Month: 0},
		{Kind: Announced, Month: 12, Day: 1},
		{Kind: SolarTerm, Term: "清明节"},
		{},
	}
	for _, r := range bad {
		if got, err := r.Span(2027); err == nil {
			t.Errorf("%+v.Span(2027) = %s, want an error", r, got)
		}
	}
}

func TestRuleString(t *testing.T) {
	want := map[string]string{
		"qingming":   "每年清明节气当天",
		"zhucanri":   "每年5月第三个星期日",
		"520":        "每年5月20日",
		"minfadian":  "每年5月整月",
		"chongyang":  "每年农历九月初九",
		"xianfazhou": "每年公布；未公布的年份暂按12月1日至12月7日",
	}
	for key, w := range want {
		f, _ := Lookup(key)
		if got := f.Rule.String(); got != w {
			t.Errorf("%s rule = %q, want %q", key, got, w)
		}
	}
}

func TestYearRange(t *testing.T) {
	for _, f := range Festivals() {
		for _, year := range []int{MinYear - 1, MaxYear + 1, 0, -2027, 20270} {
			if d, err := f.Date(year); !errors.Is(err, ErrYearRange) {
				t.Errorf("%s.Date(%d) = %s, %v, want ErrYearRange", f.Key, year, d, err)
			}
		}
	}
	if _, err := Year(MaxYear + 1); !errors.Is(err, ErrYearRange) {
		t.Errorf("Year(%d) error = %v, want ErrYearRange", MaxYear+1, err)
	}
}

func TestNotObserved(t *testing.T) {
	f, _ := Lookup("xianfa")
	if _, err := f.Date(2013); !errors.Is(err, ErrNotObserved) {
		t.Errorf("xianfa.Date(2013) error = %v, want ErrNotObserved", err)
	}
	occ, err := Year(2015)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range occ {
		if o.Festival.Key == "minfadian" || o.Festival.Key == "xianfazhou" || o.Festival.Key == "cishan" {
			t.Errorf("Year(2015) includes %s, first observed in %d", o.Festival.Key, o.Festival.Since)
		}
	}
}

func TestYear2027(t *testing.T) {
	occ, err := Year(2027)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range occ {
		s := o.Festival.Key + " " + o.Span.String() + " window " + o.Window.String()
		if o.Provisional {
			s += " provisional"
		}
		got = append(got, s)
	}
	want := []string{
		"qingming 2027-04-05 window 2027-03-29 至 2027-04-05",
		"minfadian 2027-05-01 至 2027-05-31 window 2027-05-01 至 2027-05-31",
		"zhucanri 2027-05-16 window 2027-05-09 至 2027-05-16",
		"520 2027-05-20 window 2027-05-13 至 2027-05-20",
		"liuyi 2027-06-01 window 2027-05-25 至 2027-06-01",
		"cishan 2027-09-05 window 2027-08-29 至 2027-09-05",
		"jinglao 2027-10-01 至 2027-10-31 window 2027-10-01 至 2027-10-31",
		"chongyang 2027-10-08 window 2027-10-01 至 2027-10-08",
		"xianfazhou 2027-12-01 至 2027-12-07 window 2027-12-01 至 2027-12-07 provisional",
		"canjiren 2027-12-03 window 2027-11-26 至 2027-12-03",
		"xianfa 2027-12-04 window 2027-11-27 至 2027-12-04",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Year(2027):\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCalendarWithData(t *testing.T) {
	d, err := ParseData("campaigns.yaml", []byte(`windows:
  - festival: xianfazhou
    year: 2022
    start: 2022-12-04
    end: 2022-12-10
    source: 通知
  - festival: 敬老月
    year: 2025
    start: 2025-10-10
    end: 2025-10-31
  - festival: qingming
    year: 2027
    start: 2027-03-20
    end: 2027-04-06
`))
	if err != nil {
		t.Fatal(err)
	}
	c := New(d)
	tests := []struct {
		key         string
		year        int
		date, win   string
		announced   bool
		provisional bool
	}{
		{"xianfazhou", 2022, "2022-12-04", "2022-12-04 至 2022-12-10", true, false},
		{"xianfazhou", 2026, "2026-12-01", "2026-12-01 至 2026-12-07", false, true},
		{"jinglao", 2025, "2025-10-10", "2025-10-10 至 2025-10-31", true, false},
		{"jinglao", 2024, "2024-10-01", "2024-10-01 至 2024-10-31", false, false},
		{"qingming", 2027, "2027-04-05", "2027-03-20 至 2027-04-06", true, false},
	}
	for _, tt := range tests {
		o, err := c.Lookup(tt.key, tt.year)
		if err != nil {
			t.Fatalf("Lookup(%s, %d): %v", tt.key, tt.year, err)
		}
		if o.Date.String() != tt.date || o.Window.String() != tt.win || o.Announced != tt.announced || o.Provisional != tt.provisional {
			t.Errorf("Lookup(%s, %d) = date %s window %s announced %v provisional %v, want %s %s %v %v",
				tt.key, tt.year, o.Date, o.Window, o.Announced, o.Provisional, tt.date, tt.win, tt.announced, tt.provisional)
		}
	}
	if _, err := c.Lookup("春节", 2027); !errors.Is(err, ErrUnknownFestival) {
		t.Errorf("Lookup(春节) error = %v, want ErrUnknownFestival", err)
	}
}

func FuzzDate(f *testing.F) {
	for _, y := range []int{MinYear - 1, MinYear, 1991, 2027, MaxYear, MaxYear + 1, 0, -1, 1 << 40} {
		f.Add(y)
	}
	f.Fuzz(func(t *testing.T, year int) {
		occ, err := Year(year)
		if year < MinYear || year > MaxYear {
			if !errors.Is(err, ErrYearRange) {
				t.Fatalf("Year(%d) error = %v, want ErrYearRange", year, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Year(%d): %v", year, err)
		}
		for i, o := range occ {
			if o.Date.Year != year || !o.Window.Contains(o.Date) || o.Span.End.Before(o.Span.Start) {
				t.Errorf("Year(%d): %s date %s span %s window %s", year, o.Festival.Key, o.Date, o.Span, o.Window)
			}
			if i > 0 && o.Date.Before(occ[i-1].Date) {
				t.Errorf("Year(%d) not sorted at %s", year, o.Festival.Key)
			}
		}
	})
}
