package check

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want section of testdata/*.txtar")

// fixtureNow is the moment every fixture is checked at.
var fixtureNow = time.Date(2026, 4, 15, 10, 0, 0, 0, shanghai)

// writeArchive writes the files of archives into dir, later archives
// replacing files of earlier ones. Files named "want" are not written.
func writeArchive(t testing.TB, dir string, archives ...*txtar.Archive) {
	t.Helper()
	for _, a := range archives {
		for _, f := range a.Files {
			if f.Name == "want" {
				continue
			}
			name := filepath.Join(dir, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// runFixture checks the site made of the base fixture and a, and returns
// the diagnostics and summary as "pufa check" prints them.
func runFixture(t testing.TB, archives ...*txtar.Archive) (string, Report) {
	t.Helper()
	dir := t.TempDir()
	writeArchive(t, dir, archives...)
	rep, err := Run(Options{
		ContentDir: filepath.Join(dir, "content"),
		SiteDir:    filepath.Join(dir, "site"),
		BaseDir:    dir,
		Now:        fixtureNow,
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	var b strings.Builder
	for _, d := range rep.Diagnostics {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	b.WriteString(rep.Summary())
	b.WriteByte('\n')
	return b.String(), rep
}

func readArchive(t testing.TB, name string) *txtar.Archive {
	t.Helper()
	a, err := txtar.ParseFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestBaseIsClean(t *testing.T) {
	got, rep := runFixture(t, readArchive(t, "testdata/base.txtar"))
	if len(rep.Diagnostics) != 0 {
		t.Errorf("base fixture has diagnostics:\n%s", got)
	}
	if rep.Files != 12 {
		t.Errorf("Files = %d, want 12", rep.Files)
	}
}

// TestFixtures runs each testdata/*.txtar case on top of base.txtar and
// compares the output with the case's "want" section (go test -update
// rewrites it).
func TestFixtures(t *testing.T) {
	base := readArchive(t, "testdata/base.txtar")
	names, err := filepath.Glob("testdata/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if filepath.Base(name) == "base.txtar" {
			continue
		}
		t.Run(strings.TrimSuffix(filepath.Base(name), ".txtar"), func(t *testing.T) {
			a := readArchive(t, name)
			if first, _, _ := strings.Cut(string(a.Comment), "\n"); strings.TrimSpace(first) == "" {
				t.Errorf("%s: the first line must say what the case covers", name)
			}
			got, _ := runFixture(t, base, a)
			i := slices.IndexFunc(a.Files, func(f txtar.File) bool { return f.Name == "want" })
			if *update {
				if i < 0 {
					a.Files = append(a.Files, txtar.File{Name: "want"})
					i = len(a.Files) - 1
				}
				a.Files[i].Data = []byte(got)
				if err := os.WriteFile(name, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if i < 0 {
				t.Fatalf("%s has no want section; run go test -update", name)
			}
			if want := string(a.Files[i].Data); got != want {
				t.Errorf("diagnostics differ (-want +got):\n%s", lineDiff(want, got))
			}
		})
	}
}

// lineDiff shows the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	w := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
	g := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	if b.Len() == 0 {
		return "(same lines, different order)\n- " + strings.Join(w, "\n- ") + "\n+ " + strings.Join(g, "\n+ ")
	}
	return b.String()
}

func TestDiagnosticString(t *testing.T) {
	tests := []struct {
		d    Diagnostic
		want string
	}{
		{Diagnostic{File: "content/catalog/minfadian.md", Line: 7, Field: "departments", Message: "must not be empty"},
			"content/catalog/minfadian.md:7: departments: must not be empty"},
		{Diagnostic{File: "content/catalog/a.md", Line: 12, Field: "reviewed", Message: "review overdue since 2026-03-16", Severity: Warning},
			"content/catalog/a.md:12: reviewed: warning: review overdue since 2026-03-16"},
		{Diagnostic{File: "site/data/catalog.yaml", Line: 1, Message: "cannot read"},
			"site/data/catalog.yaml:1: cannot read"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestReportErr(t *testing.T) {
	r := Report{Files: 3, Diagnostics: []Diagnostic{
		{File: "a.md", Line: 1, Field: "date", Message: "w", Severity: Warning},
		{File: "b.md", Line: 2, Field: "law", Message: "missing"},
		{File: "c.md", Line: 3, Field: "law", Message: "missing"},
	}}
	if got, want := r.Summary(), "3 files, 2 errors, 1 warning"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
	err := r.Err()
	if err == nil || err.Error() != "b.md:2: law: missing (and 1 more errors)" {
		t.Errorf("Err() = %v", err)
	}
	if err := (Report{Diagnostics: r.Diagnostics[:1]}).Err(); err != nil {
		t.Errorf("Err() with only warnings = %v, want nil", err)
	}
}

func TestRunMissingContent(t *testing.T) {
	_, err := Run(Options{ContentDir: filepath.Join(t.TempDir(), "nope")})
	if err == nil || !strings.Contains(err.Error(), ErrNoContent.Error()) {
		t.Errorf("Run(missing dir) error = %v, want ErrNoContent", err)
	}
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"2026-03-16", 12, "2027-03-16"},
		{"2026-01-31", 1, "2026-02-28"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2025-11-30", 3, "2026-02-28"},
		{"2026-08-31", 36, "2029-08-31"},
	}
	for _, tt := range tests {
		d, _ := parseDay(tt.in)
		if got := addMonths(d, tt.n).Format(dayLayout); got != tt.want {
			t.Errorf("addMonths(%s, %d) = %s, want %s", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestParseDateTime(t *testing.T) {
	tests := []struct {
		in        string
		ok, local bool
	}{
		{"2026-03-16T09:00:00+08:00", true, false},
		{"2026-03-16T09:00:00.5+08:00", true, false},
		{"2026-03-16 09:00:00+08:00", true, false},
		{"2026-03-16T01:00:00Z", true, false},
		{"2026-03-16T09:00+08:00", true, false},
		{"2026-03-16T09:00:00", false, true},
		{"2026-03-16", false, true},
		{"2026-02-30T09:00:00+08:00", false, false},
		{"2026/03/16", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		_, local, ok := parseDateTime(tt.in)
		if ok != tt.ok || local != tt.local {
			t.Errorf("parseDateTime(%q) = local %v, ok %v; want local %v, ok %v", tt.in, local, ok, tt.local, tt.ok)
		}
	}
}

func TestSuggest(t *testing.T) {
	known := []string{"departments", "categories", "reviewInterval", "养老服务科", "社会事务科"}
	tests := []struct{ in, want string }{
		{"departmnets", ` (did you mean "departments"?)`},
		{"reviewinterval", ` (did you mean "reviewInterval"?)`},
		{"养老服务", ` (did you mean "养老服务科"?)`},
		{"weather", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.in, known); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDiagnosticsSorted(t *testing.T) {
	_, rep := runFixture(t, readArchive(t, "testdata/base.txtar"), txtar.Parse([]byte(`sorting
-- content/news/2026/b.md --
---
title: b
---
-- content/news/2026/a.md --
---
title: a
---
`)))
	if len(rep.Diagnostics) == 0 {
		t.Fatal("no diagnostics")
	}
	if !slices.IsSortedFunc(rep.Diagnostics, func(a, b Diagnostic) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return a.Line - b.Line
	}) {
		t.Errorf("diagnostics not sorted by file and line: %v", rep.Diagnostics)
	}
	if got := rep.Diagnostics[0].File; !strings.HasSuffix(got, "content/news/2026/a.md") {
		t.Errorf("first diagnostic is for %s, want content/news/2026/a.md", got)
	}
}

// TestLongLawPages pins the reading of law pages past the first headSize
// bytes: a front matter longer than that, and the body of a page written
// by hand for a law whose text is not imported.
func TestLongLawPages(t *testing.T) {
	history := strings.Repeat("  - 2000年1月1日 第九届全国人民代表大会常务委员会第十三次会议修正\n", headSize/60)
	body := strings.Repeat("本条例全文尚未收入本站法规库。\n\n", headSize/30)
	got, _ := runFixture(t, readArchive(t, "testdata/base.txtar"), txtar.Parse([]byte(`long law pages
-- content/laws/long-history.md --
---
title: 某条例
history:
`+history+`status: in-force
date: 2000-01-01
---
-- content/laws/long-stub.md --
---
title: 某法
status: not-imported
---
`+body+`[失效链接](/catalog/nope/)
`)))
	lines := strings.Count(history, "\n")
	want := fmt.Sprintf("content/laws/long-history.md:%d: date: \"2000-01-01\" has no UTC offset", lines+5)
	if !strings.Contains(got, want) {
		t.Errorf("missing %q in:\n%s", want, got)
	}
	want = fmt.Sprintf("content/laws/long-stub.md:%d: link: dead link \"/catalog/nope/\"", 5+strings.Count(body, "\n"))
	if !strings.Contains(got, want) {
		t.Errorf("missing %q in:\n%s", want, got)
	}
}
