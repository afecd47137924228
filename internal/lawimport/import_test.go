package lawimport

import (
	"bytes"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// library is a small copy of the national corpus: 民法典 parts, both
// versions of 慈善法, 宪法 with its preamble, an amendment without
// articles, a Shanghai regulation without chapters.
const library = "../lawtext/testdata"

// frontMatter is what the tests read back from a written page.
type frontMatter struct {
	Title        string   `yaml:"title"`
	Subtitle     string   `yaml:"subtitle"`
	LawKey       string   `yaml:"lawKey"`
	Issuer       string   `yaml:"issuer"`
	Passed       string   `yaml:"passed"`
	Effective    string   `yaml:"effective"`
	Amended      []string `yaml:"amended"`
	History      []string `yaml:"history"`
	Version      string   `yaml:"version"`
	Status       string   `yaml:"status"`
	SupersededBy string   `yaml:"supersededBy"`
	RepealedBy   string   `yaml:"repealedBy"`
	RepealedOn   string   `yaml:"repealedOn"`
	Basis        string   `yaml:"basis"`
	Interprets   string   `yaml:"interprets"`
	StatusNote   string   `yaml:"statusNote"`
	SourceFile   string   `yaml:"sourceFile"`
	ArticleCount int      `yaml:"articleCount"`
	Date         string   `yaml:"date"`
	Source       string   `yaml:"source"`
}

func readPage(t *testing.T, file string) (frontMatter, string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	rest, ok := strings.CutPrefix(string(data), "---\n")
	fm, body, ok2 := strings.Cut(rest, "\n---\n")
	if !ok || !ok2 {
		t.Fatalf("%s: no front matter", file)
	}
	var m frontMatter
	// Dates are read as strings here: the node decoder keeps their text.
	var node yaml.Node
	if err := yaml.Unmarshal([]byte(fm), &node); err != nil {
		t.Fatalf("%s: front matter: %v", file, err)
	}
	for _, n := range node.Content[0].Content {
		if n.Tag == "!!timestamp" {
			n.Tag = "!!str"
		}
		for _, c := range n.Content {
			if c.Tag == "!!timestamp" {
				c.Tag = "!!str"
			}
		}
	}
	if err := node.Decode(&m); err != nil {
		t.Fatalf("%s: front matter: %v", file, err)
	}
	return m, body
}

func TestImportLibrary(t *testing.T) {
	into := t.TempDir()
	var progress bytes.Buffer
	overrides := map[string]Override{
		"shanghaishijuminweiyuanhuigongzuotiaoli": {Status: StatusSuperseded, SupersededBy: "laws/shanghaishijuminweiyuanhuigongzuotiaoli-2025.md", Note: "本条例已修订，新文本尚未收录。"},
		"no-such-law": {Status: StatusSuperseded, Note: "不影响其他法律。"},
	}
	rep, err := Import(Options{Into: into, Sources: []string{library}, Overrides: overrides, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rep.Errors {
		t.Errorf("error: %v", e)
	}
	var paths []string
	for _, p := range rep.Pages {
		paths = append(paths, p.Path)
	}
	want := []string{
		"laws/aomentebiexingzhengqujibenfa.md",
		"laws/cishanfa-2016-03-16.md",
		"laws/cishanfa.md",
		"laws/minfadian-fuze.md",
		"laws/minfadian-jichengbian.md",
		"laws/nongcuntudichengbaojingyingjiufendiaojiezhongcaifa.md",
		"laws/shanghaishijuminweiyuanhuigongzuotiaoli.md",
		"laws/wenwubaohufa.md",
		"laws/xianfa.md",
		"laws/xingfaxiuzhenganshiyi.md",
	}
	if !slices.Equal(paths, want) {
		t.Errorf("pages:\n%s\nwant:\n%s", strings.Join(paths, "\n"), strings.Join(want, "\n"))
	}
	if rep.Written() != len(want) {
		t.Errorf("Written() = %d, want %d", rep.Written(), len(want))
	}
	if got := progress.String(); !strings.Contains(got, "reading 10/10") || !strings.Contains(got, "writing 10/10") {
		t.Errorf("progress = %q", got)
	}

	tests := []struct {
		file string
		want frontMatter
	}{
		{"minfadian-jichengbian.md", frontMatter{
			Title: "中华人民共和国民法典", Subtitle: "继承编", LawKey: "minfadian-jichengbian", Issuer: "全国人民代表大会",
			Passed: "2020-05-28", Effective: "2021-01-01",
			History: []string{"2020年5月28日 第十三届全国人民代表大会第三次会议通过", "2021年1月1日 施行"},
			Version: "2020-05-28", Status: "in-force", SourceFile: "民法典/继承编.md", ArticleCount: 45,
			Date: "2020-05-28T00:00:00+08:00", Source: "国家法律法规数据库",
		}},
		{"cishanfa.md", frontMatter{
			Title: "中华人民共和国慈善法", LawKey: "cishanfa", Issuer: "全国人民代表大会",
			Passed: "2016-03-16", Amended: []string{"2023-12-29"},
			History: []string{
				"2016年3月16日 第十二届全国人民代表大会第四次会议通过",
				"2023年12月29日 第十四届全国人民代表大会常务委员会第七次会议《关于修改〈中华人民共和国慈善法〉的决定》修正）",
			},
			Version: "2023-12-29", Status: "in-force", SourceFile: "社会法/慈善法(2023-12-29).md", ArticleCount: 125,
			Date: "2023-12-29T00:00:00+08:00", Source: "国家法律法规数据库",
		}},
		{"cishanfa-2016-03-16.md", frontMatter{
			Title: "中华人民共和国慈善法", LawKey: "cishanfa", Issuer: "全国人民代表大会",
			Passed: "2016-03-16", Effective: "2016-09-01",
			History: []string{"2016年3月16日 第十二届全国人民代表大会第四次会议通过"},
			Version: "2016-03-16", Status: "superseded", SupersededBy: "laws/cishanfa.md",
			SourceFile: "社会法/慈善法(2016-03-16).md", ArticleCount: 112,
			Date: "2016-03-16T00:00:00+08:00", Source: "国家法律法规数据库",
		}},
		{"shanghaishijuminweiyuanhuigongzuotiaoli.md", frontMatter{
			Title: "上海市居民委员会工作条例", LawKey: "shanghaishijuminweiyuanhuigongzuotiaoli",
			Issuer: "上海市人民代表大会常务委员会", Passed: "2017-04-20", Amended: []string{"2020-05-14"},
			History: []string{
				"2017年4月20日 上海市第十四届人民代表大会常务委员会第三十七次会议通过",
				"2020年5月14日 上海市第十五届人民代表大会常务委员会第二十一次会议《关于修改本市部分地方性法规的决定》第一次修正",
			},
			Version: "2020-05-14", Status: "superseded",
			SupersededBy: "laws/shanghaishijuminweiyuanhuigongzuotiaoli-2025.md", StatusNote: "本条例已修订，新文本尚未收录。",
			SourceFile: "地方性法规/上海/上海市居民委员会工作条例(2020-05-14).md", ArticleCount: 39,
			Date: "2020-05-14T00:00:00+08:00", Source: "国家法律法规数据库",
		}},
		{"xingfaxiuzhenganshiyi.md", frontMatter{
			Title: "中华人民共和国刑法修正案（十一）", LawKey: "xingfaxiuzhenganshiyi", Issuer: "全国人民代表大会常务委员会",
			Passed: "2020-12-26", History: []string{"2020年12月26日 第十三届全国人民代表大会常务委员会第二十四次会议通过"},
			Version: "2020-12-26", Status: "in-force", SourceFile: "刑法/刑法修正案（十一）.md",
			Date: "2020-12-26T00:00:00+08:00", Source: "国家法律法规数据库",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, body := readPage(t, filepath.Join(into, tt.file))
			gotY, _ := yaml.Marshal(got)
			wantY, _ := yaml.Marshal(tt.want)
			if !bytes.Equal(gotY, wantY) {
				t.Errorf("front matter:\n%s\nwant:\n%s", gotY, wantY)
			}
			checkBody(t, tt.file, body, got.ArticleCount)
		})
	}
}

var (
	articleLine = regexp.MustCompile(`^\[(第[^\]]+条(?:之[^\]]+)?)\]\(#(a\d+(?:-\d+)?)\)(?:　.*)?$`)
	attrLine    = regexp.MustCompile(`^\{#(a\d+(?:-\d+)?) \.pf-article\}$`)
)

// checkBody checks the text of a page: blocks separated by blank lines,
// each article line followed by its attribute line with the same anchor,
// headings at most one level deeper than the one before.
func checkBody(t *testing.T, name, body string, articles int) {
	t.Helper()
	if !strings.HasSuffix(body, "\n") || strings.HasSuffix(body, "\n\n") {
		t.Errorf("%s: body does not end in exactly one newline", name)
	}
	blocks := strings.Split(strings.TrimPrefix(strings.TrimSuffix(body, "\n"), "\n"), "\n\n")
	n, level := 0, 1
	for _, b := range blocks {
		lines := strings.Split(b, "\n")
		switch {
		case strings.HasPrefix(b, "#"):
			l := len(b) - len(strings.TrimLeft(b, "#"))
			if len(lines) != 1 || l < 2 || l > level+1 {
				t.Errorf("%s: heading %q after level %d", name, b, level)
			}
			level = l
		case articleLine.MatchString(lines[0]):
			m := articleLine.FindStringSubmatch(lines[0])
			if len(lines) != 2 || attrLine.FindStringSubmatch(lines[1]) == nil || attrLine.FindStringSubmatch(lines[1])[1] != m[2] {
				t.Errorf("%s: article block %q lacks its attribute line", name, b)
			}
			n++
		default:
			if len(lines) != 1 || strings.HasPrefix(b, "{") {
				t.Errorf("%s: paragraph %q", name, b)
			}
		}
	}
	if n != articles {
		t.Errorf("%s: %d articles in the text, articleCount %d", name, n, articles)
	}
}

// TestImportGolden compares whole pages with reviewed copies; run with
// -update to rewrite them.
func TestImportGolden(t *testing.T) {
	into := t.TempDir()
	rep, err := Import(Options{Into: into, Sources: []string{
		filepath.Join(library, "民法典", "附则.md"),
		filepath.Join(library, "民法典", "继承编.md"),
	}})
	if err != nil || rep.Failed() {
		t.Fatalf("Import: %v %v", err, rep.Errors)
	}
	for _, name := range []string{"minfadian-fuze.md", "minfadian-jichengbian.md"} {
		got, err := os.ReadFile(filepath.Join(into, name))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", name+".golden")
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run go test -update and review the diff)", name, golden)
		}
	}
}

// writeLaws writes files relative to a new folder and returns it.
func writeLaws(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func law(title, history, text string) string {
	return "# " + title + "\n\n" + history + "\n\n<!-- INFO END -->\n\n" + text + "\n"
}

const (
	prosecutors = "中华人民共和国检察官法"
	supervisors = "中华人民共和国监察官法"
)

func TestImportProblems(t *testing.T) {
	lib := writeLaws(t, map[string]string{
		"司法/检察官法(2019-04-23).md": law(prosecutors, "2019年4月23日 第十三届全国人民代表大会常务委员会第十次会议修订",
			"第一条 为了全面推进高素质检察官队伍建设，制定本法。"),
		"监察/监察官法(2021-08-20).md": law(supervisors, "2021年8月20日 第十三届全国人民代表大会常务委员会第三十次会议通过",
			"第一条 为了加强对监察官的管理和监督，制定本法。"),
		// The same text filed under a second subject.
		"行政/监察官法(2021-08-20).md": law(supervisors, "2021年8月20日 第十三届全国人民代表大会常务委员会第三十次会议通过",
			"第一条 为了加强对监察官的管理和监督，制定本法。"),
		// Another text claiming the same version.
		"附录/监察官法(2021-08-20).md": law(supervisors, "2021年8月20日 通过", "第一条 为了加强监察官队伍建设。"),
		// A version without a date among dated ones.
		"其他/检察官法.md": law(prosecutors, "", "第一条 为了保障检察官依法行使检察权。"),
		"坏/坏法(2020-01-01).md": law("中华人民共和国坏法", "2020年1月1日 通过",
			"## 第一章 总则\n\n第一条 甲。\n\n第一百零零条 乙。"),
	})
	into := t.TempDir()
	missing := filepath.Join(lib, "没有这个文件.md")
	rep, err := Import(Options{Into: into, Sources: []string{lib, missing}})
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	for _, e := range rep.Errors {
		errs = append(errs, strings.ReplaceAll(e.Error(), lib+string(filepath.Separator), ""))
	}
	for _, want := range []string{
		"坏/坏法(2020-01-01).md:11: article: \"第一百零零条\": malformed number: repeated 零",
		"其他/检察官法.md: no version date to place it among the other versions of 中华人民共和国检察官法 (name the file 检察官法(YYYY-MM-DD).md)",
		"附录/监察官法(2021-08-20).md: 监察/监察官法(2021-08-20).md has the same title and version (2021-08-20) but a different text",
		"没有这个文件.md: stat ",
	} {
		if !slices.ContainsFunc(errs, func(e string) bool { return strings.HasPrefix(e, want) }) {
			t.Errorf("errors lack %q:\n%s", want, strings.Join(errs, "\n"))
		}
	}
	if len(errs) != 4 {
		t.Errorf("%d errors, want 4:\n%s", len(errs), strings.Join(errs, "\n"))
	}
	if len(rep.Skipped) != 1 || !strings.HasSuffix(rep.Skipped[0].Source, "行政/监察官法(2021-08-20).md") ||
		!strings.HasSuffix(rep.Skipped[0].DuplicateOf, "监察/监察官法(2021-08-20).md") {
		t.Errorf("skipped = %+v, want 行政/监察官法 as a duplicate of 监察/监察官法", rep.Skipped)
	}
	// 检察官法 and 监察官法 sound alike: the first by title keeps the slug.
	var paths []string
	for _, p := range rep.Pages {
		paths = append(paths, p.Path)
	}
	wantPaths := []string{"laws/jianchaguanfa-" + digest(supervisors, "")[:6] + ".md", "laws/jianchaguanfa.md"}
	if !slices.Equal(paths, wantPaths) {
		t.Errorf("pages %v, want %v", paths, wantPaths)
	}
}

// TestImportHandWritten checks that the importer never replaces a page an
// editor wrote, such as the record of a law whose text is not imported.
func TestImportHandWritten(t *testing.T) {
	into := t.TempDir()
	handWritten := "---\ntitle: 中华人民共和国民法典\nstatus: not-imported\n---\n\n全文尚未收录。\n"
	page := filepath.Join(into, "minfadian-fuze.md")
	if err := os.WriteFile(page, []byte(handWritten), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Import(Options{Into: into, Sources: []string{filepath.Join(library, "民法典", "附则.md")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].Path != page || !strings.Contains(rep.Errors[0].Error(), "not an imported law page") {
		t.Errorf("errors = %v, want one refusing to replace %s", rep.Errors, page)
	}
	if data, _ := os.ReadFile(page); string(data) != handWritten {
		t.Errorf("hand-written page replaced")
	}
}

// TestImportOrderIndependent imports the same files listed in two orders.
func TestImportOrderIndependent(t *testing.T) {
	lib := writeLaws(t, map[string]string{
		"a/检察官法(2019-04-23).md": law(prosecutors, "2019年4月23日 修订", "第一条 甲。"),
		"b/监察官法(2021-08-20).md": law(supervisors, "2021年8月20日 通过", "第一条 乙。"),
		"c/检察官法(2017-09-01).md": law(prosecutors, "2017年9月1日 修正", "第一条 丙。"),
	})
	files := []string{
		filepath.Join(lib, "a", "检察官法(2019-04-23).md"),
		filepath.Join(lib, "b", "监察官法(2021-08-20).md"),
		filepath.Join(lib, "c", "检察官法(2017-09-01).md"),
	}
	var outs []map[string][]byte
	for _, order := range [][]string{files, {files[2], files[1], files[0]}} {
		into := t.TempDir()
		rep, err := Import(Options{Into: into, Sources: order})
		if err != nil || rep.Failed() {
			t.Fatalf("Import: %v %v", err, rep.Errors)
		}
		outs = append(outs, readDir(t, into))
	}
	if len(outs[0]) != 3 || len(outs[0]) != len(outs[1]) {
		t.Fatalf("%d and %d pages, want 3", len(outs[0]), len(outs[1]))
	}
	for name, data := range outs[0] {
		if !bytes.Equal(data, outs[1][name]) {
			t.Errorf("%s depends on the order of the sources", name)
		}
	}
	if _, ok := outs[0]["jianchaguanfa-2017-09-01.md"]; !ok {
		t.Errorf("older version missing: %v", slices.Sorted(maps.Keys(outs[0])))
	}
}

func TestImportRewritesOnlyChanges(t *testing.T) {
	into := t.TempDir()
	opts := Options{Into: into, Sources: []string{filepath.Join(library, "民法典")}}
	rep, err := Import(opts)
	if err != nil || rep.Failed() || rep.Written() != 2 {
		t.Fatalf("first import: %v %v, %d written", err, rep.Errors, rep.Written())
	}
	page := filepath.Join(into, "minfadian-fuze.md")
	original, _ := os.ReadFile(page)
	if err := os.WriteFile(page, append(original, "编辑改动。\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err = Import(opts)
	if err != nil || rep.Failed() || rep.Written() != 1 {
		t.Fatalf("second import: %v %v, %d written, want 1", err, rep.Errors, rep.Written())
	}
	if data, _ := os.ReadFile(page); !bytes.Equal(data, original) {
		t.Errorf("edited page not restored")
	}
	if left, _ := filepath.Glob(filepath.Join(into, ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestLibraryRoot(t *testing.T) {
	abs, err := filepath.Abs(library)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		sources []string
		want    string
	}{
		{[]string{library}, abs},
		// 民法典 is a section folder (it has an _index.md): the root is above it.
		{[]string{filepath.Join(library, "民法典")}, abs},
		{[]string{filepath.Join(library, "民法典", "继承编.md")}, abs},
		{[]string{filepath.Join(library, "社会法"), filepath.Join(library, "地方性法规", "上海")}, abs},
		{[]string{filepath.Join(library, "地方性法规", "上海")}, filepath.Join(abs, "地方性法规", "上海")},
	}
	for _, tt := range tests {
		if got := libraryRoot(tt.sources); got != tt.want {
			t.Errorf("libraryRoot(%q) = %q, want %q", tt.sources, got, tt.want)
		}
	}
}

func TestParseOverrides(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string]Override
		wantErr  string
	}{
		{name: "empty", in: "", want: nil},
		{name: "comment only", in: "# 没有覆盖\n", want: nil},
		{
			name: "superseded",
			in:   "hunyindengjitiaoli:\n  status: superseded\n  supersededBy: laws/hunyindengjitiaoli-2025.md\n  note: 已修订。\n",
			want: map[string]Override{"hunyindengjitiaoli": {Status: "superseded", SupersededBy: "laws/hunyindengjitiaoli-2025.md", Note: "已修订。"}},
		},
		{name: "not a mapping", in: "- a\n", wantErr: "lawstatus.yaml:1: want a mapping"},
		{
			name: "repealed",
			in:   "hunyinfa:\n  status: repealed\n  repealedBy: laws/minfadian-hunyinjiatingbian.md\n  repealedOn: 2021-01-01\n  basis: 《中华人民共和国民法典》第一千二百六十条\n",
			want: map[string]Override{"hunyinfa": {Status: "repealed", RepealedBy: "laws/minfadian-hunyinjiatingbian.md", RepealedOn: "2021-01-01", Basis: "《中华人民共和国民法典》第一千二百六十条"}},
		},
		{name: "bad status", in: "x:\n  status: abolished\n", wantErr: "lawstatus.yaml:2: x.status: \"abolished\" is not one of"},
		{name: "repealed without why", in: "x:\n  status: repealed\n", wantErr: "lawstatus.yaml:2: x.repealedBy: a repealed law names"},
		{name: "bad repealing page", in: "x:\n  status: repealed\n  repealedBy: minfadian\n", wantErr: "lawstatus.yaml:2: x.repealedBy:"},
		{name: "bad repeal date", in: "x:\n  status: repealed\n  basis: 某法第一条\n  repealedOn: 2021-02-30\n", wantErr: "lawstatus.yaml:2: x.repealedOn:"},
		{name: "basis of a law in force", in: "x:\n  status: in-force\n  basis: 某法第一条\n", wantErr: "lawstatus.yaml:2: x.status: repealedBy, basis and repealedOn belong"},
		{name: "unknown field", in: "x:\n  status: in-force\n  reason: y\n", wantErr: "lawstatus.yaml:3: x.reason: unknown field"},
		{name: "bad path", in: "x:\n  status: superseded\n  supersededBy: content/laws/y.md\n", wantErr: "lawstatus.yaml:2: x.supersededBy:"},
		{name: "no successor", in: "x:\n  status: superseded\n", wantErr: "lawstatus.yaml:2: x.supersededBy: a superseded law names"},
		{name: "twice", in: "x:\n  status: in-force\nx:\n  status: in-force\n", wantErr: "lawstatus.yaml"},
		{name: "scalar", in: "x: superseded\n", wantErr: "lawstatus.yaml:1: x: want status"},
		{name: "syntax", in: "x: [\n", wantErr: "lawstatus.yaml: yaml:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseOverrides([]byte(tt.in), "lawstatus.yaml")
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("ParseOverrides error = %v, want prefix %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("ParseOverrides = %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("ParseOverrides[%s] = %+v, want %+v", k, got[k], v)
				}
			}
		})
	}
}

// TestSiteOverrides checks the overrides file the site ships.
func TestSiteOverrides(t *testing.T) {
	got, err := LoadOverrides(filepath.Join("..", "..", OverridesFile))
	if err != nil {
		t.Fatal(err)
	}
	o, ok := got["hunyindengjitiaoli"]
	if !ok || o.Status != StatusSuperseded || o.SupersededBy == "" {
		t.Errorf("site overrides = %+v, want 婚姻登记条例 (2003) superseded", got)
	}
	if _, err := LoadOverrides(filepath.Join(t.TempDir(), "none.yaml")); err != nil {
		t.Errorf("LoadOverrides of a missing file: %v", err)
	}
}
