package check

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	"golang.org/x/tools/txtar"
)

// pageSeeds returns every page of the fixtures plus edge cases of the
// delimiters.
func pageSeeds(t testing.TB) [][]byte {
	seeds := [][]byte{
		nil,
		[]byte("---"),
		[]byte("---\n---"),
		[]byte("---\r\ntitle: a\r\n---\r\nbody"),
		[]byte("\uFEFF---\ntitle: a\n---\n"),
		[]byte("+++\ntitle = 'a'\n[window]\nstart = 2026-03-28\n+++\n"),
		[]byte("{\"title\": \"a\\\"}\"}\nbody"),
		[]byte("---\n- a\n---\n"),
		[]byte("---\nx: &a [1]\ny: *a\n---\n"),
		[]byte("--\n"),
		[]byte("   \n\n---\ntitle: a\n----\n"),
	}
	names, _ := filepath.Glob("testdata/*.txtar")
	for _, name := range names {
		a, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if strings.HasSuffix(f.Name, ".md") {
				seeds = append(seeds, f.Data)
			}
		}
	}
	return seeds
}

// FuzzFrontMatter checks that splitting and parsing editor input never
// panics and that the positions it reports stay inside the page.
func FuzzFrontMatter(f *testing.F) {
	for _, s := range pageSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := SplitPage(src)
		if err != nil {
			se, ok := err.(*SplitError)
			if !ok || se.Line < 1 || se.Line > bytes.Count(src, []byte("\n"))+1 {
				t.Fatalf("SplitPage error %v: want a *SplitError on a line of the page", err)
			}
			return
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		if s.Format == NoFrontMatter {
			if s.BodyLine != 1 {
				t.Fatalf("no front matter: BodyLine = %d, want 1", s.BodyLine)
			}
			return
		}
		if s.Open < 1 || s.Close < s.Open || s.BodyLine != s.Close+1 || s.Close > lines {
			t.Fatalf("SplitPage: Open %d, Close %d, BodyLine %d in %d lines", s.Open, s.Close, s.BodyLine, lines)
		}
		if !bytes.Contains(src, s.FrontMatter) || !bytes.HasSuffix(src, s.Body) {
			t.Fatalf("front matter or body is not part of the page")
		}
		fm, err := ParseFrontMatter(s.Format, s.FrontMatter)
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("ParseFrontMatter error %T, want *ParseError", err)
			}
			return
		}
		if fm.Kind != yaml.MappingNode {
			t.Fatalf("ParseFrontMatter returned kind %v, want a mapping", fm.Kind)
		}
		fmLines := bytes.Count(s.FrontMatter, []byte("\n")) + 1
		for i := 0; i < len(fm.Content); i += 2 {
			if l := fm.Content[i].Line; l < 1 || l > fmLines {
				t.Fatalf("key %q on line %d of %d-line front matter", fm.Content[i].Value, l, fmLines)
			}
		}
	})
}

// FuzzScanBody checks that the body scanner never panics and reports only
// lines of the body.
func FuzzScanBody(f *testing.F) {
	for _, s := range pageSeeds(f) {
		f.Add(s)
	}
	f.Add([]byte("[a](b) ![c](d \"t\") [![e](f)](g) `[h](i)` {{< ref \"x\" >}} <img src=x> [j]: k ![][l]"))
	f.Add([]byte("```\n[a](b)\n```\n~~~~\n~~~\n[c](d)\n~~~~\n``unclosed"))
	f.Fuzz(func(t *testing.T, body []byte) {
		n := bytes.Count(body, []byte("\n")) + 1
		for _, it := range scanBody(body, 10) {
			if it.Line < 10 || it.Line >= 10+n {
				t.Fatalf("item %+v outside lines 10..%d", it, 10+n-1)
			}
		}
	})
}

func TestSplitPage(t *testing.T) {
	tests := []struct {
		name                  string
		src                   string
		format                Format
		open, first, bodyLine int
		frontMatter, body     string
		wantErrLine           int
	}{
		{"yaml", "---\ntitle: a\n---\nbody\n", YAML, 1, 2, 4, "title: a\n", "body\n", 0},
		{"blank lines first", "\n\n---\ntitle: a\n---\n", YAML, 3, 4, 6, "title: a\n", "", 0},
		{"crlf", "---\r\ntitle: a\r\n---\r\nbody", YAML, 1, 2, 4, "title: a\r\n", "body", 0},
		{"bom", "\uFEFF---\ntitle: a\n---\n", YAML, 1, 2, 4, "title: a\n", "", 0},
		{"toml", "+++\ntitle = 'a'\n+++\nbody", TOML, 1, 2, 4, "title = 'a'\n", "body", 0},
		{"json", "{\n\"title\": \"}\"\n}\nbody", JSON, 1, 1, 4, "{\n\"title\": \"}\"\n}", "body", 0},
		{"close at end of file", "---\ntitle: a\n---", YAML, 1, 2, 4, "title: a\n", "", 0},
		{"no front matter", "# 标题\n", NoFrontMatter, 0, 0, 1, "", "# 标题\n", 0},
		{"unclosed", "---\ntitle: a\n", 0, 0, 0, 0, "", "", 1},
		{"text after delimiter", "--- yaml\ntitle: a\n---\n", 0, 0, 0, 0, "", "", 1},
		{"list first", "\n- a\n", 0, 0, 0, 0, "", "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := SplitPage([]byte(tt.src))
			if tt.wantErrLine > 0 {
				se, ok := err.(*SplitError)
				if !ok || se.Line != tt.wantErrLine {
					t.Fatalf("SplitPage(%q) error = %v, want a SplitError on line %d", tt.src, err, tt.wantErrLine)
				}
				return
			}
			if err != nil {
				t.Fatalf("SplitPage(%q): %v", tt.src, err)
			}
			if s.Format != tt.format || s.Open != tt.open || s.FirstLine != tt.first || s.BodyLine != tt.bodyLine ||
				string(s.FrontMatter) != tt.frontMatter || string(s.Body) != tt.body {
				t.Errorf("SplitPage(%q) = format %d open %d first %d body line %d fm %q body %q; want %d %d %d %d %q %q",
					tt.src, s.Format, s.Open, s.FirstLine, s.BodyLine, s.FrontMatter, s.Body,
					tt.format, tt.open, tt.first, tt.bodyLine, tt.frontMatter, tt.body)
			}
		})
	}
}

func TestParseFrontMatterLines(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		text   string
		lines  map[string]int // key → line
		errAt  int            // >0: want a ParseError on this line
	}{
		{"yaml", YAML, "title: a\n\ndepartments:\n  - x\n", map[string]int{"title": 1, "departments": 3}, 0},
		{"toml", TOML, "title = 'a'\nyear = 2026\n[window]\nstart = 2026-03-28\n", map[string]int{"title": 1, "year": 2, "window": 3}, 0},
		{"json", JSON, "{\n  \"title\": \"a\",\n  \"date\": \"x\"\n}", map[string]int{"title": 2, "date": 3}, 0},
		{"empty", YAML, "", map[string]int{}, 0},
		{"unclosed list", YAML, "title: a\ncategories: [x\ndepartments: [y]\n", nil, 3},
		{"bad indent", YAML, "title: a\nlist:\n  - a\n - b\n", nil, 4},
		{"not a mapping", YAML, "- a\n- b\n", nil, 1},
		{"toml string", TOML, "title = \"a\nb = 1\n", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, err := ParseFrontMatter(tt.format, []byte(tt.text))
			if tt.errAt > 0 {
				pe, ok := err.(*ParseError)
				if !ok || pe.Line != tt.errAt {
					t.Fatalf("ParseFrontMatter(%q) error = %v, want a ParseError on line %d", tt.text, err, tt.errAt)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseFrontMatter(%q): %v", tt.text, err)
			}
			got := map[string]int{}
			for i := 0; i+1 < len(fm.Content); i += 2 {
				got[fm.Content[i].Value] = fm.Content[i].Line
			}
			for k, want := range tt.lines {
				if got[k] != want {
					t.Errorf("key %q on line %d, want %d", k, got[k], want)
				}
			}
		})
	}
}

func TestScanBody(t *testing.T) {
	body := "intro [a](/x/) and ![pic](p.png)\n" +
		"```\n[in fence](/no/)\n```\n" +
		"`[in code](/no/)` {{< relref \"laws/a.md#a1\" >}}\n" +
		"<img src=\"q.png\"> [r]: /ref/\n"
	got := scanBody([]byte(body), 5)
	want := []bodyItem{
		{Line: 5, Kind: "link", Dest: "/x/"},
		{Line: 5, Kind: "image", Dest: "p.png", Alt: "pic", HasAlt: true},
		{Line: 9, Kind: "ref", Dest: "laws/a.md#a1"},
		{Line: 10, Kind: "img", Dest: "q.png"},
	}
	if len(got) != len(want) {
		t.Fatalf("scanBody found %d items, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("item %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
