package indexer

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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
	// for a law its issuer; for a catalog entry the law it covers; for a
	// campaign its facts: festival, day, window, departments, laws, and
	// each event's time and place (Page.Facts).
	Heading string `json:"heading,omitempty"`
	Text    string `json:"text,omitempty"` // a law article's own text
	// Body is every other document's text, followed by its Page.Facts.
	Body string `json:"body,omitempty"`
	// Law is an article's law as shown (title and part); Article its
	// number (第一千一百三十六条).
	Law     string `json:"law,omitempty"`
	Article string `json:"article,omitempty"`
	// LawTitle and Part are a law's or an article's official title and
	// part (中华人民共和国民法典, 继承编), File a page's content path: the
	// exact values that best bets name. A catalog entry has the title of
	// the law it covers, so a query that names the law finds it too (best
	// bets name laws, articles and pages, never catalog entries by law).
	LawTitle string `json:"lawtitle,omitempty"`
	Part     string `json:"part,omitempty"`
	File     string `json:"file,omitempty"`
	URL      string `json:"url"`
	// Date is the page's date in UTC, as RFC 3339 (2026-03-01T01:00:00Z):
	// a keyword, so it sorts as text and is one term, not the sixteen of
	// a Bleve date field.
	Date string `json:"date,omitempty"`
	// Successor is, for an older text whose version in force the library
	// lacks (the page that replaced it has no text, e.g. status
	// not-imported), the URL of that page: results show it right after
	// the old text (see withSuccessors). Stored, not searched.
	Successor  string   `json:"successor,omitempty"`
	Status     string   `json:"status,omitempty"`
	Current    string   `json:"current"` // see currentOf
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
	laws := map[string]*Page{} // law pages by URL
	for i := range m.Pages {
		if p := &m.Pages[i]; p.Kind == "page" && !p.Draft && p.Section == "laws" {
			laws[p.URL] = p
		}
	}
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
			Body:       strings.Join(nonEmpty(p.Plain, p.Facts), "\n"),
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
			docs = append(docs, lawDocs(p, d, successorOf(p, laws))...)
			continue
		case KindCatalog:
			d.Heading = p.Params.Law
			// The law it covers, by its official title: a query that
			// names the law is about the entry too.
			d.LawTitle = p.Params.Law
			if r := p.Refs.LawRef; r != nil {
				d.LawTitle = r.Title
			}
		case KindCampaign:
			d.Heading = p.Facts
		}
		docs = append(docs, d)
	}
	return docs
}

// successorOf is the law page that replaced p (supersededBy, or
// repealedBy for a repealed law), or nil for a current page.
func successorOf(p *Page, laws map[string]*Page) *Page {
	if currentOf(p) == currentYes {
		return nil
	}
	for _, r := range []*Ref{p.Refs.SupersededBy, p.Refs.RepealedBy} {
		if r != nil && laws[r.URL] != nil && r.URL != p.URL {
			return laws[r.URL]
		}
	}
	return nil
}

// lawDocs returns the documents of a law page: the law itself, then one per
// article. An article of an older version (d.Current superseded) whose
// wording the version that replaced it (next) no longer has is "former"
// (see currentOf): it is what a search for the old wording is after. When
// the library lacks the text of next, the older version is only
// superseded: not the law any more, and no better wording to find.
func lawDocs(p *Page, d doc, next *Page) []doc {
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
		d.Body = strings.Join(append(lead, nonEmpty(p.Facts)...), "\n")
	}
	if next != nil && len(next.Articles) == 0 {
		d.Successor = next.URL
	}
	out := make([]doc, 0, 1+len(p.Articles))
	out = append(out, d)
	var same map[string]bool       // the wordings of next's articles
	var byAnchor map[string]string // and each by its anchor
	if d.Current == currentSuperseded && next != nil && len(next.Articles) > 0 {
		same = make(map[string]bool, len(next.Articles))
		byAnchor = make(map[string]string, len(next.Articles))
		for _, a := range next.Articles {
			w := wording(a)
			same[w] = true
			byAnchor[a.Anchor] = w
		}
	}
	for _, a := range p.Articles {
		current := d.Current
		if same != nil {
			if w := wording(a); !same[w] && !restates(byAnchor[a.Anchor], w) {
				current = currentFormer
			}
		}
		out = append(out, doc{
			ID:        p.URL + "#" + a.Anchor,
			Type:      KindArticle,
			Heading:   strings.Join(nonEmpty(d.Title, a.Heading), " "),
			Text:      a.Text,
			Law:       d.Title,
			Article:   a.Number,
			LawTitle:  d.LawTitle,
			Part:      d.Part,
			URL:       p.URL + "#" + a.Anchor,
			Date:      d.Date,
			Status:    d.Status,
			Current:   current,
			Successor: d.Successor,
		})
	}
	return out
}

// restatedShare is the share of an older article's bigrams that the
// article of the same number in the version in force must have for the
// old one to count as said again, with small changes.
const restatedShare = 0.8

// restates reports whether the wording cur (of an article in force) says
// most of old again: restatedShare of the bigrams of old are in cur.
func restates(cur, old string) bool {
	if cur == "" || old == "" {
		return false
	}
	have := map[string]bool{}
	for g := range bigrams(cur) {
		have[g] = true
	}
	n, in := 0, 0
	for g := range bigrams(old) {
		n++
		if have[g] {
			in++
		}
	}
	return n > 0 && float64(in) >= restatedShare*float64(n)
}

// bigrams yields each pair of adjacent characters of s (s itself when it
// has one).
func bigrams(s string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for i := 0; i < len(s); {
			_, n := utf8.DecodeRuneInString(s[i:])
			j := i + n
			if j == len(s) {
				if i == 0 {
					yield(s)
				}
				return
			}
			_, m := utf8.DecodeRuneInString(s[j:])
			if !yield(s[i : j+m]) {
				return
			}
			i = j
		}
	}
}

// wording is the text of an article without its number, punctuation and
// white space, full-width letters and digits folded: two versions of an
// article that differ only in those say the same.
func wording(a Article) string {
	text := strings.TrimPrefix(a.Text, a.Number)
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range text {
		if r >= '！' && r <= '～' {
			r -= '！' - '!'
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
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

// The values of a document's current field.
const (
	currentYes = "yes"
	// currentSuperseded is an older version of a law, or one of its
	// articles that the version in force says again (a search finds the
	// version in force for it).
	currentSuperseded = "superseded"
	// currentFormer is an article of an older version whose wording the
	// version in force changed or dropped: the only text that has it.
	currentFormer   = "former"
	currentRepealed = "repealed" // a repealed law, in any version
	currentRetired  = "retired"  // a retired catalog entry
)

// currentOf says whether p is current, and if not why: the ranking
// demotes an older version of a law less than a repealed law (see
// notCurrent).
func currentOf(p *Page) string {
	switch p.Params.Status {
	case "superseded":
		return currentSuperseded
	case "repealed":
		return currentRepealed
	case "retired":
		return currentRetired
	}
	return currentYes
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
