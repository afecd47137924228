package indexer

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteCalendarsCoversNextYearByRule(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	pub := time.Date(2026, 3, 20, 9, 0, 0, 0, cst)
	m := &Manifest{
		Generator: "pufa",
		Built:     time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC),
		Site:      SiteInfo{Title: "普法专栏", BaseURL: "https://portal.example.gov.cn/pufa/"},
		Pages: []Page{
			{URL: "/pufa/campaigns/", Permalink: "https://portal.example.gov.cn/pufa/campaigns/", Kind: "section", Section: "campaigns"},
			{URL: "/pufa/campaigns/2026/qingming/", Permalink: "https://portal.example.gov.cn/pufa/campaigns/2026/qingming/", Kind: "page", Section: "campaigns",
				Title: "2026年清明节殡葬改革法规宣传", Date: &pub,
				Params: Params{Festival: []byte(`"qingming"`), Year: "2026", EventDate: "2026-04-05", Window: &Window{Start: "2026-03-28", End: "2026-04-06"},
					Events: []Event{{Title: "文明祭扫法律咨询", Place: "区社会福利院", Start: time.Date(2026, 4, 4, 9, 0, 0, 0, cst), End: time.Date(2026, 4, 4, 11, 30, 0, 0, cst)}}}},
		},
	}
	dir := t.TempDir()
	files, err := WriteCalendars(m, dir)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(files, ",") != "campaigns.ics,campaigns-2026.ics,campaigns-2027.ics" {
		t.Fatalf("files = %v", files)
	}
	all, _ := os.ReadFile(filepath.Join(dir, "campaigns.ics"))
	y27, _ := os.ReadFile(filepath.Join(dir, "campaigns-2027.ics"))
	if n := bytes.Count(y27, []byte("BEGIN:VEVENT")); n < 9 {
		t.Errorf("campaigns-2027.ics has %d events, want the year's campaign days (>= 9)", n)
	}
	for _, want := range []string{"2027年清明节", "20270405", "20270516", "20271008", "20271203", "20271204"} {
		if !bytes.Contains(y27, []byte(want)) {
			t.Errorf("campaigns-2027.ics lacks %q", want)
		}
	}
	// The published page replaces the rule's entry for its festival and year.
	if bytes.Contains(all, []byte("2026年清明节\r\n")) || bytes.Count(all, []byte("SUMMARY:2026年清明节")) != 1 {
		t.Errorf("2026 清明节 should appear once, from its campaign page:\n%s", all)
	}
	if !bytes.Contains(all, []byte("LOCATION:区社会福利院")) {
		t.Errorf("offline event missing")
	}
	// The event links to where the campaign page shows it.
	if !bytes.Contains(all, []byte("URL:https://portal.example.gov.cn/pufa/campaigns/2026/qingming/#event-1\r\n")) {
		t.Errorf("offline event's URL is not the event on its page:\n%s", all)
	}
}
