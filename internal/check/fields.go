package check

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

const yamlScalar = yaml.ScalarNode

// isNull reports whether n is an empty value (field: with nothing after).
func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// items returns the scalar items of a list, or the value itself when it is
// a single scalar (Hugo accepts a string where a list is expected).
func items(n *yaml.Node) []*yaml.Node {
	n = deref(n)
	switch {
	case isNull(n):
		return nil
	case n.Kind == yaml.ScalarNode:
		return []*yaml.Node{n}
	case n.Kind == yaml.SequenceNode:
		var out []*yaml.Node
		for _, it := range n.Content {
			if it = deref(it); it.Kind == yaml.ScalarNode && !isNull(it) {
				out = append(out, it)
			}
		}
		return out
	}
	return nil
}

// kindName describes a node's type for messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return "a value"
}

// text returns a required or optional text field. ok is false when the
// field is absent or a problem was reported.
func (c *checker) text(p *page, field string, required bool, hint string) (string, *yaml.Node, bool) {
	key, val, ok := p.get(field)
	if !ok {
		if required {
			c.errorf(p, nil, field, "missing%s", hint)
		}
		return "", nil, false
	}
	return c.textValue(p, key, val, field)
}

func (c *checker) textValue(p *page, key, val *yaml.Node, field string) (string, *yaml.Node, bool) {
	if isNull(val) || val.Kind == yaml.ScalarNode && strings.TrimSpace(val.Value) == "" {
		c.errorf(p, key, field, "must not be empty")
		return "", key, false
	}
	if val.Kind != yaml.ScalarNode {
		c.errorf(p, key, field, "must be text, not %s", kindName(val))
		return "", key, false
	}
	return strings.TrimSpace(val.Value), val, true
}

// stringList checks that a field is a list of texts and returns its items.
func (c *checker) stringList(p *page, key, val *yaml.Node, field string) ([]*yaml.Node, bool) {
	val = deref(val)
	switch {
	case isNull(val):
		return nil, true
	case val.Kind == yaml.ScalarNode:
		if strings.TrimSpace(val.Value) == "" {
			return nil, true
		}
		return []*yaml.Node{val}, true
	case val.Kind != yaml.SequenceNode:
		c.errorf(p, key, field, "must be a list, not %s", kindName(val))
		return nil, false
	}
	var out []*yaml.Node
	ok := true
	for _, it := range val.Content {
		it = deref(it)
		switch {
		case it.Kind != yaml.ScalarNode:
			c.errorf(p, it, field, "list items must be text, not %s", kindName(it))
			ok = false
		case isNull(it) || strings.TrimSpace(it.Value) == "":
			c.errorf(p, it, field, "empty list item")
			ok = false
		default:
			out = append(out, it)
		}
	}
	return out, ok
}

// integer returns an integer field within lo..hi.
func (c *checker) integer(p *page, field string, required bool, lo, hi int, hint string) (int, *yaml.Node, bool) {
	key, val, ok := p.get(field)
	if !ok {
		if required {
			c.errorf(p, nil, field, "missing%s", hint)
		}
		return 0, nil, false
	}
	return c.integerValue(p, key, val, field, lo, hi)
}

func (c *checker) integerValue(p *page, key, val *yaml.Node, field string, lo, hi int) (int, *yaml.Node, bool) {
	var n int
	if val.Kind != yaml.ScalarNode || val.ShortTag() != "!!int" || val.Decode(&n) != nil {
		c.errorf(p, key, field, "must be a whole number from %d to %d, got %s", lo, hi, describe(val))
		return 0, key, false
	}
	if n < lo || n > hi {
		c.errorf(p, key, field, "must be from %d to %d, got %d", lo, hi, n)
		return n, key, false
	}
	return n, key, true
}

// describe quotes a value for a message.
func describe(n *yaml.Node) string {
	switch {
	case isNull(n):
		return "nothing"
	case n.Kind == yaml.ScalarNode:
		return strconv.Quote(n.Value)
	}
	return kindName(n)
}

// dayLayout is the layout of a calendar date in front matter.
const dayLayout = "2006-01-02"

// parseDay parses YYYY-MM-DD into midnight UTC.
func parseDay(s string) (time.Time, bool) {
	if len(s) != len(dayLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(dayLayout, s)
	return t, err == nil
}

// day returns a YYYY-MM-DD field.
func (c *checker) day(p *page, field string, required bool) (time.Time, *yaml.Node, bool) {
	key, val, ok := p.get(field)
	if !ok {
		if required {
			c.errorf(p, nil, field, "missing: a date written YYYY-MM-DD")
		}
		return time.Time{}, nil, false
	}
	return c.dayValue(p, key, val, field)
}

func (c *checker) dayValue(p *page, key, val *yaml.Node, field string) (time.Time, *yaml.Node, bool) {
	if val.Kind == yaml.ScalarNode && !isNull(val) {
		if t, ok := parseDay(strings.TrimSpace(val.Value)); ok {
			return t, key, true
		}
	}
	c.errorf(p, key, field, "malformed date %s: write YYYY-MM-DD, e.g. 2026-03-16", describe(val))
	return time.Time{}, key, false
}

var (
	offsetLayouts = []string{
		"2006-01-02T15:04:05Z07:00", "2006-01-02 15:04:05Z07:00",
		"2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05Z0700",
		"2006-01-02T15:04Z07:00", "2006-01-02 15:04Z07:00",
	}
	localLayouts = []string{
		"2006-01-02T15:04:05", "2006-01-02 15:04:05",
		"2006-01-02T15:04", "2006-01-02 15:04", dayLayout,
	}
)

// parseDateTime parses a date with time and UTC offset. local is true
// when s is a valid date or date-time without an offset.
func parseDateTime(s string) (t time.Time, local, ok bool) {
	s = strings.TrimSpace(s)
	for _, l := range offsetLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, false, true
		}
	}
	for _, l := range localLayouts {
		if _, err := time.Parse(l, s); err == nil {
			return time.Time{}, true, false
		}
	}
	return time.Time{}, false, false
}

// dateTime returns a date-time field, which must carry a UTC offset.
func (c *checker) dateTime(p *page, field string, required bool, hint string) (time.Time, *yaml.Node, bool) {
	key, val, ok := p.get(field)
	if !ok {
		if required {
			c.errorf(p, nil, field, "missing%s", hint)
		}
		return time.Time{}, nil, false
	}
	return c.dateTimeValue(p, key, val, field)
}

func (c *checker) dateTimeValue(p *page, key, val *yaml.Node, field string) (time.Time, *yaml.Node, bool) {
	if val.Kind == yaml.ScalarNode && !isNull(val) {
		t, local, ok := parseDateTime(val.Value)
		if ok {
			return t, key, true
		}
		if local {
			c.errorf(p, key, field, "%s has no UTC offset: write it as 2026-03-16T09:00:00+08:00 (scheduled publishing depends on it)", strconv.Quote(strings.TrimSpace(val.Value)))
			return time.Time{}, key, false
		}
	}
	c.errorf(p, key, field, "malformed date %s: write YYYY-MM-DDTHH:MM:SS+08:00", describe(val))
	return time.Time{}, key, false
}

// enum returns a field that must be one of values.
func (c *checker) enum(p *page, field string, required bool, values ...string) (string, *yaml.Node, bool) {
	key, val, ok := p.get(field)
	if !ok {
		if required {
			c.errorf(p, nil, field, "missing: one of %s", strings.Join(values, ", "))
		}
		return "", nil, false
	}
	if val.Kind == yaml.ScalarNode {
		for _, v := range values {
			if val.Value == v {
				return v, key, true
			}
		}
	}
	c.errorf(p, key, field, "must be one of %s, got %s%s", strings.Join(values, ", "), describe(val), suggest(val.Value, values))
	return "", key, false
}

// webURL reports whether s is an absolute http(s) URL with a host.
func webURL(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// ref checks a reference to a content page of the given section written
// as a content path (laws/x.md) and returns the resolved path.
func (c *checker) ref(p *page, n *yaml.Node, field, section string) (string, bool) {
	v := strings.TrimSpace(n.Value)
	target := c.pageAt(v)
	if target == "" || !isPage(target) {
		hint := ""
		if rest, ok := strings.CutPrefix(cleanRel(v), "content/"); ok && c.pageAt(rest) != "" {
			hint = fmt.Sprintf(": write %q, relative to the content folder", rest)
		} else if !strings.HasPrefix(cleanRel(v), section+"/") {
			hint = fmt.Sprintf(": write a path such as %s/name.md", section)
		}
		c.errorf(p, n, field, "%q does not exist%s", v, hint)
		return "", false
	}
	if !strings.HasPrefix(target, section+"/") {
		c.errorf(p, n, field, "%q is not a page of %s/", v, section)
		return "", false
	}
	return target, true
}

// refs checks a list of references to pages of section.
func (c *checker) refs(p *page, field, section string, required bool) []string {
	key, val, ok := p.get(field)
	if !ok {
		if required {
			c.errorf(p, nil, field, "missing: list the %s pages concerned, e.g. %s/name.md", section, section)
		}
		return nil
	}
	list, ok := c.stringList(p, key, val, field)
	if !ok {
		return nil
	}
	if required && len(list) == 0 {
		c.errorf(p, key, field, "must not be empty")
		return nil
	}
	var out []string
	for _, it := range list {
		if t, ok := c.ref(p, it, field, section); ok {
			out = append(out, t)
		}
	}
	return out
}

// addMonths adds n months to a date, clamping to the end of the month
// (2026-01-31 + 1 month = 2026-02-28).
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, time.UTC)
}
