package campaign

import (
	"errors"
	"fmt"
	"sort"
)

// Errors the calendar reports; test with errors.Is.
var (
	// ErrYearRange: the year is outside MinYear..MaxYear.
	ErrYearRange = fmt.Errorf("out of range %d–%d", MinYear, MaxYear)
	// ErrNotObserved: the festival did not exist yet in that year.
	ErrNotObserved = errors.New("not yet observed")
	// ErrUnknownFestival: no festival has that key or name.
	ErrUnknownFestival = errors.New("unknown festival")
)

// Occurrence is a festival in one year: its dates and its campaign window.
type Occurrence struct {
	Festival Festival
	Year     int
	// Date is the festival's day, or the first day of its period.
	Date Day
	// Span is the festival itself: one day (Start == End == Date) or the
	// period of a period festival.
	Span Window
	// Window is the campaign window: the data file's entry for the year
	// when there is one, else the festival's default window.
	Window Window
	// Announced is true when Window comes from the data file.
	Announced bool
	// Provisional is true for a festival whose period is announced yearly
	// (Kind Announced) when the year has no entry yet: Span and Window are
	// the rule's fallback and may change.
	Provisional bool
	// Source names the notice of an announced window.
	Source string
}

// Calendar computes occurrences using the rules and the data file.
type Calendar struct {
	windows map[string]Announcement // by "key year"
}

// New returns a calendar with the announced windows of d; d may be nil.
func New(d *Data) *Calendar {
	c := &Calendar{windows: map[string]Announcement{}}
	if d != nil {
		for _, a := range d.Windows {
			c.windows[fmt.Sprintf("%s %d", a.Festival, a.Year)] = a
		}
	}
	return c
}

// Occurrence returns f in year.
func (c *Calendar) Occurrence(f Festival, year int) (Occurrence, error) {
	span, err := f.Span(year)
	if err != nil {
		return Occurrence{}, err
	}
	o := Occurrence{Festival: f, Year: year, Span: span}
	if a, ok := c.windows[fmt.Sprintf("%s %d", f.Key, year)]; ok {
		o.Window, o.Announced, o.Source = a.Window, true, a.Source
		if f.IsPeriod() {
			o.Span = a.Window
		}
	} else {
		o.Window = f.DefaultWindow(span)
		o.Provisional = f.Rule.Kind == Announced
	}
	o.Date = o.Span.Start
	return o, nil
}

// Lookup returns the occurrence in year of the festival with the given key
// or name.
func (c *Calendar) Lookup(keyOrName string, year int) (Occurrence, error) {
	f, ok := Lookup(keyOrName)
	if !ok {
		return Occurrence{}, fmt.Errorf("%q: %w", keyOrName, ErrUnknownFestival)
	}
	return c.Occurrence(f, year)
}

// Year returns every festival observed in year, sorted by date (then by
// table order). Festivals not yet observed that year are left out.
func (c *Calendar) Year(year int) ([]Occurrence, error) {
	if year < MinYear || year > MaxYear {
		return nil, fmt.Errorf("year %d: %w", year, ErrYearRange)
	}
	var out []Occurrence
	for _, f := range Festivals() {
		o, err := c.Occurrence(f, year)
		if errors.Is(err, ErrNotObserved) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out, nil
}

// Year returns the occurrences of year by rule alone, without a data file.
func Year(year int) ([]Occurrence, error) { return New(nil).Year(year) }
