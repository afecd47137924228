package lawimport

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"time"

	"go.yaml.in/yaml/v3"
)

// OverridesFile is where a site keeps its status overrides, relative to
// the project folder.
const OverridesFile = "site/data/lawstatus.yaml"

// Override corrects what the library alone cannot know about the newest
// imported version of a law, e.g. that a revision not in the library has
// replaced it, or that another law repealed it.
type Override struct {
	// Status replaces the computed status (in-force, superseded,
	// repealed, not-imported). A repealed law is repealed in every version.
	Status string `yaml:"status"`
	// SupersededBy is the content path of the page of the text that
	// replaced this one (laws/hunyindengjitiaoli-2025.md).
	SupersededBy string `yaml:"supersededBy"`
	// RepealedBy is the content path of the page of the law that replaced
	// a repealed one (laws/minfadian-hunyinjiatingbian.md); Basis is the
	// provision that repealed it (《中华人民共和国民法典》第一千二百六十条)
	// and RepealedOn the day it ceased to apply (YYYY-MM-DD).
	RepealedBy string `yaml:"repealedBy"`
	Basis      string `yaml:"basis"`
	RepealedOn string `yaml:"repealedOn"`
	// Note says why, in words for residents; it is written as statusNote.
	Note string `yaml:"note"`
}

// repeal is a law's repeal as a page records it.
func (o Override) repeal() *repeal {
	return &repeal{by: o.RepealedBy, basis: o.Basis, on: o.RepealedOn}
}

var contentPathPattern = regexp.MustCompile(`^laws/[a-z0-9][a-z0-9-]*\.md$`)

// LoadOverrides reads status overrides keyed by lawKey from a YAML file.
// A missing file means no overrides.
func LoadOverrides(path string) (map[string]Override, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("status overrides: %w", err)
	}
	return ParseOverrides(data, path)
}

// ParseOverrides parses the overrides file named name. Errors name the
// file, line and field.
func ParseOverrides(data []byte, name string) (map[string]Override, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: want a mapping of lawKey to status override", name, root.Line)
	}
	out := make(map[string]Override, len(root.Content)/2)
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		at := func(n *yaml.Node, field, format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s%s: %s", name, n.Line, key.Value, field, fmt.Sprintf(format, args...))
		}
		if _, dup := out[key.Value]; dup {
			return nil, at(key, "", "listed twice")
		}
		if val.Kind != yaml.MappingNode {
			return nil, at(val, "", "want status and supersededBy, repealedBy, basis, repealedOn or note")
		}
		for j := 0; j+1 < len(val.Content); j += 2 {
			switch f := val.Content[j]; f.Value {
			case "status", "supersededBy", "repealedBy", "basis", "repealedOn", "note":
			default:
				return nil, at(f, "."+f.Value, "unknown field (want status, supersededBy, repealedBy, basis, repealedOn or note)")
			}
		}
		var o Override
		if err := val.Decode(&o); err != nil {
			return nil, at(val, "", "%v", err)
		}
		switch o.Status {
		case StatusInForce, StatusSuperseded, StatusRepealed, StatusNotImported:
		default:
			return nil, at(val, ".status", "%q is not one of in-force, superseded, repealed, not-imported", o.Status)
		}
		for _, f := range []struct{ name, path string }{{"supersededBy", o.SupersededBy}, {"repealedBy", o.RepealedBy}} {
			if f.path != "" && !contentPathPattern.MatchString(f.path) {
				return nil, at(val, "."+f.name, "%q is not a law page path like laws/name.md", f.path)
			}
		}
		if _, err := time.Parse(time.DateOnly, o.RepealedOn); o.RepealedOn != "" && err != nil {
			return nil, at(val, ".repealedOn", "%q is not a date like 2021-01-01", o.RepealedOn)
		}
		switch {
		case o.Status == StatusSuperseded && o.SupersededBy == "" && o.Note == "":
			return nil, at(val, ".supersededBy", "a superseded law names its successor or says why in a note")
		case o.Status == StatusRepealed && o.RepealedBy == "" && o.Basis == "" && o.Note == "":
			return nil, at(val, ".repealedBy", "a repealed law names the law that replaced it, the provision that repealed it (basis) or says why in a note")
		case o.Status != StatusRepealed && (o.RepealedBy != "" || o.Basis != "" || o.RepealedOn != ""):
			return nil, at(val, ".status", "repealedBy, basis and repealedOn belong to a repealed law (status: repealed)")
		}
		out[key.Value] = o
	}
	return out, nil
}
