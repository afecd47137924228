package campaign

import (
	"testing"
	"time"
)

func TestParseDay(t *testing.T) {
	tests := []struct {
		in      string
		want    Day
		wantErr bool
	}{
		{"2027-04-05", Day{2027, time.April, 5}, false},
		{"2028-02-29", Day{2028, time.February, 29}, false},
		{"2027-02-29", Day{}, true},
		{"2027-4-5", Day{}, true},
		{"2027/04/05", Day{}, true},
		{"", Day{}, true},
		{"2027-04-05T09:00:00+08:00", Day{}, true},
	}
	for _, tt := range tests {
		got, err := ParseDay(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseDay(%q) = %v, %v, want %v (error %v)", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestDayArithmetic(t *testing.T) {
	d := Day{2027, time.December, 31}
	if got := d.AddDays(1); got != (Day{2028, time.January, 1}) {
		t.Errorf("AddDays(1) = %s", got)
	}
	if got := (Day{2028, time.March, 1}).AddDays(-1); got != (Day{2028, time.February, 29}) {
		t.Errorf("AddDays(-1) = %s", got)
	}
	if got := (Day{2027, time.April, 5}).Weekday(); got != time.Monday {
		t.Errorf("Weekday(2027-04-05) = %s, want Monday", got)
	}
	if n := (Day{2027, time.January, 1}).DaysUntil(Day{2028, time.January, 1}); n != 365 {
		t.Errorf("DaysUntil = %d, want 365", n)
	}
	w := Window{Day{2027, time.May, 1}, Day{2027, time.May, 31}}
	if w.Days() != 31 || !w.Contains(Day{2027, time.May, 31}) || w.Contains(Day{2027, time.June, 1}) {
		t.Errorf("Window %s: Days = %d, Contains wrong", w, w.Days())
	}
}

func TestDayTimeZone(t *testing.T) {
	at := (Day{2027, time.April, 5}).At(9, 0)
	if got := at.Format(time.RFC3339); got != "2027-04-05T09:00:00+08:00" {
		t.Errorf("At(9, 0) = %s", got)
	}
	// 2027-04-04 16:30 UTC is already the 5th in Beijing.
	if got := DayOf(time.Date(2027, 4, 4, 16, 30, 0, 0, time.UTC)); got != (Day{2027, time.April, 5}) {
		t.Errorf("DayOf = %s, want 2027-04-05", got)
	}
	if _, off := time.Date(2027, 7, 1, 0, 0, 0, 0, loadShanghai()).Zone(); off != 8*3600 {
		t.Errorf("Shanghai offset = %d", off)
	}
}
