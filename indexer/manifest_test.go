package indexer

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestLawText(t *testing.T) {
	tests := []struct {
		name      string
		content   string
		wantPlain string
		want      []Article
	}{
		{
			name: "articles, later paragraphs and headings",
			content: "<h2 id=\"x\">第一章　一般规定</h2>\n" +
				"<p id=\"a1119\" class=\"pf-article\"><a href=\"#a1119\">第一千一百一十九条</a>　本编调整因继承产生的民事关系。</p>\n" +
				"<p id=\"a1121\" class=\"pf-article\"><a href=\"#a1121\">第一千一百二十一条</a>　继承从被继承人死亡时开始。</p>\n" +
				"<p>相互有继承关系的数人在同一事件中死亡。</p>\n" +
				"<h3 id=\"y\">第一节　遗嘱</h3>\n" +
				"<p id=\"a10-1\" class=\"pf-article\"><a href=\"#a10-1\">第十条之一</a>　测试&lt;不是标签&gt;。</p>\n",
			wantPlain: "第一章　一般规定 第一千一百一十九条　本编调整因继承产生的民事关系。\n第一千一百二十一条　继承从被继承人死亡时开始。\n相互有继承关系的数人在同一事件中死亡。\n第一节　遗嘱 第十条之一　测试<不是标签>。\n",
			want: []Article{
				{Anchor: "a1119", Number: "第一千一百一十九条", Heading: "第一章　一般规定", Text: "第一千一百一十九条　本编调整因继承产生的民事关系。"},
				{Anchor: "a1121", Number: "第一千一百二十一条", Heading: "第一章　一般规定", Text: "第一千一百二十一条　继承从被继承人死亡时开始。\n相互有继承关系的数人在同一事件中死亡。"},
				{Anchor: "a10-1", Number: "第十条之一", Heading: "第一节　遗嘱", Text: "第十条之一　测试<不是标签>。"},
			},
		},
		{
			name:      "no articles: a page of metadata",
			content:   "<p>本法全文尚未收入本站，以官方发布文本为准。</p>\n<!-- raw HTML omitted -->\n<p>第二段<br>换行</p>\n",
			wantPlain: "本法全文尚未收入本站，以官方发布文本为准。\n第二段\n换行\n",
		},
		{
			name:      "a paragraph that only looks like an article",
			content:   "<p id=\"abc\">不是条文</p>\n<p id=\"a3\" class=\"pf-article\">没有链接</p>\n",
			wantPlain: "不是条文\n没有链接\n",
		},
		{
			name:      "text without markup is returned as it is",
			content:   "第一条  本法\n调整",
			wantPlain: "第一条  本法\n调整",
		},
		{
			name:      "heading closed on a later line does not count",
			content:   "<h2>第一章\n</h2>\n<p id=\"a1\" class=\"pf-article\"><a href=\"#a1\">第一条</a>　内容</p>",
			wantPlain: "第一章 第一条　内容\n",
			want:      []Article{{Anchor: "a1", Number: "第一条", Heading: "", Text: "第一条　内容"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plain, got := LawText(tt.content)
			if plain != tt.wantPlain {
				t.Errorf("LawText plain = %q, want %q", plain, tt.wantPlain)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("LawText articles = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// referenceLawText is the manifest template's algorithm in its plainest
// form (Hugo's split, findRESubmatch, replaceRE and plainify), checked
// against the template's output on the whole law corpus when LawText
// replaced it. LawText must agree with it on every input.
func referenceLawText(content string) (string, []Article) {
	articleRE := regexp.MustCompile(`^([0-9]+(?:-[0-9]+)?)"[^>]*><a href="[^"]*">([^<]+)</a>`)
	tagRestRE := regexp.MustCompile(`^[^>]*>`)
	headingRE := regexp.MustCompile(`^[2-6][^>]*>(.*?)</h[2-6]>`)
	plainify := func(s string) string {
		if !strings.ContainsAny(s, "<>") {
			return s
		}
		var b strings.Builder
		wasSpace := false
		emit := func(r rune) {
			isSpace := unicode.IsSpace(r)
			if !(isSpace && wasSpace) {
				b.WriteRune(r)
			}
			wasSpace = isSpace
		}
		for i := 0; i < len(s); {
			switch {
			case s[i] == '\n':
				emit(' ')
				i++
			case strings.HasPrefix(s[i:], "<!--"):
				end := strings.Index(s[i+4:], "-->")
				if end < 0 {
					return b.String()
				}
				i += end + 7
			case s[i] == '<' && isTagStart(s[i+1:]):
				end := strings.IndexByte(s[i:], '>')
				if end < 0 {
					return b.String()
				}
				if tag := s[i : i+end+1]; tag == "</p>" || tag == "<br>" || tag == "<br />" {
					emit('\n')
				}
				i += end + 1
			default:
				r, size := utf8.DecodeRuneInString(s[i:])
				emit(r)
				i += size
			}
		}
		return b.String()
	}
	var out []Article
	heading := ""
	for i, c := range strings.Split(content, articleStart) {
		parts := strings.Split(c, "<h")
		if i > 0 {
			if m := articleRE.FindStringSubmatch(c); m != nil {
				body := tagRestRE.ReplaceAllString(parts[0], "")
				out = append(out, Article{Anchor: "a" + m[1], Number: m[2], Heading: heading,
					Text: strings.TrimSpace(html.UnescapeString(plainify(body)))})
			}
		}
		for _, part := range parts[1:] {
			if m := headingRE.FindStringSubmatch(part); m != nil {
				heading = strings.TrimSpace(html.UnescapeString(plainify(m[1])))
			}
		}
	}
	return html.UnescapeString(plainify(content)), out
}

func FuzzLawText(f *testing.F) {
	f.Add("<h2 id=\"x\">第一章　总则</h2>\n<p id=\"a1\" class=\"pf-article\"><a href=\"#a1\">第一条</a>　为了&amp;保护</p>\n<p>后段</p>\n")
	f.Add("<p id=\"a10-1\" class=\"pf-article\"><a href=\"#a10-1\">第十条之一</a>\u3000测试 \u00a0 空白\u2003 </p><br />")
	f.Add("<h3>第二节</h3><h4 class=\"x\">第一目 <em>强调</em></h4>\n<!-- raw HTML omitted --><p id=\"a2\"><a href=\"#a2\">第二条</a></p>")
	f.Add("a < b > c\n\n<p>x</p>\xff\xfe<p id=\"a9\" class=\"pf-article\"><a href=\"#\">九</a></p>")
	f.Add(synthLaw(30))
	f.Fuzz(func(t *testing.T, content string) {
		plain, got := LawText(content)
		wantPlain, want := referenceLawText(content)
		if plain != wantPlain {
			t.Errorf("LawText(%q) plain = %q, want %q", content, plain, wantPlain)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("LawText(%q) articles = %+v, want %+v", content, got, want)
		}
	})
}

// synthLaw renders a law page the way Hugo renders lawimport's Markdown:
// chapters of 20 articles, every third article with a second paragraph.
func synthLaw(articles int) string {
	var b strings.Builder
	for i := 1; i <= articles; i++ {
		if i%20 == 1 {
			fmt.Fprintf(&b, "<h2 id=\"c%d\">第%d章　一般规定</h2>\n", i/20+1, i/20+1)
		}
		fmt.Fprintf(&b, "<p id=\"a%d\" class=\"pf-article\"><a href=\"#a%d\">第%d条</a>　国家保护自然人的继承权。继承从被继承人死亡时开始，遗产是自然人死亡时遗留的个人合法财产。</p>\n", i, i, i)
		if i%3 == 0 {
			b.WriteString("<p>依照法律规定或者根据其性质不得继承的遗产，不得继承。</p>\n")
		}
	}
	return b.String()
}

func BenchmarkLawText(b *testing.B) {
	content := synthLaw(500)
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		LawText(content)
	}
}

func TestReadManifestLinesAndWhole(t *testing.T) {
	m := &Manifest{Generator: "pufa", Site: SiteInfo{Title: "站", BaseURL: "https://example.gov.cn/pufa/"}}
	m.Pages = []Page{
		{URL: "/pufa/", Kind: "home", Title: "首页"},
		{URL: "/pufa/laws/a/", Kind: "page", Section: "laws", Title: "法", Content: synthLaw(3)},
		{URL: "/pufa/news/b/", Kind: "page", Section: "news", Title: "新闻", Plain: "正文\n", Content: "<p>正文</p>"},
	}
	// As home.manifest.json writes it: one page per line.
	var lines []string
	for _, p := range m.Pages {
		data, _ := json.Marshal(p)
		lines = append(lines, string(data))
	}
	head, _ := json.Marshal(m.Site)
	byLine := fmt.Sprintf("{\"generator\":\"pufa\",\"site\":%s,\n\"built\":\"2026-03-20T09:00:00+08:00\",\n\"pages\":[\n%s\n]}\n", head, strings.Join(lines, ",\n"))
	whole, _ := json.Marshal(m)
	dir := t.TempDir()
	read := func(name, data string) *Manifest {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(data), 0o644)
		got, err := ReadManifest(p)
		if err != nil {
			t.Fatal(err)
		}
		got.SHA256, got.Built = "", m.Built
		return got
	}
	a, b := read("lines.json", byLine), read("whole.json", string(whole))
	if !reflect.DeepEqual(a, b) {
		t.Errorf("one page per line decodes to\n%+v\nthe whole file to\n%+v", a, b)
	}
	law := a.Pages[1]
	if law.Content != "" || len(law.Articles) != 3 || !strings.HasPrefix(law.Plain, "第1章") {
		t.Errorf("law page = %+v: want its articles and plain text, and no content", law)
	}
	if a.Pages[2].Content == "" {
		t.Error("a news page lost its content")
	}
}

func BenchmarkDecodeManifest(b *testing.B) {
	var lines []string
	for i := range 400 {
		p := Page{URL: fmt.Sprintf("/laws/l%d/", i), Kind: "page", Section: "laws", Title: "法", Content: synthLaw(50)}
		data, _ := json.Marshal(p)
		lines = append(lines, string(data))
	}
	data := []byte("{\"generator\":\"pufa\",\"site\":{},\n\"built\":\"2026-03-20T09:00:00+08:00\",\n\"pages\":[\n" + strings.Join(lines, ",\n") + "\n]}\n")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeManifest(data); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleLawText() {
	content := "<h2 id=\"c1\">第一章　总则</h2>\n" +
		"<p id=\"a1\" class=\"pf-article\"><a href=\"#a1\">第一条</a>　为了加强殡葬管理，制定本条例。</p>\n" +
		"<p id=\"a10-1\" class=\"pf-article\"><a href=\"#a10-1\">第十条之一</a>　禁止在耕地建造坟墓。</p>\n<p>违反的，责令改正。</p>\n"
	_, articles := LawText(content)
	for _, a := range articles {
		fmt.Printf("%s %s [%s] %s\n", a.Anchor, a.Number, a.Heading, strings.ReplaceAll(a.Text, "\n", " / "))
	}
	// Output:
	// a1 第一条 [第一章　总则] 第一条　为了加强殡葬管理，制定本条例。
	// a10-1 第十条之一 [第一章　总则] 第十条之一　禁止在耕地建造坟墓。 / 违反的，责令改正。
}
