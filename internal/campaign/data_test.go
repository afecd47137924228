package campaign

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// repoFile returns the path of a file given relative to the repository root.
func repoFile(t testing.TB, rel string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, rel)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

func TestRepositoryDataFile(t *testing.T) {
	d, err := LoadData(repoFile(t, DataPath), false)
	if err != nil {
		t.Fatal(err)
	}
	c := New(d)
	// Published windows of 宪法宣传周 and 敬老月.
	want := map[string]string{
		"xianfazhou 2021": "2021-11-29 至 2021-12-05",
		"xianfazhou 2022": "2022-12-04 至 2022-12-10",
		"xianfazhou 2025": "2025-12-01 至 2025-12-07",
		"jinglao 2025":    "2025-10-10 至 2025-10-31",
	}
	for id, w := range want {
		key, year, _ := strings.Cut(id, " ")
		y, err := strconv.Atoi(year)
		if err != nil {
			t.Fatal(err)
		}
		o, err := c.Lookup(key, y)
		if err != nil {
			t.Fatal(err)
		}
		if o.Window.String() != w || !o.Announced || o.Source == "" {
			t.Errorf("%s: window %s announced %v source %q, want %s from the data file", id, o.Window, o.Announced, o.Source, w)
		}
	}
}

func TestLoadDataMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "campaigns.yaml")
	if d, err := LoadData(missing, true); err != nil || len(d.Windows) != 0 {
		t.Errorf("LoadData(missing, optional) = %v, %v, want empty data", d, err)
	}
	if _, err := LoadData(missing, false); err == nil {
		t.Error("LoadData(missing, required): want an error")
	}
}

func TestParseData(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // one message per error, "" for success
	}{
		{"empty file", "", nil},
		{"comments only", "# 说明\n", nil},
		{"empty list", "windows:\n", nil},
		{"chinese name", "windows:\n  - festival: 宪法宣传周\n    year: 2026\n    start: 2026-12-01\n    end: 2026-12-07\n", nil},
		{"quoted values", "windows:\n  - {festival: \"xianfazhou\", year: \"2026\", start: \"2026-12-01\", end: \"2026-12-07\"}\n", nil},
		{"not a mapping", "- a\n", []string{"f.yaml:1: want a mapping with a windows list"}},
		{"syntax", "windows:\n  - festival: [\n", []string{"f.yaml:2: did not find expected node content"}},
		{"unknown top key", "window:\n", []string{"f.yaml:1: window: unknown key (want windows)"}},
		{"windows not list", "windows: 2026\n", []string{"f.yaml:1: windows: want a list of entries"}},
		{"item not mapping", "windows:\n  - xianfazhou\n", []string{"f.yaml:2: windows: want an entry with festival, year, start and end"}},
		{"missing fields", "windows:\n  - festival: xianfazhou\n    year: 2026\n", []string{
			"f.yaml:2: start: missing", "f.yaml:2: end: missing"}},
		{"unknown field", "windows:\n  - festival: xianfazhou\n    year: 2026\n    strat: 2026-12-01\n    start: 2026-12-01\n    end: 2026-12-07\n", []string{
			"f.yaml:4: strat: unknown field (want festival, year, start, end, source)"}},
		{"twice", "windows:\n  - festival: xianfazhou\n    festival: xianfa\n    year: 2026\n    start: 2026-12-01\n    end: 2026-12-07\n", []string{
			"f.yaml:3: festival: given twice"}},
		{"unknown festival", "windows:\n  - festival: chunjie\n    year: 2026\n    start: 2026-02-01\n    end: 2026-02-07\n", []string{
			"f.yaml:2: festival: unknown festival \"chunjie\" (known: qingming, zhucanri, 520, liuyi, minfadian, cishan, chongyang, jinglao, canjiren, xianfa, xianfazhou)"}},
		{"bad year", "windows:\n  - festival: xianfazhou\n    year: 二〇二六\n    start: 2026-12-01\n    end: 2026-12-07\n", []string{
			"f.yaml:3: year: \"二〇二六\" is not a year"}},
		{"year out of range", "windows:\n  - festival: xianfazhou\n    year: 2206\n    start: 2206-12-01\n    end: 2206-12-07\n", []string{
			"f.yaml:3: year: year 2206: out of range 1950–2100"}},
		{"before since", "windows:\n  - festival: xianfazhou\n    year: 2017\n    start: 2017-12-01\n    end: 2017-12-07\n", []string{
			"f.yaml:3: year: 宪法宣传周 (xianfazhou) in 2017: not yet observed (first in 2018)"}},
		{"bad dates", "windows:\n  - festival: xianfazhou\n    year: 2026\n    start: 2026-12-1\n    end: 2026-02-30\n", []string{
			"f.yaml:4: start: parse date \"2026-12-1\": want YYYY-MM-DD",
			"f.yaml:5: end: parse date \"2026-02-30\": want YYYY-MM-DD"}},
		{"end before start", "windows:\n  - festival: xianfazhou\n    year: 2026\n    start: 2026-12-07\n    end: 2026-12-01\n", []string{
			"f.yaml:5: end: 2026-12-01 is before start 2026-12-07"}},
		{"wrong year", "windows:\n  - festival: xianfazhou\n    year: 2026\n    start: 2025-12-01\n    end: 2025-12-07\n", []string{
			"f.yaml:4: start: 2025-12-01 is not in year 2026"}},
		{"too long", "windows:\n  - festival: jinglao\n    year: 2026\n    start: 2026-01-01\n    end: 2026-12-31\n", []string{
			"f.yaml:5: end: window of 365 days is longer than 92"}},
		{"day outside window", "windows:\n  - festival: qingming\n    year: 2026\n    start: 2026-03-20\n    end: 2026-03-31\n", []string{
			"f.yaml:4: start: window 2026-03-20 至 2026-03-31 does not contain 清明节 on 2026-04-05"}},
		{"period elsewhere", "windows:\n  - festival: jinglao\n    year: 2026\n    start: 2026-01-10\n    end: 2026-01-31\n", []string{
			"f.yaml:4: start: window 2026-01-10 至 2026-01-31 does not overlap the usual 敬老月 2026-10-01 至 2026-10-31"}},
		{"duplicate", "windows:\n  - festival: xianfazhou\n    year: 2026\n    start: 2026-12-01\n    end: 2026-12-07\n  - festival: 宪法宣传周\n    year: 2026\n    start: 2026-12-02\n    end: 2026-12-08\n", []string{
			"f.yaml:6: second entry for xianfazhou 2026 (first at f.yaml:2)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseData("f.yaml", []byte(tt.src))
			var got []string
			if err != nil {
				got = strings.Split(err.Error(), "\n")
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("ParseData errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if err != nil {
				var fe *FieldError
				if !errors.As(err, &fe) || fe.File != "f.yaml" {
					t.Errorf("error %v is not a *FieldError for f.yaml", err)
				}
			}
		})
	}
}

func FuzzParseData(f *testing.F) {
	if b, err := os.ReadFile(repoFile(f, DataPath)); err == nil {
		f.Add(string(b))
	}
	f.Add("windows:\n  - festival: qingming\n    year: 2026\n    start: 2026-03-29\n    end: 2026-04-05\n")
	f.Add("windows:\n  - {festival: 520, year: 2027, start: 2027-05-20, end: 2027-05-20}\n")
	f.Add("windows: [[], {}, null, 1]\n")
	f.Add("windows:\n  - &a {festival: xianfa}\n  - *a\n")
	f.Fuzz(func(t *testing.T, src string) {
		d, err := ParseData("f.yaml", []byte(src))
		if err != nil {
			if d != nil {
				t.Fatal("ParseData returned data and an error")
			}
			return
		}
		c := New(d)
		for _, a := range d.Windows {
			o, err := c.Lookup(a.Festival, a.Year)
			if err != nil {
				t.Fatalf("accepted entry %+v: %v", a, err)
			}
			if o.Window != a.Window || !o.Window.Contains(o.Date) || o.Date.Year != a.Year {
				t.Fatalf("accepted entry %+v gives occurrence %+v", a, o)
			}
		}
	})
}
