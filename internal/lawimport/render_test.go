package lawimport

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"go.yaml.in/yaml/v3"
	"golang.org/x/net/html"
)

// markdown renders like Hugo's default goldmark setup: GFM (tables,
// strikethrough, linkify, task lists), definition lists, footnotes,
// typographer and attributes.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.DefinitionList, extension.Footnote, extension.Typographer),
	goldmark.WithParserOptions(parser.WithAttribute()),
)

// renderedText renders src and returns the text of the first element and
// its tag name.
func renderedText(t *testing.T, src string) (tag, text string) {
	t.Helper()
	var out bytes.Buffer
	if err := markdown.Convert([]byte(src), &out); err != nil {
		t.Fatalf("render %q: %v", src, err)
	}
	doc, err := html.Parse(&out)
	if err != nil {
		t.Fatal(err)
	}
	var body *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "body" {
			body = n
		}
		for c := n.FirstChild; c != nil && body == nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	var elems []*html.Node
	for c := body.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			elems = append(elems, c)
		}
	}
	if len(elems) != 1 {
		t.Fatalf("render %q: %d top-level elements in %q, want 1", src, len(elems), out.String())
	}
	var b strings.Builder
	var collect func(*html.Node)
	collect = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			collect(c)
		}
	}
	collect(elems[0])
	return elems[0].Data, b.String()
}

// escapeCases are lines of law text with characters Markdown reads as
// syntax; each must render as exactly itself.
var escapeCases = []string{
	"国家保护自然人的继承权。",
	"# 不是标题",
	"## 第一章",
	"* 不是列表",
	"- 不是列表",
	"+ 不是列表",
	"1. 不是有序列表",
	"1) 不是有序列表",
	"2000.主要事实不清",
	"> 不是引用",
	"---",
	"***",
	"===",
	"| 表格 | 不是 |",
	"[第一条](#a1)",
	"![图](x.png)",
	"[^1]: 不是脚注",
	": 不是定义",
	"<b>不是HTML</b>",
	"<https://flk.npc.gov.cn/>",
	"<!-- 注释 -->",
	"关于修改<中华人民共和国文物保护法>第三十条",
	"&amp; 与 &#21326;",
	"`代码`",
	"~~删除~~",
	"*强调* 与 **加粗** 与 _下划线_",
	"\"引号\" 'single' -- 破折号 --- ... << >>",
	"计薪天数＝（365天-104天）÷12月＝21.75天",
	"{#a1 .pf-article}",
	"{{< relref \"x\" >}} {{% y %}}",
	"$x$ ^上标^ ~下标~ ==标记== ++插入++",
	"行尾反斜杠\\",
	"\\*已转义\\*",
	"www.12339.gov.cn 举报",
	"(c) (tm) 1/2",
	"  ",
}

func TestEscape(t *testing.T) {
	for _, s := range escapeCases {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		t.Run(s, func(t *testing.T) {
			tag, got := renderedText(t, escape(s))
			if tag != "p" || got != s {
				t.Errorf("escape(%q) = %q renders as <%s>%q, want <p>%q", s, escape(s), tag, got, s)
			}
			tag, got = renderedText(t, "## "+escape(s))
			if tag != "h2" || got != s {
				t.Errorf("heading %q renders as <%s>%q, want <h2>%q", escape(s), tag, got, s)
			}
		})
	}
}

// FuzzEscape checks that any line of text renders as itself.
func FuzzEscape(f *testing.F) {
	for _, s := range escapeCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Lines reach the renderer trimmed, valid, without control characters.
		s = strings.TrimFunc(s, unicode.IsSpace)
		if s == "" || !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool {
			return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufffd' || unicode.IsSpace(r) && r != ' '
		}) {
			return
		}
		if tag, got := renderedText(t, escape(s)); tag != "p" || got != s {
			t.Fatalf("escape(%q) = %q renders as <%s>%q", s, escape(s), tag, got)
		}
	})
}

func TestYAMLString(t *testing.T) {
	for _, s := range []string{
		"中华人民共和国民法典", "继承编", "minfadian-jichengbian", "laws/cishanfa.md",
		"2020-05-28", "2020-05-28T00:00:00+08:00",
		"2020年5月28日 第十三届全国人民代表大会第三次会议通过",
		"社会法/慈善法(2016-03-16).md",
		"1991年6月29日 《关于修改<中华人民共和国文物保护法>第三十条第三十一条的决定》第一次修正",
		"(2014年11月1日第十二届全国人民代表大会常务委员会第十一次会议通过)",
		"yes", "no", "null", "true", "~", "123", "1e3", "0x10", "- 列表", "键: 值", "# 注释",
		"a #b", "\"引号\"", "'单引号'", "多 空格", "尾空格 ", "\u2028", "\ufeff", "、", "@", "`", "{a: b}", "[1, 2]",
	} {
		var got struct{ V any }
		doc := "v: " + yamlString(s) + "\n"
		if err := yaml.Unmarshal([]byte(doc), &got); err != nil {
			t.Errorf("yamlString(%q) = %q: %v", s, yamlString(s), err)
			continue
		}
		want := any(s)
		if isDate(s) || isDateTime(s) {
			continue // dates are meant to be read as dates
		}
		if got.V != want {
			t.Errorf("yamlString(%q) = %q reads back as %#v", s, yamlString(s), got.V)
		}
	}
	if got := yamlString("中华人民共和国民法典"); got != "中华人民共和国民法典" {
		t.Errorf("yamlString quotes plain Chinese text: %s", got)
	}
}
