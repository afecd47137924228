package campaign

import (
	"bytes"
	"flag"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", file, diff)
	}
}

// frontMatter splits a page into its YAML front matter, decoded, and body.
func frontMatter(t *testing.T, page []byte) (map[string]any, string) {
	t.Helper()
	rest, ok := bytes.CutPrefix(page, []byte("---\n"))
	if !ok {
		t.Fatalf("page does not start with ---:\n%s", page)
	}
	fm, body, ok := bytes.Cut(rest, []byte("\n---\n"))
	if !ok {
		t.Fatalf("front matter not closed:\n%s", page)
	}
	var m map[string]any
	if err := yaml.Unmarshal(fm, &m); err != nil {
		t.Fatalf("front matter: %v\n%s", err, fm)
	}
	return m, string(body)
}

func TestWritePage(t *testing.T) {
	data, err := ParseData("campaigns.yaml", []byte(`windows:
  - festival: jinglao
    year: 2025
    start: 2025-10-10
    end: 2025-10-31
    source: 全国老龄工作委员会关于开展2025年全国“敬老月”活动的通知
`))
	if err != nil {
		t.Fatal(err)
	}
	c := New(data)
	tests := []struct {
		key                   string
		year                  int
		golden                string
		eventDate, start, end string
		publish               string
	}{
		{"qingming", 2027, "qingming-2027.md", "2027-04-05", "2027-03-29", "2027-04-05", "2027-03-15T09:00:00+08:00"},
		{"520", 2027, "520-2027.md", "2027-05-20", "2027-05-13", "2027-05-20", "2027-04-29T09:00:00+08:00"},
		{"xianfazhou", 2027, "xianfazhou-2027.md", "2027-12-01", "2027-12-01", "2027-12-07", "2027-11-17T09:00:00+08:00"},
		{"jinglao", 2025, "jinglao-2025.md", "2025-10-10", "2025-10-10", "2025-10-31", "2025-09-26T09:00:00+08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			o, err := c.Lookup(tt.key, tt.year)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := WritePage(&b, o); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.golden, b.Bytes())

			fm, body := frontMatter(t, b.Bytes())
			window, _ := fm["window"].(map[string]any)
			got := map[string]any{
				"festival": fm["festival"], "year": fm["year"], "eventDate": fm["eventDate"],
				"start": window["start"], "end": window["end"], "publishDate": fm["publishDate"],
				"date": fm["date"], "draft": fm["draft"],
			}
			want := map[string]any{
				"festival": tt.key, "year": tt.year, "eventDate": tt.eventDate,
				"start": tt.start, "end": tt.end, "publishDate": tt.publish,
				"date": tt.publish, "draft": true,
			}
			for k, v := range got {
				got[k] = yamlText(v)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("front matter (-want +got):\n%s", diff)
			}
			for _, list := range []string{"laws", "catalog", "departments"} {
				if l, ok := fm[list].([]any); !ok || len(l) != 0 {
					t.Errorf("%s = %v, want an empty list", list, fm[list])
				}
			}
			events, _ := fm["events"].([]any)
			if len(events) != 1 {
				t.Fatalf("events = %v, want one example", fm["events"])
			}
			if !strings.Contains(body, "待填写") || strings.Count(b.String(), "# 待填写") < 5 {
				t.Errorf("page does not mark the fields to fill with 待填写:\n%s", b.String())
			}
			if PagePath(o) != path.Join("campaigns", strconv.Itoa(tt.year), tt.key+".md") {
				t.Errorf("PagePath = %s", PagePath(o))
			}
		})
	}
}

// TestArchetypeInStep checks that site/archetypes/campaign.md, the scaffold
// for "hugo new", has the same fields as the page pufa writes.
func TestArchetypeInStep(t *testing.T) {
	src, err := os.ReadFile(repoFile(t, "site/archetypes/campaign.md"))
	if err != nil {
		t.Fatal(err)
	}
	// Just enough of Hugo's template functions for this archetype.
	tmpl, err := template.New("archetype").Funcs(template.FuncMap{
		"path": func() pathNS { return pathNS{} },
		"time": func() timeNS { return timeNS{} },
		"now":  func() time.Time { return time.Date(2027, 3, 1, 2, 0, 0, 0, time.UTC) },
	}).Parse(string(src))
	if err != nil {
		t.Fatal(err)
	}
	var arch bytes.Buffer
	err = tmpl.Execute(&arch, map[string]any{
		"File": map[string]string{"ContentBaseName": "qingming", "Dir": "campaigns/2027/"},
	})
	if err != nil {
		t.Fatal(err)
	}
	o, err := New(nil).Lookup("qingming", 2027)
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := WritePage(&page, o); err != nil {
		t.Fatal(err)
	}
	archFM, archBody := frontMatter(t, arch.Bytes())
	pageFM, _ := frontMatter(t, page.Bytes())
	if diff := cmp.Diff(keyPaths(pageFM, ""), keyPaths(archFM, "")); diff != "" {
		t.Errorf("archetype fields differ from the pufa page (-page +archetype):\n%s", diff)
	}
	if archFM["festival"] != "qingming" || archFM["year"] != 2027 || archFM["draft"] != true ||
		yamlText(archFM["publishDate"]) != "2027-03-01T10:00:00+08:00" {
		t.Errorf("archetype front matter = %v", archFM)
	}
	if !strings.Contains(archBody, "待填写") {
		t.Error("archetype body does not mark what to fill in")
	}
}

// yamlText turns the time.Time values yaml.v3 decodes back into the text
// of the page: a date alone (decoded as UTC midnight) or a time with its
// offset.
func yamlText(v any) any {
	t, ok := v.(time.Time)
	if !ok {
		return v
	}
	if t.Location() == time.UTC && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format(DayLayout)
	}
	return t.Format(FrontMatterTime)
}

type pathNS struct{}

func (pathNS) Base(p string) string { return path.Base(p) }

type timeNS struct{}

func (timeNS) In(name string, t time.Time) (time.Time, error) {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return t, err
	}
	return t.In(loc), nil
}

// keyPaths lists the keys of a decoded YAML value, nested ones as a.b and
// list items as a[].b.
func keyPaths(v any, prefix string) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			out = append(out, p)
			out = append(out, keyPaths(x, p)...)
		}
	case []any:
		for _, x := range v {
			out = append(out, keyPaths(x, prefix+"[]")...)
		}
	}
	sort.Strings(out)
	return out
}
