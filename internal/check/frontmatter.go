package check

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	goccy "github.com/goccy/go-yaml"
	toml "github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"
)

// Format is the syntax of a page's front matter.
type Format int

// The front-matter formats a page may use.
const (
	NoFrontMatter Format = iota
	YAML                 // between "---" lines
	TOML                 // between "+++" lines
	JSON                 // a {...} object at the top of the page
)

// Split is a page divided into its front matter and its body.
type Split struct {
	Format Format
	// Open is the 1-based line of the opening delimiter (1 unless blank
	// lines precede it); Close is the line of the closing one.
	Open, Close int
	// FrontMatter is the text between the delimiter lines (for JSON, the
	// object itself); its first line is line FirstLine of the page.
	FrontMatter []byte
	FirstLine   int
	// Body is everything after the closing delimiter line; it starts on
	// line BodyLine.
	Body     []byte
	BodyLine int
}

// SplitError reports front matter that cannot be delimited.
type SplitError struct {
	Line int
	Msg  string
}

func (e *SplitError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// SplitPage divides src into front matter and body the way Hugo's page
// lexer does: leading blank lines and a byte-order mark are skipped, the
// front matter opens with "---" (YAML) or "+++" (TOML) and ends at the
// first later line that starts with the same delimiter. A page that starts
// with anything else has no front matter; its whole text is the body.
func SplitPage(src []byte) (Split, error) {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	line := 1
	rest := src
	for len(rest) > 0 {
		nl := bytes.IndexByte(rest, '\n')
		var l []byte
		if nl < 0 {
			l = rest
		} else {
			l = rest[:nl]
		}
		if len(bytes.TrimSpace(l)) != 0 {
			break
		}
		if nl < 0 {
			rest = nil
			break
		}
		rest = rest[nl+1:]
		line++
	}
	trimmed := bytes.TrimLeft(rest, " \t")
	var format Format
	var delim []byte
	switch {
	case bytes.HasPrefix(trimmed, []byte("---")):
		format, delim = YAML, []byte("---")
	case bytes.HasPrefix(trimmed, []byte("+++")):
		format, delim = TOML, []byte("+++")
	case len(trimmed) > 0 && (trimmed[0] == '-' || trimmed[0] == '+'):
		// Hugo takes a leading - or + for a front-matter delimiter and
		// fails the build when it is not three of them (a page that starts
		// with a list item, say).
		return Split{}, &SplitError{line, fmt.Sprintf("a page must not start with %q: Hugo reads it as a broken front-matter delimiter (use --- or +++)", trimmed[0])}
	case len(trimmed) > 0 && trimmed[0] == '{':
		return splitJSON(trimmed, line)
	default:
		return Split{Format: NoFrontMatter, Body: src, BodyLine: 1}, nil
	}
	open := line
	nl := bytes.IndexByte(trimmed, '\n')
	if nl < 0 {
		return Split{}, &SplitError{open, fmt.Sprintf("front matter opened with %q is never closed", delim)}
	}
	if extra := strings.TrimSpace(string(trimmed[len(delim):nl])); extra != "" {
		return Split{}, &SplitError{open, fmt.Sprintf("unexpected text %q after the front matter delimiter %q", extra, delim)}
	}
	fmStart := trimmed[nl+1:]
	pos := 0
	line = open + 1
	for pos <= len(fmStart) {
		end := bytes.IndexByte(fmStart[pos:], '\n')
		var l []byte
		if end < 0 {
			l = fmStart[pos:]
		} else {
			l = fmStart[pos : pos+end]
		}
		if bytes.HasPrefix(l, delim) {
			s := Split{
				Format:      format,
				Open:        open,
				Close:       line,
				FrontMatter: fmStart[:pos],
				FirstLine:   open + 1,
				BodyLine:    line + 1,
			}
			if end >= 0 {
				s.Body = fmStart[pos+end+1:]
			}
			return s, nil
		}
		if end < 0 {
			break
		}
		pos += end + 1
		line++
	}
	return Split{}, &SplitError{open, fmt.Sprintf("front matter opened with %q is never closed", delim)}
}

// splitJSON delimits JSON front matter by brace matching outside strings,
// as Hugo does.
func splitJSON(src []byte, open int) (Split, error) {
	level, inQuote := 0, false
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\\' && inQuote:
			i++
		case c == '"':
			inQuote = !inQuote
		case c == '{' && !inQuote:
			level++
		case c == '}' && !inQuote:
			level--
			if level == 0 {
				fm := src[:i+1]
				rest := src[i+1:]
				rest = bytes.TrimPrefix(rest, []byte("\r"))
				rest = bytes.TrimPrefix(rest, []byte("\n"))
				last := open + bytes.Count(fm, []byte("\n"))
				return Split{Format: JSON, Open: open, Close: last, FrontMatter: fm, FirstLine: open, Body: rest, BodyLine: last + 1}, nil
			}
		}
	}
	return Split{}, &SplitError{open, "JSON front matter: unexpected end of file, missing }"}
}

// ParseError is front matter that does not parse. Line is relative to the
// first line of the front matter text (1-based), 0 when unknown.
type ParseError struct {
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// visible shows control characters in parser messages.
var visible = strings.NewReplacer("\t", `\t`, "\r", `\r`, "\n", `\n`)

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// ParseFrontMatter parses front matter text into a YAML mapping node whose
// Line fields count from the first line of text. TOML and JSON are
// converted into an equivalent YAML tree. Empty front matter gives an
// empty mapping.
//
// YAML is read with go.yaml.in/yaml/v3, which keeps line numbers, and then
// with github.com/goccy/go-yaml, the parser Hugo uses, so that text Hugo
// would reject is rejected here too, with Hugo's message. Repeated keys
// are left in the tree: Hugo rejects them, and the caller reports them
// with the lines of both.
func ParseFrontMatter(f Format, text []byte) (*yaml.Node, error) {
	switch f {
	case YAML:
		return parseYAML(text)
	case TOML:
		return parseTOML(text)
	case JSON:
		return parseJSON(text)
	}
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1}, nil
}

func parseYAML(text []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		// go.yaml.in/yaml/v3 counts some error lines from 0 and omits
		// others; Hugo's parser points at the offending token, and its
		// message is the one Hugo would print.
		if herr := hugoYAML(text); herr != nil {
			return nil, herr
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			n, _ := strconv.Atoi(m[1])
			return nil, &ParseError{n, "invalid YAML: " + m[2]}
		}
		return nil, &ParseError{0, "invalid YAML: " + msg}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1}, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: root.Line}, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, &ParseError{root.Line, "front matter must be a mapping of field: value lines"}
	}
	if err := hugoYAML(text); err != nil {
		return nil, err
	}
	return root, nil
}

// hugoYAML parses text the way Hugo will. Duplicate keys are allowed here
// because the caller reports them with both lines (and regardless of
// case, as Hugo lower-cases keys). A panic in the parser is turned into
// an error so that one odd page cannot stop a whole check.
func hugoYAML(text []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &ParseError{0, fmt.Sprintf("invalid YAML: parser failed: %v", r)}
		}
	}()
	var m map[string]any
	if e := goccy.UnmarshalWithOptions(text, &m, goccy.AllowDuplicateMapKey()); e != nil {
		var ye goccy.Error
		if errors.As(e, &ye) {
			line := 0
			if tk := ye.GetToken(); tk != nil && tk.Position != nil {
				line = tk.Position.Line
			}
			return &ParseError{line, "invalid YAML: " + visible.Replace(ye.GetMessage())}
		}
		return &ParseError{0, "invalid YAML: " + e.Error()}
	}
	return nil
}

// parseJSON checks JSON front matter with encoding/json, as Hugo reads
// it, and takes the tree with its lines from the YAML parser (JSON is
// YAML's flow style).
func parseJSON(text []byte) (*yaml.Node, error) {
	var m map[string]any
	if err := json.Unmarshal(text, &m); err != nil {
		line := 0
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = bytes.Count(text[:min(int(se.Offset), len(text))], []byte("\n")) + 1
		}
		return nil, &ParseError{line, "invalid JSON: " + err.Error()}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err == nil && len(doc.Content) > 0 && doc.Content[0].Kind == yaml.MappingNode {
		return doc.Content[0], nil
	}
	// Valid JSON the YAML parser rejects: keep the values, on line 1.
	return valueNode(m, 1), nil
}

func parseTOML(text []byte) (*yaml.Node, error) {
	var m map[string]any
	if err := toml.Unmarshal(text, &m); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			return nil, &ParseError{row, de.Error()}
		}
		return nil, &ParseError{0, err.Error()}
	}
	lines := tomlKeyLines(text)
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		li, lj := lines[keys[i]], lines[keys[j]]
		if li != lj {
			return li < lj
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		line := lines[k]
		if line == 0 {
			line = 1
		}
		root.Content = append(root.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k, Line: line},
			valueNode(m[k], line))
	}
	return root, nil
}

var tomlKeyRE = regexp.MustCompile(`^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*[=.]`)
var tomlTableRE = regexp.MustCompile(`^\s*\[\[?\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))`)

// tomlKeyLines finds the line of each top-level key: a key = value line
// before the first table header, or the header of a table or array of
// tables. Nested values are reported at their top-level key's line.
func tomlKeyLines(text []byte) map[string]int {
	lines := map[string]int{}
	inTable := false
	for i, l := range strings.Split(string(text), "\n") {
		if m := tomlTableRE.FindStringSubmatch(l); m != nil {
			inTable = true
			k := m[1] + m[2] + m[3]
			if _, ok := lines[k]; !ok {
				lines[k] = i + 1
			}
			continue
		}
		if inTable {
			continue
		}
		if m := tomlKeyRE.FindStringSubmatch(l); m != nil {
			k := m[1] + m[2] + m[3]
			if _, ok := lines[k]; !ok {
				lines[k] = i + 1
			}
		}
	}
	return lines
}

// valueNode converts a decoded TOML (or JSON) value into a YAML node.
// Dates keep their written form so that a local date-time (no offset) is
// still recognised as one.
func valueNode(v any, line int) *yaml.Node {
	scalar := func(tag, value string) *yaml.Node {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value, Line: line}
	}
	switch v := v.(type) {
	case string:
		return scalar("!!str", v)
	case int64:
		return scalar("!!int", strconv.FormatInt(v, 10))
	case float64:
		if v == float64(int64(v)) {
			// JSON has no integers: 2026 is a whole float.
			return scalar("!!int", strconv.FormatInt(int64(v), 10))
		}
		return scalar("!!float", strconv.FormatFloat(v, 'g', -1, 64))
	case bool:
		return scalar("!!bool", strconv.FormatBool(v))
	case time.Time:
		return scalar("!!timestamp", v.Format(time.RFC3339Nano))
	case toml.LocalDate:
		return scalar("!!timestamp", v.String())
	case toml.LocalDateTime:
		return scalar("!!timestamp", v.String())
	case toml.LocalTime:
		return scalar("!!str", v.String())
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: line}
		for _, e := range v {
			n.Content = append(n.Content, valueNode(e, line))
		}
		return n
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			n.Content = append(n.Content, scalar("!!str", k), valueNode(v[k], line))
		}
		return n
	}
	return scalar("!!str", fmt.Sprint(v))
}
