package indexer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"
)

// ICSTimezone is the time zone of the campaign calendar feed.
const ICSTimezone = "Asia/Shanghai"

// icsProductID identifies this program in PRODID.
const icsProductID = "-//pufa//campaign calendar//ZH"

// icsLineOctets is the longest content line RFC 5545 (section 3.1) allows,
// in octets, not counting the CRLF.
const icsLineOctets = 75

// CalendarEvent is one event of an iCalendar feed: a campaign window or an
// offline event of a campaign.
type CalendarEvent struct {
	// UID identifies the event across versions of the feed; the caller
	// must keep it stable (e.g. the page URL plus an event index) so that
	// subscribed calendars update the event instead of adding a copy.
	UID         string
	Summary     string
	Description string
	Location    string
	// URL is the absolute address of the page describing the event.
	URL string
	// Start and End bound a timed event. For an all-day event they are
	// the first and last day, both included, taken in Asia/Shanghai;
	// DTEND is written as the day after End, as RFC 5545 requires. A zero
	// End means a one-day all-day event, or a timed event without DTEND.
	Start, End time.Time
	AllDay     bool
	// Updated is when the event last changed. It is written as DTSTAMP
	// and LAST-MODIFIED so the same input always gives the same feed;
	// when zero, DTSTAMP falls back to Start and LAST-MODIFIED is left out.
	Updated time.Time
}

var icsLocation = loadICSLocation()

// loadICSLocation falls back to a fixed UTC+8 zone where the system has no
// time zone database; China has kept UTC+8 all year since 1991.
func loadICSLocation() *time.Location {
	if loc, err := time.LoadLocation(ICSTimezone); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*60*60)
}

// WriteICS writes events as an RFC 5545 calendar named name (X-WR-CALNAME)
// in the Asia/Shanghai time zone, with a VTIMEZONE for it. Events are
// sorted by start and UID, lines end in CRLF and are folded at 75 octets
// without splitting a UTF-8 character, and the output is byte-for-byte the
// same for the same input.
func WriteICS(w io.Writer, name string, events []CalendarEvent) error {
	sorted := append([]CalendarEvent(nil), events...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if !sorted[i].Start.Equal(sorted[j].Start) {
			return sorted[i].Start.Before(sorted[j].Start)
		}
		return sorted[i].UID < sorted[j].UID
	})

	cal := ics.NewCalendar()
	cal.CalendarProperties = nil
	cal.SetProductId(icsProductID)
	cal.SetVersion("2.0")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName(icsText(name))
	cal.SetXWRTimezone(ICSTimezone)

	tz := cal.AddTimezone(ICSTimezone)
	std := tz.AddStandard()
	std.SetProperty(ics.ComponentPropertyDtStart, "19700101T000000")
	std.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0800")
	std.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0800")
	std.SetProperty(ics.ComponentProperty(ics.PropertyTzname), "CST")

	seen := map[string]bool{}
	for i, e := range sorted {
		if err := addICSEvent(cal, e, seen); err != nil {
			return fmt.Errorf("calendar %q: event %d: %w", name, i, err)
		}
	}

	// The library ends lines with the platform's newline (LF on Unix)
	// unless told otherwise. It folds long lines at character boundaries
	// (ical_test.go pins that with long Chinese text).
	var buf bytes.Buffer
	err := cal.SerializeTo(&buf, ics.WithNewLineWindows, ics.WithLineLength(icsLineOctets))
	if err != nil {
		return fmt.Errorf("calendar %q: serialize: %w", name, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("calendar %q: write: %w", name, err)
	}
	return nil
}

func addICSEvent(cal *ics.Calendar, e CalendarEvent, seen map[string]bool) error {
	uid := strings.TrimSpace(e.UID)
	switch {
	case uid == "" || strings.ContainsAny(uid, "\r\n"):
		return errors.New("UID: must be one non-empty line")
	case seen[uid]:
		return fmt.Errorf("UID %q: used twice", uid)
	case e.Start.IsZero():
		return fmt.Errorf("UID %q: Start: missing", uid)
	case !e.End.IsZero() && e.End.Before(e.Start):
		return fmt.Errorf("UID %q: End %s is before Start %s", uid, e.End.Format(time.RFC3339), e.Start.Format(time.RFC3339))
	case strings.ContainsAny(e.URL, "\r\n \t"):
		return fmt.Errorf("UID %q: URL %q: must not contain white space", uid, e.URL)
	}
	seen[uid] = true

	ev := cal.AddEvent(uid)
	stamp := e.Updated
	if stamp.IsZero() {
		stamp = e.Start
	}
	ev.SetDtStampTime(stamp)
	if e.AllDay {
		first := dayStart(e.Start)
		last := first
		if !e.End.IsZero() {
			last = dayStart(e.End)
		}
		ev.SetAllDayStartAt(first)
		ev.SetAllDayEndAt(last.AddDate(0, 0, 1))
		// A campaign window spans days; it should not mark anyone busy.
		ev.SetTimeTransparency(ics.TransparencyTransparent)
	} else {
		ev.SetProperty(ics.ComponentPropertyDtStart, localICSTime(e.Start), ics.WithTZID(ICSTimezone))
		if !e.End.IsZero() {
			ev.SetProperty(ics.ComponentPropertyDtEnd, localICSTime(e.End), ics.WithTZID(ICSTimezone))
		}
	}
	ev.SetSummary(icsText(e.Summary))
	if s := icsText(e.Description); s != "" {
		ev.SetDescription(s)
	}
	if s := icsText(e.Location); s != "" {
		ev.SetLocation(s)
	}
	if e.URL != "" {
		ev.SetURL(e.URL)
	}
	if !e.Updated.IsZero() {
		ev.SetModifiedAt(e.Updated)
	}
	return nil
}

// dayStart returns midnight in Asia/Shanghai of the day t falls on there.
func dayStart(t time.Time) time.Time {
	y, m, d := t.In(icsLocation).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, icsLocation)
}

// localICSTime formats t as a local DATE-TIME in Asia/Shanghai, for use
// with TZID (RFC 5545 section 3.3.5, form #3).
func localICSTime(t time.Time) string {
	return t.In(icsLocation).Format("20060102T150405")
}

// icsText prepares a TEXT value: line breaks become "\n" (the library
// escapes them), and other control characters, which RFC 5545 forbids in
// TEXT, are dropped. Invalid UTF-8 is replaced.
func icsText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
	return strings.TrimSpace(s)
}
