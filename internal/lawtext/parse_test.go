package lawtext

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// outline writes a law's text one block a line: "H2 heading", "T text",
// "A a12 第十二条 [章] first | second".
func outline(l *Law) string {
	var b strings.Builder
	for _, blk := range l.Blocks {
		switch blk.Kind {
		case BlockHeading:
			fmt.Fprintf(&b, "H%d %s\n", blk.Level, blk.Text)
		case BlockText:
			fmt.Fprintf(&b, "T %s\n", blk.Text)
		case BlockArticle:
			a := l.Articles[blk.Article]
			fmt.Fprintf(&b, "A %s %s [%s] %s\n", a.Anchor, a.Number, strings.Join(a.Path, "/"), strings.Join(a.Paragraphs, " | "))
		}
	}
	return b.String()
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, file, in string
		want           Law    // header fields compared when set
		noEffective    bool   // want no Effective date
		outline        string // expected outline of the text
	}{
		{
			name: "split code with chapters",
			file: "民法典/继承编.md",
			in: `# 中华人民共和国民法典

# 继承编

2020年5月28日 第十三届全国人民代表大会第三次会议通过

2021年1月1日 施行

<!-- INFO END -->

## 第一章  一般规定

第一千一百一十九条 本编调整因继承产生的民事关系。

第一千一百二十一条 继承从被继承人死亡时开始。

相互有继承关系的数人在同一事件中死亡的，推定同时死亡。
`,
			want: Law{
				Title: "中华人民共和国民法典", Subtitle: "继承编",
				History: []string{"2020年5月28日 第十三届全国人民代表大会第三次会议通过", "2021年1月1日 施行"},
				Passed:  "2020-05-28", Effective: "2021-01-01", Version: "2020-05-28",
				Issuer: "全国人民代表大会",
			},
			outline: `H1 第一章 一般规定
A a1119 第一千一百一十九条 [第一章 一般规定] 本编调整因继承产生的民事关系。
A a1121 第一千一百二十一条 [第一章 一般规定] 继承从被继承人死亡时开始。 | 相互有继承关系的数人在同一事件中死亡的，推定同时死亡。
`,
		},
		{
			name: "no chapters, version from the file name, amendments",
			file: "地方性法规/上海/上海市居民委员会工作条例(2020-05-14).md",
			in: `# 上海市居民委员会工作条例

2017年4月20日 上海市第十四届人民代表大会常务委员会第三十七次会议通过

2020年5月14日 上海市第十五届人民代表大会常务委员会第二十一次会议《关于修改本市部分地方性法规的决定》第一次修正

<!-- INFO END -->

第一条 为了加强居民委员会建设，制定本条例。

第二条 本条例适用于本市。
`,
			want: Law{
				Title:   "上海市居民委员会工作条例",
				Passed:  "2017-04-20",
				Amended: []string{"2020-05-14"}, Version: "2020-05-14",
				Issuer: "上海市人民代表大会常务委员会",
			},
			outline: `A a1 第一条 [] 为了加强居民委员会建设，制定本条例。
A a2 第二条 [] 本条例适用于本市。
`,
		},
		{
			name: "preamble, 之一 articles, sections, force breaks",
			file: "宪法/宪法.md",
			in: `# 中华人民共和国宪法

1982年12月4日 第五届全国人民代表大会第五次会议通过

1982年12月4日 全国人民代表大会公告公布施行

2018年3月11日 第十三届全国人民代表大会第一次会议通过的《中华人民共和国宪法修正案》

<!-- INFO END -->

## 序言

中国是世界上历史最悠久的国家之一。

<!-- FORCE BREAK -->

本宪法以法律的形式确认了中国各族人民奋斗的成果。

### 第一章 总纲

第一条 中华人民共和国是社会主义国家。

#### 第一节 全国人民代表大会

第十条 城市的土地属于国家所有。

第十条之一 一切使用土地的组织和个人必须合理地利用土地。

### 第二章 公民的基本权利和义务

第三十三条 凡具有中华人民共和国国籍的人都是中华人民共和国公民。
`,
			want: Law{
				Title: "中华人民共和国宪法", Passed: "1982-12-04", Effective: "1982-12-04",
				Amended: []string{"2018-03-11"}, Version: "2018-03-11", Issuer: "全国人民代表大会",
			},
			// 序言 encloses no chapter even though they sit a level deeper.
			outline: `H1 序言
T 中国是世界上历史最悠久的国家之一。
T 本宪法以法律的形式确认了中国各族人民奋斗的成果。
H1 第一章 总纲
A a1 第一条 [第一章 总纲] 中华人民共和国是社会主义国家。
H2 第一节 全国人民代表大会
A a10 第十条 [第一章 总纲/第一节 全国人民代表大会] 城市的土地属于国家所有。
A a10-1 第十条之一 [第一章 总纲/第一节 全国人民代表大会] 一切使用土地的组织和个人必须合理地利用土地。
H1 第二章 公民的基本权利和义务
A a33 第三十三条 [第二章 公民的基本权利和义务] 凡具有中华人民共和国国籍的人都是中华人民共和国公民。
`,
		},
		{
			name: "amendment without articles",
			file: "刑法/刑法修正案（十一）.md",
			in: `# 中华人民共和国刑法修正案（十一）

2020年12月26日 第十三届全国人民代表大会常务委员会第二十四次会议通过

<!-- INFO END -->

一、将刑法第十七条修改为：“已满十六周岁的人犯罪，应当负刑事责任。

“第一百三十三条之二 对行驶中的公共交通工具的驾驶人员使用暴力的，处一年以下有期徒刑。”

四十八、本修正案自2021年3月1日起施行。
`,
			want: Law{
				Title: "中华人民共和国刑法修正案（十一）", Passed: "2020-12-26", Version: "2020-12-26",
				Issuer: "全国人民代表大会常务委员会",
			},
			outline: `T 一、将刑法第十七条修改为：“已满十六周岁的人犯罪，应当负刑事责任。
T “第一百三十三条之二 对行驶中的公共交通工具的驾驶人员使用暴力的，处一年以下有期徒刑。”
T 四十八、本修正案自2021年3月1日起施行。
`,
		},
		{
			name: "wrapped title repeated in history and text, zero-width spaces, quotation over two lines",
			file: "行政法/某法(2017-11-04).md",
			in: "# 中华人民共和国农村土地承包经营纠纷调解仲裁法\n\n" +
				"中华人民共和国农村土地\n\n承包经营纠纷调解仲裁法\n\n" +
				"1991年6月29日 第七届全国人民代表大会常务委员会第二十次会议《关于修改<中华人民共和国文物保护法>第三十条\n\n" +
				"第三十一条的决定》第一次修正\n\n" +
				"2009年6月27日 第十一届全国人民代表大会常务委员会第九次会议通过\n\n" +
				"<!-- INFO END -->\n\n\u200b\n\n" +
				"中华人民共和国农村土地 承包经营纠纷调解仲裁法\n\n" +
				"第一条\u3000为了公正、及时解决农村土地承包经营纠纷，制定本法。\n",
			want: Law{
				Title: "中华人民共和国农村土地承包经营纠纷调解仲裁法",
				History: []string{
					"1991年6月29日 第七届全国人民代表大会常务委员会第二十次会议《关于修改<中华人民共和国文物保护法>第三十条第三十一条的决定》第一次修正",
					"2009年6月27日 第十一届全国人民代表大会常务委员会第九次会议通过",
				},
				Passed: "2009-06-27", Amended: []string{"1991-06-29"}, Version: "2017-11-04",
			},
			outline: "A a1 第一条 [] 为了公正、及时解决农村土地承包经营纠纷，制定本法。\n",
		},
		{
			name: "bare heading, article without text, two steps on one history line",
			file: "民法典/附则.md",
			in: `# 上海市实施办法

2013年11月21日 上海市第十四届人民代表大会常务委员会第九次会议修订根据2017年11月23日上海市第十四届人民代表大会常务委员会第四十一次会议《关于修改本市部分地方性法规的决定》第二次修正

<!-- INFO END -->

##

第一千二百五十九条

（一）以上包括本数；

第一千二百六十条 本法自2021年1月1日起施行。
`,
			want: Law{
				Title: "上海市实施办法", Amended: []string{"2013-11-21", "2017-11-23"}, Version: "2017-11-23",
				Issuer: "上海市人民代表大会常务委员会",
			},
			outline: `A a1259 第一千二百五十九条 []  | （一）以上包括本数；
A a1260 第一千二百六十条 [] 本法自2021年1月1日起施行。
`,
		},
		{
			name: "no history: the text states its date of effect",
			file: "地方性法规/上海/上海市地名管理条例.md",
			in: `# 上海市地名管理条例

<!-- INFO END -->

## 第一章  总则

第一条 为加强本市地名管理，制定本条例。

## 第五章  附则

第四十三条 本条例自1999年1月1日起施行。
`,
			want: Law{Title: "上海市地名管理条例", Effective: "1999-01-01", Version: "1999-01-01"},
			outline: `H1 第一章 总则
A a1 第一条 [第一章 总则] 为加强本市地名管理，制定本条例。
H1 第五章 附则
A a43 第四十三条 [第五章 附则] 本条例自1999年1月1日起施行。
`,
		},
		{
			name: "an amended text keeps the original date of effect, which is not this version's",
			file: "社会法/慈善法(2023-12-29).md",
			in: `# 中华人民共和国慈善法

2016年3月16日 第十二届全国人民代表大会第四次会议通过

2023年12月29日 第十四届全国人民代表大会常务委员会第七次会议《关于修改〈中华人民共和国慈善法〉的决定》修正

<!-- INFO END -->

第一百二十五条 本法自2016年9月1日起施行。
`,
			want:        Law{Title: "中华人民共和国慈善法", Passed: "2016-03-16", Amended: []string{"2023-12-29"}, Version: "2023-12-29"},
			noEffective: true,
			outline:     "A a125 第一百二十五条 [] 本法自2016年9月1日起施行。\n",
		},
		{
			name: "issuers of regulations",
			file: "行政法规/条例.md",
			in: `# 某条例

1984年1月7日 中华人民共和国国务院、中华人民共和国中央军事委员会令第5号发布

1999年1月1日 国务院第12次常务会议修订

<!-- INFO END -->
`,
			want: Law{Title: "某条例", Passed: "1984-01-07", Amended: []string{"1999-01-01"}, Version: "1999-01-01",
				Issuer: "国务院、中央军事委员会"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			law, err := Parse(strings.NewReader(tt.in), tt.file)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkLaw(t, law)
			check := func(field string, got, want any) {
				t.Helper()
				if !reflect.ValueOf(want).IsZero() && !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			check("Title", law.Title, tt.want.Title)
			check("Subtitle", law.Subtitle, tt.want.Subtitle)
			check("History", law.History, tt.want.History)
			check("Passed", law.Passed, tt.want.Passed)
			check("Effective", law.Effective, tt.want.Effective)
			check("Amended", law.Amended, tt.want.Amended)
			check("Version", law.Version, tt.want.Version)
			check("Issuer", law.Issuer, tt.want.Issuer)
			if tt.noEffective && law.Effective != "" {
				t.Errorf("Effective = %q, want none", law.Effective)
			}
			if got := outline(law); got != tt.outline {
				t.Errorf("outline:\n%s\nwant:\n%s", got, tt.outline)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const head = "# 中华人民共和国某法\n\n2020年5月28日 第十三届全国人民代表大会第三次会议通过\n\n<!-- INFO END -->\n\n"
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "民法典/继承编.md: title: empty file"},
		{"section marker", "---\nbookCollapseSection: true\n---\n", "民法典/继承编.md:1: title: front matter"},
		{"no title", "中华人民共和国某法\n", "民法典/继承编.md:1: title: want \"# title\""},
		{"subheading as title", "## 第一章\n", "民法典/继承编.md:1: title:"},
		{"no INFO END", "# 某法\n\n2020年5月28日 通过\n", "民法典/继承编.md: missing \"<!-- INFO END -->\""},
		{"late subtitle", "# 某法\n2020年5月28日 通过\n# 继承编\n<!-- INFO END -->\n", "民法典/继承编.md:3: subtitle:"},
		{"no such date", "# 某法\n2020年2月30日 通过\n<!-- INFO END -->\n", "民法典/继承编.md:2: history: no such date 2020年2月30日"},
		{"bad article number", head + "## 第一章\n\n第一千一百十十条 国家保护自然人的继承权。\n", "民法典/继承编.md:9: article: \"第一千一百十十条\""},
		{"repeated article", head + "第一条 甲。\n\n第二条 乙。\n\n第一条 丙。\n", "民法典/继承编.md:11: article: 第一条 repeats the number of line 7"},
		{"level-1 heading in the text", head + "# 第一章\n", "民法典/继承编.md:7: heading: level-1 heading"},
		{"heading without space", head + "##第一章\n", "民法典/继承编.md:7: heading: want a space"},
		{"unknown directive", head + "<!-- more -->\n", "民法典/继承编.md:7: unknown directive"},
		{"second INFO END", head + "<!-- INFO END -->\n", "民法典/继承编.md:7: second"},
		{"invalid UTF-8", head + "第一条 \xff\n", "民法典/继承编.md:7: invalid UTF-8"},
		{"control character", head + "第一条 甲\x00乙\n", "民法典/继承编.md:7: control character U+0000"},
		{"too long", head + strings.Repeat("长", maxLine), "民法典/继承编.md:7: line longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			law, err := Parse(strings.NewReader(tt.in), "民法典/继承编.md")
			if err == nil {
				t.Fatalf("Parse = %+v, nil; want error %q", law, tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Parse error = %q, want prefix %q", err, tt.want)
			}
			var perr *Error
			if !errors.As(err, &perr) || perr.Name != "民法典/继承编.md" {
				t.Errorf("Parse error %v is not an *Error naming the file", err)
			}
		})
	}
}

func TestParseVersionFromName(t *testing.T) {
	tests := []struct{ name, want, wantErr string }{
		{"社会法/慈善法(2023-12-29).md", "2023-12-29", ""},
		{"宪法/宪法.md", "2018-03-11", ""}, // latest history date
		{"社会法/慈善法(2023-02-30).md", "", "社会法/慈善法(2023-02-30).md: version date in file name"},
	}
	const text = "# 某法\n1982年12月4日 通过\n2018年3月11日 修正\n2019年1月1日 施行\n<!-- INFO END -->\n"
	for _, tt := range tests {
		law, err := Parse(strings.NewReader(text), tt.name)
		if tt.wantErr != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("Parse(%s) error = %v, want %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || law.Version != tt.want {
			t.Errorf("Parse(%s).Version = %q, %v; want %q", tt.name, law.Version, err, tt.want)
		}
	}
}

func TestIssuer(t *testing.T) {
	tests := []struct{ text, want string }{
		{"2020年5月28日 第十三届全国人民代表大会第三次会议通过", "全国人民代表大会"},
		{"2015年8月29日 第十二届全国人民代表大会常务委员会第十六次会议通过", "全国人民代表大会常务委员会"},
		{"(2014年11月1日第十二届全国人民代表大会常务委员会第十一次会议通过)", "全国人民代表大会常务委员会"},
		{"2003年1月1日 全国人民代表大会常务委员会第三次会议通过", "全国人民代表大会常务委员会"},
		{"1997年8月20日 上海市第十届人民代表大会常务委员会第三十八次会议通过", "上海市人民代表大会常务委员会"},
		{"2003年8月8日 中华人民共和国国务院令第387号公布", "国务院"},
		{"2012年1月1日 国务院第200次常务会议通过", "国务院"},
		{"1986年1月1日 国务院批准", "国务院"},
		{"1984年4月4日 国务院、中央军委发布", "国务院、中央军事委员会"},
		{"2022年2月25日 中共中央、国务院发布", "中共中央、国务院"},
		{"2018年1月25日 公安部令第148号公布", "公安部"},
		{"2021年1月1日 国家互联网信息办公室2021年第1次室务会议审议通过", "国家互联网信息办公室"},
		{"2022年1月24日 中共中央政治局会议审议批准", ""},
		{"1982年9月20日 发布", ""},
		{"2019年3月15日 中华人民共和国主席令第二十六号公布", ""},
	}
	for _, tt := range tests {
		if got := issuer(tt.text); got != tt.want {
			t.Errorf("issuer(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestParseFixtures pins real files copied from the national corpus.
func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file                string
		articles            int
		first, last         string
		headings, preamble  int
		subtitle, version   string
		firstPath, lastPath string
	}{
		{file: "民法典/继承编.md", articles: 45, first: "第一千一百一十九条", last: "第一千一百六十三条",
			headings: 4, subtitle: "继承编", version: "2020-05-28",
			firstPath: "第一章 一般规定", lastPath: "第四章 遗产的处理"},
		{file: "民法典/附则.md", articles: 2, first: "第一千二百五十九条", last: "第一千二百六十条", subtitle: "附则", version: "2020-05-28"},
		{file: "宪法/宪法.md", articles: 143, first: "第一条", last: "第一百四十三条", headings: 13, preamble: 13,
			version: "2018-03-11", firstPath: "第一章 总纲", lastPath: "第四章 国旗、国歌、国徽、首都"},
		{file: "宪法相关法/澳门特别行政区基本法(1993-03-31).md", articles: 145, first: "第一条", last: "第一百四十五条",
			headings: 17, preamble: 3, version: "1993-03-31", firstPath: "第一章 总则", lastPath: "第九章 附则"},
		{file: "刑法/刑法修正案（十一）.md", articles: 0, preamble: 140, version: "2020-12-26"},
		{file: "地方性法规/上海/上海市居民委员会工作条例(2020-05-14).md", articles: 39, first: "第一条", last: "第三十九条", version: "2020-05-14"},
		{file: "行政法/文物保护法(2017-11-04).md", articles: 80, first: "第一条", last: "第八十条", headings: 8,
			version: "2017-11-04", firstPath: "第一章 总则", lastPath: "第八章 附则"},
		{file: "诉讼与非诉讼程序法/农村土地承包经营纠纷调解仲裁法(2009-06-27).md", articles: 53, first: "第一条", last: "第五十三条",
			headings: 8, version: "2009-06-27"},
		{file: "社会法/慈善法(2023-12-29).md", articles: 125, first: "第一条", last: "第一百二十五条", headings: 13, version: "2023-12-29"},
		{file: "社会法/慈善法(2016-03-16).md", articles: 112, first: "第一条", last: "第一百一十二条", headings: 12, version: "2016-03-16"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			law, err := parseFile(filepath.Join("testdata", tt.file), tt.file)
			if err != nil {
				t.Fatal(err)
			}
			checkLaw(t, law)
			if len(law.Articles) != tt.articles {
				t.Fatalf("%d articles, want %d", len(law.Articles), tt.articles)
			}
			var headings, preamble int
			for _, b := range law.Blocks {
				switch b.Kind {
				case BlockHeading:
					headings++
				case BlockText:
					preamble++
				}
			}
			if headings != tt.headings || preamble != tt.preamble {
				t.Errorf("%d headings and %d text blocks, want %d and %d", headings, preamble, tt.headings, tt.preamble)
			}
			if law.Subtitle != tt.subtitle || law.Version != tt.version {
				t.Errorf("subtitle %q version %q, want %q %q", law.Subtitle, law.Version, tt.subtitle, tt.version)
			}
			if tt.articles == 0 {
				return
			}
			first, last := law.Articles[0], law.Articles[len(law.Articles)-1]
			if first.Number != tt.first || last.Number != tt.last {
				t.Errorf("articles %s..%s, want %s..%s", first.Number, last.Number, tt.first, tt.last)
			}
			if got := strings.Join(first.Path, "/"); tt.firstPath != "" && got != tt.firstPath {
				t.Errorf("first article path %q, want %q", got, tt.firstPath)
			}
			if got := strings.Join(last.Path, "/"); tt.lastPath != "" && got != tt.lastPath {
				t.Errorf("last article path %q, want %q", got, tt.lastPath)
			}
		})
	}
}

// TestInheritanceBook pins the articles of 民法典 继承编 one by one.
func TestInheritanceBook(t *testing.T) {
	law, err := parseFile(filepath.Join("testdata", "民法典", "继承编.md"), "民法典/继承编.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(law.Articles) != 45 {
		t.Fatalf("%d articles, want 45", len(law.Articles))
	}
	for i, a := range law.Articles {
		n := 1119 + i
		if a.N != n || a.Sub != 0 || a.Number != FormatNumber(n, 0) || a.Anchor != fmt.Sprintf("a%d", n) {
			t.Errorf("article %d = %s (%d, %s), want %s", i, a.Number, a.N, a.Anchor, FormatNumber(n, 0))
		}
	}
	a := law.Articles[1136-1119]
	if a.Number != "第一千一百三十六条" || !strings.HasPrefix(a.Paragraphs[0], "打印遗嘱应当有两个以上见证人在场见证") {
		t.Errorf("第一千一百三十六条 = %s %q", a.Number, a.Paragraphs)
	}
}

func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*", "*.md"))
	more, _ := filepath.Glob(filepath.Join("testdata", "*", "*", "*.md"))
	for _, p := range append(seeds, more...) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 16<<10 {
			b = b[:16<<10] // a cut file is a fine seed too
		}
		f.Add(string(b))
	}
	f.Add("# 某法\n<!-- INFO END -->\n## 第一章\n第一条 甲\n### 第一节\n第一条之一 乙\n")
	f.Fuzz(func(t *testing.T, in string) {
		law, err := Parse(strings.NewReader(in), "fuzz.md")
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse error %v is not an *Error", err)
			}
			return
		}
		checkLaw(t, law)
		seen := map[string]bool{}
		for _, a := range law.Articles {
			if seen[a.Anchor] {
				t.Fatalf("anchor %s twice", a.Anchor)
			}
			seen[a.Anchor] = true
			if a.N < 1 || a.Anchor != Anchor(a.N, a.Sub) {
				t.Fatalf("article %+v", a)
			}
		}
	})
}
