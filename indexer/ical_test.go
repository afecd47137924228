package indexer

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// update rewrites golden files under testdata/ instead of comparing.
var update = flag.Bool("update", false, "rewrite golden files under testdata/")

var cst = time.FixedZone("CST", 8*60*60)

// longText is a realistic event description, long enough to fold many
// times, with punctuation that TEXT must escape.
const longText = "清明节前后，嘉定区民政局在松鹤墓园服务大厅开展文明祭扫法律咨询：" +
	"讲解《殡葬管理条例》关于公墓管理、骨灰安放和节地生态安葬的规定；" +
	"现场受理生态安葬奖补申请，请携带身份证、户口簿和火化证明。\n" +
	"不能到场的居民可拨打 12345 咨询, 或在网上提交问题。"

func sampleEvents() []CalendarEvent {
	updated := time.Date(2027, 3, 10, 8, 30, 0, 0, time.UTC)
	return []CalendarEvent{
		{
			UID:         "campaigns/2027/qingming/#event-1@pufa",
			Summary:     "文明祭扫法律咨询",
			Description: longText,
			Location:    "嘉定区松鹤墓园服务大厅（嘉定区某某路 100 号）",
			URL:         "https://portal.example.gov.cn/pufa/campaigns/2027/qingming/",
			Start:       time.Date(2027, 4, 4, 9, 0, 0, 0, cst),
			End:         time.Date(2027, 4, 4, 3, 30, 0, 0, time.UTC), // 11:30 in Beijing
			Updated:     updated,
		},
		{
			UID:         "campaigns/2027/qingming/@pufa",
			Summary:     "2027年清明节文明祭扫与殡葬管理法规宣传",
			Description: "宣传期：2027-03-29 至 2027-04-05",
			URL:         "https://portal.example.gov.cn/pufa/campaigns/2027/qingming/",
			Start:       time.Date(2027, 3, 29, 0, 0, 0, 0, cst),
			End:         time.Date(2027, 4, 5, 0, 0, 0, 0, cst),
			AllDay:      true,
			Updated:     updated,
		},
		{
			UID:     "campaigns/2027/xianfa/@pufa",
			Summary: "国家宪法日",
			Start:   time.Date(2027, 12, 4, 0, 0, 0, 0, cst),
			AllDay:  true,
		},
	}
}

// icsLine is one content line of the independent parser below.
type icsLine struct {
	Name   string
	Params map[string]string
	Value  string
}

// parseICS is a small RFC 5545 reader written for the tests, independent
// of the library that writes the feed: it checks the physical form of
// every line, unfolds, and splits name, parameters and value.
func parseICS(t *testing.T, data []byte) []icsLine {
	t.Helper()
	s := string(data)
	if !strings.HasSuffix(s, "\r\n") {
		t.Fatalf("output does not end in CRLF")
	}
	phys := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	var logical []string
	for i, p := range phys {
		if strings.ContainsAny(p, "\r\n") {
			t.Errorf("line %d: bare CR or LF in %q", i+1, p)
		}
		if len(p) > 75 {
			t.Errorf("line %d: %d octets, want at most 75: %q", i+1, len(p), p)
		}
		if !utf8.ValidString(p) {
			t.Errorf("line %d: a UTF-8 character is split: %q", i+1, p)
		}
		if strings.HasPrefix(p, " ") {
			if len(logical) == 0 {
				t.Fatalf("line %d: continuation without a line to continue", i+1)
			}
			logical[len(logical)-1] += p[1:]
			continue
		}
		logical = append(logical, p)
	}
	var out []icsLine
	for _, l := range logical {
		out = append(out, splitICSLine(t, l))
	}
	return out
}

func splitICSLine(t *testing.T, l string) icsLine {
	t.Helper()
	// The value starts at the first colon outside a quoted parameter.
	quoted, colon := false, -1
	for i, r := range l {
		if r == '"' {
			quoted = !quoted
		}
		if r == ':' && !quoted {
			colon = i
			break
		}
	}
	if colon < 0 {
		t.Fatalf("content line without a value: %q", l)
	}
	head := strings.Split(l[:colon], ";")
	line := icsLine{Name: head[0], Params: map[string]string{}, Value: l[colon+1:]}
	for _, p := range head[1:] {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			t.Fatalf("parameter without a value in %q", l)
		}
		line.Params[k] = strings.Trim(v, `"`)
	}
	return line
}

// unescapeText undoes TEXT escaping (RFC 5545 section 3.3.11).
func unescapeText(t *testing.T, s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		i++
		if i == len(s) {
			t.Fatalf("dangling backslash in %q", s)
		}
		switch s[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		case '\\', ';', ',':
			b.WriteByte(s[i])
		default:
			t.Errorf("invalid escape \\%c in %q", s[i], s)
		}
	}
	return b.String()
}

// events groups the parsed lines of each VEVENT by property name.
func icsEvents(lines []icsLine) []map[string]icsLine {
	var out []map[string]icsLine
	var cur map[string]icsLine
	for _, l := range lines {
		switch {
		case l.Name == "BEGIN" && l.Value == "VEVENT":
			cur = map[string]icsLine{}
		case l.Name == "END" && l.Value == "VEVENT":
			out = append(out, cur)
			cur = nil
		case cur != nil:
			cur[l.Name] = l
		}
	}
	return out
}

func writeICS(t *testing.T, events []CalendarEvent) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteICS(&b, "嘉定区普法活动", events); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWriteICSGolden(t *testing.T) {
	got := writeICS(t, sampleEvents())
	file := filepath.Join("testdata", "campaigns.ics")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", file, diff)
	}
}

func TestWriteICSProperties(t *testing.T) {
	lines := parseICS(t, writeICS(t, sampleEvents()))
	cal := map[string]string{}
	for _, l := range lines {
		if l.Name == "BEGIN" && l.Value == "VEVENT" {
			break
		}
		cal[l.Name] = l.Value
	}
	for k, want := range map[string]string{
		"VERSION": "2.0", "CALSCALE": "GREGORIAN", "METHOD": "PUBLISH",
		"X-WR-CALNAME": "嘉定区普法活动", "X-WR-TIMEZONE": "Asia/Shanghai", "TZID": "Asia/Shanghai",
		"TZOFFSETTO": "+0800", "TZOFFSETFROM": "+0800",
	} {
		if cal[k] != want {
			t.Errorf("%s = %q, want %q", k, cal[k], want)
		}
	}
	if lines[0].Name != "BEGIN" || lines[0].Value != "VCALENDAR" || lines[len(lines)-1].Value != "VCALENDAR" {
		t.Errorf("not wrapped in VCALENDAR: first %v last %v", lines[0], lines[len(lines)-1])
	}

	evs := icsEvents(lines)
	if len(evs) != 3 {
		t.Fatalf("got %d events, want 3", len(evs))
	}
	// Sorted by start: the window (03-29), the consultation (04-04), 宪法日.
	window, consult, xianfa := evs[0], evs[1], evs[2]
	tests := []struct {
		ev     map[string]icsLine
		prop   string
		value  string
		params map[string]string
	}{
		{window, "UID", "campaigns/2027/qingming/@pufa", map[string]string{}},
		{window, "DTSTART", "20270329", map[string]string{"VALUE": "DATE"}},
		{window, "DTEND", "20270406", map[string]string{"VALUE": "DATE"}}, // exclusive
		{window, "TRANSP", "TRANSPARENT", map[string]string{}},
		{window, "DTSTAMP", "20270310T083000Z", map[string]string{}},
		{window, "LAST-MODIFIED", "20270310T083000Z", map[string]string{}},
		{consult, "DTSTART", "20270404T090000", map[string]string{"TZID": "Asia/Shanghai"}},
		{consult, "DTEND", "20270404T113000", map[string]string{"TZID": "Asia/Shanghai"}},
		{consult, "URL", "https://portal.example.gov.cn/pufa/campaigns/2027/qingming/", map[string]string{}},
		{xianfa, "DTSTART", "20271204", map[string]string{"VALUE": "DATE"}},
		{xianfa, "DTEND", "20271205", map[string]string{"VALUE": "DATE"}},
		{xianfa, "DTSTAMP", "20271203T160000Z", map[string]string{}}, // from Start
	}
	for _, tt := range tests {
		got, ok := tt.ev[tt.prop]
		if !ok {
			t.Errorf("%s: %s missing", tt.ev["UID"].Value, tt.prop)
			continue
		}
		if got.Value != tt.value || !cmp.Equal(got.Params, tt.params) {
			t.Errorf("%s: %s = %q %v, want %q %v", tt.ev["UID"].Value, tt.prop, got.Value, got.Params, tt.value, tt.params)
		}
	}
	if _, ok := xianfa["LAST-MODIFIED"]; ok {
		t.Error("LAST-MODIFIED written without an Updated time")
	}
	if got := unescapeText(t, consult["DESCRIPTION"].Value); got != longText {
		t.Errorf("DESCRIPTION after unfolding = %q, want %q", got, longText)
	}
	if got := unescapeText(t, consult["LOCATION"].Value); got != "嘉定区松鹤墓园服务大厅（嘉定区某某路 100 号）" {
		t.Errorf("LOCATION = %q", got)
	}
}

func TestWriteICSDeterministic(t *testing.T) {
	events := sampleEvents()
	a := writeICS(t, events)
	events[0], events[2] = events[2], events[0]
	if b := writeICS(t, events); !bytes.Equal(a, b) {
		t.Error("output depends on the order of the events")
	}
}

func TestWriteICSEmpty(t *testing.T) {
	lines := parseICS(t, writeICS(t, nil))
	if n := len(icsEvents(lines)); n != 0 {
		t.Errorf("got %d events, want 0", n)
	}
}

func TestWriteICSErrors(t *testing.T) {
	start := time.Date(2027, 4, 4, 9, 0, 0, 0, cst)
	tests := []struct {
		name   string
		events []CalendarEvent
		want   string
	}{
		{"no UID", []CalendarEvent{{Summary: "x", Start: start}}, "UID: must be one non-empty line"},
		{"UID twice", []CalendarEvent{{UID: "a", Start: start}, {UID: "a", Start: start}}, `UID "a": used twice`},
		{"no start", []CalendarEvent{{UID: "a"}}, `UID "a": Start: missing`},
		{"end before start", []CalendarEvent{{UID: "a", Start: start, End: start.Add(-time.Hour)}}, "is before Start"},
		{"URL with space", []CalendarEvent{{UID: "a", Start: start, URL: "https://x/ y"}}, "must not contain white space"},
	}
	for _, tt := range tests {
		err := WriteICS(&bytes.Buffer{}, "c", tt.events)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: WriteICS error = %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
}

// FuzzWriteICSText feeds editor-written text (titles, places, descriptions)
// through the writer: every line must stay within 75 octets at character
// boundaries and unfolding must give the text back.
func FuzzWriteICSText(f *testing.F) {
	f.Add("文明祭扫法律咨询", longText, "嘉定区松鹤墓园")
	f.Add(strings.Repeat("区", 100), "a\r\nb\rc\x00d;e,f\\g", " ")
	f.Add("<b>1</b> 2", strings.Repeat("x ", 60), "\xff\xfe")
	f.Fuzz(func(t *testing.T, summary, desc, place string) {
		start := time.Date(2027, 4, 4, 9, 0, 0, 0, cst)
		var b bytes.Buffer
		err := WriteICS(&b, summary, []CalendarEvent{{UID: "u", Summary: summary, Description: desc, Location: place, Start: start}})
		if err != nil {
			t.Fatal(err)
		}
		lines := parseICS(t, b.Bytes())
		ev := icsEvents(lines)
		if len(ev) != 1 {
			t.Fatalf("got %d events", len(ev))
		}
		check := func(prop, in string) {
			want := icsText(in)
			l, ok := ev[0][prop]
			if want == "" && prop != "SUMMARY" {
				if ok {
					t.Errorf("%s written for empty text", prop)
				}
				return
			}
			if got := unescapeText(t, l.Value); got != want {
				t.Errorf("%s = %q, want %q", prop, got, want)
			}
		}
		check("SUMMARY", summary)
		check("DESCRIPTION", desc)
		check("LOCATION", place)
	})
}

func ExampleWriteICS() {
	var b bytes.Buffer
	err := WriteICS(&b, "普法活动", []CalendarEvent{{
		UID:     "campaigns/2027/xianfa/@pufa",
		Summary: "国家宪法日宪法宣传",
		Start:   time.Date(2027, 12, 4, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)),
		AllDay:  true,
		Updated: time.Date(2027, 11, 1, 0, 0, 0, 0, time.UTC),
	}})
	if err != nil {
		fmt.Println(err)
	}
	fmt.Print(strings.ReplaceAll(b.String(), "\r\n", "\n"))
	// Output:
	// BEGIN:VCALENDAR
	// PRODID:-//pufa//campaign calendar//ZH
	// VERSION:2.0
	// CALSCALE:GREGORIAN
	// METHOD:PUBLISH
	// X-WR-CALNAME:普法活动
	// X-WR-TIMEZONE:Asia/Shanghai
	// BEGIN:VTIMEZONE
	// TZID:Asia/Shanghai
	// BEGIN:STANDARD
	// DTSTART:19700101T000000
	// TZOFFSETFROM:+0800
	// TZOFFSETTO:+0800
	// TZNAME:CST
	// END:STANDARD
	// END:VTIMEZONE
	// BEGIN:VEVENT
	// UID:campaigns/2027/xianfa/@pufa
	// DTSTAMP:20271101T000000Z
	// DTSTART;VALUE=DATE:20271204
	// DTEND;VALUE=DATE:20271205
	// TRANSP:TRANSPARENT
	// SUMMARY:国家宪法日宪法宣传
	// LAST-MODIFIED:20271101T000000Z
	// END:VEVENT
	// END:VCALENDAR
}
