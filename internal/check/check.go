// Package check validates the site's content against its content model
// before Hugo sees it, and reports problems the way a compiler does:
//
//	content/catalog/minfadian.md:7: departments: must not be empty
//
// It checks that front matter parses, that each section's required fields
// are present and well typed, that taxonomy terms are ones the bureau has
// defined in site/data, that dates carry a UTC offset (scheduled publishing
// depends on it), that campaign dates agree with the campaign calendar, and
// that internal links, article anchors and images in page bodies resolve.
// It checks the search vocabulary in site/data/synonyms.yaml too: entries
// must be well formed, and the law's wording each word stands for should
// occur in the site's law texts.
// It also flags what dynamic management of the responsibility catalog asks
// for: overdue reviews, entries pointing at superseded laws, and a news
// section that has not been updated.
//
// Run is used both by "pufa check" and by the build, so that a build with
// broken content fails with the same file:line: field: message.
package check

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Severity says whether a diagnostic fails the check.
type Severity int

// The severities. An Error fails "pufa check" and the build; a Warning is
// reported but does not.
const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// MarshalText makes a Severity read as "error" or "warning" in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Diagnostic is one problem found in one file.
type Diagnostic struct {
	// File is the file's path, relative to Options.BaseDir when set,
	// with forward slashes.
	File string `json:"file"`
	// Line is the 1-based line of the offending front-matter key or
	// body text; for a missing key, the line of the front matter's
	// opening delimiter.
	Line int `json:"line"`
	// Field names the front-matter field, e.g. "departments" or
	// "events[1].end", or the body element ("link", "image").
	Field    string   `json:"field,omitempty"`
	Message  string   `json:"message"`
	Severity Severity `json:"severity"`
}

// String formats d as "file:line: field: message", with "warning: "
// before the message of a warning.
func (d Diagnostic) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: ", d.File, d.Line)
	if d.Field != "" {
		b.WriteString(d.Field)
		b.WriteString(": ")
	}
	if d.Severity == Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(d.Message)
	return b.String()
}

// Report is the result of a check.
type Report struct {
	// Diagnostics are sorted by file, then line.
	Diagnostics []Diagnostic `json:"diagnostics"`
	// Files is the number of content pages checked.
	Files int `json:"files"`
}

// Errors returns the number of diagnostics with severity Error.
func (r Report) Errors() int { return r.count(Error) }

// Warnings returns the number of diagnostics with severity Warning.
func (r Report) Warnings() int { return r.count(Warning) }

func (r Report) count(s Severity) int {
	n := 0
	for _, d := range r.Diagnostics {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// Err returns an error naming the first problem when the report has
// errors, and nil otherwise; a build can return it as is.
func (r Report) Err() error {
	for _, d := range r.Diagnostics {
		if d.Severity == Error {
			return &ContentError{Report: r}
		}
	}
	return nil
}

// Summary returns a line such as "152 files, 0 errors, 3 warnings".
func (r Report) Summary() string {
	return fmt.Sprintf("%s, %s, %s", plural(r.Files, "file"), plural(r.Errors(), "error"), plural(r.Warnings(), "warning"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// ContentError is returned by Report.Err: the content has errors.
type ContentError struct{ Report Report }

func (e *ContentError) Error() string {
	var first Diagnostic
	for _, d := range e.Report.Diagnostics {
		if d.Severity == Error {
			first = d
			break
		}
	}
	if n := e.Report.Errors(); n > 1 {
		return fmt.Sprintf("%s (and %d more errors)", first, n-1)
	}
	return first.String()
}

// Options configure a check.
type Options struct {
	// ContentDir is the content folder to check. Required.
	ContentDir string
	// SiteDir is the Hugo site folder; the vocabularies are read from
	// SiteDir/data (catalog.yaml, departments.yaml, campaigns.yaml, and
	// the search vocabulary synonyms.yaml) and
	// links to static files are resolved in SiteDir/static and the
	// static folders of the themes beside it. Required.
	SiteDir string
	// BaseDir is the folder diagnostics name files relative to,
	// typically the working directory. Empty: paths as given.
	BaseDir string
	// Now is the moment reviews and the news section are judged against.
	// Zero means time.Now().
	Now time.Time
	// Calendar resolves campaign festival keys. Nil means the campaign
	// calendar with the windows in SiteDir/data/campaigns.yaml.
	Calendar Calendar
}

// ErrNoContent is returned when the content folder does not exist.
var ErrNoContent = errors.New("content folder not found")

// Run checks every page under opts.ContentDir. It returns an error only
// when the check itself cannot run (the content folder is missing or
// unreadable); problems in the content are diagnostics in the report.
func Run(opts Options) (Report, error) {
	if opts.ContentDir == "" {
		return Report{}, fmt.Errorf("check: %w: no content folder given", ErrNoContent)
	}
	st, err := os.Stat(opts.ContentDir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Report{}, fmt.Errorf("check %s: %w", opts.ContentDir, ErrNoContent)
		}
		return Report{}, fmt.Errorf("check: %w", err)
	}
	if !st.IsDir() {
		return Report{}, fmt.Errorf("check %s: %w: not a folder", opts.ContentDir, ErrNoContent)
	}
	c := newChecker(opts)
	if err := c.load(); err != nil {
		return Report{}, err
	}
	c.checkAll()
	for _, p := range c.pages {
		c.diags = append(c.diags, p.diags...)
	}
	slices.SortStableFunc(c.diags, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Field, b.Field),
			cmp.Compare(a.Message, b.Message),
		)
	})
	c.diags = slices.Compact(c.diags)
	return Report{Diagnostics: c.diags, Files: len(c.pages)}, nil
}

// displayPath names a file for diagnostics: relative to BaseDir when it
// can be, with forward slashes.
func (c *checker) displayPath(abs string) string {
	if c.opts.BaseDir != "" {
		if rel, err := filepath.Rel(c.opts.BaseDir, abs); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(abs)
}

// contentPath joins a content-relative slash path to the content folder.
func (c *checker) contentPath(rel string) string {
	return filepath.Join(c.opts.ContentDir, filepath.FromSlash(rel))
}

// displayContent names a content-relative path for diagnostics.
func (c *checker) displayContent(rel string) string {
	return c.displayPath(c.contentPath(rel))
}

// cleanRel cleans a slash path and strips leading slashes.
func cleanRel(p string) string {
	p = path.Clean("/" + p)
	return strings.TrimPrefix(p, "/")
}
