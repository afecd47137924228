package browsertest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	// manyQuery finds many results of several types, so the results page
	// has facets in every group and more than one page.
	manyQuery = "遗嘱"
	// noneQuery finds nothing: Latin letters that are neither pinyin nor
	// a word of the corpus.
	noneQuery = "xqzvkw"
	// portalPath is a page of the test server, outside the site, that
	// stands for the district portal: it shows the /embed/ fragment inside
	// a page of its own, as the portal does.
	portalPath = "/portal/"
)

// portal answers portalPath: a plain host page with the site's /embed/
// fragment inside its main content, fetched from the server's handler.
func (s *builtSite) portal(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	s.server.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, basePath+"embed/", nil))
	if rec.Code != http.StatusOK {
		http.Error(w, fmt.Sprintf("embed: status %d: %s", rec.Code, rec.Body), http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>政务公开 - 区人民政府门户网站</title></head>
<body><header><p>区人民政府门户网站</p></header>
<main><h1>政务公开</h1>
%s
</main>
<footer><p>区人民政府办公室主办</p></footer></body></html>
`, rec.Body.Bytes())
}

var (
	servedOnce  sync.Once
	servedPages []page
	servedErr   error
)

// servedSamples are the pages only the server produces: search results
// (with facets and several pages, filtered on page 2, none found), the
// error page for an empty query, a miss, and the /embed/ fragment inside
// a portal page. The filtered page is found by following the links of
// the results page, as a reader would.
func (s *builtSite) servedSamples(t *testing.T) []page {
	t.Helper()
	servedOnce.Do(func() { servedPages, servedErr = s.discoverServed() })
	if servedErr != nil {
		t.Fatalf("server pages: %v", servedErr)
	}
	return servedPages
}

func (s *builtSite) searchURL(q string) string {
	return s.base + "search/?" + url.Values{"q": {q}}.Encode()
}

var facetCount = regexp.MustCompile(`（(\d+)）`)

func (s *builtSite) discoverServed() ([]page, error) {
	many := s.searchURL(manyQuery)
	doc, _, err := s.fetch(many)
	if err != nil {
		return nil, err
	}
	perPage := len(find(doc, func(n *html.Node) bool { return hasClass(n, "pf-result") }))
	if perPage == 0 {
		return nil, fmt.Errorf("%s: no results", many)
	}
	// The facet that still leaves the most results, as long as they fill
	// more than one page.
	var filter string
	best := 0
	for _, a := range find(doc, func(n *html.Node) bool {
		return n.DataAtom == atom.A && n.Parent != nil && hasClass(n.Parent, "pf-facets__item")
	}) {
		m := facetCount.FindStringSubmatch(textOf(a))
		if m == nil {
			continue
		}
		if n, _ := strconv.Atoi(m[1]); n > perPage && n > best {
			best, filter = n, attr(a, "href")
		}
	}
	if filter == "" {
		return nil, fmt.Errorf("%s: no facet with more than %d results", many, perPage)
	}
	filtered, err := s.resolve(many, filter)
	if err != nil {
		return nil, err
	}
	doc, _, err = s.fetch(filtered)
	if err != nil {
		return nil, err
	}
	next := find(doc, func(n *html.Node) bool { return n.DataAtom == atom.A && attr(n, "rel") == "next" })
	if len(next) != 1 {
		return nil, fmt.Errorf("%s: %d rel=next links, want 1", filtered, len(next))
	}
	page2, err := s.resolve(filtered, attr(next[0], "href"))
	if err != nil {
		return nil, err
	}
	return []page{
		{kind: "search/results", url: many, status: http.StatusOK, want: ".pf-result"},
		{kind: "search/filtered-page-2", url: page2, status: http.StatusOK, want: ".pf-facets__item--active"},
		{kind: "search/no-results", url: s.searchURL(noneQuery), status: http.StatusOK, want: ".pf-search-results__empty"},
		{kind: "search/empty-query", url: s.searchURL(""), status: http.StatusBadRequest, want: ".pf-search-results__error"},
		{kind: "404", url: s.base + "news/2099/no-such-page/", status: http.StatusNotFound, want: ".pf-title"},
		{kind: "embed", url: s.origin + portalPath, status: http.StatusOK, want: ".pf-embed__item"},
	}, nil
}

// resolve turns a link on the page at from into an absolute URL on the
// test server.
func (s *builtSite) resolve(from, ref string) (string, error) {
	b, err := url.Parse(from)
	if err != nil {
		return "", err
	}
	u, err := b.Parse(ref)
	if err != nil {
		return "", fmt.Errorf("link %q on %s: %w", ref, from, err)
	}
	if !strings.HasPrefix(u.String(), s.base) {
		return "", fmt.Errorf("link %q on %s leaves the site", ref, from)
	}
	return u.String(), nil
}

// fetch GETs a page of the test server, following redirects, and parses it.
func (s *builtSite) fetch(u string) (*html.Node, *http.Response, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, nil, fmt.Errorf("get %s: %w", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", u, err)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return nil, nil, fmt.Errorf("parse %s: %w", u, err)
	}
	return doc, resp, nil
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

func byClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool { return hasClass(n, class) }
}

// sweep is what the browser tests check: one built page of every type,
// with the server's own pages in place of the built ones of the same type
// (the server's 404 is the built 404.html, answered with status 404).
func (s *builtSite) sweep(t *testing.T) []page {
	t.Helper()
	served := s.servedSamples(t)
	var out []page
	for _, p := range s.samples(t) {
		if !slices.ContainsFunc(served, func(q page) bool { return q.kind == p.kind }) {
			out = append(out, p)
		}
	}
	return append(out, served...)
}

// servedChecks are what each page of the server must show, besides the
// promises of every themed page.
var servedChecks = map[string]func(s *builtSite, doc *html.Node) error{
	"search/results": func(s *builtSite, doc *html.Node) error {
		sec := find(doc, byClass("pf-search-results"))
		if len(sec) != 1 {
			return fmt.Errorf("%d result sections, want 1", len(sec))
		}
		if !inMain(sec[0]) {
			return fmt.Errorf("the results are not inside <main>")
		}
		h := find(sec[0], func(n *html.Node) bool {
			return n.DataAtom == atom.H2 && attr(n, "id") == attr(sec[0], "aria-labelledby")
		})
		if len(h) != 1 || !strings.Contains(textOf(h[0]), manyQuery) {
			return fmt.Errorf("the results section is not labelled by an h2 naming %q", manyQuery)
		}
		hits := find(sec[0], byClass("pf-result"))
		if len(hits) < 2 {
			return fmt.Errorf("%d results, want several", len(hits))
		}
		for _, hit := range hits {
			if len(find(hit, byAtom(atom.H3))) != 1 || len(find(hit, byClass("pf-result__snippet"))) != 1 {
				return fmt.Errorf("result without an h3 title or a snippet")
			}
		}
		groups := find(doc, byClass("pf-facets__group"))
		if len(groups) < 2 {
			return fmt.Errorf("%d facet groups, want several", len(groups))
		}
		if n := find(doc, byClass("pf-facets")); len(n) != 1 || n[0].DataAtom != atom.Nav || attr(n[0], "aria-label") == "" {
			return fmt.Errorf("the facets are not one labelled <nav>")
		}
		if len(find(doc, func(n *html.Node) bool { return n.DataAtom == atom.A && attr(n, "rel") == "next" })) != 1 {
			return fmt.Errorf("no link to the next page")
		}
		// Every result links to a page the server has.
		for _, hit := range hits {
			a := find(hit, byAtom(atom.A))
			if len(a) == 0 {
				return fmt.Errorf("result without a link")
			}
			u, err := s.resolve(s.base, attr(a[0], "href"))
			if err != nil {
				return err
			}
			resp, err := http.Get(u)
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("result link %s: status %d", u, resp.StatusCode)
			}
		}
		return nil
	},
	"search/filtered-page-2": func(s *builtSite, doc *html.Node) error {
		active := find(doc, byClass("pf-facets__item--active"))
		if len(active) != 1 {
			return fmt.Errorf("%d active facets, want 1", len(active))
		}
		if a := find(active[0], byAtom(atom.A)); len(a) != 1 || attr(a[0], "aria-current") != "true" {
			return fmt.Errorf("the active facet's link has no aria-current")
		}
		pg := find(doc, byClass("pf-pagination"))
		if len(pg) != 1 {
			return fmt.Errorf("%d pagination blocks, want 1", len(pg))
		}
		cur := find(pg[0], func(n *html.Node) bool { return attr(n, "aria-current") == "page" })
		if len(cur) != 1 || !strings.Contains(textOf(cur[0]), "第 2 页") {
			return fmt.Errorf("the pagination does not mark 第 2 页 as the current page")
		}
		if len(find(doc, func(n *html.Node) bool { return n.DataAtom == atom.A && attr(n, "rel") == "prev" })) != 1 {
			return fmt.Errorf("no link to the previous page")
		}
		if len(find(doc, byClass("pf-result"))) == 0 {
			return fmt.Errorf("page 2 has no results")
		}
		return nil
	},
	"search/no-results": func(s *builtSite, doc *html.Node) error {
		if n := len(find(doc, byClass("pf-result"))); n != 0 {
			return fmt.Errorf("%q found %d results, want none", noneQuery, n)
		}
		if e := find(doc, byClass("pf-search-results__empty")); len(e) != 1 || !inMain(e[0]) {
			return fmt.Errorf("no message that nothing was found inside <main>")
		}
		return nil
	},
	"search/empty-query": func(s *builtSite, doc *html.Node) error {
		e := find(doc, byClass("pf-search-results__error"))
		if len(e) != 1 || attr(e[0], "role") != "alert" || !inMain(e[0]) || strings.TrimSpace(textOf(e[0])) == "" {
			return fmt.Errorf("no error message with role=alert inside <main>")
		}
		if len(find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Input && attr(n, "id") == "pf-search-q" })) != 1 {
			return fmt.Errorf("the error page has no search box to try again")
		}
		return nil
	},
	"404": func(s *builtSite, doc *html.Node) error {
		if b := find(doc, byAtom(atom.Body)); len(b) != 1 || pageType([]byte(`<body class="`+attr(b[0], "class")+`">`)) != "404" {
			return fmt.Errorf("the miss is not answered with the theme's 404 page")
		}
		return nil
	},
	"embed": func(s *builtSite, doc *html.Node) error {
		sec := find(doc, byClass("pf-embed"))
		if len(sec) != 1 || attr(sec[0], "lang") != "zh-CN" || attr(sec[0], "aria-label") == "" {
			return fmt.Errorf("no labelled <section class=pf-embed lang=zh-CN>")
		}
		if len(find(sec[0], byClass("pf-embed__item"))) == 0 {
			return fmt.Errorf("the fragment lists nothing")
		}
		for n := range sec[0].Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			if n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.H1 || hasAttr(n, "style") || hasAttr(n, "id") {
				return fmt.Errorf("the fragment has <%s> with %v: it must fit into any page", n.Data, n.Attr)
			}
			// The fragment is shown on another site: relative links
			// would point there.
			if h := attr(n, "href"); n.DataAtom == atom.A && !strings.HasPrefix(h, s.base) {
				return fmt.Errorf("link %q in the fragment is not an absolute URL under %s", h, s.base)
			}
		}
		return nil
	},
}

func inMain(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.Main {
			return true
		}
	}
	return false
}

// TestServedPages fetches the pages only the server produces and checks
// their status, headers and markup: the promises of every themed page and
// what each kind must show.
func TestServedPages(t *testing.T) {
	s := getSite(t)
	for _, p := range s.servedSamples(t) {
		t.Run(p.kind, func(t *testing.T) {
			doc, resp, err := s.fetch(p.url)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != p.status {
				t.Errorf("%s: status %d, want %d", p.url, resp.StatusCode, p.status)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("%s: Content-Type %q", p.url, ct)
			}
			if p.kind != "embed" {
				if resp.Header.Get("Content-Security-Policy") == "" {
					t.Errorf("%s: no Content-Security-Policy", p.url)
				}
				var raw bytes.Buffer
				html.Render(&raw, doc)
				for _, c := range markupChecks {
					if err := c.check(doc, raw.Bytes()); err != nil {
						t.Errorf("%s: %s: %v", p.url, c.name, err)
					}
				}
			}
			if err := servedChecks[p.kind](s, doc); err != nil {
				t.Errorf("%s: %v", p.url, err)
			}
		})
	}
}

// TestServedChecksFail makes sure the checks of the server's pages catch
// what they are for.
func TestServedChecksFail(t *testing.T) {
	s := &builtSite{base: "http://127.0.0.1:1/pufa/"}
	bad := map[string]string{
		"search/results":         `<main><section class="pf-search-results"><h2>x</h2></section></main>`,
		"search/filtered-page-2": `<main><li class="pf-facets__item pf-facets__item--active"><a href="/pufa/search/?q=a">a</a></li></main>`,
		"search/no-results":      `<main><li class="pf-result">x</li></main>`,
		"search/empty-query":     `<main><p class="pf-search-results__error">请输入搜索词</p></main>`,
		"404":                    `<body class="pf-body pf-kind-home"><main></main></body>`,
		"embed":                  `<section class="pf-embed" lang="zh-CN" aria-label="x"><ul><li class="pf-embed__item"><a href="/pufa/x/">x</a></li></ul></section>`,
	}
	for kind, check := range servedChecks {
		src, ok := bad[kind]
		if !ok {
			t.Errorf("no failing example for %q", kind)
			continue
		}
		doc, err := html.Parse(strings.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		if err := check(s, doc); err == nil {
			t.Errorf("check %q passed %s", kind, src)
		}
	}
}
