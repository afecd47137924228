package check

import (
	"bytes"
	"cmp"
	"io/fs"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
)

// The taxonomies of the site (hugo.toml [taxonomies]); each has a list
// page and a page per term.
var taxonomies = []string{"categories", "departments", "methods", "audiences"}

// routes are URL paths answered by pufa serve or written by the build
// beside Hugo's pages.
var routes = map[string]bool{
	"/search/": true, "/api/search": true, "/opensearch.xml": true, "/healthz": true,
	"/catalog.json": true, "/catalog.csv": true, "/campaigns.ics": true,
	"/sitemap.xml": true, "/robots.txt": true,
}

// urlize lower-cases a path the way Hugo does for URLs (disablePathToLower
// is off) and turns spaces into hyphens.
func urlize(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", "-"))
}

// dirURL normalises a URL path to "/a/b/".
func dirURL(p string) string {
	p = path.Clean("/" + p)
	if p != "/" {
		p += "/"
	}
	return urlize(p)
}

// indexURLs records the URL of every page (from its path, slug, url and
// aliases), of every section folder and of every taxonomy term in use.
//
// This mirrors Hugo's default permalinks only so that a link can be
// checked before Hugo runs; nothing else derives URLs from paths.
func (c *checker) indexURLs() {
	c.urls["/"] = true
	for d := range c.dirs {
		c.urls[dirURL(d)] = true
	}
	for _, t := range taxonomies {
		c.urls["/"+t+"/"] = true
	}
	for _, p := range c.pages {
		dir, base := path.Split(p.rel)
		name := strings.TrimSuffix(base, path.Ext(base))
		var u string
		switch name {
		case "_index", "index":
			u = dirURL(dir)
		default:
			if _, v, ok := p.get("slug"); ok && v.Kind == yamlScalar && v.Value != "" {
				name = v.Value
			}
			u = dirURL(dir + name)
		}
		c.urls[u] = true
		if _, v, ok := p.get("url"); ok && v.Kind == yamlScalar && v.Value != "" {
			c.urls[dirURL(v.Value)] = true
		}
		if _, v, ok := p.get("aliases"); ok {
			for _, a := range items(v) {
				c.urls[dirURL(a.Value)] = true
			}
		}
		for _, t := range taxonomies {
			if _, v, ok := p.get(t); ok {
				for _, term := range items(v) {
					c.urls[dirURL(t+"/"+term.Value)] = true
				}
			}
		}
	}
}

// indexStatic records the files of the site's and the themes' static
// folders by URL path.
func (c *checker) indexStatic() {
	if c.opts.SiteDir == "" {
		return
	}
	dirs := []string{filepath.Join(c.opts.SiteDir, "static")}
	themes, _ := filepath.Glob(filepath.Join(c.opts.SiteDir, "..", "themes", "*", "static"))
	dirs = append(dirs, themes...)
	for _, root := range dirs {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if rel, err := filepath.Rel(root, p); err == nil {
				c.static["/"+filepath.ToSlash(rel)] = true
			}
			return nil
		})
	}
}

// pageAt resolves a content path the way Hugo's GetPage and ref do:
// "laws/x.md", "laws/x", a bundle folder or a section folder. It returns
// the resolved content-relative path ("." for the root), or "" when
// nothing is there.
func (c *checker) pageAt(p string) string {
	p = cleanRel(p)
	switch {
	case c.files[p] && isPage(p):
		return p
	case c.files[p+".md"]:
		return p + ".md"
	case c.files[p+"/index.md"]:
		return p + "/index.md"
	case c.files[p+"/_index.md"]:
		return p + "/_index.md"
	case p == "":
		return "." // the home page
	case c.dirs[p]:
		return p
	}
	return ""
}

// resolveRef resolves a page reference written in page from: first
// relative to from's folder, then from the content root, as Hugo does.
func (c *checker) resolveRef(from *page, ref string) string {
	if !strings.HasPrefix(ref, "/") {
		if r := c.pageAt(path.Join(path.Dir(from.rel), ref)); r != "" {
			return r
		}
	}
	return c.pageAt(ref)
}

// linkTarget reports whether an internal link destination (path part
// only, unescaped) leads somewhere, and the content page it leads to if
// it is one.
func (c *checker) linkTarget(from *page, dest string, image bool) (ok bool, target string) {
	if strings.HasPrefix(dest, "/") {
		// A content path (/laws/x.md, /catalog/x) or the URL of a page.
		if r := c.pageAt(dest); r != "" {
			return true, pageOnly(r)
		}
		if c.files[cleanRel(dest)] || routes[dest] || c.static[dest] {
			return true, ""
		}
		if path.Ext(dest) == "" && c.urls[dirURL(dest)] {
			return true, ""
		}
		// Feeds and calendars the build writes next to section pages.
		switch path.Ext(dest) {
		case ".xml", ".json", ".ics", ".csv":
			if c.urls[dirURL(path.Dir(dest))] {
				return true, ""
			}
		}
		return false, ""
	}
	rel := path.Join(path.Dir(from.rel), dest)
	if r := c.pageAt(rel); r != "" {
		return true, pageOnly(r)
	}
	if c.files[cleanRel(rel)] {
		return true, ""
	}
	if r := c.pageAt(dest); r != "" {
		return true, pageOnly(r)
	}
	if c.files[cleanRel(dest)] || image && c.static["/"+cleanRel(dest)] {
		return true, ""
	}
	return false, ""
}

// pageOnly returns r when it is a page file and "" for a folder.
func pageOnly(r string) string {
	if isPage(r) {
		return r
	}
	return ""
}

// articleAnchorRE matches the anchor of a law article: a1120, a10-1.
var articleAnchorRE = regexp.MustCompile(`^a[0-9]+(?:-[0-9]+)?$`)

var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// checkDest checks one link or image destination found on line of page p.
func (c *checker) checkDest(p *page, line int, field, raw string, image bool) {
	dest := strings.TrimSpace(raw)
	dest = strings.TrimSuffix(strings.TrimPrefix(dest, "<"), ">")
	if dest == "" {
		c.add(p, line, field, Error, "empty link destination")
		return
	}
	if schemeRE.MatchString(dest) || strings.HasPrefix(dest, "//") || strings.Contains(dest, "{{") {
		return
	}
	frag := ""
	if i := strings.IndexByte(dest, '#'); i >= 0 {
		dest, frag = dest[:i], dest[i+1:]
	}
	if i := strings.IndexByte(dest, '?'); i >= 0 {
		dest = dest[:i]
	}
	if dest == "" {
		return // a link within the page
	}
	if u, err := url.PathUnescape(dest); err == nil {
		dest = u
	}
	ok, target := c.linkTarget(p, dest, image)
	if !ok {
		c.add(p, line, field, Error, "dead link %q: no page or file there", strings.TrimSpace(raw))
		return
	}
	c.checkAnchor(p, line, field, raw, target, frag)
}

// checkAnchor checks that an article anchor names an article of the law
// page it points into.
func (c *checker) checkAnchor(p *page, line int, field, raw, target, frag string) {
	if target == "" || frag == "" || !articleAnchorRE.MatchString(frag) || !strings.HasPrefix(target, "laws/") {
		return
	}
	if !c.lawAnchors(target)[frag] {
		c.add(p, line, field, Error, "dead link %q: %s has no article #%s", strings.TrimSpace(raw), target, frag)
	}
}

var (
	// linkRE matches an inline link or image: ![alt](dest "title").
	// The text may hold one level of brackets, as in [![img](x)](y).
	linkRE = regexp.MustCompile(`(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)`)
	// refDefRE matches a link reference definition: [id]: dest.
	refDefRE = regexp.MustCompile(`^ {0,3}\[([^\]]+)\]:\s*(<[^<>]*>|\S+)`)
	// emptyRefImageRE matches a reference-style image with no alt text.
	emptyRefImageRE = regexp.MustCompile(`!\[\s*\]\[[^\]]*\]`)
	// shortcodeRefRE matches Hugo's ref and relref shortcodes.
	shortcodeRefRE = regexp.MustCompile("\\{\\{[<%]-?\\s*(?:rel)?ref\\s+(?:path\\s*=\\s*)?(?:\"([^\"]*)\"|`([^`]*)`|([^\\s\"`>%]+))")
	imgTagRE       = regexp.MustCompile(`(?i)<img\b[^>]*>`)
	altAttrRE      = regexp.MustCompile(`(?i)\salt\s*=`)
	srcAttrRE      = regexp.MustCompile(`(?i)\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`)
	aTagRE         = regexp.MustCompile(`(?i)<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`)
)

// bodyItem is one link-like thing found in a page body.
type bodyItem struct {
	Line int
	Kind string // "link", "image", "ref", "img"
	Dest string
	Alt  string
	// HasAlt is false for an <img> without an alt attribute.
	HasAlt bool
	// Label is the reference of a reference-style image (![alt][label]),
	// whose destination is defined elsewhere.
	Label string
}

// scanBody finds the links, images and ref shortcodes of a Markdown body
// whose first line is line first of the file. Fenced code blocks and code
// spans are skipped.
func scanBody(body []byte, first int) []bodyItem {
	var out []bodyItem
	var fence []byte
	lines := bytes.Split(body, []byte("\n"))
	for i, l := range lines {
		n := first + i
		t := bytes.TrimLeft(l, " ")
		indent := len(l) - len(t)
		if fence != nil {
			if indent < 4 && bytes.HasPrefix(t, fence) && len(bytes.TrimSpace(bytes.TrimLeft(t, string(fence[:1])))) == 0 {
				fence = nil
			}
			continue
		}
		if indent < 4 && (bytes.HasPrefix(t, []byte("```")) || bytes.HasPrefix(t, []byte("~~~"))) {
			k := 0
			for k < len(t) && t[k] == t[0] {
				k++
			}
			fence = t[:k]
			continue
		}
		s := blankCodeSpans(string(l))
		for _, m := range shortcodeRefRE.FindAllStringSubmatchIndex(s, -1) {
			if strings.HasPrefix(strings.TrimLeft(s[m[0]+3:], "- "), "/*") {
				continue // an escaped shortcode, shown as text
			}
			dest := ""
			for g := 2; g < len(m); g += 2 {
				if m[g] >= 0 {
					dest = s[m[g]:m[g+1]]
				}
			}
			out = append(out, bodyItem{Line: n, Kind: "ref", Dest: dest})
		}
		out = appendLinks(out, n, s)
		if m := refDefRE.FindStringSubmatch(s); m != nil {
			out = append(out, bodyItem{Line: n, Kind: "link", Dest: m[2]})
		}
		for _, m := range emptyRefImageRE.FindAllString(s, -1) {
			label := m[strings.LastIndexByte(m, '[')+1 : len(m)-1]
			out = append(out, bodyItem{Line: n, Kind: "image", Label: label, HasAlt: true})
		}
		for _, tag := range imgTagRE.FindAllString(s, -1) {
			it := bodyItem{Line: n, Kind: "img", HasAlt: altAttrRE.MatchString(tag)}
			if m := srcAttrRE.FindStringSubmatch(tag); m != nil {
				it.Dest = m[1] + m[2] + m[3]
			}
			out = append(out, it)
		}
		for _, m := range aTagRE.FindAllStringSubmatch(s, -1) {
			out = append(out, bodyItem{Line: n, Kind: "link", Dest: m[1] + m[2] + m[3]})
		}
	}
	return out
}

// appendLinks adds the inline links and images of s, looking into link
// texts for images.
func appendLinks(out []bodyItem, line int, s string) []bodyItem {
	for _, m := range linkRE.FindAllStringSubmatch(s, -1) {
		if m[1] == "!" {
			out = append(out, bodyItem{Line: line, Kind: "image", Dest: m[3], Alt: m[2], HasAlt: true})
			continue
		}
		out = append(out, bodyItem{Line: line, Kind: "link", Dest: m[3]})
		if strings.Contains(m[2], "](") {
			out = appendLinks(out, line, m[2])
		}
	}
	return out
}

// blankCodeSpans replaces the contents of inline code spans with spaces so
// that examples of link syntax are not taken for links.
func blankCodeSpans(s string) string {
	if !strings.Contains(s, "`") {
		return s
	}
	b := []byte(s)
	for i := 0; i < len(b); {
		if b[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(b) && b[j] == '`' {
			j++
		}
		ticks := j - i
		end := -1
		for k := j; k < len(b); {
			if b[k] != '`' {
				k++
				continue
			}
			e := k
			for e < len(b) && b[e] == '`' {
				e++
			}
			if e-k == ticks {
				end = k
				break
			}
			k = e
		}
		if end < 0 {
			i = j
			continue
		}
		for k := j; k < end; k++ {
			b[k] = ' '
		}
		i = end + ticks
	}
	return string(b)
}

// checkBody checks the links, images and refs of a page body.
func (c *checker) checkBody(p *page) {
	if p.body == nil {
		return
	}
	for _, it := range scanBody(p.body, p.split.BodyLine) {
		switch it.Kind {
		case "ref":
			if it.Dest == "" {
				c.add(p, it.Line, "ref", Error, "ref shortcode without a page path")
				continue
			}
			ref, frag, _ := strings.Cut(it.Dest, "#")
			target := ""
			if ref != "" {
				if target = c.resolveRef(p, ref); target == "" {
					c.add(p, it.Line, "ref", Error, "dead ref %q: no such page under content/", it.Dest)
					continue
				}
			}
			c.checkAnchor(p, it.Line, "ref", it.Dest, target, frag)
		case "link":
			c.checkDest(p, it.Line, "link", it.Dest, false)
		case "image", "img":
			if !it.HasAlt || it.Kind == "image" && strings.TrimFunc(it.Alt, unicode.IsSpace) == "" {
				c.add(p, it.Line, "image", Error, "image %q has no alt text: describe it for readers who cannot see it", cmp.Or(it.Dest, it.Label))
			}
			if it.Dest != "" {
				c.checkDest(p, it.Line, "image", it.Dest, true)
			}
		}
	}
}
