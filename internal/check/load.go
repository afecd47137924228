package check

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// page is one content page, its front matter parsed.
type page struct {
	rel     string // content-relative slash path, e.g. "catalog/minzheng.md"
	file    string // path shown in diagnostics
	section string // first folder under content, "" for root pages
	branch  bool   // an _index.md (section or taxonomy list page)
	split   Split
	// fm is the front-matter mapping; nil when the front matter is
	// missing or does not parse.
	fm *yaml.Node
	// keys maps each lower-cased key (Hugo's keys are case-insensitive)
	// to its key and value nodes.
	keys map[string]entry
	// body is nil for imported law pages, whose bodies are not checked.
	body []byte
	// diags are the problems found in the page. Pages are read
	// concurrently, so each collects its own.
	diags []Diagnostic
}

type entry struct{ key, val *yaml.Node }

// line converts a front-matter node's line into a file line.
func (p *page) line(n *yaml.Node) int {
	if n == nil || n.Line == 0 {
		return p.top()
	}
	return p.split.FirstLine - 1 + n.Line
}

// top is the line reported for a missing key: the opening delimiter.
func (p *page) top() int {
	if p.split.Open > 0 {
		return p.split.Open
	}
	return 1
}

// get returns the key and value nodes of the named field, aliases resolved.
func (p *page) get(name string) (key, val *yaml.Node, ok bool) {
	e, ok := p.keys[strings.ToLower(name)]
	if !ok {
		return nil, nil, false
	}
	return e.key, deref(e.val), true
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// checker holds the state of one run.
type checker struct {
	opts  Options
	now   time.Time
	today time.Time // midnight of now's date in Asia/Shanghai, as UTC

	pages  []*page
	byRel  map[string]*page // content pages by content-relative path
	files  map[string]bool  // every file under content, content-relative
	dirs   map[string]bool  // every folder under content
	static map[string]bool  // files of the static folders, URL paths
	urls   map[string]bool  // URL paths of pages, lower-cased, with a trailing slash

	vocab   *vocab
	cal     Calendar
	anchors map[string]map[string]bool // law page → article anchors, read on demand

	diags []Diagnostic
}

func newChecker(opts Options) *checker {
	abs := func(p string) string {
		if p == "" {
			return ""
		}
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return p
	}
	opts.ContentDir = abs(opts.ContentDir)
	opts.SiteDir = abs(opts.SiteDir)
	opts.BaseDir = abs(opts.BaseDir)
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.In(shanghai)
	y, m, d := now.Date()
	return &checker{
		opts:    opts,
		now:     now,
		today:   time.Date(y, m, d, 0, 0, 0, 0, time.UTC),
		byRel:   map[string]*page{},
		files:   map[string]bool{},
		dirs:    map[string]bool{},
		static:  map[string]bool{},
		urls:    map[string]bool{},
		anchors: map[string]map[string]bool{},
		cal:     opts.Calendar,
	}
}

// shanghai is the bureau's time zone; a fixed +08:00 zone where the
// system has no zone database (China has had no daylight saving since 1991).
var shanghai = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}()

func (c *checker) add(p *page, line int, field string, sev Severity, format string, args ...any) {
	p.diags = append(p.diags, Diagnostic{File: p.file, Line: line, Field: field, Message: fmt.Sprintf(format, args...), Severity: sev})
}

func (c *checker) errorf(p *page, n *yaml.Node, field, format string, args ...any) {
	c.add(p, p.line(n), field, Error, format, args...)
}

func (c *checker) warnf(p *page, n *yaml.Node, field, format string, args ...any) {
	c.add(p, p.line(n), field, Warning, format, args...)
}

// isPage reports whether a content file is a Markdown page.
func isPage(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".md" || ext == ".markdown"
}

// ignored reports whether Hugo skips a file or folder: dot files and
// editor backups.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") || strings.HasPrefix(name, "#")
}

// load walks the content folder, reads every page's front matter (and the
// body of every page but imported laws) and indexes files, folders and
// URLs. Pages are read by a few goroutines: the work is mostly waiting
// for the file system.
func (c *checker) load() error {
	root := c.opts.ContentDir
	type job struct{ abs, rel string }
	var jobs []job
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("read content: %w", err)
		}
		if p == root {
			return nil
		}
		if ignored(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return fmt.Errorf("read content: %w", err)
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			c.dirs[rel] = true
			return nil
		}
		c.files[rel] = true
		if isPage(rel) {
			jobs = append(jobs, job{p, rel})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("check %s: %w", c.displayPath(root), err)
	}

	c.pages = make([]*page, len(jobs))
	errs := make([]error, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(len(jobs), 2*runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range next {
				c.pages[i], errs[i] = c.readPage(jobs[i].abs, jobs[i].rel)
			}
		})
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("check %s: %w", c.displayPath(root), err)
	}
	for _, p := range c.pages {
		c.byRel[p.rel] = p
	}
	c.indexURLs()
	c.indexStatic()
	return nil
}

// headSize is how much of a law page is read to find its front matter
// (imported front matter is under 3 KB; longer is read in full).
const headSize = 8 << 10

func (c *checker) readPage(abs, rel string) (*page, error) {
	p := &page{rel: rel, file: c.displayPath(abs), branch: path.Base(rel) == "_index.md"}
	if i := strings.IndexByte(rel, '/'); i > 0 {
		p.section = rel[:i]
	}
	// An imported law's body is long and machine-written (its only links
	// are article anchors): read just enough for the front matter.
	law := p.section == "laws" && !p.branch
	var src []byte
	var err error
	if law {
		src, err = readHead(abs, headSize)
	} else {
		src, err = os.ReadFile(abs)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p.file, err)
	}
	truncated := law && len(src) == headSize
	split, err := SplitPage(src)
	var se *SplitError
	if errors.As(err, &se) && truncated {
		// The front matter is longer than the head: read it all.
		if src, err = os.ReadFile(abs); err != nil {
			return nil, fmt.Errorf("read %s: %w", p.file, err)
		}
		truncated = false
		split, err = SplitPage(src)
	}
	if err != nil {
		if errors.As(err, &se) {
			c.add(p, se.Line, "front matter", Error, "%s", se.Msg)
			return p, nil
		}
		return nil, fmt.Errorf("read %s: %w", p.file, err)
	}
	p.split = split
	if split.Format == NoFrontMatter {
		c.add(p, 1, "front matter", Error, "missing: a page starts with front matter between --- lines")
		p.body = split.Body
		return p, nil
	}
	fm, err := ParseFrontMatter(split.Format, split.FrontMatter)
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			line := p.top()
			if pe.Line > 0 {
				line = split.FirstLine - 1 + pe.Line
			}
			c.add(p, line, "front matter", Error, "%s", pe.Msg)
			if !law {
				p.body = split.Body
			}
			return p, nil
		}
		return nil, fmt.Errorf("parse %s: %w", p.file, err)
	}
	p.fm = fm
	p.keys = map[string]entry{}
	for i := 0; i+1 < len(fm.Content); i += 2 {
		k, v := fm.Content[i], fm.Content[i+1]
		if lk := strings.ToLower(k.Value); p.keys[lk].key == nil {
			p.keys[lk] = entry{k, v}
		}
	}
	c.duplicates(p, fm, "")
	switch {
	case !law:
		p.body = split.Body
	case !imported(p):
		// A page written by hand for a law whose text is not imported.
		if truncated {
			if src, err = os.ReadFile(abs); err != nil {
				return nil, fmt.Errorf("read %s: %w", p.file, err)
			}
			if split, err = SplitPage(src); err != nil {
				return nil, fmt.Errorf("read %s: %w", p.file, err)
			}
			p.split = split
		}
		p.body = split.Body
	}
	return p, nil
}

// imported reports whether a law page holds an imported text, whose body
// the importer wrote.
func imported(p *page) bool {
	_, v, ok := p.get("status")
	return ok && (v.Value == "in-force" || v.Value == "superseded" || v.Value == "repealed")
}

// duplicates reports keys set twice in any mapping of the front matter.
// Hugo lower-cases keys, so Date and date are one field, and its YAML
// parser rejects a repeated key.
func (c *checker) duplicates(p *page, n *yaml.Node, prefix string) {
	switch n.Kind {
	case yaml.MappingNode:
		seen := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			lk := strings.ToLower(k.Value)
			if prev, dup := seen[lk]; dup {
				c.errorf(p, k, prefix+k.Value, "duplicate field: already set on line %d (field names are not case-sensitive)", p.line(prev))
			} else {
				seen[lk] = k
			}
			c.duplicates(p, n.Content[i+1], prefix+k.Value+".")
		}
	case yaml.SequenceNode:
		for i, it := range n.Content {
			c.duplicates(p, it, fmt.Sprintf("%s[%d].", strings.TrimSuffix(prefix, "."), i))
		}
	}
}

// readHead reads at most n bytes from the start of a file.
func readHead(name string, n int) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	m, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:m], nil
}

// lawAnchors returns the article anchors ({#a1120 .pf-article}) of a law
// page, reading its body once.
func (c *checker) lawAnchors(rel string) map[string]bool {
	if a, ok := c.anchors[rel]; ok {
		return a
	}
	a := map[string]bool{}
	c.anchors[rel] = a
	src, err := os.ReadFile(c.contentPath(rel))
	if err != nil {
		return a
	}
	for _, l := range bytes.Split(src, []byte("\n")) {
		l = bytes.TrimSpace(l)
		if !bytes.HasPrefix(l, []byte("{#")) {
			continue
		}
		id := l[2:]
		if i := bytes.IndexAny(id, " }"); i >= 0 {
			id = id[:i]
		}
		a[string(id)] = true
	}
	return a
}
