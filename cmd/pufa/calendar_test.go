package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pufa-gov/pufa/internal/campaign"
)

// runCmd runs one command in-process in dir and returns its output.
func runCmd(t *testing.T, c command, dir string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Dir: dir}
	err = c.Run(context.Background(), env, args)
	return out.String(), errb.String(), err
}

// siteWithData returns a folder holding site/data/campaigns.yaml with src.
func siteWithData(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	data := filepath.Join(dir, "site", "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "campaigns.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCalendar2027(t *testing.T) {
	stdout, stderr, err := runCmd(t, calendarCmd{}, "../..", "2027")
	if err != nil {
		t.Fatalf("calendar 2027: %v\n%s", err, stderr)
	}
	want := `2027-04-05  清明节  (qingming)
2027-05-01 至 2027-05-31  民法典宣传月  (minfadian)
2027-05-16  全国助残日  (zhucanri)
2027-05-20  520 婚姻登记宣传日  (520)
2027-06-01  六一国际儿童节  (liuyi)
2027-09-05  中华慈善日  (cishan)
2027-10-01 至 2027-10-31  敬老月  (jinglao)
2027-10-08  重阳节  (chongyang)
2027-12-01 至 2027-12-07  宪法宣传周  (xianfazhou)  暂定，以当年通知为准
2027-12-03  国际残疾人日  (canjiren)
2027-12-04  国家宪法日  (xianfa)
`
	if diff := cmp.Diff(want, stdout); diff != "" {
		t.Errorf("calendar 2027 (-want +got):\n%s", diff)
	}
}

func TestCalendarOutput(t *testing.T) {
	tests := []struct {
		name  string
		dir   string
		args  []string
		lines []string // each must appear as a whole line
		not   []string // must not appear anywhere
	}{
		{"announced windows from the repository data", "../..", []string{"2025"}, []string{
			"2025-10-10 至 2025-10-31  敬老月  (jinglao)",
			"2025-12-01 至 2025-12-07  宪法宣传周  (xianfazhou)",
			"2025-10-29  重阳节  (chongyang)",
		}, []string{"暂定"}},
		{"windows flag", "../..", []string{"--windows", "2027"}, []string{
			"2027-04-05  清明节  (qingming)  宣传期 2027-03-29 至 2027-04-05",
			"2027-05-01 至 2027-05-31  民法典宣传月  (minfadian)",
		}, nil},
		{"flag after year", "../..", []string{"2027", "--windows"}, []string{
			"2027-12-04  国家宪法日  (xianfa)  宣传期 2027-11-27 至 2027-12-04",
		}, nil},
		{"festivals not yet observed", "../..", []string{"2015"}, []string{
			"2015-12-04  国家宪法日  (xianfa)",
		}, []string{"xianfazhou", "minfadian", "cishan"}},
		{"no data file", t.TempDir(), []string{"2022"}, []string{
			"2022-12-01 至 2022-12-07  宪法宣传周  (xianfazhou)  暂定，以当年通知为准",
		}, nil},
		{"data file of another site", siteWithData(t, "windows:\n  - {festival: xianfazhou, year: 2027, start: 2027-11-29, end: 2027-12-05}\n"),
			[]string{"2027"}, []string{"2027-11-29 至 2027-12-05  宪法宣传周  (xianfazhou)"}, []string{"暂定"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, err := runCmd(t, calendarCmd{}, tt.dir, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(stdout, "\n")
			for _, want := range tt.lines {
				found := false
				for _, l := range lines {
					found = found || l == want
				}
				if !found {
					t.Errorf("output lacks line %q:\n%s", want, stdout)
				}
			}
			for _, bad := range tt.not {
				if strings.Contains(stdout, bad) {
					t.Errorf("output contains %q:\n%s", bad, stdout)
				}
			}
		})
	}
}

func TestCalendarDefaultYear(t *testing.T) {
	year := campaign.Today().Year
	got, _, err := runCmd(t, calendarCmd{}, "../..")
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := runCmd(t, calendarCmd{}, "../..", strconv.Itoa(year))
	if err != nil {
		t.Fatal(err)
	}
	if got != want || !strings.Contains(got, strconv.Itoa(year)+"-") {
		t.Errorf("calendar without YEAR:\n%s\nwant the calendar of %d:\n%s", got, year, want)
	}
}

func TestCalendarErrors(t *testing.T) {
	bad := siteWithData(t, "windows:\n  - festival: xianfazhou\n    year: 2027\n    start: 2027-12-07\n    end: 2027-12-01\n")
	tests := []struct {
		name  string
		dir   string
		args  []string
		usage bool
		msg   string
	}{
		{"not a year", "../..", []string{"二〇二七"}, true, `year "二〇二七": want a number`},
		{"year out of range", "../..", []string{"3000"}, true, "year 3000: out of range 1950–2100"},
		{"two years", "../..", []string{"2026", "2027"}, true, `unexpected argument "2027"`},
		{"unknown flag", "../..", []string{"--month", "5"}, true, "flag provided but not defined"},
		{"bad data file", bad, []string{"2027"}, false, "site/data/campaigns.yaml:5: end: 2027-12-01 is before start 2027-12-07"},
		{"missing --site", "../..", []string{"--site", "no/such/site", "2027"}, false, "read campaign data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, err := runCmd(t, calendarCmd{}, tt.dir, tt.args...)
			if err == nil {
				t.Fatalf("calendar %v: no error; output:\n%s", tt.args, stdout)
			}
			if errors.Is(err, errUsage) != tt.usage || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("calendar %v error = %v (usage %v), want %q (usage %v)", tt.args, err, errors.Is(err, errUsage), tt.msg, tt.usage)
			}
		})
	}
}

func TestCalendarExitStatus(t *testing.T) {
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Dir: "../.."}
	if code := run(context.Background(), env, []string{"calendar", "abc"}); code != 2 {
		t.Errorf("pufa calendar abc: exit %d, want 2; stderr:\n%s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "usage: pufa calendar") {
		t.Errorf("stderr lacks the usage line:\n%s", errb.String())
	}
}
