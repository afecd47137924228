package zh

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// titles are law titles as the indexer passes them (from the manifest).
var titles = []string{
	"中华人民共和国民法典",
	"中华人民共和国慈善法",
	"中华人民共和国老年人权益保障法",
	"中华人民共和国残疾人保障法",
	"中华人民共和国反家庭暴力法",
	"中华人民共和国未成年人保护法",
	"中华人民共和国商业银行法",
	"殡葬管理条例",
	"社会救助暂行办法",
	"婚姻登记条例",
	"上海市实施《中华人民共和国残疾人保障法》办法",
	"上海市殡葬管理条例",
}

// vocabulary is the site's dictionary plus the titles, weighted like the
// indexer weights them.
func vocabulary(t testing.TB) []Term {
	t.Helper()
	d, err := ParseDict(siteFile(t, DictFile))
	if err != nil {
		t.Fatal(err)
	}
	terms := d.Terms()
	for _, title := range titles {
		terms = append(terms, Term{Text: title, Weight: 10000})
	}
	return terms
}

func TestSpellings(t *testing.T) {
	tests := []struct {
		text           string
		full, initials []string
	}{
		{"民法典", []string{"minfadian", "minfatian"}, []string{"mfd", "mft"}},
		{"结婚", []string{"jiehun"}, []string{"jh"}},
		{"绿", []string{"lv", "lu"}, []string{"l"}},
		{"AB", []string{"AB"}, []string{"AB"}}, // other characters kept as they are
		{"", nil, nil},
	}
	for _, tt := range tests {
		full, initials := spellings(tt.text)
		if !cmp.Equal(full, tt.full) || !cmp.Equal(initials, tt.initials) {
			t.Errorf("spellings(%q) = %q, %q, want %q, %q", tt.text, full, initials, tt.full, tt.initials)
		}
	}
}

func TestResolve(t *testing.T) {
	p := NewPinyinIndex(vocabulary(t))
	tests := []struct {
		q    string
		want string // "" for no resolution
	}{
		{"minfadian", "民法典"},
		{"MinFaDian", "民法典"},
		{"min fa dian", "民法典"},
		{"mfd", "民法典"},
		{"jiehun", "结婚"},
		{"lihun", "离婚"},
		{"lihunlengjingqi", "离婚冷静期"},
		{"dibao", "低保"},
		{"yanglaoyuan", "养老院"},
		{"cishanfa", "慈善法"}, // the dictionary's word and the title's short form
		{"canjirenbaozhangfa", "残疾人保障法"},
		{"zhonghuarenmingongheguominfadian", "中华人民共和国民法典"},
		{"shangyeyinhangfa", "商业银行法"}, // 行 read hang
		{"bzgltl", "殡葬管理条例"},
		{"xi'an", ""},
		{"lh", ""},   // first letters of fewer than three characters
		{"m", ""},    // too short
		{"婚", ""},    // not pinyin
		{"min1", ""}, // digits
		{"", ""},
		{"qwertyuiop", ""},
	}
	for _, tt := range tests {
		got, ok := p.Resolve(tt.q)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Resolve(%q) = %q, %v, want %q", tt.q, got, ok, tt.want)
		}
	}
}

// TestResolveTies: the higher weight wins a spelling, then the shorter term.
func TestResolveTies(t *testing.T) {
	p := NewPinyinIndex([]Term{
		{Text: "公示", Weight: 1},
		{Text: "公式", Weight: 5},
		{Text: "工事", Weight: 5},
		{Text: "", Weight: 100},
	})
	if got, _ := p.Resolve("gongshi"); got != "公式" {
		t.Errorf("Resolve(gongshi) = %q, want 公式 (weight, then 公式 < 工事)", got)
	}
}

// TestResolveCorpusTitles builds the index from every title of the law
// corpus, as the indexer does, and resolves a few.
func TestResolveCorpusTitles(t *testing.T) {
	laws := lawCorpus(t)
	var terms []Term
	for _, l := range laws {
		terms = append(terms, Term{Text: l.title, Weight: 1})
	}
	p := NewPinyinIndex(terms)
	for q, want := range map[string]string{
		"cishanfa":                 "慈善法",
		"fanjiatingbaolifa":        "反家庭暴力法",
		"shehuijiuzhuzanxingbanfa": "社会救助暂行办法",
		"binzangguanlitiaoli":      "殡葬管理条例",
	} {
		if got, ok := p.Resolve(q); !ok || got != want {
			t.Errorf("Resolve(%q) = %q, %v, want %q", q, got, ok, want)
		}
	}
}
