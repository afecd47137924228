package indexer

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/gorilla/feeds"
)

// Feed file names, written beside each page that has a feed.
const (
	FeedRSS  = "index.xml"
	FeedAtom = "atom.xml"
	FeedJSON = "feed.json"
)

// FeedOptions control feed output.
type FeedOptions struct {
	// Limit is the number of items per feed; 0 means 50.
	Limit int
	// Summary puts only the summary in items instead of the full HTML.
	Summary bool
	// Author names the publisher when a page names no source.
	Author string
}

// feedSections are the sections that get their own feeds.
var feedSections = []string{"campaigns", "news", "laws", "changes", "catalog"}

// WriteFeeds writes RSS 2.0, Atom 1.0 and JSON Feed files for the whole
// site, each feed section and each taxonomy term into publicDir, and
// returns the site-relative URLs of the RSS files written.
func WriteFeeds(m *Manifest, publicDir string, opts FeedOptions) ([]string, error) {
	return writeFeeds(m, &publisher{public: publicDir}, opts)
}

func writeFeeds(m *Manifest, pub *publisher, opts FeedOptions) ([]string, error) {
	if opts.Limit <= 0 {
		opts.Limit = 50
	}
	if opts.Author == "" {
		opts.Author = m.Site.Title
	}
	prefix, err := BasePath(m.Site.BaseURL)
	if err != nil {
		return nil, err
	}
	var items []*Page
	for i := range m.Pages {
		p := &m.Pages[i]
		if p.Kind == "page" && !p.Draft && p.Date != nil && kindOf(p) != "" {
			items = append(items, p)
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		if !items[i].Date.Equal(*items[j].Date) {
			return items[i].Date.After(*items[j].Date)
		}
		return items[i].URL < items[j].URL
	})
	var written []string
	write := func(owner *Page, title, desc string, pick func(*Page) bool) error {
		var sel []*Page
		for _, p := range items {
			if pick(p) {
				sel = append(sel, p)
				if len(sel) == opts.Limit {
					break
				}
			}
		}
		f := newFeed(owner, title, desc, sel, opts)
		dir := strings.Trim(strings.TrimPrefix(owner.URL, prefix), "/")
		// Hugo's URLs are percent-encoded (Chinese term names); its files
		// are not. Write beside the page's file, where the server finds it.
		if dec, err := url.PathUnescape(dir); err == nil {
			dir = dec
		}
		var names []string
		for _, name := range []string{FeedRSS, FeedAtom, FeedJSON} {
			names = append(names, path.Join(dir, name))
		}
		err := pub.publish(names, feedKey(f), func() error {
			return writeFeedFiles(f, filepath.Join(pub.public, filepath.FromSlash(dir)))
		})
		if err != nil {
			return fmt.Errorf("feed %s: %w", owner.URL, err)
		}
		written = append(written, owner.URL+FeedRSS)
		return nil
	}
	for i := range m.Pages {
		p := &m.Pages[i]
		switch p.Kind {
		case "home":
			if err := write(p, m.Site.Title, "", func(*Page) bool { return true }); err != nil {
				return nil, err
			}
		case "section":
			if !contains(feedSections, p.Section) {
				continue
			}
			sec := p.Section
			if err := write(p, p.Title+" - "+m.Site.Title, "", func(q *Page) bool { return q.Section == sec }); err != nil {
				return nil, err
			}
		case "term":
			tax, term := p.Type, p.Title
			if p.Term != "" {
				term = p.Term
			}
			if err := write(p, p.Title+" - "+m.Site.Title, "", func(q *Page) bool {
				for _, v := range q.Taxonomies[tax] {
					if strings.EqualFold(v, term) {
						return true
					}
				}
				return false
			}); err != nil {
				return nil, err
			}
		}
	}
	sort.Strings(written)
	return written, nil
}

func newFeed(owner *Page, title, desc string, pages []*Page, opts FeedOptions) *feeds.Feed {
	f := &feeds.Feed{
		Title:       clean(title),
		Link:        &feeds.Link{Href: owner.Permalink},
		Description: clean(desc),
		Author:      &feeds.Author{Name: clean(opts.Author)},
		Id:          owner.Permalink,
	}
	if f.Description == "" {
		f.Description = f.Title
	}
	for _, p := range pages {
		author := p.Params.Source
		if author == "" {
			author = opts.Author
		}
		it := &feeds.Item{
			Title:       clean(p.Title),
			Link:        &feeds.Link{Href: p.Permalink},
			Author:      &feeds.Author{Name: clean(author)},
			Description: clean(p.Summary),
			Id:          p.Permalink,
			IsPermaLink: "true",
			Created:     p.Date.In(shanghai),
		}
		if p.Lastmod != nil && p.Lastmod.After(*p.Date) {
			it.Updated = p.Lastmod.In(shanghai)
		}
		if !opts.Summary && p.Content != "" {
			it.Content = clean(p.Content)
		}
		f.Items = append(f.Items, it)
		if it.Created.After(f.Updated) {
			f.Updated = it.Created
		}
		if it.Updated.After(f.Updated) {
			f.Updated = it.Updated
		}
	}
	return f
}

// feedKey identifies what a feed's files are written from: every field
// of the feed and of its items that the encoders read.
func feedKey(f *feeds.Feed) string {
	h := newKey()
	link := func(l *feeds.Link) string {
		if l == nil {
			return ""
		}
		return l.Href
	}
	author := func(a *feeds.Author) string {
		if a == nil {
			return ""
		}
		return a.Name + "\x00" + a.Email
	}
	h.add(f.Title, link(f.Link), f.Description, author(f.Author), f.Id, f.Subtitle, f.Copyright)
	h.time(f.Created, f.Updated)
	for _, it := range f.Items {
		h.add(it.Title, link(it.Link), author(it.Author), it.Description, it.Id, it.IsPermaLink, it.Content)
		h.time(it.Created, it.Updated)
	}
	return h.sum()
}

func writeFeedFiles(f *feeds.Feed, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	for _, out := range []struct {
		name  string
		write func() error
	}{
		{FeedRSS, func() error { return f.WriteRss(&buf) }},
		{FeedAtom, func() error { return f.WriteAtom(&buf) }},
		{FeedJSON, func() error { return f.WriteJSON(&buf) }},
	} {
		buf.Reset()
		if err := out.write(); err != nil {
			return fmt.Errorf("%s: %w", out.name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, out.name), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// clean drops characters that XML 1.0 forbids (one of them makes an RSS
// file unreadable) and invalid UTF-8. Escaping is left to the encoder.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if !xmlChar(r) {
			ok = false
			break
		}
	}
	if ok && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r != utf8.RuneError && xmlChar(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// BasePath returns the path part of baseURL, e.g. "/pufa/", or "/": the
// prefix of every URL in a manifest built with it.
func BasePath(baseURL string) (string, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return "", fmt.Errorf("base URL %q: %w", baseURL, err)
	}
	p := path.Clean("/" + u.Path)
	if p != "/" {
		p += "/"
	}
	return p, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
