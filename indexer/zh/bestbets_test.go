package zh

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadBestBets(t *testing.T) {
	const good = `
- query: 离婚冷静期
  aliases: [冷静期]
  pins:
    - law: 中华人民共和国民法典
      subtitle: 婚姻家庭编
      article: 第一千零七十七条
    - page: catalog/hunyin-dengji.md
- query: 清明
  pins:
    - url: /campaigns/2026/qingming/
    - url: https://flk.npc.gov.cn/
`
	b, err := LoadBestBets([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	want := []BestBet{
		{Query: "离婚冷静期", Aliases: []string{"冷静期"}, Line: 2, Pins: []Pin{
			{Law: "中华人民共和国民法典", Subtitle: "婚姻家庭编", Article: "第一千零七十七条", Line: 5},
			{Page: "catalog/hunyin-dengji.md", Line: 8},
		}},
		{Query: "清明", Line: 9, Pins: []Pin{
			{URL: "/campaigns/2026/qingming/", Line: 11},
			{URL: "https://flk.npc.gov.cn/", Line: 12},
		}},
	}
	if diff := cmp.Diff(want, b.Entries()); diff != "" {
		t.Errorf("LoadBestBets mismatch (-want +got):\n%s", diff)
	}
	lookups := []struct {
		q    string
		want int // pins
	}{
		{"离婚冷静期", 2},
		{" 离婚 冷静期 ", 2},
		{"冷静期", 2},
		{"清明", 2},
		{"离婚冷静期多少天", 0},
		{"", 0},
	}
	for _, l := range lookups {
		if got := b.Lookup(l.q); len(got) != l.want {
			t.Errorf("Lookup(%q) = %d pins, want %d", l.q, len(got), l.want)
		}
	}
	var none *BestBets
	if got := none.Lookup("离婚"); got != nil {
		t.Errorf("nil BestBets: Lookup = %v", got)
	}
}

func TestLoadBestBetsErrors(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"not a list", "离婚: x\n", "site/data/bestbets.yaml:1: want a list of {query, aliases, pins}, got a mapping"},
		{"entry not a mapping", "- 离婚\n", "site/data/bestbets.yaml:1: want {query, aliases, pins}, got text"},
		{"no query", "- pins: [{url: /a/}]\n", "site/data/bestbets.yaml:1: query: must not be empty"},
		{"unknown field", "- query: a\n  pin: []\n", `site/data/bestbets.yaml:2: unknown field "pin" (want query, aliases, pins)`},
		{"no pins", "- query: 离婚\n", "site/data/bestbets.yaml:1: 离婚: pins: want a list of at least one {law|page|url}"},
		{"two targets", "- query: 离婚\n  pins:\n    - law: 民法典\n      url: /a/\n", "site/data/bestbets.yaml:3: pin: want exactly one of law, page, url"},
		{"article without law", "- query: 离婚\n  pins:\n    - url: /a/\n      article: 第一条\n", "site/data/bestbets.yaml:3: pin: article and subtitle go with law"},
		{"arabic article", "- query: 离婚\n  pins:\n    - law: 民法典\n      article: 第1077条\n", `site/data/bestbets.yaml:3: article: "第1077条": want 第…条 in Chinese numerals, like 第一千零七十七条`},
		{"page with dots", "- query: 离婚\n  pins:\n    - page: ../secret.md\n", `site/data/bestbets.yaml:3: page: "../secret.md": want a content path like catalog/binzang-guanli.md`},
		{"page not markdown", "- query: 离婚\n  pins:\n    - page: catalog/\n", `site/data/bestbets.yaml:3: page: "catalog/": want a content path like catalog/binzang-guanli.md`},
		{"url scheme", "- query: 离婚\n  pins:\n    - url: javascript:alert(1)\n", `site/data/bestbets.yaml:3: url: "javascript:alert(1)": want a site path starting with / or an https:// address`},
		{"url protocol-relative", "- query: 离婚\n  pins:\n    - url: //evil.example/\n", `site/data/bestbets.yaml:3: url: "//evil.example/": want a site path starting with / or an https:// address`},
		{"unknown pin field", "- query: 离婚\n  pins:\n    - link: /a/\n", `site/data/bestbets.yaml:3: pin: unknown field "link" (want law, subtitle, article, page, url)`},
		{"empty value", "- query: 离婚\n  pins:\n    - url: \"\"\n", "site/data/bestbets.yaml:3: url: must not be empty"},
		{"duplicate query", "- query: 离婚\n  pins: [{url: /a/}]\n- query: 结婚\n  aliases: [离 婚]\n  pins: [{url: /b/}]\n", "site/data/bestbets.yaml:3: 离 婚: already pinned on line 1"},
		{"duplicate in entry", "- query: 离婚\n  aliases: [离婚]\n  pins: [{url: /a/}]\n", "site/data/bestbets.yaml:1: 离婚: listed twice in this entry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadBestBets([]byte(tt.in))
			var pe *ParseError
			if err == nil || !errors.As(err, &pe) || err.Error() != tt.wantErr {
				t.Errorf("LoadBestBets(%q) error = %v, want %s", tt.in, err, tt.wantErr)
			}
		})
	}
}

// TestSiteBestBets checks the site's file against the law corpus: every
// pinned law exists with that title (and part), and every pinned article
// is in it.
func TestSiteBestBets(t *testing.T) {
	b, err := LoadBestBets(siteFile(t, BestBetsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Entries()) == 0 {
		t.Fatalf("%s has no entries", BestBetsFile)
	}
	laws := lawCorpus(t)
	for _, e := range b.Entries() {
		for _, p := range e.Pins {
			if p.Law == "" {
				continue
			}
			var texts []string
			for _, l := range laws {
				if l.title == p.Law && (p.Subtitle == "" || l.subtitle == p.Subtitle) {
					texts = append(texts, l.text)
				}
			}
			if len(texts) == 0 {
				t.Errorf("%s:%d: no law titled %q %q in the corpus", BestBetsFile, p.Line, p.Law, p.Subtitle)
				continue
			}
			if p.Article == "" {
				continue
			}
			re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(p.Article) + `[ \x{3000}]`)
			found := false
			for _, text := range texts {
				found = found || re.MatchString(text)
			}
			if !found {
				t.Errorf("%s:%d: %s %s has no %s", BestBetsFile, p.Line, p.Law, p.Subtitle, p.Article)
			}
		}
	}
}

func FuzzLoadBestBets(f *testing.F) {
	f.Add([]byte("- query: 离婚冷静期\n  aliases: [冷静期]\n  pins:\n    - law: 中华人民共和国民法典\n      article: 第一千零七十七条\n"))
	f.Add([]byte("- query: a\n  pins: [{url: /a/}, {page: a/b.md}]\n"))
	f.Add([]byte("- {query: a, aliases: b, pins: [{url: 'https://x/'}]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := LoadBestBets(data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != BestBetsFile {
				t.Fatalf("LoadBestBets(%q): error %v is not a ParseError", data, err)
			}
			return
		}
		for _, e := range b.Entries() {
			if len(e.Pins) == 0 || len(b.Lookup(e.Query)) != len(e.Pins) {
				t.Fatalf("LoadBestBets(%q): entry %+v not found by its query", data, e)
			}
			for _, p := range e.Pins {
				if p.URL != "" && !strings.HasPrefix(p.URL, "/") && !strings.HasPrefix(p.URL, "https://") {
					t.Fatalf("LoadBestBets(%q) accepted url %q", data, p.URL)
				}
			}
		}
	})
}
