package browsertest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageBudget is the most a page may transfer before images: its HTML plus
// the stylesheet and script it loads, each gzip-compressed.
const pageBudget = 60 * 1024

func gzipSize(b []byte) int {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Len()
}

// TestPageWeight measures every HTML page of the build and names the
// heaviest one.
func TestPageWeight(t *testing.T) {
	s := getSite(t)
	assets := map[string]int{} // URL path → gzip size
	assetSize := func(ref string) (int, error) {
		if n, ok := assets[ref]; ok {
			return n, nil
		}
		u, err := url.Parse(ref)
		if err != nil {
			return 0, err
		}
		rel, ok := strings.CutPrefix(u.Path, basePath)
		if !ok {
			return 0, fmt.Errorf("%s is outside %s", ref, basePath)
		}
		b, err := os.ReadFile(filepath.Join(s.public, filepath.FromSlash(rel)))
		if err != nil {
			return 0, err
		}
		assets[ref] = gzipSize(b)
		return assets[ref], nil
	}
	var heaviest string
	max, total, n := 0, 0, 0
	for _, p := range s.pages {
		b, err := os.ReadFile(filepath.Join(s.public, filepath.FromSlash(p.file)))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := html.Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", p.file, err)
		}
		weight := gzipSize(b)
		for n := range doc.Descendants() {
			var ref string
			switch {
			case n.DataAtom == atom.Link && attr(n, "rel") == "stylesheet":
				ref = attr(n, "href")
			case n.DataAtom == atom.Script && attr(n, "src") != "":
				ref = attr(n, "src")
			default:
				continue
			}
			sz, err := assetSize(ref)
			if err != nil {
				t.Errorf("%s: asset %s: %v", p.file, ref, err)
				continue
			}
			weight += sz
		}
		if weight > pageBudget {
			t.Errorf("%s: %d bytes gzip (HTML+CSS+JS), over the budget of %d", p.file, weight, pageBudget)
		}
		if weight > max {
			max, heaviest = weight, p.file
		}
		total += weight
		n++
	}
	if n == 0 {
		t.Fatal("the build has no HTML pages")
	}
	t.Logf("%d pages; heaviest %s: %.1f KB gzip (budget %d KB); mean %.1f KB", n, heaviest, float64(max)/1024, pageBudget/1024, float64(total)/float64(n)/1024)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func hasClass(n *html.Node, class string) bool {
	return strings.Contains(" "+attr(n, "class")+" ", " "+class+" ")
}

func find(doc *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
	}
	return out
}

func byAtom(a atom.Atom) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.DataAtom == a }
}

// markupCheck is one promise every themed page keeps.
type markupCheck struct {
	name  string
	check func(doc *html.Node, raw []byte) error
}

var markupChecks = []markupCheck{
	{"lang", func(doc *html.Node, _ []byte) error {
		h := find(doc, byAtom(atom.Html))
		if len(h) != 1 || attr(h[0], "lang") != "zh-CN" {
			return fmt.Errorf(`want <html lang="zh-CN">`)
		}
		return nil
	}},
	{"one h1", func(doc *html.Node, _ []byte) error {
		if n := len(find(doc, byAtom(atom.H1))); n != 1 {
			return fmt.Errorf("%d h1 elements, want 1", n)
		}
		return nil
	}},
	{"landmarks", func(doc *html.Node, _ []byte) error {
		for _, a := range []atom.Atom{atom.Header, atom.Nav, atom.Main, atom.Footer} {
			if len(find(doc, byAtom(a))) == 0 {
				return fmt.Errorf("no <%s>", a)
			}
		}
		if n := len(find(doc, byAtom(atom.Main))); n != 1 {
			return fmt.Errorf("%d <main> elements, want 1", n)
		}
		return nil
	}},
	{"skip link first", func(doc *html.Node, _ []byte) error {
		links := find(doc, byAtom(atom.A))
		if len(links) == 0 || !hasClass(links[0], "pf-skip") || attr(links[0], "href") != "#pf-main" {
			return fmt.Errorf("the first link is not the skip link to #pf-main")
		}
		if len(find(doc, func(n *html.Node) bool { return attr(n, "id") == "pf-main" && n.DataAtom == atom.Main })) != 1 {
			return fmt.Errorf("no <main id=pf-main>")
		}
		return nil
	}},
	{"header search", func(doc *html.Node, _ []byte) error {
		for _, f := range find(doc, byAtom(atom.Form)) {
			if !hasClass(f, "pf-search--header") {
				continue
			}
			if attr(f, "role") != "search" || attr(f, "method") != "get" || attr(f, "action") != basePath+"search/" {
				return fmt.Errorf("header search form: role=%q method=%q action=%q", attr(f, "role"), attr(f, "method"), attr(f, "action"))
			}
			in := find(f, func(n *html.Node) bool { return n.DataAtom == atom.Input && attr(n, "name") == "q" })
			if len(in) != 1 {
				return fmt.Errorf("header search form has no input name=q")
			}
			id := attr(in[0], "id")
			if len(find(f, func(n *html.Node) bool { return n.DataAtom == atom.Label && attr(n, "for") == id })) != 1 {
				return fmt.Errorf("search input #%s has no label", id)
			}
			if len(find(f, func(n *html.Node) bool { return n.DataAtom == atom.Button && attr(n, "type") == "submit" })) != 1 {
				return fmt.Errorf("header search form has no submit button")
			}
			return nil
		}
		return fmt.Errorf("no header search form")
	}},
	{"reading preferences", func(doc *html.Node, _ []byte) error {
		want := []string{"size=large", "size=normal", "contrast=high", "contrast=normal"}
		for _, w := range want {
			found := find(doc, func(n *html.Node) bool {
				h := attr(n, "href")
				return n.DataAtom == atom.A && strings.HasPrefix(h, basePath+"prefs?") && strings.Contains(h, w) && strings.Contains(h, "return=")
			})
			if len(found) != 1 {
				return fmt.Errorf("want one link to %sprefs?%s&return=…", basePath, w)
			}
		}
		return nil
	}},
	{"feeds in head", func(doc *html.Node, _ []byte) error {
		// Every page links the site's feeds once; sections and terms also
		// link their own, and every feed link stays under the base path.
		site := map[string]string{"application/rss+xml": "index.xml", "application/atom+xml": "atom.xml", "application/feed+json": "feed.json"}
		for typ, file := range site {
			if len(find(doc, func(n *html.Node) bool {
				return n.DataAtom == atom.Link && attr(n, "rel") == "alternate" && attr(n, "type") == typ && attr(n, "href") == basePath+file
			})) != 1 {
				return fmt.Errorf("no <link rel=alternate type=%s href=%s%s>", typ, basePath, file)
			}
		}
		for _, n := range find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Link && attr(n, "rel") == "alternate" }) {
			if !strings.HasPrefix(attr(n, "href"), basePath) {
				return fmt.Errorf("feed link %q is not under %s", attr(n, "href"), basePath)
			}
		}
		return nil
	}},
	{"head metadata", func(doc *html.Node, _ []byte) error {
		if len(find(doc, byAtom(atom.Title))) != 1 {
			return fmt.Errorf("want one <title>")
		}
		if len(find(doc, func(n *html.Node) bool {
			return n.DataAtom == atom.Meta && attr(n, "name") == "description" && attr(n, "content") != ""
		})) != 1 {
			return fmt.Errorf("want one non-empty meta description")
		}
		if len(find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Meta && attr(n, "property") == "og:title" })) != 1 {
			return fmt.Errorf("no og:title")
		}
		return nil
	}},
	{"content security policy", func(doc *html.Node, _ []byte) error {
		for n := range doc.Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			if n.DataAtom == atom.Style {
				return fmt.Errorf("inline <style> element")
			}
			for _, a := range n.Attr {
				if a.Key == "style" {
					return fmt.Errorf("style attribute on <%s>", n.Data)
				}
				if strings.HasPrefix(a.Key, "on") {
					return fmt.Errorf("event handler %s on <%s>", a.Key, n.Data)
				}
				if (a.Key == "href" || a.Key == "src" || a.Key == "action") && strings.HasPrefix(strings.TrimSpace(strings.ToLower(a.Val)), "javascript:") {
					return fmt.Errorf("javascript: URL on <%s>", n.Data)
				}
			}
			if n.DataAtom == atom.Script && attr(n, "src") == "" && attr(n, "type") != "application/ld+json" {
				return fmt.Errorf("inline <script> of type %q", attr(n, "type"))
			}
			if n.DataAtom == atom.Script && attr(n, "src") != "" && attr(n, "integrity") == "" {
				return fmt.Errorf("script %s has no integrity", attr(n, "src"))
			}
			if n.DataAtom == atom.Link && attr(n, "rel") == "stylesheet" && attr(n, "integrity") == "" {
				return fmt.Errorf("stylesheet %s has no integrity", attr(n, "href"))
			}
		}
		return nil
	}},
	{"json-ld", func(doc *html.Node, _ []byte) error {
		for _, s := range find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Script && attr(n, "type") == "application/ld+json" }) {
			if s.FirstChild == nil {
				return fmt.Errorf("empty JSON-LD")
			}
			var v map[string]any
			if err := json.Unmarshal([]byte(s.FirstChild.Data), &v); err != nil {
				return fmt.Errorf("JSON-LD: %v", err)
			}
			if v["@context"] != "https://schema.org" || v["@type"] == nil {
				return fmt.Errorf("JSON-LD without @context or @type: %s", s.FirstChild.Data)
			}
		}
		return nil
	}},
	{"links under the base path", func(doc *html.Node, _ []byte) error {
		for n := range doc.Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			for _, a := range n.Attr {
				if a.Key != "href" && a.Key != "src" && a.Key != "action" {
					continue
				}
				if strings.HasPrefix(a.Val, "/") && !strings.HasPrefix(a.Val, basePath) {
					return fmt.Errorf("<%s %s=%q> ignores the base path %s", n.Data, a.Key, a.Val, basePath)
				}
			}
		}
		return nil
	}},
}

// typeChecks are promises of particular page types.
var typeChecks = map[string][]markupCheck{
	"layout/search": {{"results placeholder in main", func(doc *html.Node, _ []byte) error {
		for _, m := range find(doc, byAtom(atom.Main)) {
			for n := range m.Descendants() {
				if n.Type == html.CommentNode && n.Data == "pufa:results" {
					return nil
				}
			}
		}
		return fmt.Errorf("no <!--pufa:results--> inside <main>")
	}}},
	"section/catalog": {{"downloads", func(doc *html.Node, _ []byte) error {
		for _, f := range []string{"catalog.json", "catalog.csv"} {
			if len(find(doc, func(n *html.Node) bool { return n.DataAtom == atom.A && attr(n, "href") == basePath+f })) == 0 {
				return fmt.Errorf("no link to %s%s", basePath, f)
			}
		}
		if len(find(doc, byAtom(atom.Table))) == 0 {
			return fmt.Errorf("no catalog table")
		}
		return nil
	}}},
	"page/campaigns": {{"calendar link and Event", func(doc *html.Node, raw []byte) error {
		if len(find(doc, func(n *html.Node) bool { return n.DataAtom == atom.A && attr(n, "href") == basePath+"campaigns.ics" })) == 0 {
			return fmt.Errorf("no link to %scampaigns.ics", basePath)
		}
		if !bytes.Contains(raw, []byte(`"@type":"Event"`)) {
			return fmt.Errorf("no Event JSON-LD")
		}
		return nil
	}}},
	"page/laws": {{"Legislation", func(doc *html.Node, raw []byte) error {
		if !bytes.Contains(raw, []byte(`"@type":"Legislation"`)) {
			return fmt.Errorf("no Legislation JSON-LD")
		}
		return nil
	}}},
	"home": {{"GovernmentOrganization", func(doc *html.Node, raw []byte) error {
		if !bytes.Contains(raw, []byte(`"@type":"GovernmentOrganization"`)) {
			return fmt.Errorf("no GovernmentOrganization JSON-LD")
		}
		return nil
	}}},
}

// TestMarkup checks every themed page of the build against the promises
// of the theme.
func TestMarkup(t *testing.T) {
	s := getSite(t)
	seen := map[string]bool{}
	for _, p := range s.pages {
		if p.kind == "" {
			continue
		}
		seen[p.kind] = true
		raw, err := os.ReadFile(filepath.Join(s.public, filepath.FromSlash(p.file)))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := html.Parse(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", p.file, err)
		}
		for _, c := range append(markupChecks[:len(markupChecks):len(markupChecks)], typeChecks[p.kind]...) {
			if err := c.check(doc, raw); err != nil {
				t.Errorf("%s (%s): %s: %v", p.file, p.kind, c.name, err)
			}
		}
	}
	for _, k := range requiredTypes {
		if !seen[k] {
			t.Errorf("the build has no page of type %q", k)
		}
	}
}

// TestMarkupChecksFail makes sure the checks catch what they are for.
func TestMarkupChecksFail(t *testing.T) {
	bad := map[string]string{
		"one h1":                    `<html lang="zh-CN"><body><h1>a</h1><h1>b</h1></body></html>`,
		"content security policy":   `<html lang="zh-CN"><body><p style="color:red">x</p></body></html>`,
		"links under the base path": `<html lang="zh-CN"><body><a href="/search/">x</a></body></html>`,
		"json-ld":                   `<html lang="zh-CN"><head><script type="application/ld+json">{"@type":</script></head></html>`,
		"lang":                      `<html><body></body></html>`,
	}
	for _, c := range markupChecks {
		src, ok := bad[c.name]
		if !ok {
			continue
		}
		doc, err := html.Parse(strings.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.check(doc, []byte(src)); err == nil {
			t.Errorf("check %q passed %s", c.name, src)
		}
		delete(bad, c.name)
	}
	for name := range bad {
		t.Errorf("no check named %q", name)
	}
}

// servedElsewhere are paths under the base path that the theme links to but
// the indexer or the server provides, so they are not in Hugo's output.
var servedElsewhere = map[string]bool{
	"prefs": true, "index.xml": true, "atom.xml": true, "feed.json": true,
	"campaigns.ics": true, "catalog.json": true, "catalog.csv": true,
	"opensearch.xml": true,
}

// TestInternalLinks follows every link, stylesheet and script under the
// base path to a file of the build, and every fragment to an id on the
// page it names (article anchors such as #a1077 included).
func TestInternalLinks(t *testing.T) {
	s := getSite(t)
	ids := map[string]map[string]bool{} // file → ids
	load := func(file string) (*html.Node, error) {
		b, err := os.ReadFile(filepath.Join(s.public, filepath.FromSlash(file)))
		if err != nil {
			return nil, err
		}
		return html.Parse(bytes.NewReader(b))
	}
	idsOf := func(file string) map[string]bool {
		if m, ok := ids[file]; ok {
			return m
		}
		m := map[string]bool{}
		if doc, err := load(file); err == nil {
			for n := range doc.Descendants() {
				if id := attr(n, "id"); n.Type == html.ElementNode && id != "" {
					m[id] = true
				}
			}
		}
		ids[file] = m
		return m
	}
	broken := 0
	for _, p := range s.pages {
		if p.kind == "" {
			continue
		}
		doc, err := load(p.file)
		if err != nil {
			t.Fatal(err)
		}
		for n := range doc.Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			ref := attr(n, "href")
			if n.DataAtom == atom.Script {
				ref = attr(n, "src")
			}
			if ref == "" || (n.DataAtom != atom.A && n.DataAtom != atom.Link && n.DataAtom != atom.Script) {
				continue
			}
			u, err := url.Parse(ref)
			if err != nil {
				t.Errorf("%s: bad URL %q: %v", p.file, ref, err)
				continue
			}
			if u.Scheme != "" || u.Host != "" {
				continue
			}
			file := p.file
			if u.Path != "" {
				rel, ok := strings.CutPrefix(u.Path, basePath)
				if !ok || strings.HasPrefix(rel, strings.TrimPrefix(basePath, "/")) {
					t.Errorf("%s: link %q is not under the base path %s exactly once", p.file, ref, basePath)
					continue
				}
				if servedElsewhere[rel] || (rel == "search/" && u.RawQuery != "") {
					continue
				}
				if rel == "" || strings.HasSuffix(rel, "/") {
					rel += "index.html"
				}
				if _, err := os.Stat(filepath.Join(s.public, filepath.FromSlash(rel))); err != nil {
					t.Errorf("%s: link %q: no such file in the build", p.file, ref)
					broken++
					continue
				}
				file = rel
			}
			if u.Fragment != "" && strings.HasSuffix(file, ".html") && !idsOf(file)[u.Fragment] {
				t.Errorf("%s: link %q: no id %q in %s", p.file, ref, u.Fragment, file)
				broken++
			}
		}
		if broken > 50 {
			t.Fatal("too many broken links; stopping")
		}
	}
}
