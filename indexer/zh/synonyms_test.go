package zh

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadSynonyms(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []Synonym
		wantErr string
	}{
		{"one and many", "# 注释\n低保: 最低生活保障\n离婚冷静期: [撤回离婚登记申请, 离婚登记]\n", []Synonym{
			{Word: "低保", Alternatives: []string{"最低生活保障"}, Line: 2},
			{Word: "离婚冷静期", Alternatives: []string{"撤回离婚登记申请", "离婚登记"}, Line: 3},
		}, ""},
		{"block list", "居委会:\n  - 居民委员会\n", []Synonym{
			{Word: "居委会", Alternatives: []string{"居民委员会"}, Line: 1},
		}, ""},
		{"empty file", "", nil, ""},
		{"only comments", "# 无\n", nil, ""},
		{"not a mapping", "- 低保\n", nil, "site/data/synonyms.yaml:1: want a mapping of word: [formal wording, …], got a list"},
		{"duplicate", "低保: 最低生活保障\n养老院: 养老机构\n低保: 特困人员\n", nil, "site/data/synonyms.yaml:3: 低保: already listed on line 1"},
		{"duplicate after folding", "AA制: 约定财产\nａａ制: 约定\n", nil, "site/data/synonyms.yaml:2: ａａ制: already listed on line 1"},
		{"no wording", "低保:\n", nil, "site/data/synonyms.yaml:1: 低保: want text, got nothing"},
		{"empty list", "低保: []\n", nil, "site/data/synonyms.yaml:1: 低保: no formal wording given"},
		{"nested list", "低保: [[最低生活保障]]\n", nil, "site/data/synonyms.yaml:1: 低保: want text, got a list"},
		{"lists itself", "低保: [低保]\n", nil, "site/data/synonyms.yaml:1: 低保: lists itself"},
		{"twice", "低保: [最低生活保障, 最低生活保障]\n", nil, "site/data/synonyms.yaml:1: 低保: 最低生活保障 listed twice"},
		{"empty word", "\"\": 最低生活保障\n", nil, "site/data/synonyms.yaml:1: empty word"},
		{"syntax", "低保: [最低生活保障\n养老院: 养老机构\n", nil, "site/data/synonyms.yaml:1: did not find expected ',' or ']'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadSynonyms([]byte(tt.in))
			if tt.wantErr != "" {
				var pe *ParseError
				if err == nil || !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("LoadSynonyms(%q) error = %v, want %s", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadSynonyms(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, s.Entries()); diff != "" {
				t.Errorf("LoadSynonyms(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestExpand(t *testing.T) {
	s, err := LoadSynonyms(siteFile(t, SynonymsFile))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q    string
		want []string
	}{
		{"离婚冷静期", []string{"撤回离婚登记申请", "离婚登记"}},
		{"离婚冷静期多少天", []string{"撤回离婚登记申请", "离婚登记"}},
		{"高空抛物谁负责", []string{"从建筑物中抛掷物品", "高空抛掷物品"}},
		{"居委会 村委会", []string{"居民委员会", "村民委员会"}},
		{"低保怎么申请", []string{"最低生活保障"}},
		{"养老院消防", []string{"养老机构"}},
		{"五保户", []string{"特困人员", "农村五保供养"}},
		// Wording the query already has is not added again.
		{"低保 最低生活保障", nil},
		{"离婚冷静期 离婚登记", []string{"撤回离婚登记申请"}},
		// Several words share an alternative: listed once.
		{"养老院 敬老院", []string{"养老机构", "供养服务机构"}},
		// Only on word boundaries: 民非 is not a word of 居民非法集资.
		{"居民非法集资", []string{"非法吸收公众存款"}},
		{"最低保障", nil},
		{"民法典", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := s.Expand(tt.q); !cmp.Equal(got, tt.want) {
			t.Errorf("Expand(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

// TestSiteSynonyms checks the site's file: enough entries, each found by
// Expand, each word in the site's dictionary so that it is cut whole.
func TestSiteSynonyms(t *testing.T) {
	s, err := LoadSynonyms(siteFile(t, SynonymsFile))
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() < 60 {
		t.Errorf("%s has %d entries, want at least 60", SynonymsFile, s.Len())
	}
	d, err := ParseDict(siteFile(t, DictFile))
	if err != nil {
		t.Fatal(err)
	}
	inDict := make(map[string]bool)
	for _, w := range d.Words {
		inDict[w.Text] = true
	}
	for _, e := range s.Entries() {
		if !inDict[e.Word] {
			t.Errorf("%s:%d: %s is not in %s", SynonymsFile, e.Line, e.Word, DictFile)
		}
		if got := s.Expand(e.Word); len(got) == 0 {
			t.Errorf("%s:%d: Expand(%q) found nothing", SynonymsFile, e.Line, e.Word)
		}
	}
}

// TestSynonymsInLawText: the formal side of every entry is wording that
// the law texts actually use.
func TestSynonymsInLawText(t *testing.T) {
	laws := lawCorpus(t)
	s, err := LoadSynonyms(siteFile(t, SynonymsFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range s.Entries() {
		for _, a := range e.Alternatives {
			found := false
			for _, l := range laws {
				if strings.Contains(l.text, a) {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("%s:%d: %s: %q occurs in no law of the corpus", SynonymsFile, e.Line, e.Word, a)
			}
		}
	}
}

func FuzzLoadSynonyms(f *testing.F) {
	f.Add([]byte("低保: 最低生活保障\n离婚冷静期: [撤回离婚登记申请, 离婚登记]\n"))
	f.Add([]byte("a: &x [b]\nc: *x\n"))
	f.Add([]byte("低保:\n  - 最低生活保障\n  - {a: b}\n"))
	f.Add([]byte("[1, 2]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := LoadSynonyms(data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != SynonymsFile {
				t.Fatalf("LoadSynonyms(%q): error %v is not a ParseError", data, err)
			}
			return
		}
		for _, e := range s.Entries() {
			if foldKey(e.Word) == "" || len(e.Alternatives) == 0 {
				t.Fatalf("LoadSynonyms(%q) accepted %+v", data, e)
			}
		}
	})
}
