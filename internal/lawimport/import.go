// Package lawimport writes the Hugo pages of laws (content/laws/*.md) from
// files in the LawRefBook format.
//
// Versions of one law (the same title and subtitle) are grouped: the newest
// gets the plain slug and is in force, older ones get slug-YYYY-MM-DD and
// are marked superseded by it. A law another law repeals, or that the
// status overrides say is repealed, is marked repealed in every version,
// and so is an interpretation of it (see findRepeals). Output depends only
// on the input files and the overrides, so importing twice gives
// byte-identical pages; each page is replaced atomically and only when its
// bytes change.
package lawimport

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/pufa-gov/pufa/internal/lawtext"
)

// Options configure Import.
type Options struct {
	// Into is the folder the pages are written to, normally content/laws.
	Into string
	// Sources are law files or folders (searched recursively for *.md;
	// the _index.md section markers of the library are skipped).
	Sources []string
	// Root is the library folder that sourceFile paths are relative to.
	// Empty means the folder that contains all sources, moved up past
	// section folders (those with an _index.md).
	Root string
	// Overrides correct the status of the newest version of a law, keyed
	// by lawKey; see LoadOverrides.
	Overrides map[string]Override
	// Progress receives progress lines; nil keeps Import quiet.
	Progress io.Writer
}

// Report says what Import did.
type Report struct {
	// Pages are the law pages written or already up to date, by Path.
	Pages []Page
	// Skipped are files that repeat another file's text.
	Skipped []Skipped
	// Errors are the files that could not be imported.
	Errors []FileError
}

// Failed reports whether any file could not be imported.
func (r *Report) Failed() bool { return len(r.Errors) > 0 }

// Written counts the pages whose file was created or changed.
func (r *Report) Written() int {
	n := 0
	for _, p := range r.Pages {
		if p.Written {
			n++
		}
	}
	return n
}

// Page is one imported law version.
type Page struct {
	// Source is the file it was read from and SourceFile that file
	// relative to the library root.
	Source, SourceFile string
	// Path is the page's content path (laws/minfadian-jichengbian.md);
	// File is where it was written.
	Path, File                       string
	Title, Subtitle, Version, Status string
	LawKey                           string
	Articles                         int
	// Written is true when the file was created or changed.
	Written bool
}

// Skipped is a file whose law and version another file already holds with
// the same text (the library files some laws under two subjects).
type Skipped struct {
	Source, DuplicateOf string
}

// FileError is a file that could not be imported, and why.
type FileError struct {
	Path string
	Err  error
}

// Error reads like a compiler's message: path:line: what.
func (e FileError) Error() string {
	// A parse error names the file by its library name; name it by Path.
	var perr *lawtext.Error
	switch {
	case errors.As(e.Err, &perr) && perr.Line > 0:
		return fmt.Sprintf("%s:%d: %v", e.Path, perr.Line, perr.Err)
	case perr != nil:
		return fmt.Sprintf("%s: %v", e.Path, perr.Err)
	}
	return e.Path + ": " + e.Err.Error()
}

func (e FileError) Unwrap() error { return e.Err }

// source is one law file read and parsed.
type source struct {
	file, rel string
	law       *lawtext.Law
	err       error
}

// group holds the versions of one law, newest first.
type group struct {
	title, subtitle string
	slug            string
	versions        []*source
}

// Import reads the sources and writes one page per law version into
// opts.Into. Problems with single files go into the report; the error is
// for failures that stop the whole import, such as an unwritable folder.
func Import(opts Options) (Report, error) {
	var rep Report
	if opts.Into == "" {
		return rep, errors.New("no folder to write the law pages to")
	}
	if err := os.MkdirAll(opts.Into, 0o755); err != nil {
		return rep, fmt.Errorf("law pages folder: %w", err)
	}
	files, errs := collect(opts.Sources)
	rep.Errors = append(rep.Errors, errs...)
	root := opts.Root
	if root == "" {
		root = libraryRoot(opts.Sources)
	}
	progress := newProgress(opts.Progress)

	srcs := make([]*source, len(files))
	parallel(len(files), func(i int) {
		srcs[i] = parse(files[i], root)
		progress.step("reading", len(files))
	})
	progress.done()

	ordered := groupVersions(srcs, &rep)
	for _, g := range ordered {
		g.place(&rep)
	}
	assignSlugs(ordered)
	repeals := findRepeals(ordered, opts.Overrides)
	var pages []*page
	for _, g := range ordered {
		pages = append(pages, g.layout(opts.Overrides, repeals[g])...)
	}
	pages = uniquePaths(pages, &rep)
	writePages(opts.Into, pages, progress, &rep)

	slices.SortFunc(rep.Pages, func(a, b Page) int { return cmp.Compare(a.Path, b.Path) })
	slices.SortFunc(rep.Skipped, func(a, b Skipped) int { return cmp.Compare(a.Source, b.Source) })
	slices.SortFunc(rep.Errors, func(a, b FileError) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Error(), b.Error()))
	})
	return rep, nil
}

// groupVersions groups the parsed files by law (title and subtitle),
// ordered by title; files that did not parse go into the report.
func groupVersions(srcs []*source, rep *Report) []*group {
	groups := map[string]*group{}
	for _, s := range srcs {
		if s.err != nil {
			rep.Errors = append(rep.Errors, FileError{Path: s.file, Err: s.err})
			continue
		}
		key := s.law.Title + "\x00" + s.law.Subtitle
		g := groups[key]
		if g == nil {
			g = &group{title: s.law.Title, subtitle: s.law.Subtitle}
			groups[key] = g
		}
		g.versions = append(g.versions, s)
	}
	ordered := slices.Collect(maps.Values(groups))
	slices.SortFunc(ordered, func(a, b *group) int {
		return cmp.Or(cmp.Compare(a.title, b.title), cmp.Compare(a.subtitle, b.subtitle))
	})
	return ordered
}

// writePages renders and writes the pages, recording each in the report.
func writePages(into string, pages []*page, progress *progress, rep *Report) {
	results := make([]Page, len(pages))
	errs := make([]error, len(pages))
	parallel(len(pages), func(i int) {
		p := pages[i]
		file := filepath.Join(into, p.slug+".md")
		results[i] = Page{
			Source: p.file, SourceFile: p.sourceFile, Path: contentPath(p.slug), File: file,
			Title: p.law.Title, Subtitle: p.law.Subtitle, Version: p.law.Version,
			Status: p.status, LawKey: p.lawKey, Articles: len(p.law.Articles),
		}
		results[i].Written, errs[i] = writeFile(file, render(p))
		progress.step("writing", len(pages))
	})
	progress.done()
	for i, err := range errs {
		if err != nil {
			rep.Errors = append(rep.Errors, FileError{Path: results[i].File, Err: err})
			continue
		}
		rep.Pages = append(rep.Pages, results[i])
	}
}

// place sorts the versions of g newest first and drops, into the report,
// the ones that cannot be placed: a repeated text, a second text of the
// same version, a version without a date among dated ones.
func (g *group) place(rep *Report) {
	slices.SortFunc(g.versions, func(a, b *source) int {
		return cmp.Or(-cmp.Compare(a.law.Version, b.law.Version), cmp.Compare(a.rel, b.rel), cmp.Compare(a.file, b.file))
	})
	kept := g.versions[:0]
	for _, s := range g.versions {
		if n := len(kept); n > 0 {
			prev := kept[n-1]
			switch {
			case s.law.Version == prev.law.Version && sameText(s.law, prev.law):
				rep.Skipped = append(rep.Skipped, Skipped{Source: s.file, DuplicateOf: prev.file})
				continue
			case s.law.Version == prev.law.Version:
				rep.Errors = append(rep.Errors, FileError{Path: s.file, Err: fmt.Errorf(
					"%s has the same title and version (%s) but a different text", prev.rel, versionName(s.law.Version))})
				continue
			case s.law.Version == "":
				rep.Errors = append(rep.Errors, FileError{Path: s.file, Err: fmt.Errorf(
					"no version date to place it among the other versions of %s (name the file %s(YYYY-MM-DD).md)",
					s.law.Title, strings.TrimSuffix(filepath.Base(s.file), ".md"))})
				continue
			}
		}
		kept = append(kept, s)
	}
	g.versions = kept
}

func versionName(v string) string {
	if v == "" {
		return "undated"
	}
	return v
}

// sameText reports whether two parsed files hold the same law text; their
// history lines may differ in what they list.
func sameText(a, b *lawtext.Law) bool {
	if len(a.Articles) != len(b.Articles) || len(a.Blocks) != len(b.Blocks) {
		return false
	}
	for i := range a.Articles {
		x, y := a.Articles[i], b.Articles[i]
		if x.Anchor != y.Anchor || !slices.Equal(x.Paragraphs, y.Paragraphs) {
			return false
		}
	}
	for i := range a.Blocks {
		x, y := a.Blocks[i], b.Blocks[i]
		x.Line, y.Line = 0, 0
		if x.Kind != lawtext.BlockHeading && !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

// assignSlugs gives each group its slug. Laws whose titles sound alike
// (homophones) would share one: the first by title keeps it, the others
// add a digest of their title, so the choice does not depend on file order.
func assignSlugs(groups []*group) {
	taken := map[string]bool{}
	for _, g := range groups {
		s := Slug(g.title, g.subtitle)
		if taken[s] {
			s += "-" + digest(g.title, g.subtitle)[:6]
		}
		taken[s] = true
		g.slug = s
	}
}

// layout returns the pages of g's versions: the newest under the plain
// slug, in force unless overridden, the older ones superseded by it. When
// the law is repealed (rp), every version is, and the older ones still
// name the newest in supersededBy.
func (g *group) layout(overrides map[string]Override, rp *repeal) []*page {
	var out []*page
	o, overridden := overrides[g.slug]
	for i, s := range g.versions {
		p := &page{law: s.law, file: s.file, sourceFile: s.rel, slug: g.slug, lawKey: g.slug, status: StatusInForce}
		if i > 0 {
			p.slug = g.slug + "-" + s.law.Version
		}
		switch {
		case rp != nil:
			p.status, p.repeal = StatusRepealed, rp
			if overridden {
				p.statusNote = o.Note
			}
			switch {
			case i > 0:
				// An older text of a repealed law: its last text
				// superseded it.
				p.supersededBy = contentPath(g.slug)
			case overridden:
				p.supersededBy = o.SupersededBy
			}
		case i == 0 && overridden:
			p.status, p.supersededBy, p.statusNote = o.Status, o.SupersededBy, o.Note
		case i > 0:
			p.status = StatusSuperseded
			p.supersededBy = contentPath(g.slug)
		}
		out = append(out, p)
	}
	return out
}

// uniquePaths drops pages whose path another page already took (a title
// whose slug happens to look like another law's dated slug).
func uniquePaths(pages []*page, rep *Report) []*page {
	seen := map[string]*page{}
	kept := pages[:0]
	for _, p := range pages {
		if q, dup := seen[p.slug]; dup {
			rep.Errors = append(rep.Errors, FileError{Path: p.file, Err: fmt.Errorf(
				"page %s is already taken by %s", contentPath(p.slug), q.sourceFile)})
			continue
		}
		seen[p.slug] = p
		kept = append(kept, p)
	}
	return kept
}

// collect lists the law files of the sources in a stable order.
func collect(sources []string) ([]string, []FileError) {
	var files []string
	var errs []FileError
	seen := map[string]bool{}
	add := func(f string) {
		abs, err := filepath.Abs(f)
		if err != nil {
			abs = f
		}
		if !seen[abs] {
			seen[abs] = true
			files = append(files, f)
		}
	}
	for _, src := range sources {
		info, err := os.Stat(src)
		if err != nil {
			errs = append(errs, FileError{Path: src, Err: err})
			continue
		}
		if !info.IsDir() {
			add(src)
			continue
		}
		err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, FileError{Path: path, Err: err})
				return nil
			}
			if !d.IsDir() && strings.HasSuffix(d.Name(), ".md") && d.Name() != "_index.md" {
				add(path)
			}
			return nil
		})
		if err != nil {
			errs = append(errs, FileError{Path: src, Err: err})
		}
	}
	return files, errs
}

// libraryRoot finds the folder that holds all sources, moved up past the
// library's section folders, which carry an _index.md.
func libraryRoot(sources []string) string {
	common := ""
	for _, src := range sources {
		abs, err := filepath.Abs(src)
		if err != nil {
			continue
		}
		info, err := os.Stat(abs)
		if err != nil {
			continue
		}
		dir := abs
		if !info.IsDir() {
			dir = filepath.Dir(abs)
		}
		if common == "" {
			common = dir
			continue
		}
		for !within(dir, common) {
			common = filepath.Dir(common)
		}
	}
	if common == "" {
		return "."
	}
	for {
		if _, err := os.Stat(filepath.Join(common, "_index.md")); err != nil {
			return common
		}
		parent := filepath.Dir(common)
		if parent == common {
			return common
		}
		common = parent
	}
}

func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func parse(file, root string) *source {
	s := &source{file: file, rel: filepath.ToSlash(filepath.Base(file))}
	if abs, err := filepath.Abs(file); err == nil {
		if rel, err := filepath.Rel(root, abs); err == nil && within(abs, root) {
			s.rel = filepath.ToSlash(rel)
		}
	}
	f, err := os.Open(file)
	if err != nil {
		s.err = err
		return s
	}
	defer f.Close()
	s.law, s.err = lawtext.Parse(f, s.rel)
	return s
}

// parallel calls f(0..n-1) on as many goroutines as there are processors.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// progress writes "reading 12/1078" lines over each other.
type progress struct {
	mu sync.Mutex
	w  io.Writer
	n  int
}

func newProgress(w io.Writer) *progress { return &progress{w: w} }

func (p *progress) step(what string, total int) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	fmt.Fprintf(p.w, "\r%s %d/%d", what, p.n, total)
}

func (p *progress) done() {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n > 0 {
		fmt.Fprintln(p.w)
	}
	p.n = 0
}

// writeFile replaces path with data atomically (a temporary file renamed
// over it) unless it already holds data. It will not replace a page that
// the importer did not write. It reports whether the file changed.
func writeFile(path string, data []byte) (bool, error) {
	old, err := os.ReadFile(path)
	switch {
	case err == nil && bytes.Equal(old, data):
		return false, nil
	case err == nil && !imported(old):
		return false, errors.New("exists and is not an imported law page (no sourceFile field); not replaced")
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return false, err
	}
	dir, base := filepath.Split(path)
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return false, err
	}
	return true, nil
}

// imported reports whether a page was written by the importer: its front
// matter has a sourceFile field.
func imported(page []byte) bool {
	rest, ok := bytes.CutPrefix(page, []byte("---\n"))
	if !ok {
		return false
	}
	fm, _, ok := bytes.Cut(rest, []byte("\n---\n"))
	return ok && (bytes.HasPrefix(fm, []byte("sourceFile:")) || bytes.Contains(fm, []byte("\nsourceFile:")))
}
