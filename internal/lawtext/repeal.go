package lawtext

import (
	"regexp"
	"strings"
)

// Repeal is a law that a text says it repeals as a whole, as in 民法典
// 第一千二百六十条: "《中华人民共和国婚姻法》……同时废止".
type Repeal struct {
	// Title is the repealed law's title as quoted (中华人民共和国婚姻法).
	Title string
	// Article indexes Law.Articles: the article that says so.
	Article int
}

// repealVerb matches the words that end a repealing clause: 同时废止,
// 即行废止, 自本法施行之日起废止, 予以废止.
var repealVerb = regexp.MustCompile(`(?:同时|即行|予以|之日起)废止`)

// quoted matches a title in 《》; a title may quote another in 〈〉.
var quoted = regexp.MustCompile(`《([^《》]+)》`)

// Repeals lists the laws the articles of l repeal as a whole, in order:
// every title quoted in a sentence (up to 。 or ；) before the words that
// repeal it. A quotation followed by 中 or 第 names part of a law (《…》中有关
// 看守所的规定, 《…》第五条) and is left out, as is a title l repeals twice.
func (l *Law) Repeals() []Repeal {
	var out []Repeal
	seen := map[string]bool{}
	for i, a := range l.Articles {
		for _, para := range a.Paragraphs {
			if !strings.Contains(para, "废止") {
				continue
			}
			for _, s := range strings.FieldsFunc(para, func(r rune) bool { return r == '。' || r == '；' }) {
				verb := repealVerb.FindStringIndex(s)
				if verb == nil {
					continue
				}
				head := s[:verb[0]]
				for _, m := range quoted.FindAllStringSubmatchIndex(head, -1) {
					title := strings.TrimSpace(head[m[2]:m[3]])
					after := head[m[1]:]
					if title == "" || strings.HasPrefix(after, "中") || strings.HasPrefix(after, "第") || seen[title] {
						continue
					}
					seen[title] = true
					out = append(out, Repeal{Title: title, Article: i})
				}
			}
		}
	}
	return out
}
