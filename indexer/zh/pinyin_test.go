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

// lexicon is a small index's words with the documents each occurs in.
var lexicon = []Term{
	{Text: "社会团体", Weight: 366},
	{Text: "社会", Weight: 9000},
	{Text: "团体", Weight: 500},
	{Text: "手套", Weight: 2},
	{Text: "搜题通", Weight: 900}, // three characters spelled s-t-t, as sh-t-t is
	{Text: "深化推土", Weight: 1},  // shtt too, rarer
	{Text: "最低生活保障", Weight: 84},
	{Text: "低保", Weight: 11},
	{Text: "地保", Weight: 156},
	{Text: "离婚", Weight: 83},
	{Text: "理会", Weight: 20},
	{Text: "银行", Weight: 1010},
	{Text: "商业银行", Weight: 300},
	{Text: "殡葬管理条例", Weight: 66},
	{Text: "中华人民共和国慈善法", Weight: 244},
	{Text: "损害", Weight: 1000},
	{Text: "享有者", Weight: 84},
}

// TestResolveAnyWord: full syllables with or without spaces, first
// letters and syllables followed by first letters resolve to the most
// common word spelled so.
func TestResolveAnyWord(t *testing.T) {
	p := NewPinyinIndex(lexicon)
	tests := []struct {
		q, want string
	}{
		{"shehuituanti", "社会团体"},
		{"she hui tuan ti", "社会团体"},
		{"She'Hui'Tuan'Ti", "社会团体"},
		{"shtt", "社会团体"}, // a letter a character first; 深化推土 is rarer
		{"shehuitt", "社会团体"},
		{"shehuituant", "社会团体"},
		{"zuidishenghuobaozhang", "最低生活保障"},
		{"zdshbz", "最低生活保障"},
		{"zuidishbz", "最低生活保障"},
		{"dibao", "地保"}, // the more common: the weight decides
		{"lihun", "离婚"},
		{"lih", "离婚"},
		{"yinhang", "银行"}, // 行 read hang
		{"yinxing", "银行"},
		{"shangyeyinhang", "商业银行"},
		{"syyh", "商业银行"},
		{"bzgltl", "殡葬管理条例"},
		{"cishanfa", "慈善法"},
		{"xyz", "享有者"},
		{"sh", ""},  // two first letters: too many words
		{"lh", ""},  // the same
		{"she", ""}, // s-he: first letters before syllables
		{"shehui tuanti x", ""},
		{"xian", ""},
		{"", ""},
		{"shè", ""},
	}
	for _, tt := range tests {
		got, ok := p.Resolve(tt.q)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Resolve(%q) = %q, %v, want %q", tt.q, got, ok, tt.want)
		}
	}
	for q, want := range map[string]string{"shehuituanti": "社会团体", "shtt": "", "shehuitt": "", "lihun": "离婚"} {
		if got, _ := p.ResolveSyllables(q); got != want {
			t.Errorf("ResolveSyllables(%q) = %q, want %q", q, got, want)
		}
	}
}

// TestResolveTitleWord: a word only a title has resolves like any other.
func TestResolveTitleWord(t *testing.T) {
	p := NewPinyinIndex(append(lexicon, Term{Text: "殡葬", Weight: 3}))
	for _, q := range []string{"binzang", "bin zang"} {
		if got, ok := p.Resolve(q); !ok || got != "殡葬" {
			t.Errorf("Resolve(%q) = %q, %v, want 殡葬", q, got, ok)
		}
	}
}

func BenchmarkNewPinyinIndex(b *testing.B) {
	terms := vocabulary(b)
	for _, l := range titles {
		terms = append(terms, Term{Text: l, Weight: 1})
	}
	b.ReportAllocs()
	for b.Loop() {
		NewPinyinIndex(terms)
	}
}

func BenchmarkResolve(b *testing.B) {
	p := NewPinyinIndex(append(vocabulary(b), lexicon...))
	for _, q := range []string{"shehuituanti", "shtt", "zuidishenghuobaozhang", "qwertyuiopasdfghjkl"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				p.Resolve(q)
			}
		})
	}
}
