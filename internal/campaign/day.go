package campaign

import (
	"fmt"
	"time"
)

// Location returns the time zone of every date in the calendar,
// Asia/Shanghai. Where the system has no time zone database it falls back to
// a fixed UTC+8 zone, which is the same offset for every date since 1991,
// when China last observed daylight saving time.
func Location() *time.Location { return shanghai }

var shanghai = loadShanghai()

func loadShanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*60*60)
}

// Day is a calendar date without a time of day, as printed on a wall
// calendar in China. The zero Day is not a valid date.
type Day struct {
	Year  int
	Month time.Month
	Day   int
}

// DayLayout is the layout of a Day in front matter and data files.
const DayLayout = "2006-01-02"

// DayOf returns the date of t in Asia/Shanghai.
func DayOf(t time.Time) Day {
	y, m, d := t.In(shanghai).Date()
	return Day{y, m, d}
}

// Today returns the current date in Asia/Shanghai.
func Today() Day { return DayOf(time.Now()) }

// ParseDay parses a date written as YYYY-MM-DD. It rejects dates that do not
// exist, such as 2027-02-29.
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(DayLayout, s)
	if err != nil {
		return Day{}, fmt.Errorf("parse date %q: want YYYY-MM-DD", s)
	}
	y, m, d := t.Date()
	return Day{y, m, d}, nil
}

// String formats d as YYYY-MM-DD.
func (d Day) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Day.
func (d Day) IsZero() bool { return d == Day{} }

// Time returns the start of d (midnight) in Asia/Shanghai.
func (d Day) Time() time.Time { return d.At(0, 0) }

// At returns the given time of day on d in Asia/Shanghai.
func (d Day) At(hour, minute int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, shanghai)
}

// AddDays returns the date n days after d (before it when n is negative).
func (d Day) AddDays(n int) Day {
	// Noon UTC keeps the arithmetic clear of any zone transition.
	y, m, dd := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC).Date()
	return Day{y, m, dd}
}

// Weekday returns the day of the week of d.
func (d Day) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// Compare returns -1 if d is before e, +1 if after and 0 if they are equal.
func (d Day) Compare(e Day) int {
	switch {
	case d.Year != e.Year:
		return sign(d.Year - e.Year)
	case d.Month != e.Month:
		return sign(int(d.Month) - int(e.Month))
	default:
		return sign(d.Day - e.Day)
	}
}

// Before reports whether d is earlier than e.
func (d Day) Before(e Day) bool { return d.Compare(e) < 0 }

// After reports whether d is later than e.
func (d Day) After(e Day) bool { return d.Compare(e) > 0 }

// DaysUntil returns the number of days from d to e (negative if e is earlier).
func (d Day) DaysUntil(e Day) int {
	a := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	b := time.Date(e.Year, e.Month, e.Day, 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// Window is an inclusive range of days: a campaign runs from Start to End,
// both days included.
type Window struct {
	Start Day
	End   Day
}

// Contains reports whether d lies within w.
func (w Window) Contains(d Day) bool {
	return !d.Before(w.Start) && !d.After(w.End)
}

// Days returns the number of days in w, counting both ends.
func (w Window) Days() int { return w.Start.DaysUntil(w.End) + 1 }

// String formats w as "START 至 END", or as a single date when it is one day.
func (w Window) String() string {
	if w.Start == w.End {
		return w.Start.String()
	}
	return w.Start.String() + " 至 " + w.End.String()
}
