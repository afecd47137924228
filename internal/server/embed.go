package server

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/pufa-gov/pufa/indexer"
)

// embedItem is a campaign or news item offered to the district portal.
type embedItem struct {
	Title     string `json:"title"`
	URL       string `json:"url"`
	Date      string `json:"date,omitempty"`      // news: publish date; campaign: the day
	Start     string `json:"start,omitempty"`     // campaign window start (YYYY-MM-DD)
	End       string `json:"end,omitempty"`       // campaign window end (YYYY-MM-DD)
	Festival  string `json:"festival,omitempty"`  // campaign calendar key
	DaysUntil *int   `json:"daysUntil,omitempty"` // for upcoming campaigns
}

// embedData is what /embed/ shows, computed for the day it is requested.
type embedData struct {
	Today string      `json:"today"`
	Now   []embedItem `json:"now"`
	Next  []embedItem `json:"next"`
	News  []embedItem `json:"news"`
}

// embedSource holds the campaigns and news of a release, read once from
// its manifest; what is current is decided per request.
type embedSource struct {
	campaigns []embedItem
	news      []embedItem
}

func loadEmbed(dir string) (*embedSource, error) {
	m, err := indexer.ReadManifest(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	src := &embedSource{}
	for i := range m.Pages {
		p := &m.Pages[i]
		if p.Kind != "page" || p.Draft {
			continue
		}
		switch p.Section {
		case "campaigns":
			it := embedItem{Title: p.Title, URL: p.Permalink, Date: p.Params.EventDate, Festival: indexer.StringOf(p.Params.Festival)}
			if w := p.Params.Window; w != nil {
				it.Start, it.End = w.Start, w.End
			}
			if it.Start == "" {
				it.Start = it.Date
			}
			if it.End == "" {
				it.End = it.Date
			}
			if it.Start != "" {
				src.campaigns = append(src.campaigns, it)
			}
		case "news":
			if p.Date != nil {
				src.news = append(src.news, embedItem{Title: p.Title, URL: p.Permalink, Date: p.Date.In(shanghai).Format("2006-01-02")})
			}
		}
	}
	sort.SliceStable(src.campaigns, func(i, j int) bool { return src.campaigns[i].Start < src.campaigns[j].Start })
	sort.SliceStable(src.news, func(i, j int) bool { return src.news[i].Date > src.news[j].Date })
	return src, nil
}

// at returns the campaigns running on day (YYYY-MM-DD, Asia/Shanghai),
// the next upcoming ones and the latest news.
func (e *embedSource) at(day time.Time, next, news int) embedData {
	today := day.In(shanghai).Format("2006-01-02")
	d := embedData{Today: today, Now: []embedItem{}, Next: []embedItem{}, News: []embedItem{}}
	for _, c := range e.campaigns {
		switch {
		case c.Start <= today && today <= c.End:
			d.Now = append(d.Now, c)
		case c.Start > today && len(d.Next) < next:
			start, err := time.ParseInLocation("2006-01-02", c.Start, shanghai)
			t0, _ := time.ParseInLocation("2006-01-02", today, shanghai)
			if err == nil {
				n := int(start.Sub(t0).Hours() / 24)
				c.DaysUntil = &n
			}
			d.Next = append(d.Next, c)
		}
	}
	for i := 0; i < len(e.news) && i < news; i++ {
		d.News = append(d.News, e.news[i])
	}
	return d
}

// embed answers /embed/ (an HTML fragment) and /embed/index.json for the
// district portal: current and upcoming campaigns and the latest news, as
// of the moment of the request.
func (s *Server) embed(asJSON bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		l, done, err := s.acquire()
		if err != nil {
			return err
		}
		src := l.embed
		done()
		n := 3
		if v := r.URL.Query().Get("n"); v != "" {
			k, err := strconv.Atoi(v)
			if err != nil || k < 1 || k > 10 {
				return &httpError{status: 400, param: "n", msg: "must be between 1 and 10"}
			}
			n = k
		}
		d := src.at(s.now(), n, n)
		w.Header().Set("Cache-Control", "public, max-age=300")
		if asJSON {
			s.cors(w, r)
			writeJSON(w, http.StatusOK, d)
			return nil
		}
		var b bytes.Buffer
		esc := html.EscapeString
		b.WriteString(`<section class="pf-embed" lang="zh-CN" aria-label="民政普法">`)
		list := func(title string, items []embedItem, meta func(embedItem) string) {
			if len(items) == 0 {
				return
			}
			fmt.Fprintf(&b, `<h2 class="pf-embed__heading">%s</h2><ul class="pf-embed__list">`, esc(title))
			for _, it := range items {
				fmt.Fprintf(&b, `<li class="pf-embed__item"><a href="%s">%s</a> <span class="pf-embed__meta">%s</span></li>`, esc(it.URL), esc(it.Title), esc(meta(it)))
			}
			b.WriteString(`</ul>`)
		}
		list("正在进行的普法活动", d.Now, func(it embedItem) string { return it.Start + " 至 " + it.End })
		list("即将开展的普法活动", d.Next, func(it embedItem) string {
			if it.DaysUntil != nil {
				return fmt.Sprintf("%s 开始（还有 %d 天）", it.Start, *it.DaysUntil)
			}
			return it.Start
		})
		list("最新动态", d.News, func(it embedItem) string { return it.Date })
		b.WriteString(`</section>`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b.Bytes())
		return nil
	}
}
