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
	ID   string `json:"-"`
	Type string `json:"type"`
	// Title is the document's own title: a law's title and part, a
	// page's title. A law article has none of its own; its hit is titled
	// from Law and Article.
	Title string `json:"title,omitempty"`
	// Heading is what the document is filed under: for an article its
	// law, part and chapter (its number begins its text, and is Article);
	// for a law its issuer; for a catalog entry the law it covers.
	Heading string `json:"heading,omitempty"`
	Text    string `json:"text,omitempty"` // a law article's own text
	Body    string `json:"body,omitempty"` // every other document's text
	// Law is an article's law as shown (title and part); Article its
	// number (第一千一百三十六条).
	Law     string `json:"law,omitempty"`
	Article string `json:"article,omitempty"`
	// LawTitle and Part are a law's or an article's official title and
	// part (中华人民共和国民法典, 继承编), File a page's content path: the
	// exact values that best bets name.
	LawTitle string `json:"lawtitle,omitempty"`
	Part     string `json:"part,omitempty"`
	File     string `json:"file,omitempty"`
	URL      string `json:"url"`
	// Date is the page's date in UTC, as RFC 3339 (2026-03-01T01:00:00Z):
	// a keyword, so it sorts as text and is one term, not the sixteen of
	// a Bleve date field.
	Date       string   `json:"date,omitempty"`
	Status     string   `json:"status,omitempty"`
	Current    string   `json:"current"` // "yes" unless superseded or retired
	Category   []string `json:"category,omitempty"`
	Department []string `json:"department,omitempty"`
	Audience   []string `json:"audience,omitempty"`
	Method     []string `json:"method,omitempty"`
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
			File:       p.File,
			Status:     p.Params.Status,
			Current:    currentOf(p),
			Category:   p.Taxonomies["categories"],
			Department: p.Taxonomies["departments"],
			Audience:   p.Taxonomies["audiences"],
			Method:     p.Taxonomies["methods"],
		}
		if p.Date != nil {
			d.Date = p.Date.UTC().Format(time.RFC3339)
		}
		switch kind {
		case KindLaw:
			docs = append(docs, lawDocs(p, d)...)
			continue
		case KindCatalog:
			d.Heading = p.Params.Law
		}
		docs = append(docs, d)
	}
	return docs
}

// lawDocs returns the documents of a law page: the law itself, then one per
// article.
func lawDocs(p *Page, d doc) []doc {
	d.LawTitle = p.Title
	d.Part = p.Params.Subtitle
	d.Title = strings.Join(nonEmpty(p.Title, p.Params.Subtitle), " ")
	d.Heading = p.Params.Issuer
	var lead []string
	for j, a := range p.Articles {
		if j == lawLeadArticles {
			break
		}
		lead = append(lead, a.Text)
	}
	if len(lead) > 0 {
		d.Body = strings.Join(lead, "\n")
	}
	out := make([]doc, 0, 1+len(p.Articles))
	out = append(out, d)
	for _, a := range p.Articles {
		out = append(out, doc{
			ID:       p.URL + "#" + a.Anchor,
			Type:     KindArticle,
			Heading:  strings.Join(nonEmpty(d.Title, a.Heading), " "),
			Text:     a.Text,
			Law:      d.Title,
			Article:  a.Number,
			LawTitle: d.LawTitle,
			Part:     d.Part,
			URL:      p.URL + "#" + a.Anchor,
			Date:     d.Date,
			Status:   d.Status,
			Current:  d.Current,
		})
	}
	return out
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
