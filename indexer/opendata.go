package indexer

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Open-data file names of the responsibility catalog, in the web root.
const (
	CatalogJSON = "catalog.json"
	CatalogCSV  = "catalog.csv"
)

// Catalog is the responsibility catalog (普法责任目录) as open data.
type Catalog struct {
	Updated string         `json:"updated"`
	Entries []CatalogEntry `json:"entries"`
}

// CatalogEntry is one entry of the catalog.
type CatalogEntry struct {
	Law         string   `json:"law"`
	LawURL      string   `json:"lawUrl,omitempty"`
	Category    string   `json:"category"`
	Departments []string `json:"departments"`
	Methods     []string `json:"methods"`
	Audiences   []string `json:"audiences"`
	Campaigns   []string `json:"campaigns,omitempty"`
	Reviewed    string   `json:"reviewed"`
	Interval    int      `json:"reviewIntervalMonths,omitempty"`
	Status      string   `json:"status"`
	URL         string   `json:"url"`
}

// CatalogOf collects the catalog entries of m, ordered by category then law.
func CatalogOf(m *Manifest) Catalog {
	c := Catalog{Entries: []CatalogEntry{}}
	var updated time.Time
	for i := range m.Pages {
		p := &m.Pages[i]
		if p.Kind != "page" || p.Section != "catalog" {
			continue
		}
		e := CatalogEntry{
			Law:         p.Params.Law,
			Category:    first(p.Taxonomies["categories"]),
			Departments: orEmpty(p.Taxonomies["departments"]),
			Methods:     orEmpty(p.Taxonomies["methods"]),
			Audiences:   orEmpty(p.Taxonomies["audiences"]),
			Reviewed:    p.Params.Reviewed,
			Status:      p.Params.Status,
			URL:         p.Permalink,
		}
		if e.Law == "" {
			e.Law = p.Title
		}
		if p.Refs.LawRef != nil {
			e.LawURL = absURL(p.Permalink, p.Refs.LawRef.URL)
		}
		for _, raw := range p.Params.Campaigns {
			e.Campaigns = append(e.Campaigns, StringOf(raw))
		}
		if n, err := p.Params.ReviewInterval.Int64(); err == nil {
			e.Interval = int(n)
		}
		if t, err := time.Parse("2006-01-02", e.Reviewed); err == nil && t.After(updated) {
			updated = t
		}
		c.Entries = append(c.Entries, e)
	}
	sort.SliceStable(c.Entries, func(i, j int) bool {
		a, b := c.Entries[i], c.Entries[j]
		if a.Category != b.Category {
			return a.Category < b.Category
		}
		return a.Law < b.Law
	})
	if !updated.IsZero() {
		c.Updated = updated.Format("2006-01-02")
	}
	return c
}

// WriteCatalog writes catalog.json and catalog.csv (UTF-8 with a header
// row and a byte-order mark so spreadsheet programs read Chinese) into
// publicDir.
func WriteCatalog(m *Manifest, publicDir string) error {
	return writeCatalog(m, &publisher{public: publicDir})
}

func writeCatalog(m *Manifest, pub *publisher) error {
	c := CatalogOf(m)
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	// The JSON holds every field the CSV is made of.
	key := newKey()
	key.add(string(data))
	return pub.publish([]string{CatalogJSON, CatalogCSV}, key.sum(), func() error {
		return writeCatalogFiles(c, data, pub.public)
	})
}

func writeCatalogFiles(c Catalog, data []byte, publicDir string) error {
	if err := os.WriteFile(filepath.Join(publicDir, CatalogJSON), append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.Write([]string{"law", "category", "departments", "methods", "audiences", "reviewed", "status", "url"})
	for _, e := range c.Entries {
		w.Write([]string{
			csvSafe(e.Law), csvSafe(e.Category),
			csvSafe(strings.Join(e.Departments, ";")), csvSafe(strings.Join(e.Methods, ";")),
			csvSafe(strings.Join(e.Audiences, ";")), e.Reviewed, e.Status, e.URL,
		})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("catalog csv: %w", err)
	}
	if err := os.WriteFile(filepath.Join(publicDir, CatalogCSV), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	return nil
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func first(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}

func orEmpty(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// absURL resolves a site-relative URL against a page's permalink.
func absURL(permalink, rel string) string {
	if i := strings.Index(permalink, "://"); i >= 0 {
		if j := strings.IndexByte(permalink[i+3:], '/'); j >= 0 {
			return permalink[:i+3+j] + rel
		}
	}
	return rel
}
