package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lawLibrary is a small copy of the national law corpus.
var lawLibrary, _ = filepath.Abs(filepath.Join("..", "..", "internal", "lawtext", "testdata"))

func runImport(t *testing.T, dir string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = importCmd{}.Run(context.Background(), &Env{Stdout: &out, Stderr: &errOut, Dir: dir}, args)
	return out.String(), errOut.String(), err
}

func TestImportLaws(t *testing.T) {
	dir := t.TempDir()
	overrides := "cishanfa:\n  status: superseded\n  supersededBy: laws/cishanfa-2025.md\n"
	if err := os.MkdirAll(filepath.Join(dir, "site", "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site", "data", "lawstatus.yaml"), []byte(overrides), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runImport(t, dir, "laws", filepath.Join(lawLibrary, "民法典"), filepath.Join(lawLibrary, "社会法"))
	if err != nil {
		t.Fatalf("import laws: %v\n%s", err, stderr)
	}
	into := filepath.Join(dir, "content", "laws")
	if want := "pufa import: 4 law pages in " + into + " (4 written, 0 unchanged)\n"; stdout != want {
		t.Errorf("stdout = %q, want %q (and no progress when not on a terminal)", stdout, want)
	}
	for _, name := range []string{"minfadian-fuze.md", "minfadian-jichengbian.md", "cishanfa.md", "cishanfa-2016-03-16.md"} {
		if _, err := os.Stat(filepath.Join(into, name)); err != nil {
			t.Errorf("page missing: %v", err)
		}
	}
	page, _ := os.ReadFile(filepath.Join(into, "cishanfa.md"))
	if !bytes.Contains(page, []byte("\nstatus: superseded\nsupersededBy: laws/cishanfa-2025.md\n")) {
		t.Errorf("site/data/lawstatus.yaml not applied:\n%s", page)
	}
	if !bytes.Contains(page, []byte("\nsourceFile: \"社会法/慈善法(2023-12-29).md\"\n")) {
		t.Errorf("sourceFile not relative to the library root:\n%.600s", page)
	}

	stdout, _, err = runImport(t, dir, "laws", "--into", "out", filepath.Join(lawLibrary, "民法典", "继承编.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "1 law pages in "+filepath.Join(dir, "out")) {
		t.Errorf("--into relative to the working folder: %q", stdout)
	}
}

func TestImportLawsFailures(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "src", "残缺法(2020-01-01).md")
	if err := os.MkdirAll(filepath.Dir(bad), 0o755); err != nil {
		t.Fatal(err)
	}
	text := "# 中华人民共和国残缺法\n2020年1月1日 通过\n<!-- INFO END -->\n第一条 甲。\n第二条 乙。\n第二条 丙。\n"
	if err := os.WriteFile(bad, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runImport(t, dir, "laws", "src", filepath.Join(lawLibrary, "民法典", "附则.md"))
	var ee exitError
	if !errors.As(err, &ee) || ee.code != 1 {
		t.Fatalf("import laws with a bad file: err = %v, want exit status 1", err)
	}
	if !strings.Contains(stdout, "1 law pages") {
		t.Errorf("the good file was not imported: %q", stdout)
	}
	want := "src/残缺法(2020-01-01).md:6: article: 第二条 repeats the number of line 5\npufa import: 1 files not imported\n"
	if stderr != want {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
}

func TestImportLawsUsage(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{nil, "say what to import"},
		{[]string{"books", "x"}, "cannot import \"books\""},
		{[]string{"laws"}, "no law files or folders"},
		{[]string{"laws", "--frobnicate", "x"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		_, _, err := runImport(t, dir, tt.args...)
		if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("import %q: err = %v, want a usage error containing %q", tt.args, err, tt.want)
		}
	}

	if err := os.MkdirAll(filepath.Join(dir, "site", "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site", "data", "lawstatus.yaml"), []byte("x:\n  status: gone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := runImport(t, dir, "laws", lawLibrary)
	if err == nil || !strings.Contains(err.Error(), "lawstatus.yaml:2: x.status:") {
		t.Errorf("bad overrides: err = %v", err)
	}
}
