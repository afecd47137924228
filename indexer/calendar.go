package indexer

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// CampaignsICS is the calendar of every campaign, in the web root; each
// year also gets campaigns-YYYY.ics.
const CampaignsICS = "campaigns.ics"

// CampaignEvents turns the campaign pages of m into calendar events: one
// all-day event spanning each campaign's window, and one timed event for
// each of its offline events.
func CampaignEvents(m *Manifest) ([]CalendarEvent, error) {
	var evs []CalendarEvent
	for i := range m.Pages {
		p := &m.Pages[i]
		if p.Kind != "page" || p.Section != "campaigns" || p.Draft {
			continue
		}
		var updated time.Time
		if p.Lastmod != nil {
			updated = *p.Lastmod
		} else if p.Date != nil {
			updated = *p.Date
		}
		start, end := p.Params.EventDate, p.Params.EventDate
		if w := p.Params.Window; w != nil && w.Start != "" && w.End != "" {
			start, end = w.Start, w.End
		}
		if start == "" {
			return nil, fmt.Errorf("calendar: %s: campaign has neither window nor eventDate", p.File)
		}
		s, err := time.ParseInLocation("2006-01-02", start, shanghai)
		if err != nil {
			return nil, fmt.Errorf("calendar: %s: window: %w", p.File, err)
		}
		e, err := time.ParseInLocation("2006-01-02", end, shanghai)
		if err != nil {
			return nil, fmt.Errorf("calendar: %s: window: %w", p.File, err)
		}
		desc := p.Summary
		if p.Params.EventDate != "" {
			desc = "活动日：" + p.Params.EventDate + "\n" + desc
		}
		evs = append(evs, CalendarEvent{
			UID: p.Permalink, Summary: p.Title, Description: desc, URL: p.Permalink,
			Start: s, End: e, AllDay: true, Updated: updated,
		})
		for j, ev := range p.Params.Events {
			loc := ev.Place
			if ev.Address != "" {
				loc += "（" + ev.Address + "）"
			}
			evs = append(evs, CalendarEvent{
				UID:     p.Permalink + "#event-" + strconv.Itoa(j+1),
				Summary: ev.Title, Description: p.Title, Location: loc, URL: p.Permalink,
				Start: ev.Start.In(shanghai), End: ev.End.In(shanghai), Updated: updated,
			})
		}
	}
	return evs, nil
}

// WriteCalendars writes campaigns.ics and one campaigns-YYYY.ics per year
// into publicDir, and returns the file names written.
func WriteCalendars(m *Manifest, publicDir string) ([]string, error) {
	evs, err := CampaignEvents(m)
	if err != nil {
		return nil, err
	}
	byYear := map[int][]CalendarEvent{}
	for _, e := range evs {
		y := e.Start.In(shanghai).Year()
		byYear[y] = append(byYear[y], e)
	}
	name := strings.TrimSpace(m.Site.Title + " 普法活动")
	files := []string{CampaignsICS}
	if err := writeICSFile(filepath.Join(publicDir, CampaignsICS), name, evs); err != nil {
		return nil, err
	}
	var years []int
	for y := range byYear {
		years = append(years, y)
	}
	sort.Ints(years)
	for _, y := range years {
		f := fmt.Sprintf("campaigns-%d.ics", y)
		if err := writeICSFile(filepath.Join(publicDir, f), fmt.Sprintf("%s %d年", name, y), byYear[y]); err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

func writeICSFile(path, name string, evs []CalendarEvent) error {
	var buf bytes.Buffer
	if err := WriteICS(&buf, name, evs); err != nil {
		return fmt.Errorf("calendar %s: %w", filepath.Base(path), err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	return nil
}
