package zh

import "strings"

// Concept is one thing a query asks about: the query's words that name it
// and the other wordings that name the same thing. 低保 and 最低生活保障 are
// one concept; a document has it whichever wording it uses, and counts it
// once.
type Concept struct {
	// Words are the query's words that name the concept, in order: one
	// word, or several that together spell a colloquial phrase (没钱 回家).
	Words []string
	// Alternatives are the law's wordings of the same thing, from the
	// synonyms file, without the ones the query already contains.
	Alternatives []string
	// Weak marks a question or function word (怎么办, 需要, 的): it says
	// how the resident asks, not what about.
	Weak bool
}

// Text returns the concept as the query spells it.
func (c Concept) Text() string { return strings.Join(c.Words, "") }

// Concepts groups the words of a query (as Segment returns them) into
// concepts: a run of up to maxKeyWords words that is a colloquial word of
// the synonyms file becomes one concept with its formal wordings, longest
// first; every other word is a concept of its own. Question and function
// words are marked weak unless the synonyms file gives them a meaning.
// s may be nil (no synonyms).
func (s *Synonyms) Concepts(words []string) []Concept {
	fq := foldKey(strings.Join(words, ""))
	var out []Concept
	seen := make(map[string]bool)
	for i := 0; i < len(words); {
		n, alts := s.lookup(words[i:], fq, seen)
		if n == 0 {
			out = append(out, Concept{Words: words[i : i+1], Weak: IsFunctionWord(words[i])})
			i++
			continue
		}
		out = append(out, Concept{Words: words[i : i+n], Alternatives: alts})
		i += n
	}
	return out
}

// lookup finds the longest colloquial word of the synonyms file that the
// first words spell, and returns how many words it spans (0 for none) and
// its formal wordings that are neither in fq (the folded query) nor in
// seen (given by an earlier concept).
func (s *Synonyms) lookup(words []string, fq string, seen map[string]bool) (int, []string) {
	if s == nil || len(s.entries) == 0 {
		return 0, nil
	}
	for n := min(maxKeyWords, len(words)); n >= 1; n-- {
		j, ok := s.byKey[foldKey(strings.Join(words[:n], ""))]
		if !ok {
			continue
		}
		var alts []string
		for k, fa := range s.folded[j] {
			if seen[fa] || strings.Contains(fq, fa) {
				continue
			}
			seen[fa] = true
			alts = append(alts, s.entries[j].Alternatives[k])
		}
		return n, alts
	}
	return 0, nil
}

// functionWords are the words of a question that say how it is asked, not
// what it is about: question words, pronouns, particles and the modal
// verbs residents put around what they want to know (残疾证 怎么办, 离婚
// 需要 什么 材料, 老公 打 我 可以 报警 吗). They occur in most texts of the
// law, so a document's having them says nothing.
var functionWords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(`
		的 地 得 了 着 过 吗 呢 吧 啊 呀 么 嘛 哦 哪 呐
		和 与 及 或 或者 跟 同 还是 以及
		是 在 有 没 没有 要 想 想要 会 能 能够 可 可以 可不可以 能不能 能否 是否 需要 需不需要 应该 应当 该 得要
		我 你 您 他 她 它 我们 你们 他们 她们 咱们 我的 你的 他的 她的 自己 大家 人家 别人
		这 那 这个 那个 这些 那些 这样 那样 这种 那种 哪个 哪些 哪里 哪儿 哪家 哪位 什么 啥 谁 几 多少 多久 多长时间 为什么 为啥 怎么 怎样 怎么样 怎么办 咋 咋办 咋整 如何 怎么弄 怎么做
		请问 请 问 一下 一些 有没有 是不是 会不会 要不要 还 也 都 就 才 又 再 很 太 最 更 把 被 给 让 对 从 向 往 到 为 为了 关于 如果 要是 的话
	`) {
		m[w] = true
	}
	return m
}()

// IsFunctionWord reports whether w is a question or function word (see
// functionWords), compared after folding.
func IsFunctionWord(w string) bool { return functionWords[foldKey(w)] }
