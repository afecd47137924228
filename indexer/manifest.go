package indexer

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// ManifestFile is the name Hugo gives the manifest in its output
// (see themes/pufa/layouts/home.manifest.json).
const ManifestFile = "pufa-manifest.json"

// Manifest mirrors the JSON that Hugo writes with the "manifest" output
// format: every rendered page and the facts later stages need. Hugo owns
// URLs, titles, dates and taxonomies; nothing here is re-derived.
type Manifest struct {
	Generator string    `json:"generator"`
	Site      SiteInfo  `json:"site"`
	Built     time.Time `json:"built"`
	Pages     []Page    `json:"pages"`
}

// SiteInfo describes the site as configured in Hugo.
type SiteInfo struct {
	Title    string `json:"title"`
	BaseURL  string `json:"baseURL"`
	Language string `json:"language"`
}

// Page is one page Hugo rendered.
type Page struct {
	URL         string     `json:"url"`
	Permalink   string     `json:"permalink"`
	Kind        string     `json:"kind"` // home, section, page, taxonomy, term
	Section     string     `json:"section"`
	Type        string     `json:"type"`
	Title       string     `json:"title"`
	File        string     `json:"file,omitempty"`
	Draft       bool       `json:"draft,omitempty"`
	Date        *time.Time `json:"date,omitempty"`
	Lastmod     *time.Time `json:"lastmod,omitempty"`
	PublishDate *time.Time `json:"publishDate,omitempty"`
	ExpiryDate  *time.Time `json:"expiryDate,omitempty"`
	Summary     string     `json:"summary,omitempty"`
	Plain       string     `json:"plain,omitempty"`
	// Content is the rendered HTML of a page outside the law library.
	Content    string              `json:"content,omitempty"`
	Taxonomies map[string][]string `json:"taxonomies,omitempty"`
	Term       string              `json:"term,omitempty"`
	Params     Params              `json:"params,omitempty"`
	Refs       Refs                `json:"refs,omitempty"`
	Articles   []Article           `json:"articles,omitempty"`
}

// Params are the content-model fields the indexer, feeds and open data use.
type Params struct {
	Source         string            `json:"source,omitempty"`
	Status         string            `json:"status,omitempty"`
	Law            string            `json:"law,omitempty"`
	LawSource      string            `json:"lawSource,omitempty"`
	LawStatus      string            `json:"lawStatus,omitempty"`
	Reviewed       string            `json:"reviewed,omitempty"`
	ReviewInterval json.Number       `json:"reviewInterval,omitempty"`
	Festival       json.RawMessage   `json:"festival,omitempty"`
	Year           json.Number       `json:"year,omitempty"`
	EventDate      string            `json:"eventDate,omitempty"`
	Window         *Window           `json:"window,omitempty"`
	Events         []Event           `json:"events,omitempty"`
	Campaigns      []json.RawMessage `json:"campaigns,omitempty"`
	Subtitle       string            `json:"subtitle,omitempty"`
	LawKey         string            `json:"lawKey,omitempty"`
	Issuer         string            `json:"issuer,omitempty"`
	Passed         string            `json:"passed,omitempty"`
	Effective      string            `json:"effective,omitempty"`
	Version        string            `json:"version,omitempty"`
	SourceFile     string            `json:"sourceFile,omitempty"`
	ArticleCount   json.Number       `json:"articleCount,omitempty"`
	Series         string            `json:"series,omitempty"`
	Change         string            `json:"change,omitempty"`
}

// Window is a campaign's date range (inclusive), as YYYY-MM-DD strings.
type Window struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Event is an offline event of a campaign.
type Event struct {
	Title   string    `json:"title"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Place   string    `json:"place"`
	Address string    `json:"address,omitempty"`
}

// Ref is a link to another page, resolved by Hugo.
type Ref struct {
	URL   string `json:"url"`
	Title string `json:"title"`
}

// Refs are a page's resolved references to other pages.
type Refs struct {
	LawRef       *Ref  `json:"lawRef,omitempty"`
	SupersededBy *Ref  `json:"supersededBy,omitempty"`
	Laws         []Ref `json:"laws,omitempty"`
	Catalog      []Ref `json:"catalog,omitempty"`
}

// Article is one article (第…条) of a law page.
type Article struct {
	Anchor  string `json:"anchor"`  // e.g. a1136, a10-1
	Number  string `json:"number"`  // e.g. 第一千一百三十六条
	Heading string `json:"heading"` // the enclosing chapter or section heading
	Text    string `json:"text"`
}

// ReadManifest reads and decodes the manifest at path.
func ReadManifest(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("decode manifest %s: %w", path, err)
	}
	if m.Generator != "pufa" {
		return nil, fmt.Errorf("decode manifest %s: not a pufa manifest (generator %q)", path, m.Generator)
	}
	return &m, nil
}

// StringOf renders a scalar front-matter value (a string or a number) as text.
func StringOf(raw json.RawMessage) string {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String()
	}
	return ""
}
