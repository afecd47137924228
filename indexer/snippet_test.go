package indexer

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSnippet(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		terms []string
		n     int
		want  string
	}{
		{"marks and escapes", "打印的遗嘱，应当<b>有</b>见证人", []string{"遗嘱"}, 40, "打印的<mark>遗嘱</mark>，应当&lt;b&gt;有&lt;/b&gt;见证人"},
		{"longest term wins", "打印遗嘱无效", []string{"打印遗嘱", "遗嘱"}, 40, "<mark>打印遗嘱</mark>无效"},
		{"no match shows start", "第一条 为了保护", []string{"婚姻"}, 3, "第一条…"},
		{"window around later match", strings.Repeat("甲", 50) + "婚姻" + strings.Repeat("乙", 50), []string{"婚姻"}, 8, "…甲甲<mark>婚姻</mark>乙乙乙乙…"},
		{"script in text", `<script>alert(1)</script>遗嘱`, []string{"遗嘱"}, 60, "&lt;script&gt;alert(1)&lt;/script&gt;<mark>遗嘱</mark>"},
		{"window around the longest term", "区" + strings.Repeat("甲", 50) + "社区服务中心" + strings.Repeat("乙", 50), []string{"区", "社区服务中心"}, 10,
			"…甲甲<mark>社区服务中心</mark>乙乙…"},
		{"collapses whitespace", "第一条\n\n  国家", []string{"国家"}, 20, "第一条 <mark>国家</mark>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Snippet(tt.text, tt.terms, tt.n); got != tt.want {
				t.Errorf("Snippet(%q, %q, %d) = %q, want %q", tt.text, tt.terms, tt.n, got, tt.want)
			}
		})
	}
}

func FuzzSnippet(f *testing.F) {
	f.Add("打印的遗嘱，应当有两个以上见证人在场见证。", "遗嘱", 10)
	f.Add("<img src=x onerror=alert(1)>婚姻", "婚", 3)
	f.Add("a\xffb遗嘱", "\xff", 2)
	f.Fuzz(func(t *testing.T, text, term string, n int) {
		if n < 0 || n > 500 {
			return
		}
		got := Snippet(text, []string{term}, n)
		if utf8.ValidString(text) && !utf8.ValidString(got) {
			t.Errorf("Snippet cut inside a character: %q", got)
		}
		rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(got)
		if strings.ContainsAny(rest, "<>") {
			t.Errorf("Snippet(%q, %q) leaks markup: %q", text, term, got)
		}
	})
}

func BenchmarkSnippet(b *testing.B) {
	text := strings.Repeat("遗嘱人可以撤回、变更自己所立的遗嘱。立遗嘱后，遗嘱人实施与遗嘱内容相反的民事法律行为的，视为对遗嘱相关内容的撤回。", 20) +
		"打印遗嘱应当有两个以上见证人在场见证。遗嘱人和见证人应当在遗嘱每一页签名，注明年、月、日。"
	terms := []string{"打印遗嘱", "见证人", "遗嘱"}
	b.ReportAllocs()
	for b.Loop() {
		Snippet(text, terms, snippetRunes)
	}
}
