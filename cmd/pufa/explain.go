package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/pufa-gov/pufa/indexer"
)

// The terminal form of pufa search --explain: how the query was
// understood, and under each result a tree of what made its score. Staff
// read it, so it speaks Chinese; index field names are kept beside their
// Chinese names so that an engineer can find them in the code.

// fieldNames are the Chinese names of the index fields a query matches.
var fieldNames = map[string]string{
	"title":      "标题（词）",
	"title_gram": "标题（字）",
	"title_py":   "标题拼音",
	"text":       "法条正文",
	"heading":    "所属法律和章节",
	"body":       "正文",
	"article":    "条号",
	"lawtitle":   "法律名称",
}

// explainKindNames are the Chinese names of document kinds.
var explainKindNames = map[string]string{
	indexer.KindLaw:      "法律法规",
	indexer.KindArticle:  "法条",
	indexer.KindCatalog:  "普法责任目录",
	indexer.KindCampaign: "普法活动",
	indexer.KindNews:     "新闻动态",
}

// maxExplainTerms is the number of terms shown per field.
const maxExplainTerms = 6

func writeUnderstanding(w io.Writer, u *indexer.Understanding) {
	fmt.Fprintln(w, "查询理解：")
	line := func(name, value string) {
		if value != "" {
			fmt.Fprintf(w, "  %s：%s\n", name, value)
		}
	}
	line("规范化后", u.Text)
	line("分词", strings.Join(u.Words, " / "))
	if u.Pinyin != "" {
		line("拼音转换", u.Pinyin+" → "+u.Alternative)
	} else if u.Alternative != "" {
		line("纠错", u.Alternative)
	}
	if u.Alternative != "" && u.Suggested {
		line("向居民提示", "您是不是要找："+u.Alternative)
	}
	line("同义词（补充的法规用语）", strings.Join(u.Synonyms, "、"))
	line("识别的法律", strings.Join(u.Laws, "、"))
	if u.LawPages > 0 {
		line("法律名称页加权", fmt.Sprintf("%d 个页面 × 3", u.LawPages))
	}
	line("识别的条号", strings.Join(u.Articles, "、"))
	if u.Pins > 0 {
		line("置顶结果（bestbets.yaml）", fmt.Sprintf("%d 条", u.Pins))
	}
	fmt.Fprintln(w)
}

// writeExplanation writes a hit's explanation as a tree under the hit.
func writeExplanation(w io.Writer, e *indexer.Explanation) {
	const indent = "    "
	switch {
	case e.Pin > 0:
		fmt.Fprintf(w, "%s得分 %s = 置顶第 %d 位（计 %.0f）+ 相关度 %s\n", indent, num(e.Score), e.Pin,
			e.Score-e.Relevance, num(e.Relevance))
	default:
		formula := "相关度 " + num(e.Relevance)
		if e.Prior != nil {
			formula += " × 先验 " + num(e.Prior.Value)
		}
		if e.LawPage > 0 {
			formula += " × 法律名称页 " + num(e.LawPage)
		}
		if e.Kind > 0 {
			formula += " × 页面类型 " + num(e.Kind)
		}
		fmt.Fprintf(w, "%s得分 %s = %s\n", indent, num(e.Score), formula)
	}
	type node struct {
		head  string
		lines []string
	}
	fieldLine := func(f indexer.FieldScore) string {
		name := fieldNames[f.Field]
		if name == "" {
			name = f.Field
		}
		var terms []string
		for i, t := range f.Terms {
			if i == maxExplainTerms {
				terms = append(terms, fmt.Sprintf("…另 %d 个", len(f.Terms)-i))
				break
			}
			terms = append(terms, t.Term+" "+num(t.Score))
		}
		return fmt.Sprintf("%s %s %s：%s", name, f.Field, num(f.Score), strings.Join(terms, " · "))
	}
	var nodes []node
	sum := func(fs []indexer.FieldScore) float64 {
		t := 0.0
		for _, f := range fs {
			t += f.Score
		}
		return t
	}
	head := "相关度 " + num(e.Relevance) + " = 字段匹配 " + num(sum(e.Fields))
	if len(e.Boosts) > 0 {
		head += " + 加分 " + num(sum(e.Boosts))
	}
	if e.Pin > 0 {
		// A pinned document is matched by its ID as well, which adds a
		// little of its own.
		head = "相关度 " + num(e.Relevance) + "（其中字段匹配 " + num(sum(e.Fields)) + "）"
	}
	rel := node{head: head}
	for _, f := range e.Fields {
		rel.lines = append(rel.lines, fieldLine(f))
	}
	switch {
	case len(e.Fields) > 0:
	case e.Pin > 0:
		rel.lines = append(rel.lines, "（没有字段匹配查询词：只因置顶而出现）")
	default:
		rel.lines = append(rel.lines, "（没有字段匹配查询词）")
	}
	nodes = append(nodes, rel)
	if len(e.Boosts) > 0 {
		b := node{head: "加分 " + num(sum(e.Boosts)) + "（查询写明了条号或法律名称，或文档包含查询的全部词语）"}
		for _, f := range e.Boosts {
			line := fieldLine(f)
			if f.Field != "article" && f.Field != "lawtitle" {
				line = "包含全部词语 · " + line
			}
			b.lines = append(b.lines, line)
		}
		nodes = append(nodes, b)
	}
	if p := e.Prior; p != nil {
		kind := explainKindNames[p.Kind]
		if kind == "" {
			kind = p.Kind
		}
		parts := []string{"类型 " + kind + " " + num(p.Type)}
		if p.Superseded != 1 {
			parts = append(parts, "已被取代或已停用 "+num(p.Superseded))
		}
		if p.Recency != 1 {
			parts = append(parts, fmt.Sprintf("时效 %s（生成时已发布 %d 天）", num(p.Recency), p.AgeDays))
		}
		head := "先验 " + num(p.Value) + " = " + strings.Join(parts, " × ")
		if p.Superseded == 1 && (p.Kind == indexer.KindLaw || p.Kind == indexer.KindArticle || p.Kind == indexer.KindCatalog) {
			head += "（现行有效）"
		}
		nodes = append(nodes, node{head: head})
	}
	if e.LawPage > 0 {
		nodes = append(nodes, node{head: "法律名称页 × " + num(e.LawPage) + "（查询就是这部法律的名称）"})
	}
	if e.Kind > 0 {
		nodes = append(nodes, node{head: "页面类型 × " + num(e.Kind) + "（查询问的是法规条文、责任目录、活动还是新闻）"})
	}
	if e.Pin > 0 {
		nodes = append(nodes, node{head: fmt.Sprintf("置顶：bestbets.yaml 中本查询的第 %d 条", e.Pin)})
	}
	for i, n := range nodes {
		branch, cont := "├─ ", "│  "
		if i == len(nodes)-1 {
			branch, cont = "└─ ", "   "
		}
		fmt.Fprintf(w, "%s%s%s\n", indent, branch, n.head)
		for j, l := range n.lines {
			sub := "├─ "
			if j == len(n.lines)-1 {
				sub = "└─ "
			}
			fmt.Fprintf(w, "%s%s%s%s\n", indent, cont, sub, l)
		}
	}
}

// num writes a score with four significant decimals.
func num(v float64) string {
	if v >= 1e5 {
		return strconv.FormatFloat(v, 'f', 4, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}
