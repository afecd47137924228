package lawimport

import (
	"path/filepath"
	"strings"
	"testing"
)

// repealedLibrary holds two versions of 婚姻法 and an interpretation of it.
const repealedLibrary = "testdata/repealed"

// interpretation is the slug of 最高人民法院关于适用《中华人民共和国婚姻法》若干问题的解释（一）.
var interpretation = Slug("最高人民法院关于适用《中华人民共和国婚姻法》若干问题的解释（一）", "")

// statusOf is what a page says of its status.
type statusOf struct{ Status, RepealedBy, RepealedOn, Basis, Interprets string }

func pick(fm frontMatter) statusOf {
	return statusOf{fm.Status, fm.RepealedBy, fm.RepealedOn, fm.Basis, fm.Interprets}
}

func TestRepealedBySiteOverrides(t *testing.T) {
	overrides, err := LoadOverrides(filepath.Join("..", "..", OverridesFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"婚姻法", "继承法", "民法通则", "收养法", "担保法", "合同法", "物权法", "侵权责任法", "民法总则"} {
		o, ok := overrides[Slug("中华人民共和国"+title, "")]
		if !ok || o.Status != StatusRepealed || o.Basis != "《中华人民共和国民法典》第一千二百六十条" || o.RepealedOn != "2021-01-01" ||
			!strings.HasPrefix(o.RepealedBy, "laws/minfadian-") {
			t.Errorf("site overrides: %s = %+v, want repealed by a part of 民法典 on 2021-01-01", title, o)
		}
	}
	into := t.TempDir()
	rep, err := Import(Options{Into: into, Sources: []string{repealedLibrary}, Overrides: overrides})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() {
		t.Fatalf("import: %v", rep.Errors)
	}
	for _, p := range rep.Pages {
		if p.Status != StatusRepealed {
			t.Errorf("%s: status %s, want repealed", p.Path, p.Status)
		}
	}
	want := statusOf{
		Status: "repealed", RepealedBy: "laws/minfadian-hunyinjiatingbian.md", RepealedOn: "2021-01-01",
		Basis: "《中华人民共和国民法典》第一千二百六十条",
	}
	for _, file := range []string{"hunyinfa.md", "hunyinfa-1980-09-10.md", interpretation + ".md"} {
		fm, _ := readPage(t, filepath.Join(into, file))
		got := pick(fm)
		got.Interprets = ""
		if got != want {
			t.Errorf("%s: %+v, want %+v", file, fm, want)
		}
		if wantBy := map[bool]string{true: "laws/hunyinfa.md"}[strings.Contains(file, "1980")]; fm.SupersededBy != wantBy {
			t.Errorf("%s: supersededBy %q, want %q", file, fm.SupersededBy, wantBy)
		}
		if wantKey := strings.TrimSuffix(strings.TrimSuffix(file, "-1980-09-10.md"), ".md"); fm.LawKey != wantKey {
			t.Errorf("%s: lawKey %s, want %s", file, fm.LawKey, wantKey)
		}
	}
	if fm, _ := readPage(t, filepath.Join(into, interpretation+".md")); fm.Interprets != "中华人民共和国婚姻法" {
		t.Errorf("interpretation: interprets %q, want 中华人民共和国婚姻法", fm.Interprets)
	}
	if fm, _ := readPage(t, filepath.Join(into, "hunyinfa.md")); fm.Interprets != "" {
		t.Errorf("婚姻法: interprets %q", fm.Interprets)
	}

	// Importing again changes nothing.
	again, err := Import(Options{Into: into, Sources: []string{repealedLibrary}, Overrides: overrides})
	if err != nil {
		t.Fatal(err)
	}
	if n := again.Written(); n != 0 || len(again.Pages) != len(rep.Pages) {
		t.Errorf("second import wrote %d of %d pages", n, len(again.Pages))
	}
}

func TestRepealedByImportedLaw(t *testing.T) {
	civil := filepath.Join(library, "民法典")
	tests := []struct {
		name      string
		sources   []string
		overrides map[string]Override
		// want is the status, repealedBy and basis of 婚姻法 and of the
		// interpretation.
		law, interp statusOf
	}{
		{
			name:    "民法典 第一千二百六十条 in the import",
			sources: []string{repealedLibrary, civil},
			law:     statusOf{Status: "repealed", RepealedBy: "laws/minfadian-fuze.md", RepealedOn: "2021-01-01", Basis: "《中华人民共和国民法典》第一千二百六十条"},
			interp: statusOf{Status: "repealed", RepealedBy: "laws/minfadian-fuze.md", RepealedOn: "2021-01-01", Basis: "《中华人民共和国民法典》第一千二百六十条",
				Interprets: "中华人民共和国婚姻法"},
		},
		{
			name:    "nothing says it is repealed",
			sources: []string{repealedLibrary},
			law:     statusOf{Status: "in-force"},
			interp:  statusOf{Status: "in-force"},
		},
		{
			name:      "the overrides keep the interpretation in force",
			sources:   []string{repealedLibrary, civil},
			overrides: map[string]Override{interpretation: {Status: StatusInForce}},
			law:       statusOf{Status: "repealed", RepealedBy: "laws/minfadian-fuze.md", RepealedOn: "2021-01-01", Basis: "《中华人民共和国民法典》第一千二百六十条"},
			interp:    statusOf{Status: "in-force"},
		},
		{
			name:      "the overrides keep the law in force",
			sources:   []string{repealedLibrary, civil},
			overrides: map[string]Override{"hunyinfa": {Status: StatusInForce}},
			law:       statusOf{Status: "in-force"},
			interp:    statusOf{Status: "in-force"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			into := t.TempDir()
			rep, err := Import(Options{Into: into, Sources: tt.sources, Overrides: tt.overrides})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Failed() {
				t.Fatalf("import: %v", rep.Errors)
			}
			law, _ := readPage(t, filepath.Join(into, "hunyinfa.md"))
			if got := pick(law); got != tt.law {
				t.Errorf("婚姻法 = %+v, want %+v", got, tt.law)
			}
			old, _ := readPage(t, filepath.Join(into, "hunyinfa-1980-09-10.md"))
			switch {
			case tt.law.Status == "repealed" && pick(old) != tt.law:
				t.Errorf("婚姻法 (1980) = %+v, want %+v", pick(old), tt.law)
			case tt.law.Status != "repealed" && (old.Status != "superseded" || old.SupersededBy != "laws/hunyinfa.md"):
				t.Errorf("婚姻法 (1980) = %+v, want superseded by laws/hunyinfa.md", old)
			}
			interp, _ := readPage(t, filepath.Join(into, interpretation+".md"))
			if got := pick(interp); got != tt.interp {
				t.Errorf("interpretation = %+v, want %+v", got, tt.interp)
			}
			// 民法典 itself, and the 1950 婚姻法 that the 1980 text
			// repeals (the same title), stay as they were.
			for _, p := range rep.Pages {
				if strings.HasPrefix(p.Path, "laws/minfadian") && p.Status != StatusInForce {
					t.Errorf("%s: %s", p.Path, p.Status)
				}
			}
		})
	}
}

func TestInterpretedLaws(t *testing.T) {
	tests := []struct{ title, want string }{
		{"最高人民法院关于适用《中华人民共和国婚姻法》若干问题的解释（一）", "中华人民共和国婚姻法"},
		{"最高人民法院关于贯彻执行《中华人民共和国民法通则》若干问题的意见（试行）", "中华人民共和国民法通则"},
		{"最高人民法院关于适用《中华人民共和国担保法》若干问题的解释", "中华人民共和国担保法"},
		{"全国人民代表大会常务委员会关于《中华人民共和国刑法》第九十三条第二款的解释", "中华人民共和国刑法"},
		{"全国人民代表大会常务委员会关于修改《中华人民共和国婚姻法》的决定", ""},
		{"最高人民法院关于审理涉及夫妻债务纠纷案件适用法律有关问题的解释", ""},
		{"中华人民共和国婚姻法", ""},
	}
	for _, tt := range tests {
		got := strings.Join(interpretedLaws(tt.title), ",")
		if got != tt.want {
			t.Errorf("interpretedLaws(%s) = %q, want %q", tt.title, got, tt.want)
		}
	}
}
