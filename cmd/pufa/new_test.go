package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pufa-gov/pufa/internal/campaign"
)

func TestNewCampaign(t *testing.T) {
	dir := siteWithData(t, "windows:\n  - {festival: jinglao, year: 2025, start: 2025-10-10, end: 2025-10-31, source: 通知}\n")
	tests := []struct {
		args       []string
		file       string
		key        string
		year       int
		wantStdout []string
	}{
		{[]string{"campaign", "清明节", "2027"}, "content/campaigns/2027/qingming.md", "qingming", 2027, []string{
			"created content/campaigns/2027/qingming.md",
			"清明节 2027-04-05, window 2027-03-29 至 2027-04-05, publishDate 2027-03-15T09:00:00+08:00, draft",
		}},
		{[]string{"campaign", "520", "2027", "--content", "elsewhere"}, "elsewhere/campaigns/2027/520.md", "520", 2027, []string{
			"created elsewhere/campaigns/2027/520.md",
		}},
		{[]string{"campaign", "jinglao", "2025"}, "content/campaigns/2025/jinglao.md", "jinglao", 2025, []string{
			"敬老月 2025-10-10 至 2025-10-31, window 2025-10-10 至 2025-10-31, publishDate 2025-09-26T09:00:00+08:00, draft",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			stdout, stderr, err := runCmd(t, newCmd{}, dir, tt.args...)
			if err != nil {
				t.Fatalf("new %v: %v\n%s", tt.args, err, stderr)
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			got, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			data, err := campaign.LoadData(filepath.Join(dir, "site", "data", "campaigns.yaml"), false)
			if err != nil {
				t.Fatal(err)
			}
			o, err := campaign.New(data).Lookup(tt.key, tt.year)
			if err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			if err := campaign.WritePage(&want, o); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.String(), string(got)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.file, diff)
			}
		})
	}
}

func TestNewCampaignProvisional(t *testing.T) {
	dir := t.TempDir()
	_, stderr, err := runCmd(t, newCmd{}, dir, "campaign", "宪法宣传周", "2027")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "宪法宣传周 2027 is not in the campaign data yet") {
		t.Errorf("no provisional warning on stderr:\n%s", stderr)
	}
	page, err := os.ReadFile(filepath.Join(dir, "content", "campaigns", "2027", "xianfazhou.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "以下日期是暂定的") {
		t.Errorf("page does not say its dates are provisional:\n%s", page)
	}
}

func TestNewCampaignOverwrite(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "content", "campaigns", "2027", "chongyang.md")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	edited := []byte("---\ntitle: 已经写好的页面\n---\n")
	if err := os.WriteFile(file, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCmd(t, newCmd{}, dir, "campaign", "chongyang", "2027")
	if err == nil || !strings.Contains(err.Error(), "content/campaigns/2027/chongyang.md already exists (use --force to overwrite)") {
		t.Fatalf("new over an existing page: error = %v", err)
	}
	if got, _ := os.ReadFile(file); !bytes.Equal(got, edited) {
		t.Fatalf("existing page changed without --force:\n%s", got)
	}
	if _, _, err := runCmd(t, newCmd{}, dir, "campaign", "chongyang", "2027", "--force"); err != nil {
		t.Fatalf("new --force: %v", err)
	}
	got, _ := os.ReadFile(file)
	if !strings.Contains(string(got), "eventDate: 2027-10-08") {
		t.Errorf("page not replaced with --force:\n%s", got)
	}
	if entries, _ := os.ReadDir(filepath.Dir(file)); len(entries) != 1 {
		t.Errorf("folder holds %d files after --force, want 1 (temporary file left behind?)", len(entries))
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		usage bool
		msg   string
	}{
		{"no kind", nil, true, "missing kind"},
		{"unknown kind", []string{"page", "x"}, true, `unknown kind "page" (want campaign)`},
		{"missing year", []string{"campaign", "qingming"}, true, "want FESTIVAL and YEAR"},
		{"unknown festival", []string{"campaign", "chunjie", "2027"}, true,
			`unknown festival "chunjie"; known: qingming (清明节), zhucanri (全国助残日), 520 (520 婚姻登记宣传日), liuyi (六一国际儿童节), minfadian (民法典宣传月), cishan (中华慈善日), chongyang (重阳节), jinglao (敬老月), canjiren (国际残疾人日), xianfa (国家宪法日), xianfazhou (宪法宣传周)`},
		{"bad year", []string{"campaign", "qingming", "27"}, true, "year 27: out of range"},
		{"not yet observed", []string{"campaign", "minfadian", "2020"}, false, "not yet observed (first in 2021)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			_, _, err := runCmd(t, newCmd{}, dir, tt.args...)
			if err == nil {
				t.Fatalf("new %v: no error", tt.args)
			}
			if errors.Is(err, errUsage) != tt.usage || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("new %v error = %v (usage %v), want %q (usage %v)", tt.args, err, errors.Is(err, errUsage), tt.msg, tt.usage)
			}
			if _, err := os.Stat(filepath.Join(dir, "content")); err == nil {
				t.Error("content folder created despite the error")
			}
		})
	}
	if !errors.Is(func() error { _, _, err := runCmd(t, newCmd{}, t.TempDir(), "campaign", "x", "2027"); return err }(), campaign.ErrUnknownFestival) {
		t.Error("unknown festival error does not wrap campaign.ErrUnknownFestival")
	}
}

func TestNewExitStatus(t *testing.T) {
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Dir: t.TempDir()}
	if code := run(context.Background(), env, []string{"new", "campaign", "春节", "2027"}); code != 2 {
		t.Errorf("pufa new campaign 春节 2027: exit %d, want 2; stderr:\n%s", code, errb.String())
	}
}
