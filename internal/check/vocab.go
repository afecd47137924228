package check

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/pufa-gov/pufa/internal/campaign"
)

// Calendar gives the dates of campaign festivals. *campaign.Calendar
// satisfies it.
type Calendar interface {
	Lookup(keyOrName string, year int) (campaign.Occurrence, error)
}

// terms is a vocabulary read from a data file: the allowed values of one
// taxonomy, in the file's order.
type terms struct {
	file string // the data file, as shown in messages
	key  string // the key in the file, e.g. "categories"
	list []string
	set  map[string]bool
	err  error // why the vocabulary could not be read
	used bool  // whether a problem was reported for err already
	line int   // the line of key in the file, for that problem
}

func (t *terms) has(s string) bool { return t.set[s] }

// vocab holds the bureau's vocabularies from site/data.
type vocab struct {
	categories, methods, audiences, departments *terms
}

// loadVocab reads site/data/catalog.yaml and site/data/departments.yaml.
// A file that is missing or broken is not fatal: pages that need it get an
// error naming the file.
func (c *checker) loadVocab() *vocab {
	data := filepath.Join(c.opts.SiteDir, "data")
	cat := c.readData(filepath.Join(data, "catalog.yaml"))
	dep := c.readData(filepath.Join(data, "departments.yaml"))
	return &vocab{
		categories:  cat("categories"),
		methods:     cat("methods"),
		audiences:   cat("audiences"),
		departments: dep("departments"),
	}
}

// readData parses a data file and returns a function giving the
// vocabulary under a top-level key.
func (c *checker) readData(name string) func(key string) *terms {
	shown := c.displayPath(name)
	var root *yaml.Node
	var ferr error
	line := 1
	if c.opts.SiteDir == "" {
		ferr = errors.New("no site folder given")
	} else if src, err := os.ReadFile(name); err != nil {
		ferr = fmt.Errorf("cannot read: %w", err)
	} else {
		var doc yaml.Node
		if err := yaml.Unmarshal(src, &doc); err != nil {
			ferr = fmt.Errorf("invalid YAML: %w", err)
			var pe *ParseError
			if errors.As(hugoYAML(src), &pe) {
				line, ferr = max(pe.Line, 1), errors.New(pe.Msg)
			}
		} else if len(doc.Content) > 0 {
			root = deref(doc.Content[0])
		}
	}
	return func(key string) *terms {
		t := &terms{file: shown, key: key, set: map[string]bool{}, line: line}
		if ferr != nil {
			t.err = ferr
			return t
		}
		var list *yaml.Node
		if root != nil && root.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(root.Content); i += 2 {
				if root.Content[i].Value == key {
					list = deref(root.Content[i+1])
					t.line = root.Content[i].Line
				}
			}
		}
		if list == nil {
			t.err = fmt.Errorf("no %q list", key)
			return t
		}
		t.list = termNames(list)
		for _, s := range t.list {
			t.set[s] = true
		}
		if len(t.list) == 0 {
			t.err = fmt.Errorf("the %q list is empty", key)
		}
		return t
	}
}

// termNames reads the names of a vocabulary: the keys of a mapping, the
// items of a list of strings, or the key (else name, else title) of each
// item of a list of mappings.
func termNames(n *yaml.Node) []string {
	var out []string
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i < len(n.Content); i += 2 {
			out = append(out, n.Content[i].Value)
		}
	case yaml.SequenceNode:
		for _, it := range n.Content {
			it = deref(it)
			switch it.Kind {
			case yaml.ScalarNode:
				out = append(out, it.Value)
			case yaml.MappingNode:
				got := map[string]string{}
				for i := 0; i+1 < len(it.Content); i += 2 {
					got[it.Content[i].Value] = deref(it.Content[i+1]).Value
				}
				for _, k := range []string{"key", "name", "title"} {
					if v := got[k]; v != "" {
						out = append(out, v)
						break
					}
				}
			}
		}
	}
	return out
}

// checkTerms checks a taxonomy field of page p against a vocabulary.
// min is the least number of terms; exactly, when true, also the most.
func (c *checker) checkTerms(p *page, field string, t *terms, min int, exactly bool, noun string) {
	key, val, ok := p.get(field)
	if !ok {
		if min > 0 {
			c.errorf(p, nil, field, "missing: list at least one %s from %s", noun, t.file)
		}
		return
	}
	list, ok := c.stringList(p, key, val, field)
	if !ok {
		return
	}
	if len(list) < min {
		c.errorf(p, key, field, "must not be empty")
		return
	}
	if exactly && len(list) != min {
		c.errorf(p, key, field, "must have exactly %d %s, has %d", min, noun, len(list))
	}
	if t.err != nil {
		if !t.used {
			t.used = true
			c.diags = append(c.diags, Diagnostic{File: t.file, Line: t.line, Field: t.key, Message: t.err.Error(), Severity: Error})
		}
		return
	}
	seen := map[string]bool{}
	for _, it := range list {
		if seen[it.Value] {
			c.errorf(p, it, field, "%s %q is listed twice", noun, it.Value)
			continue
		}
		seen[it.Value] = true
		if !t.has(it.Value) {
			c.errorf(p, it, field, "unknown %s %q: not in %s%s", noun, it.Value, t.file, suggest(it.Value, t.list))
		}
	}
}

// suggest returns ` (did you mean "x"?)` for the closest known value, or "".
func suggest(s string, known []string) string {
	best, bestD := "", 0
	for _, k := range known {
		d := editDistance(strings.ToLower(s), strings.ToLower(k))
		if best == "" || d < bestD {
			best, bestD = k, d
		}
	}
	limit := max(1, min(3, len([]rune(s))/3))
	if best == "" || bestD > limit {
		// A value that contains a known one, or the other way round, is
		// a likely mistake too (养老 for 养老服务).
		for _, k := range known {
			if len(s) > 0 && (strings.Contains(k, s) || strings.Contains(s, k)) {
				return fmt.Sprintf(" (did you mean %q?)", k)
			}
		}
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance between a and b in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// loadCalendar returns the calendar to check campaigns with: the one in
// Options, else the campaign calendar with the site's announced windows.
// Problems in the data file are reported as diagnostics.
func (c *checker) loadCalendar() Calendar {
	if c.cal != nil {
		return c.cal
	}
	name := filepath.Join(c.opts.SiteDir, "data", "campaigns.yaml")
	if c.opts.SiteDir == "" {
		return campaign.New(nil)
	}
	d, err := campaign.LoadData(name, true)
	if err != nil {
		for _, e := range flatten(err) {
			var fe *campaign.FieldError
			if errors.As(e, &fe) {
				c.diags = append(c.diags, Diagnostic{File: c.displayPath(fe.File), Line: max(fe.Line, 1), Field: fe.Field, Message: fe.Msg, Severity: Error})
			} else {
				c.diags = append(c.diags, Diagnostic{File: c.displayPath(name), Line: 1, Message: e.Error(), Severity: Error})
			}
		}
		return campaign.New(nil)
	}
	return campaign.New(d)
}

// flatten lists the errors joined in err.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
