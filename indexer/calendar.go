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

	"github.com/pufa-gov/pufa/internal/campaign"
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
			// The campaign page shows the event under this anchor.
			anchor := p.Permalink + "#event-" + strconv.Itoa(j+1)
			evs = append(evs, CalendarEvent{
				UID:     anchor,
				Summary: ev.Title, Description: p.Title, Location: loc, URL: anchor,
				Start: ev.Start.In(shanghai), End: ev.End.In(shanghai), Updated: updated,
			})
		}
	}
	return evs, nil
}

// FestivalEvents lists, as all-day events, the campaign days of the
// build's year and the next that no published campaign page covers yet,
// computed by the campaign calendar's rules. Subscribers see next year's
// days at once; the campaign page, when published, replaces the entry
// with its window and offline events.
func FestivalEvents(m *Manifest) ([]CalendarEvent, error) {
	covered := map[string]bool{}
	listURL := m.Site.BaseURL
	for i := range m.Pages {
		p := &m.Pages[i]
		if p.Kind == "section" && p.Section == "campaigns" {
			listURL = p.Permalink
		}
		if p.Kind == "page" && p.Section == "campaigns" && !p.Draft {
			covered[StringOf(p.Params.Festival)+"/"+p.Params.Year.String()] = true
		}
	}
	built := m.Built
	if built.IsZero() {
		built = time.Now()
	}
	year := built.In(shanghai).Year()
	cal := campaign.New(nil)
	var evs []CalendarEvent
	for _, y := range []int{year, year + 1} {
		occs, err := cal.Year(y)
		if err != nil {
			return nil, fmt.Errorf("calendar: %w", err)
		}
		for _, o := range occs {
			key := o.Festival.Key
			if covered[key+"/"+strconv.Itoa(y)] {
				continue
			}
			summary := fmt.Sprintf("%d年%s", y, o.Festival.Name)
			desc := o.Festival.Topic + "。具体活动安排将在本站“普法活动”栏目发布。"
			if o.Provisional {
				summary += "（暂定）"
				desc = "日期暂定，以当年通知为准。" + desc
			}
			evs = append(evs, CalendarEvent{
				UID:     fmt.Sprintf("%s#festival-%s-%d", listURL, key, y),
				Summary: summary, Description: desc, URL: listURL,
				Start: o.Span.Start.Time(), End: o.Span.End.Time(), AllDay: true,
				Updated: time.Date(y-1, 12, 1, 0, 0, 0, 0, shanghai),
			})
		}
	}
	return evs, nil
}

// WriteCalendars writes campaigns.ics and one campaigns-YYYY.ics per year
// into publicDir, and returns the file names written.
func WriteCalendars(m *Manifest, publicDir string) ([]string, error) {
	return writeCalendars(m, &publisher{public: publicDir})
}

func writeCalendars(m *Manifest, pub *publisher) ([]string, error) {
	evs, err := CampaignEvents(m)
	if err != nil {
		return nil, err
	}
	days, err := FestivalEvents(m)
	if err != nil {
		return nil, err
	}
	evs = append(evs, days...)
	byYear := map[int][]CalendarEvent{}
	for _, e := range evs {
		y := e.Start.In(shanghai).Year()
		byYear[y] = append(byYear[y], e)
	}
	name := strings.TrimSpace(m.Site.Title + " 普法活动")
	files := []string{CampaignsICS}
	if err := writeICSFile(pub, CampaignsICS, name, evs); err != nil {
		return nil, err
	}
	var years []int
	for y := range byYear {
		years = append(years, y)
	}
	sort.Ints(years)
	for _, y := range years {
		f := fmt.Sprintf("campaigns-%d.ics", y)
		if err := writeICSFile(pub, f, fmt.Sprintf("%s %d年", name, y), byYear[y]); err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// writeICSFile writes the calendar file rel of the web root, unless the
// previous release has it from the same name and events.
func writeICSFile(pub *publisher, rel, name string, evs []CalendarEvent) error {
	key := newKey()
	key.add(name)
	for _, e := range evs {
		key.add(e.UID, e.Summary, e.Description, e.Location, e.URL, strconv.FormatBool(e.AllDay))
		key.time(e.Start, e.End, e.Updated)
	}
	return pub.publish([]string{rel}, key.sum(), func() error {
		var buf bytes.Buffer
		if err := WriteICS(&buf, name, evs); err != nil {
			return fmt.Errorf("calendar %s: %w", rel, err)
		}
		if err := os.WriteFile(filepath.Join(pub.public, rel), buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("calendar: %w", err)
		}
		return nil
	})
}
