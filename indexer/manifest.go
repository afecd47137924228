package indexer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
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
	// SHA256 is the hex SHA-256 of the manifest file as read.
	SHA256 string `json:"-"`
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
	// Plain is the page's text without markup. For law pages ReadManifest
	// derives it from the rendered HTML, as Hugo's .Plain would.
	Plain string `json:"plain,omitempty"`
	// Content is the rendered HTML of a page outside the law library. Law
	// pages carry theirs in the file only: ReadManifest splits it into
	// Plain and Articles and drops it.
	Content    string              `json:"content,omitempty"`
	Taxonomies map[string][]string `json:"taxonomies,omitempty"`
	Term       string              `json:"term,omitempty"`
	Params     Params              `json:"params,omitempty"`
	Refs       Refs                `json:"refs,omitempty"`
	// Facts is what the theme says of a catalog entry, a campaign or an
	// older or repealed law besides its text, in labelled sentences:
	// departments, methods and audiences; dates, events and places; what
	// replaced a law. The index searches it with the page's text.
	Facts    string    `json:"facts,omitempty"`
	Articles []Article `json:"articles,omitempty"`
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
	RepealedBy   *Ref  `json:"repealedBy,omitempty"`
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

// ReadManifest reads and decodes the manifest at path, and completes its
// law pages (see LawText).
func ReadManifest(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	m, err := decodeManifest(data)
	if err != nil {
		return nil, fmt.Errorf("decode manifest %s: %w", path, err)
	}
	if m.Generator != "pufa" {
		return nil, fmt.Errorf("decode manifest %s: not a pufa manifest (generator %q)", path, m.Generator)
	}
	sum := sha256.Sum256(data)
	m.SHA256 = hex.EncodeToString(sum[:])
	completeLaws(m)
	return m, nil
}

// pagesStart is where the page list begins in the manifest that
// home.manifest.json writes; each page follows on a line of its own.
const pagesStart = "\n\"pages\":[\n"

// decodeManifest decodes a manifest. The one Hugo writes has one page per
// line, so the pages are decoded on every processor; anything else is
// decoded as one JSON value.
func decodeManifest(data []byte) (*Manifest, error) {
	if m, ok := decodeLines(data); ok {
		return m, nil
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// decodeLines decodes a manifest laid out as home.manifest.json writes it,
// and reports false for any other layout.
func decodeLines(data []byte) (*Manifest, bool) {
	i := bytes.Index(data, []byte(pagesStart))
	if i < 0 {
		return nil, false
	}
	var m Manifest
	head := append(bytes.Clone(data[:i+len(pagesStart)-1]), "]}"...)
	if err := json.Unmarshal(head, &m); err != nil || len(m.Pages) > 0 {
		return nil, false
	}
	body := data[i+len(pagesStart):]
	end := bytes.LastIndex(body, []byte("\n]}"))
	if end < 0 || len(bytes.TrimSpace(body[end+3:])) > 0 {
		return nil, false
	}
	lines := bytes.Split(body[:end], []byte("\n"))
	m.Pages = make([]Page, len(lines))
	workers := min(runtime.GOMAXPROCS(0), len(lines))
	var failed atomic.Bool
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := w; j < len(lines) && !failed.Load(); j += workers {
				line := bytes.TrimSuffix(lines[j], []byte(","))
				if err := json.Unmarshal(line, &m.Pages[j]); err != nil {
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	if failed.Load() {
		return nil, false
	}
	return &m, true
}

// completeLaws turns the rendered HTML of every law page into its plain
// text and articles, on all processors: Hugo runs the manifest template
// once for the whole site on one goroutine, where splitting tens of
// thousands of articles took longer than rendering every page of the site.
func completeLaws(m *Manifest) {
	var laws []*Page
	for i := range m.Pages {
		p := &m.Pages[i]
		if p.Section == "laws" && p.Kind == "page" && p.Content != "" {
			laws = append(laws, p)
		}
	}
	work := make(chan *Page)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(laws))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				plain, articles := LawText(p.Content)
				if p.Plain == "" {
					p.Plain = plain
				}
				if p.Articles == nil {
					p.Articles = articles
				}
				p.Content = ""
			}
		}()
	}
	for _, p := range laws {
		work <- p
	}
	close(work)
	wg.Wait()
}

// The markup of a law page's articles, as lawimport writes it and Hugo
// renders it: each article's first paragraph is <p id="aN" class="pf-article">
// beginning with a link to its own anchor; later paragraphs of the article
// follow as plain <p>; chapters and sections are <h2>…<h6>.
const articleStart = `<p id="a`

// LawText splits the rendered HTML of a law page into its plain text (as
// Hugo's .Plain, entities decoded) and its articles in order: each with
// its anchor, number (第…条), enclosing heading and text (its paragraphs
// up to the next article or heading, tags removed, entities decoded).
//
// It does what the manifest template once did with Hugo's split,
// findRESubmatch and plainify: split the HTML at each article's start, an
// article being a chunk that begins ^([0-9]+(-[0-9]+)?)"[^>]*><a
// href="[^"]*">([^<]+)</a> and runs to the next "<h"; a heading being
// ^<h[2-6][^>]*>(.*?)</h[2-6]> on one line.
func LawText(content string) (plain string, articles []Article) {
	plain = html.UnescapeString(stripHTML(content))
	heading := ""
	first := true
	for c := range strings.SplitSeq(content, articleStart) {
		body, rest, _ := strings.Cut(c, "<h")
		if !first {
			if anchor, number, ok := matchArticle(c); ok {
				if i := strings.IndexByte(body, '>'); i >= 0 {
					body = body[i+1:]
				}
				articles = append(articles, Article{
					Anchor:  "a" + anchor,
					Number:  number,
					Heading: heading,
					Text:    strings.TrimSpace(html.UnescapeString(stripHTML(body))),
				})
			}
		}
		first = false
		for rest != "" {
			var part string
			part, rest, _ = strings.Cut(rest, "<h")
			if h, ok := matchHeading(part); ok {
				heading = strings.TrimSpace(html.UnescapeString(stripHTML(h)))
			}
		}
	}
	return plain, articles
}

// matchArticle matches c, the text after `<p id="a`, against
// ^([0-9]+(?:-[0-9]+)?)"[^>]*><a href="[^"]*">([^<]+)</a>.
func matchArticle(c string) (anchor, number string, ok bool) {
	digits := func(i int) int {
		for i < len(c) && c[i] >= '0' && c[i] <= '9' {
			i++
		}
		return i
	}
	i := digits(0)
	if i == 0 {
		return "", "", false
	}
	if i < len(c) && c[i] == '-' {
		j := digits(i + 1)
		if j == i+1 {
			return "", "", false
		}
		i = j
	}
	anchor = c[:i]
	if i == len(c) || c[i] != '"' {
		return "", "", false
	}
	gt := strings.IndexByte(c[i:], '>')
	if gt < 0 {
		return "", "", false
	}
	i += gt + 1
	const href = `<a href="`
	if !strings.HasPrefix(c[i:], href) {
		return "", "", false
	}
	i += len(href)
	q := strings.IndexByte(c[i:], '"')
	if q < 0 || !strings.HasPrefix(c[i+q:], `">`) {
		return "", "", false
	}
	i += q + 2
	lt := strings.IndexByte(c[i:], '<')
	if lt <= 0 || !strings.HasPrefix(c[i+lt:], "</a>") {
		return "", "", false
	}
	return anchor, c[i : i+lt], true
}

// matchHeading matches part, the text after "<h", against
// ^[2-6][^>]*>(.*?)</h[2-6]> where . does not match a newline.
func matchHeading(part string) (string, bool) {
	if part == "" || part[0] < '2' || part[0] > '6' {
		return "", false
	}
	gt := strings.IndexByte(part, '>')
	if gt < 0 {
		return "", false
	}
	rest := part[gt+1:]
	if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
		rest = rest[:nl]
	}
	for k := 0; ; {
		j := strings.Index(rest[k:], "</h")
		if j < 0 {
			return "", false
		}
		j += k
		if j+4 < len(rest) && rest[j+3] >= '2' && rest[j+3] <= '6' && rest[j+4] == '>' {
			return rest[:j], true
		}
		k = j + 1
	}
}

// stripHTML removes the tags and comments of HTML that Hugo rendered from
// Markdown, the way Hugo's plainify and .Plain do (tpl.StripHTML): a
// paragraph end or a line break becomes a newline, other newlines become
// spaces, and each run of white space keeps only its first character.
// Text in such HTML never holds a bare '<' and attribute values never a
// bare '>', so a tag ends at the first '>'.
func stripHTML(s string) string {
	if !strings.ContainsAny(s, "<>") {
		return s
	}
	valid := utf8.ValidString(s)
	b := make([]byte, 0, len(s))
	wasSpace := false
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			// Most text is Chinese, whose characters are never white
			// space: copy those without decoding them.
			if n := seqLen(c); valid && n > 1 && !maySpace(c) {
				b = append(b, s[i:i+n]...)
				wasSpace = false
				i += n
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			isSpace := unicode.IsSpace(r)
			if !(isSpace && wasSpace) {
				b = utf8.AppendRune(b, r)
			}
			wasSpace = isSpace
			i += size
			continue
		}
		switch {
		case c == '<' && strings.HasPrefix(s[i:], "<!--"):
			end := strings.Index(s[i+4:], "-->")
			if end < 0 {
				return string(b)
			}
			i += 4 + end + 3
			continue
		case c == '<' && isTagStart(s[i+1:]):
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return string(b)
			}
			switch s[i : i+end+1] {
			case "</p>", "<br>", "<br />":
				if !wasSpace {
					b = append(b, '\n')
				}
				wasSpace = true
			}
			i += end + 1
			continue
		case c == '\n':
			c = ' '
		}
		isSpace := c == ' ' || c >= '\t' && c <= '\r'
		if !(isSpace && wasSpace) {
			b = append(b, c)
		}
		wasSpace = isSpace
		i++
	}
	return string(b)
}

// seqLen returns the length of the UTF-8 sequence that lead byte c starts.
func seqLen(c byte) int {
	switch {
	case c >= 0xF0:
		return 4
	case c >= 0xE0:
		return 3
	case c >= 0xC0:
		return 2
	}
	return 1
}

// maySpace reports whether a sequence starting with c may encode a white
// space character above ASCII: U+0085, U+00A0 (C2), U+1680 (E1),
// U+2000–U+205F (E2) or U+3000 (E3).
func maySpace(c byte) bool {
	return c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3
}

// isTagStart reports whether s (the text after a '<') opens or closes an
// element: a letter, or '/' and a letter.
func isTagStart(s string) bool {
	if s != "" && s[0] == '/' {
		s = s[1:]
	}
	return s != "" && (s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z')
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
