package zh

import (
	"sort"
	"unicode/utf8"
)

// EachWord calls fn with every word of the shared dictionary (the
// embedded one and the user words) made of two to MaxWordRunes Chinese
// characters, loading the dictionary first if need be. fn must not call
// UseDict.
func EachWord(fn func(w string)) {
	load()
	shared.mu.RLock()
	defer shared.mu.RUnlock()
	if shared.seg == nil {
		return
	}
	for i := range shared.seg.Dict.Tokens {
		t := &shared.seg.Dict.Tokens[i]
		if t.Freq() <= 0 {
			continue
		}
		w := t.Text()
		if n := utf8.RuneCountInString(w); n >= 2 && n <= MaxWordRunes && allHan(w) {
			fn(w)
		}
	}
}

func allHan(s string) bool {
	for _, r := range s {
		if classify(r) != classHan {
			return false
		}
	}
	return s != ""
}

// Bounds of Nearest.
const (
	// maxNearestRunes: longer text has no nearest word.
	maxNearestRunes = 16
	// maxNearestPostings bounds the terms compared for one text: the
	// terms with its rarest characters are taken first.
	maxNearestPostings = 200000
	// minLengthEditRunes: shorter text is near a term only with as many
	// characters (one replaced), not one more or less.
	minLengthEditRunes = 4
)

// WordIndex finds, for Chinese text that is no term of its vocabulary,
// the term nearest to it: one it abbreviates (民诉法: 民事诉讼法) or one
// that differs from it in a character or two (民事诉讼程序 for 民事诉讼秩序).
type WordIndex struct {
	terms  []Term
	byText map[string]int32
	// byRune lists the terms that hold a character, each once.
	byRune map[rune][]int32
}

// NewWordIndex indexes the terms made of Chinese characters only, of two
// to MaxWordRunes characters; of a term given twice, the higher weight
// counts. Give it the terms of a PinyinIndex (Terms) to have the short
// forms of national law titles too.
func NewWordIndex(terms []Term) *WordIndex {
	x := &WordIndex{byText: make(map[string]int32, len(terms))}
	counts := make(map[rune]int)
	total := 0
	for _, t := range terms {
		n := utf8.RuneCountInString(t.Text)
		if n < 2 || n > MaxWordRunes || !allHan(t.Text) {
			continue
		}
		if i, ok := x.byText[t.Text]; ok {
			x.terms[i].Weight = max(x.terms[i].Weight, t.Weight)
			continue
		}
		x.byText[t.Text] = int32(len(x.terms))
		x.terms = append(x.terms, t)
		for k, r := range t.Text {
			if !containsRuneBefore(t.Text, r, k) {
				counts[r]++
				total++
			}
		}
	}
	// One array holds every list.
	slab := make([]int32, total)
	x.byRune = make(map[rune][]int32, len(counts))
	off := 0
	for r, n := range counts {
		x.byRune[r] = slab[off : off : off+n]
		off += n
	}
	for i, t := range x.terms {
		for k, r := range t.Text {
			if !containsRuneBefore(t.Text, r, k) {
				x.byRune[r] = append(x.byRune[r], int32(i))
			}
		}
	}
	return x
}

// containsRuneBefore reports whether r occurs in s before byte offset end.
func containsRuneBefore(s string, r rune, end int) bool {
	for _, c := range s[:end] {
		if c == r {
			return true
		}
	}
	return false
}

// Has reports whether w is a term.
func (x *WordIndex) Has(w string) bool {
	_, ok := x.byText[w]
	return ok
}

// Nearest returns the term nearest to w, Chinese text, other than w
// itself (a word may be a term and yet not found where it is looked
// for): first a term w abbreviates (its characters in order, the
// first one first: 民诉法, 民事诉讼法), the shortest; then a term within
// one edit of w (a character replaced, added, dropped, or two swapped;
// only replaced in text of fewer than four characters), or two for text
// of five characters or more, the fewest edits; of equals, the higher
// weight. It reports false when no term is near.
func (x *WordIndex) Nearest(w string) (string, bool) {
	if x == nil {
		return "", false
	}
	q := []rune(w)
	if len(q) < 2 || len(q) > maxNearestRunes || !isHanRunes(q) {
		return "", false
	}
	self, isTerm := x.byText[w]
	maxEdits := 1
	if len(q) >= 5 {
		maxEdits = 2
	}
	// Count, for each term, the distinct characters of w it holds, going
	// through the rarest characters first.
	var chars []rune
	for _, r := range q {
		if _, ok := x.byRune[r]; ok && !containsRune(chars, r) {
			chars = append(chars, r)
		}
	}
	sort.Slice(chars, func(a, b int) bool { return len(x.byRune[chars[a]]) < len(x.byRune[chars[b]]) })
	// A term within maxEdits shares at least len(w)-maxEdits characters;
	// an abbreviated one shares them all.
	need := max(1, len(distinct(q))-maxEdits)
	shared := make(map[int32]int)
	seen := 0
	for _, r := range chars {
		ps := x.byRune[r]
		if seen+len(ps) > maxNearestPostings {
			break
		}
		seen += len(ps)
		for _, i := range ps {
			shared[i]++
		}
	}
	best, bestRank, bestDist := int32(-1), 0, 0
	for i, n := range shared {
		if n < need || isTerm && i == self {
			continue
		}
		t := []rune(x.terms[i].Text)
		rank, dist := 0, 0
		switch {
		case len(t) > len(q) && t[0] == q[0] && subsequence(q, t):
			rank, dist = 0, len(t)-len(q)
		case len(q) < minLengthEditRunes && len(t) != len(q):
			// 组织法 is no misspelled 组织.
			continue
		default:
			dist = editDistance(q, t, maxEdits)
			if dist > maxEdits {
				continue
			}
			rank = 1
		}
		if best >= 0 {
			switch {
			case rank != bestRank:
				if rank > bestRank {
					continue
				}
			case dist != bestDist:
				if dist > bestDist {
					continue
				}
			case !better(x.terms[i], x.terms[best]):
				continue
			}
		}
		best, bestRank, bestDist = i, rank, dist
	}
	if best < 0 {
		return "", false
	}
	return x.terms[best].Text, true
}

func containsRune(rs []rune, r rune) bool {
	for _, c := range rs {
		if c == r {
			return true
		}
	}
	return false
}

func distinct(rs []rune) []rune {
	var out []rune
	for _, r := range rs {
		if !containsRune(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// subsequence reports whether the characters of a occur in b in order.
func subsequence(a, b []rune) bool {
	i := 0
	for _, r := range b {
		if i < len(a) && a[i] == r {
			i++
		}
	}
	return i == len(a)
}

// editDistance is the optimal-string-alignment distance of a and b
// (insertions, deletions, substitutions and swaps of neighbours each
// cost one), or limit+1 when it is larger than limit.
func editDistance(a, b []rune, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit+1)
}
