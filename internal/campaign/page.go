package campaign

import (
	_ "embed"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// PublishLead is how long before its window a campaign page is published by
// default: two weeks, so residents see it ahead of the first event.
const PublishLead = 14

// PublishHour is the time of day (Beijing time) of the default publishDate.
const PublishHour = 9

// FrontMatterTime is the layout of times in front matter, always with the
// +08:00 offset.
const FrontMatterTime = "2006-01-02T15:04:05-07:00"

// PagePath returns the content path of o's campaign page, relative to the
// content folder: campaigns/YEAR/KEY.md.
func PagePath(o Occurrence) string {
	return path.Join("campaigns", strconv.Itoa(o.Year), o.Festival.Key+".md")
}

// PublishDate returns the default publication time of o's campaign page:
// PublishLead days before the window starts, at PublishHour in Beijing time.
func PublishDate(o Occurrence) time.Time {
	return o.Window.Start.AddDays(-PublishLead).At(PublishHour, 0)
}

// Title returns the default title of o's campaign page, e.g.
// "2027年清明节文明祭扫与殡葬管理法规宣传".
func Title(o Occurrence) string {
	return fmt.Sprintf("%d年%s", o.Year, o.Festival.Title)
}

//go:embed page.md.tmpl
var pageSource string

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	// q quotes a string for YAML. Go's double-quoted form is valid YAML for
	// everything it produces, and it keeps keys like "520" strings.
	"q": strconv.Quote,
}).Parse(pageSource))

type pageData struct {
	Occurrence
	Title, Rule, Publish, EventStart, EventEnd string
}

// WritePage writes the scaffold of o's campaign page: front matter with the
// computed dates, draft: true, empty lists to fill and one example event,
// every field to fill marked 待填写. It matches site/archetypes/campaign.md,
// which Hugo uses for "hugo new --kind campaign".
func WritePage(w io.Writer, o Occurrence) error {
	data := pageData{
		Occurrence: o,
		Title:      Title(o),
		Rule:       o.Festival.Rule.String(),
		Publish:    PublishDate(o).Format(FrontMatterTime),
		EventStart: o.Date.At(9, 0).Format(FrontMatterTime),
		EventEnd:   o.Date.At(11, 30).Format(FrontMatterTime),
	}
	var b strings.Builder
	if err := pageTemplate.Execute(&b, data); err != nil {
		return fmt.Errorf("campaign page %s: %w", PagePath(o), err)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write campaign page %s: %w", PagePath(o), err)
	}
	return nil
}
