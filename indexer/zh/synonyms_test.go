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

// TestLoadSynonymsTopics: the file grouped by topic, abbreviations and
// everyday words apart, with each entry's topic, kind and line.
func TestLoadSynonymsTopics(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []Synonym
		topics  []string
		wantErr string
	}{
		{"groups", `# 注释
救助:
  简称:
    低保: 最低生活保障
    五保: [特困人员供养, 农村五保供养]
  口语:
    要饭:
      - 流浪乞讨人员
婚姻:
  口语:
    扯证: 结婚登记
`, []Synonym{
			{Word: "低保", Alternatives: []string{"最低生活保障"}, Topic: "救助", Kind: Abbreviation, Line: 4},
			{Word: "五保", Alternatives: []string{"特困人员供养", "农村五保供养"}, Topic: "救助", Kind: Abbreviation, Line: 5},
			{Word: "要饭", Alternatives: []string{"流浪乞讨人员"}, Topic: "救助", Kind: Everyday, Line: 7},
			{Word: "扯证", Alternatives: []string{"结婚登记"}, Topic: "婚姻", Kind: Everyday, Line: 11},
		}, []string{"救助", "婚姻"}, ""},
		{"entries directly under a topic are everyday words", "养老:\n  老人: 老年人\n  简称:\n    老年证: 老年人优待证\n", []Synonym{
			{Word: "老人", Alternatives: []string{"老年人"}, Topic: "养老", Kind: Everyday, Line: 2},
			{Word: "老年证", Alternatives: []string{"老年人优待证"}, Topic: "养老", Kind: Abbreviation, Line: 4},
		}, []string{"养老"}, ""},
		{"flat entries beside topics", "低保: 最低生活保障\n婚姻: {扯证: 结婚登记}\n", []Synonym{
			{Word: "低保", Alternatives: []string{"最低生活保障"}, Line: 1},
			{Word: "扯证", Alternatives: []string{"结婚登记"}, Topic: "婚姻", Line: 2},
		}, []string{"婚姻"}, ""},
		{"empty group", "殡葬:\n  简称:\n  口语:\n    火葬: 火化\n", []Synonym{
			{Word: "火葬", Alternatives: []string{"火化"}, Topic: "殡葬", Line: 4},
		}, []string{"殡葬"}, ""},
		{"alias", "救助:\n  简称: &a\n    低保: 最低生活保障\n", []Synonym{
			{Word: "低保", Alternatives: []string{"最低生活保障"}, Topic: "救助", Kind: Abbreviation, Line: 3},
		}, []string{"救助"}, ""},
		{"duplicate across topics", "救助:\n  简称:\n    低保: 最低生活保障\n养老:\n  低保: 特困人员\n", nil, nil,
			"site/data/synonyms.yaml:5: 低保: already listed on line 3"},
		{"topic twice", "救助:\n  低保: 最低生活保障\n婚姻:\n  扯证: 结婚登记\n救助:\n  要饭: 流浪乞讨人员\n", nil, nil,
			"site/data/synonyms.yaml:5: 救助: topic already started on line 1"},
		{"group twice", "救助:\n  简称:\n    低保: 最低生活保障\n  简称:\n    五保: 特困人员\n", nil, nil,
			"site/data/synonyms.yaml:4: 简称: already started on line 2 in topic 救助"},
		{"unknown group", "救助:\n  缩写:\n    低保: 最低生活保障\n", nil, nil,
			"site/data/synonyms.yaml:2: 缩写: want 简称 or 口语 with a group of entries"},
		{"group without topic", "简称:\n  低保: 最低生活保障\n", nil, nil,
			"site/data/synonyms.yaml:1: 简称: a group of entries belongs under a topic"},
		{"group not a mapping", "救助:\n  简称: [低保]\n", nil, nil,
			"site/data/synonyms.yaml:2: 简称: want a mapping of word: [formal wording, …], got a list"},
		{"empty word in a group", "救助:\n  简称:\n    \"\": 最低生活保障\n", nil, nil,
			"site/data/synonyms.yaml:3: empty word"},
		{"lists itself in a group", "救助:\n  口语:\n    低保:\n      - 最低生活保障\n      - 低保\n", nil, nil,
			"site/data/synonyms.yaml:5: 低保: lists itself"},
		{"nested too deep", "救助:\n  口语:\n    要饭: {流浪: 乞讨}\n", nil, nil,
			"site/data/synonyms.yaml:3: 要饭: want text, got a mapping"},
		{"empty topic", "\"\":\n  低保: 最低生活保障\n", nil, nil,
			"site/data/synonyms.yaml:1: empty topic"},
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
			if diff := cmp.Diff(tt.topics, s.Topics()); diff != "" {
				t.Errorf("Topics() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseSynonymsAllErrors: ParseSynonyms reports every malformed entry,
// with the entry's word apart from the message, and keeps the others.
func TestParseSynonymsAllErrors(t *testing.T) {
	in := `救助:
  简称:
    低保: 最低生活保障
    "": 特困人员
    五保: 五保
  口语:
    低保: 特困人员
    要饭: 流浪乞讨人员
`
	s, errs := ParseSynonyms([]byte(in))
	type got struct {
		Line      int
		Word, Msg string
	}
	var gotErrs []got
	for _, e := range errs {
		if e.File != SynonymsFile {
			t.Errorf("error %v names file %q", e, e.File)
		}
		gotErrs = append(gotErrs, got{e.Line, e.Word, e.Msg})
	}
	want := []got{
		{4, "", "empty word"},
		{5, "五保", "lists itself"},
		{7, "低保", "already listed on line 3"},
	}
	if diff := cmp.Diff(want, gotErrs); diff != "" {
		t.Errorf("errors mismatch (-want +got):\n%s", diff)
	}
	var words []string
	for _, e := range s.Entries() {
		words = append(words, e.Word)
	}
	if !cmp.Equal(words, []string{"低保", "要饭"}) {
		t.Errorf("entries = %q, want the well-formed ones", words)
	}
	if len(errs) == 3 {
		if got := errs[2].Error(); got != "site/data/synonyms.yaml:7: 低保: already listed on line 3" {
			t.Errorf("Error() = %q", got)
		}
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
		// Everyday words, each query word in turn.
		{"结婚证丢了怎么补办", []string{"遗失", "丢失", "补领", "补发"}},
		{"老公打我怎么办", []string{"配偶", "家庭暴力", "殴打"}},
		{"社团年检", []string{"社会团体", "年度检查", "年度工作报告"}},
		{"民非注销", []string{"民办非企业单位", "社会服务机构", "注销登记"}},
		// 学会 is also "learn": not a word of the file.
		{"依法学会保护", nil},
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

// TestSiteSynonyms checks the site's file: enough entries, each filed
// under a topic, each found by Expand, each word in the site's dictionary
// so that it is cut whole.
func TestSiteSynonyms(t *testing.T) {
	s, err := LoadSynonyms(siteFile(t, SynonymsFile))
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() < 350 {
		t.Errorf("%s has %d entries, want at least 350", SynonymsFile, s.Len())
	}
	perTopic := make(map[string]int)
	kinds := make(map[Kind]int)
	for _, e := range s.Entries() {
		if e.Topic == "" {
			t.Errorf("%s:%d: %s is filed under no topic", SynonymsFile, e.Line, e.Word)
		}
		perTopic[e.Topic]++
		kinds[e.Kind]++
	}
	for _, topic := range []string{"救助", "养老", "婚姻", "收养", "殡葬", "社会组织", "慈善", "志愿服务", "基层自治", "地名", "残疾人", "未成年人", "反家暴", "继承", "监护", "通用"} {
		if perTopic[topic] == 0 {
			t.Errorf("%s has no entries under %s", SynonymsFile, topic)
		}
	}
	if kinds[Abbreviation] == 0 || kinds[Everyday] == 0 {
		t.Errorf("%s: %d abbreviations and %d everyday words, want both", SynonymsFile, kinds[Abbreviation], kinds[Everyday])
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
	f.Add([]byte("救助:\n  简称:\n    低保: 最低生活保障\n  口语:\n    要饭: [流浪乞讨人员]\n婚姻: {扯证: 结婚登记}\n"))
	f.Add([]byte("救助:\n  简称: &g {低保: a}\n养老:\n  简称: *g\n"))
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
