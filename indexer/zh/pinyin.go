package zh

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/mozillazg/go-pinyin"
)

const (
	// maxReadings bounds the pinyin spellings made of one text: its most
	// common reading, then the readings that change one polyphonic
	// character (银行: yinxing, yinhang).
	maxReadings = 8
	// maxCharReadings is how many readings of one character are used.
	maxCharReadings = 2
	// maxSpanWords is how many consecutive words the pinyin tokenizer joins.
	maxSpanWords = 6
	// minInitialsRunes: first letters of shorter text (lh for 离婚) match
	// too much to be worth indexing.
	minInitialsRunes = 3
)

var readingCache sync.Map // rune → []string

// readings returns the toneless pinyin readings of a Chinese character,
// most common first (绿: lv, lu), or nil for other characters. ü is
// written v, as people type it.
func readings(r rune) []string {
	if v, ok := readingCache.Load(r); ok {
		return v.([]string)
	}
	a := pinyin.NewArgs()
	a.Heteronym = true
	a.Fallback = nil
	rs := pinyin.SinglePinyin(r, a)
	if len(rs) == 0 {
		rs = nil
	}
	// go-pinyin lists rare and archaic readings too (离: li, chi); past the
	// second they make more noise than matches.
	if len(rs) > maxCharReadings {
		rs = rs[:maxCharReadings]
	}
	readingCache.Store(r, rs)
	return rs
}

// spellings returns up to maxReadings full pinyin spellings of text
// (民法典: minfadian) and as many first-letter spellings (mfd), most
// likely first. Characters without pinyin are kept as they are.
func spellings(text string) (full, initials []string) {
	var syl [][]string
	for _, r := range text {
		rs := readings(r)
		if rs == nil {
			rs = []string{string(r)}
		}
		syl = append(syl, rs)
	}
	if len(syl) == 0 {
		return nil, nil
	}
	seenF := make(map[string]bool)
	seenI := make(map[string]bool)
	add := func(alt, choice int) {
		var f, i strings.Builder
		for k, rs := range syl {
			s := rs[0]
			if k == alt {
				s = rs[choice]
			}
			f.WriteString(s)
			c, _ := utf8.DecodeRuneInString(s)
			i.WriteRune(c)
		}
		if fs := f.String(); !seenF[fs] {
			seenF[fs] = true
			full = append(full, fs)
		}
		if is := i.String(); !seenI[is] {
			seenI[is] = true
			initials = append(initials, is)
		}
	}
	add(-1, 0)
	for k, rs := range syl {
		for c := 1; c < len(rs) && len(full) < maxReadings; c++ {
			add(k, c)
		}
	}
	return full, initials
}

// primaryKey is the pinyin of text with each character's most common
// reading, syllables separated by spaces (残疾人: "can ji ren").
func primaryKey(runes []rune) string {
	var b strings.Builder
	for k, r := range runes {
		if k > 0 {
			b.WriteByte(' ')
		}
		if rs := readings(r); rs != nil {
			b.WriteString(rs[0])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// PinyinTokenizer is the zh_pinyin tokenizer, for short fields such as
// titles. It segments Chinese text like the zh_gse tokenizer and emits, for
// every word, every word inside it, and every sequence of up to six
// consecutive words, its full pinyin without tones and, from three
// characters on, its first letters: 中华人民共和国民法典 yields minfadian,
// mfd, zhonghuarenmingongheguominfadian, … at the position of the text's
// first character. A polyphonic character is also spelled with its second
// reading (银行: yinxing, yinhang). Words of other scripts and
// numbers are kept whole. The output grows with the square of the number
// of words, which is why it is meant for titles, not bodies.
type PinyinTokenizer struct{}

// Tokenize implements analysis.Tokenizer.
func (*PinyinTokenizer) Tokenize(input []byte) analysis.TokenStream {
	var out analysis.TokenStream
	type key struct {
		term string
		pos  int
	}
	seen := make(map[key]bool)
	emit := func(start, end, rune0 int) {
		text := string(input[start:end])
		full, initials := spellings(text)
		if utf8.RuneCountInString(text) < minInitialsRunes {
			initials = nil
		}
		for _, set := range [][]string{full, initials} {
			for _, s := range set {
				k := key{s, rune0 + 1}
				if len(s) < 2 || seen[k] {
					continue
				}
				seen[k] = true
				out = append(out, &analysis.Token{
					Term: []byte(s), Start: start, End: end,
					Position: rune0 + 1, Type: analysis.AlphaNumeric,
				})
			}
		}
	}
	runs(input, func(c class, start, end, rune0 int) {
		if c != classHan {
			out = append(out, &analysis.Token{Term: input[start:end], Start: start, End: end,
				Position: rune0 + 1, Type: wordType(input[start:end])})
			return
		}
		var tops []node
		walkHan(input[start:end], start, rune0, true, func(n node) {
			if n.top {
				tops = append(tops, n)
			} else {
				emit(n.start, n.end, n.rune0)
			}
		})
		for i := range tops {
			for j := i; j < len(tops) && j < i+maxSpanWords; j++ {
				emit(tops[i].start, tops[j].end, tops[i].rune0)
			}
		}
	})
	// Spans were emitted after the words inside them; Bleve wants
	// positions in order.
	sort.SliceStable(out, func(a, b int) bool { return out[a].Position < out[b].Position })
	return out
}

// PinyinIndex resolves a query typed in pinyin (minfadian, mfd) to the
// Chinese term it spells, from a fixed vocabulary such as the law titles
// and the dictionary's words.
type PinyinIndex struct {
	full     map[string]int // full pinyin → index into terms
	initials map[string]int // first letters → index into terms
	terms    []Term
}

// NewPinyinIndex indexes the pinyin of the given terms. A title that
// starts with 中华人民共和国 is also indexed without it, the way people say
// it (慈善法: cishanfa). First letters are indexed only for terms of three
// or more characters; shorter ones are too ambiguous. When several terms
// share a spelling the higher weight wins, then the shorter term.
func NewPinyinIndex(terms []Term) *PinyinIndex {
	p := &PinyinIndex{
		full:     make(map[string]int),
		initials: make(map[string]int),
		terms:    expandTerms(terms),
	}
	put := func(m map[string]int, k string, i int) {
		if j, ok := m[k]; !ok || better(p.terms[i], p.terms[j]) {
			m[k] = i
		}
	}
	for i, t := range p.terms {
		han := hanOnly(t.Text) // 《》 and digits in a title are not spoken
		if han == "" {
			continue
		}
		full, initials := spellings(han)
		for _, f := range full {
			put(p.full, f, i)
		}
		if utf8.RuneCountInString(han) >= minInitialsRunes {
			for _, s := range initials {
				put(p.initials, s, i)
			}
		}
	}
	return p
}

// Resolve returns the term spelled by q, a query of ASCII letters (spaces
// and apostrophes between syllables are ignored, case too): full pinyin
// first (minfadian → 民法典), then first letters (mfd → 民法典). It reports
// false for any other query.
func (p *PinyinIndex) Resolve(q string) (string, bool) {
	var b strings.Builder
	for _, r := range q {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		case r == ' ' || r == '\'':
		default:
			return "", false
		}
	}
	k := b.String()
	if len(k) < 2 {
		return "", false
	}
	if i, ok := p.full[k]; ok {
		return p.terms[i].Text, true
	}
	if len(k) >= 3 {
		if i, ok := p.initials[k]; ok {
			return p.terms[i].Text, true
		}
	}
	return "", false
}

// better reports whether a should be preferred to b for the same spelling.
func better(a, b Term) bool {
	if a.Weight != b.Weight {
		return a.Weight > b.Weight
	}
	la, lb := utf8.RuneCountInString(a.Text), utf8.RuneCountInString(b.Text)
	if la != lb {
		return la < lb
	}
	return a.Text < b.Text
}

// statePrefix is the prefix of national law titles that people leave out.
const statePrefix = "中华人民共和国"

// expandTerms drops empty and duplicate terms (keeping the highest weight)
// and adds the short form of national law titles.
func expandTerms(terms []Term) []Term {
	idx := make(map[string]int)
	var out []Term
	add := func(t Term) {
		t.Text = strings.TrimSpace(t.Text)
		if t.Text == "" {
			return
		}
		if i, ok := idx[t.Text]; ok {
			if t.Weight > out[i].Weight {
				out[i].Weight = t.Weight
			}
			return
		}
		idx[t.Text] = len(out)
		out = append(out, t)
	}
	for _, t := range terms {
		add(t)
		if rest := strings.TrimPrefix(t.Text, statePrefix); rest != t.Text && utf8.RuneCountInString(rest) >= 2 {
			add(Term{Text: rest, Weight: t.Weight})
		}
	}
	return out
}

// hanOnly returns the Chinese characters of s.
func hanOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if classify(r) == classHan {
			return r
		}
		return -1
	}, s)
}
