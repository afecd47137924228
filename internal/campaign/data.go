package campaign

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DataPath is where the data file lives, relative to the repository root.
const DataPath = "site/data/campaigns.yaml"

// maxWindowDays bounds an announced window; anything longer is a typing
// mistake (a campaign month has at most 31 days).
const maxWindowDays = 92

// Data is the content of the data file: the campaign windows announced for
// particular years. Editors add an entry when the year's notice is out.
//
//	windows:
//	  - festival: xianfazhou
//	    year: 2025
//	    start: 2025-12-01
//	    end: 2025-12-07
//	    source: 中央宣传部、司法部、全国普法办通知
//
// For a period festival (宪法宣传周, 敬老月, 民法典宣传月) the entry replaces
// the period, and its start is the festival's date; it must overlap the
// period the rule gives. For a single-day festival it replaces the default
// campaign window, which must still contain the day.
type Data struct {
	Windows []Announcement
}

// Announcement is one entry of the data file.
type Announcement struct {
	// Festival is the festival's key.
	Festival string
	Year     int
	Window   Window
	// Source names the notice the dates come from.
	Source string
	// Pos is "file:line" of the entry, for messages.
	Pos string
}

// FieldError is a problem in the data file, reported like a compiler's:
// "site/data/campaigns.yaml:12: end: before start".
type FieldError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// LoadData reads and checks the data file at path. A missing file is not an
// error when optional is true: the result is empty Data and every announced
// festival falls back to its rule.
func LoadData(path string, optional bool) (*Data, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if optional && errors.Is(err, fs.ErrNotExist) {
			return &Data{}, nil
		}
		return nil, fmt.Errorf("read campaign data: %w", err)
	}
	return ParseData(path, b)
}

// ParseData parses and checks the data file; name is used in messages. All
// problems are reported, joined, each as a *FieldError.
func ParseData(name string, src []byte) (*Data, error) {
	p := dataParser{file: name}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		line, msg := yamlErr(err)
		return nil, &FieldError{File: name, Line: line, Msg: msg}
	}
	d := &Data{}
	if len(doc.Content) == 0 {
		return d, nil // empty file
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, p.fail(root, "", "want a mapping with a windows list")
	}
	seen := map[string]string{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "windows":
			if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				continue
			}
			if v.Kind != yaml.SequenceNode {
				p.add(v, "windows", "want a list of entries")
				continue
			}
			for _, item := range v.Content {
				a, ok := p.entry(item)
				if !ok {
					continue
				}
				id := a.Festival + " " + strconv.Itoa(a.Year)
				if prev, dup := seen[id]; dup {
					p.add(item, "", fmt.Sprintf("second entry for %s %d (first at %s)", a.Festival, a.Year, prev))
					continue
				}
				seen[id] = a.Pos
				d.Windows = append(d.Windows, a)
			}
		default:
			p.add(k, k.Value, "unknown key (want windows)")
		}
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return d, nil
}

type dataParser struct {
	file string
	errs []error
}

func (p *dataParser) fail(n *yaml.Node, field, msg string) error {
	return &FieldError{File: p.file, Line: n.Line, Field: field, Msg: msg}
}

func (p *dataParser) add(n *yaml.Node, field, msg string) {
	p.errs = append(p.errs, p.fail(n, field, msg))
}

// entry checks one item of the windows list.
func (p *dataParser) entry(n *yaml.Node) (Announcement, bool) {
	a := Announcement{Pos: fmt.Sprintf("%s:%d", p.file, n.Line)}
	if n.Kind != yaml.MappingNode {
		p.add(n, "windows", "want an entry with festival, year, start and end")
		return a, false
	}
	before := len(p.errs)
	fields := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "festival", "year", "start", "end", "source":
			if _, dup := fields[k.Value]; dup {
				p.add(k, k.Value, "given twice")
				continue
			}
			if v.Kind != yaml.ScalarNode {
				p.add(v, k.Value, "want a single value")
				continue
			}
			fields[k.Value] = v
		default:
			p.add(k, k.Value, "unknown field (want festival, year, start, end, source)")
		}
	}
	for _, f := range []string{"festival", "year", "start", "end"} {
		if v, ok := fields[f]; !ok || strings.TrimSpace(v.Value) == "" {
			at := n
			if ok {
				at = v
			}
			p.add(at, f, "missing")
		}
	}
	if len(p.errs) > before {
		return a, false
	}

	fest, ok := Lookup(fields["festival"].Value)
	if !ok {
		p.add(fields["festival"], "festival", fmt.Sprintf("unknown festival %q (known: %s)", fields["festival"].Value, strings.Join(Keys(), ", ")))
	}
	a.Festival = fest.Key
	year, err := strconv.Atoi(strings.TrimSpace(fields["year"].Value))
	if err != nil {
		p.add(fields["year"], "year", fmt.Sprintf("%q is not a year", fields["year"].Value))
	} else if ok {
		if err := fest.checkYear(year); err != nil {
			p.add(fields["year"], "year", err.Error())
		}
	}
	a.Year = year
	start, serr := ParseDay(strings.TrimSpace(fields["start"].Value))
	if serr != nil {
		p.add(fields["start"], "start", serr.Error())
	}
	end, eerr := ParseDay(strings.TrimSpace(fields["end"].Value))
	if eerr != nil {
		p.add(fields["end"], "end", eerr.Error())
	}
	if v, ok := fields["source"]; ok {
		a.Source = strings.TrimSpace(v.Value)
	}
	if len(p.errs) > before {
		return a, false
	}
	a.Window = Window{start, end}
	switch {
	case end.Before(start):
		p.add(fields["end"], "end", fmt.Sprintf("%s is before start %s", end, start))
	case start.Year != year:
		p.add(fields["start"], "start", fmt.Sprintf("%s is not in year %d", start, year))
	case a.Window.Days() > maxWindowDays:
		p.add(fields["end"], "end", fmt.Sprintf("window of %d days is longer than %d", a.Window.Days(), maxWindowDays))
	default:
		span, err := fest.Span(year)
		switch {
		case err != nil:
			p.add(fields["year"], "year", err.Error())
		case !fest.IsPeriod() && !a.Window.Contains(span.Start):
			p.add(fields["start"], "start", fmt.Sprintf("window %s does not contain %s on %s", a.Window, fest.Name, span.Start))
		case fest.IsPeriod() && (a.Window.End.Before(span.Start) || a.Window.Start.After(span.End)):
			// An announced period moves a few days, never away from its
			// usual place: a window elsewhere is a typing mistake.
			p.add(fields["start"], "start", fmt.Sprintf("window %s does not overlap the usual %s %s", a.Window, fest.Name, span))
		}
	}
	return a, len(p.errs) == before
}

// yamlErr splits a yaml.v3 syntax error ("yaml: line 3: did not find
// expected key") into its line number and message.
func yamlErr(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	rest, ok := strings.CutPrefix(msg, "line ")
	if !ok {
		return 0, msg
	}
	num, text, ok := strings.Cut(rest, ": ")
	n, cerr := strconv.Atoi(num)
	if !ok || cerr != nil {
		return 0, msg
	}
	return n, text
}
