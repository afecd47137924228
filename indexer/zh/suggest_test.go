package zh

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestSuggest(t *testing.T) {
	s := NewSuggester(vocabulary(t), IsWord)
	tests := []struct {
		q    string
		want string // "" for no suggestion
	}{
		// A character that sounds the same.
		{"残疾人保帐法", "残疾人保障法"},
		{"离婚冷净期", "离婚冷静期"},
		{"最底生活保障", "最低生活保障"},
		{"民法点", "民法典"},
		{"底保", "低保"},
		// The term inside a longer query, the rest kept.
		{"残疾人保帐法第十条", "残疾人保障法第十条"},
		{"残疾人保帐法 第十条", "残疾人保障法 第十条"},
		{"请问离婚冷净期多久", "请问离婚冷静期多久"},
		// One character replaced, added, dropped or swapped.
		{"老年人权益保护法", "老年人权益保障法"},
		{"最低生生活保障", "最低生活保障"},
		{"最低生保障", "最低生活保障"},
		{"遗赠扶协养议", "遗赠扶养协议"},
		// Nothing to correct.
		{"残疾人保障法", ""},
		// A title shortened, not a similar title misspelled.
		{"居民委员会组织法", ""},
		{"请问居民委员会组织法", ""},
		{"离婚冷静期怎么算", ""},
		{"养老院消防", ""},
		{"打印遗嘱", ""},
		{"结婚登记需要什么材料", ""},
		{"清明祭扫", ""},
		{"殡葬改革", ""},
		{"殡葬服务站", ""},  // a term and one more character is no misspelling
		{"清明祭扫活动", ""}, // 清明祭扫 is not 文明祭扫 misspelled
		{"离婚冷静期多少天", ""},
		{"离婚", ""},
		{"婚", ""},
		{"minfadian", ""},
		{"", ""},
		// Too long to try.
		{strings.Repeat("残疾人保帐法", 6), ""},
	}
	for _, tt := range tests {
		got, ok := s.Suggest(tt.q)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Suggest(%q) = %q, %v, want %q", tt.q, got, ok, tt.want)
		}
	}
}

func TestSuggestWithoutKnownWords(t *testing.T) {
	// Without a dictionary of real words, only the vocabulary protects
	// text; the corrections still work.
	s := NewSuggester([]Term{{Text: "残疾人保障法", Weight: 1}, {Text: "低保", Weight: 1}}, nil)
	if got, ok := s.Suggest("残疾人保帐法"); !ok || got != "残疾人保障法" {
		t.Errorf("Suggest(残疾人保帐法) = %q, %v", got, ok)
	}
	if got, ok := s.Suggest("低保"); ok {
		t.Errorf("Suggest(低保) = %q, want none", got)
	}
	empty := NewSuggester(nil, nil)
	if got, ok := empty.Suggest("残疾人保帐法"); ok {
		t.Errorf("empty Suggest = %q", got)
	}
}

func TestOSADistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"民法典", "民法典", 0},
		{"民法典", "民法点", 1},
		{"民法典", "民典", 1},
		{"民法", "民法典", 1},
		{"民典法", "民法典", 1},
		{"法民典", "典民法", 2},
		{"民", "民法典", 2},
	}
	for _, tt := range tests {
		if got := osaDistance([]rune(tt.a), []rune(tt.b)); got != tt.want {
			t.Errorf("osaDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestSuggestLeavesLawTextAlone: the clauses of real law text are
// spelled right, so the suggester must leave every one of them alone.
func TestSuggestLeavesLawTextAlone(t *testing.T) {
	s := NewSuggester(vocabulary(t), IsWord)
	files, err := filepath.Glob("testdata/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no law texts in testdata: %v", err)
	}
	clause := regexp.MustCompile(`\p{Han}+`)
	n := 0
	start := time.Now()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range clause.FindAllString(string(data), -1) {
			n++
			if got, ok := s.Suggest(c); ok {
				t.Errorf("Suggest(%q) = %q, want no suggestion for law text", c, got)
			}
		}
	}
	t.Logf("%d clauses in %v", n, time.Since(start))
}
