package indexer

import (
	"strings"
	"time"
)

// Kinds of search documents (the "type" of the HTTP contract).
const (
	KindLaw      = "law"
	KindArticle  = "article"
	KindCatalog  = "catalog"
	KindCampaign = "campaign"
	KindNews     = "news"
)

// Kinds lists every document kind, in the order facets show them.
var Kinds = []string{KindLaw, KindArticle, KindCatalog, KindCampaign, KindNews}

// lawLeadArticles is how many of a law's first articles its law-level
// document carries, so a query about the law's purpose finds the law.
const lawLeadArticles = 3

// doc is one search document. Field names match mapping.go.
type doc struct {
	ID         string    `json:"-"`
	Type       string    `json:"type"`
	Title      string    `json:"title"`
	Heading    string    `json:"heading,omitempty"`
	Text       string    `json:"text,omitempty"` // a law article's own text
	Body       string    `json:"body,omitempty"`
	Law        string    `json:"law,omitempty"`
	Article    string    `json:"article,omitempty"`
	URL        string    `json:"url"`
	Date       time.Time `json:"date,omitempty"`
	Status     string    `json:"status,omitempty"`
	Current    string    `json:"current"` // "yes" unless superseded or retired
	Category   []string  `json:"category,omitempty"`
	Department []string  `json:"department,omitempty"`
	Audience   []string  `json:"audience,omitempty"`
	Method     []string  `json:"method,omitempty"`
}

// docsFromManifest turns the pages of a manifest into search documents:
// one per law (metadata and its first articles), one per law article, and
// one per catalog entry, campaign and news or change-log page.
func docsFromManifest(m *Manifest) []doc {
	var docs []doc
	for i := range m.Pages {
		p := &m.Pages[i]
		if p.Kind != "page" || p.Draft {
			continue
		}
		kind := kindOf(p)
		if kind == "" {
			continue
		}
		d := doc{
			ID:         p.URL,
			Type:       kind,
			Title:      p.Title,
			Body:       p.Plain,
			URL:        p.URL,
			Status:     p.Params.Status,
			Current:    currentOf(p),
			Category:   p.Taxonomies["categories"],
			Department: p.Taxonomies["departments"],
			Audience:   p.Taxonomies["audiences"],
			Method:     p.Taxonomies["methods"],
		}
		if p.Date != nil {
			d.Date = *p.Date
		}
		if kind == KindLaw {
			if p.Params.Subtitle != "" {
				d.Title = p.Title + " " + p.Params.Subtitle
			}
			d.Heading = strings.Join(nonEmpty(p.Params.Issuer, p.Params.Status), " ")
			var lead []string
			for j, a := range p.Articles {
				if j == lawLeadArticles {
					break
				}
				lead = append(lead, a.Number+" "+a.Text)
			}
			if len(lead) > 0 {
				d.Body = strings.Join(lead, "\n")
			}
			docs = append(docs, d)
			for _, a := range p.Articles {
				docs = append(docs, doc{
					ID:      p.URL + "#" + a.Anchor,
					Type:    KindArticle,
					Title:   d.Title + " " + a.Number,
					Heading: strings.TrimSpace(a.Number + " " + a.Heading),
					Text:    a.Text,
					Law:     d.Title,
					Article: a.Number,
					URL:     p.URL + "#" + a.Anchor,
					Date:    d.Date,
					Status:  d.Status,
					Current: d.Current,
				})
			}
			continue
		}
		if kind == KindCatalog && p.Params.Law != "" {
			d.Heading = p.Params.Law
		}
		docs = append(docs, d)
	}
	return docs
}

func kindOf(p *Page) string {
	switch p.Section {
	case "laws":
		return KindLaw
	case "catalog":
		return KindCatalog
	case "campaigns":
		return KindCampaign
	case "news", "changes":
		return KindNews
	}
	return ""
}

func currentOf(p *Page) string {
	switch p.Params.Status {
	case "superseded", "retired", "repealed":
		return "no"
	}
	return "yes"
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
