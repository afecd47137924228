package zh

import (
	"cmp"
	"slices"
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

// Bounds of pinyin resolution.
const (
	// maxPinyinRunes: longer terms are not indexed by their pinyin.
	maxPinyinRunes = 40
	// maxPinyinLetters: longer queries are not resolved.
	maxPinyinLetters = 120
	// maxSyllableLetters is the longest syllable (zhuang, shuang).
	maxSyllableLetters = 6
	// minInitials: first letters alone resolve only from three on (lh is
	// 离婚, 例会, 理会, 联合, …).
	minInitials = 3
	// maxResolveSteps bounds the ways one query is split into syllables.
	maxResolveSteps = 20000
)

// PinyinIndex resolves a query typed in pinyin to the Chinese term it
// spells: full syllables (shehuituanti, she hui tuan ti), first letters
// (shtt) or a mix of both (shehuitt). Its vocabulary is whatever the
// caller gives: an index gives every word it holds, weighted by the
// number of documents it occurs in, so that of the terms a query spells
// the most common wins.
type PinyinIndex struct {
	terms []Term
	// keys holds, sorted, the first letters of each term's readings (社会团体:
	// shtt; 银行: yx, yh) packed (see packKey) with the term they spell.
	keys []pinyinKey
	// syllables are the readings of the terms' characters: what a query
	// may be split into.
	syllables map[string]bool
}

type pinyinKey struct {
	key  uint64
	term int32
}

// keyLetters is how many first letters a packed key holds: five bits
// each, the first in the highest, 0 for none. Longer keys share the
// packed key of their first keyLetters letters; the terms are told
// apart by their readings.
const keyLetters = 12

// packKey packs the first keyLetters letters (a-z) of key.
func packKey(key []byte) uint64 {
	var k uint64
	for i, c := range key[:min(len(key), keyLetters)] {
		k |= uint64(c-'a'+1) << (5 * (keyLetters - 1 - i))
	}
	return k
}

// prefixRange returns the packed keys that start with prefix, lo to hi.
func prefixRange(prefix []byte) (lo, hi uint64) {
	lo = packKey(prefix)
	if len(prefix) >= keyLetters {
		return lo, lo
	}
	return lo, lo | (1<<(5*(keyLetters-len(prefix))) - 1)
}

// NewPinyinIndex indexes the pinyin of the given terms, of two characters
// or more. A title that starts with 中华人民共和国 is also indexed without
// it, the way people say it (慈善法: cishanfa). Characters other than
// Chinese ones (《》, digits) are not spoken and left out. When several
// terms share a spelling the higher weight wins, then the shorter term.
func NewPinyinIndex(terms []Term) *PinyinIndex {
	p := &PinyinIndex{terms: expandTerms(terms), syllables: make(map[string]bool)}
	var rs [][]string
	for i, t := range p.terms {
		han := hanOnly(t.Text)
		n := utf8.RuneCountInString(han)
		if n < 2 || n > maxPinyinRunes {
			continue
		}
		rs = rs[:0]
		for _, r := range han {
			if x := readings(r); x != nil {
				rs = append(rs, x)
			}
		}
		if len(rs) != n {
			continue // a character without pinyin
		}
		for _, x := range rs {
			for _, s := range x {
				p.syllables[s] = true
			}
		}
		for _, k := range initialsKeys(rs) {
			p.keys = append(p.keys, pinyinKey{k, int32(i)})
		}
	}
	slices.SortFunc(p.keys, func(a, b pinyinKey) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.term, b.term)
	})
	return p
}

// initialsKeys returns the packed first letters (packKey) of a text from
// the readings of its characters: those of the most common readings, then
// of each other reading of one character, at most maxReadings, without
// duplicates.
func initialsKeys(rs [][]string) []uint64 {
	buf := make([]byte, len(rs))
	for k, x := range rs {
		buf[k] = x[0][0]
	}
	keys := []uint64{packKey(buf)}
	for k, x := range rs[:min(len(rs), keyLetters)] {
		for _, s := range x[1:] {
			if len(keys) >= maxReadings {
				return keys
			}
			if s[0] == buf[k] {
				continue
			}
			c := buf[k]
			buf[k] = s[0]
			if alt := packKey(buf); !slices.Contains(keys, alt) {
				keys = append(keys, alt)
			}
			buf[k] = c
		}
	}
	return keys
}

// Len returns the number of terms the index resolves to.
func (p *PinyinIndex) Len() int { return len(p.terms) }

// Terms returns the terms the index resolves to: those it was given and
// the short forms of national law titles.
func (p *PinyinIndex) Terms() []Term { return p.terms }

// hasPrefix reports whether some key starts with prefix.
func (p *PinyinIndex) hasPrefix(prefix []byte) bool {
	lo, hi := prefixRange(prefix)
	i := p.search(lo)
	return i < len(p.keys) && p.keys[i].key <= hi
}

// search returns the index of the first key not below k.
func (p *PinyinIndex) search(k uint64) int {
	i, _ := slices.BinarySearchFunc(p.keys, k, func(e pinyinKey, k uint64) int { return cmp.Compare(e.key, k) })
	return i
}

// piece is one syllable of a query: a full one (she) or its first letters
// (s, sh).
type piece struct {
	s    string
	full bool
}

// Kinds of spelling, in the order a resolution prefers them.
const (
	spellFull     = iota // every syllable whole: shehuituanti
	spellInitials        // a letter a character: shtt
	spellShort           // first letters, some of two (zh, ch, sh): shtt as sh-t-t
	spellMixed           // whole syllables and first letters: shehuitt
)

// Resolve returns the term spelled by q, a query of ASCII letters (spaces
// and apostrophes mark where syllables end; case does not matter). Of the
// ways q can be read, every syllable whole comes first, then first
// letters, then a mix; among the terms spelled the same way the higher
// weight wins. First letters alone must be at least three (lh is too many
// words). It reports false for any other query.
func (p *PinyinIndex) Resolve(q string) (string, bool) {
	return p.resolve(q, spellMixed)
}

// ResolveSyllables is Resolve for a query of whole syllables only
// (shehuituanti, not shtt): a word of letters among other words is
// pinyin only when it spells out the syllables, since first letters
// spell some word or other.
func (p *PinyinIndex) ResolveSyllables(q string) (string, bool) {
	return p.resolve(q, spellFull)
}

// resolve is Resolve with readings of the spelling kinds up to maxKind.
func (p *PinyinIndex) resolve(q string, maxKind int) (string, bool) {
	if p == nil || len(p.keys) == 0 {
		return "", false
	}
	var chunks []string
	var b strings.Builder
	letters := 0
	flush := func() {
		if b.Len() > 0 {
			chunks = append(chunks, b.String())
			b.Reset()
		}
	}
	for _, r := range q {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		case r == ' ' || r == '\'':
			flush()
			continue
		default:
			return "", false
		}
		letters++
	}
	flush()
	if letters < 2 || letters > maxPinyinLetters {
		return "", false
	}
	r := resolver{p: p, chunks: chunks, best: -1, maxKind: maxKind}
	r.walk(0, 0)
	if r.best < 0 {
		return "", false
	}
	return p.terms[r.best].Text, true
}

// resolver reads one query every way it can be split into syllables,
// looking up the terms each reading spells.
type resolver struct {
	p      *PinyinIndex
	chunks []string
	pieces []piece
	key    []byte
	steps  int
	best   int  // index of the best term so far, -1 for none
	kind   int  // its spelling
	other  bool // whether it reads a character otherwise than most commonly
	// maxKind is the last kind of spelling looked for.
	maxKind int
}

func (r *resolver) walk(ci, pos int) {
	if r.steps++; r.steps > maxResolveSteps {
		return
	}
	if pos == len(r.chunks[ci]) {
		ci, pos = ci+1, 0
		if ci == len(r.chunks) {
			r.finish()
			return
		}
	}
	c := r.chunks[ci]
	try := func(s string, full bool) {
		r.key = append(r.key, s[0])
		if len(r.key) <= maxPinyinRunes && r.p.hasPrefix(r.key) {
			r.pieces = append(r.pieces, piece{s, full})
			r.walk(ci, pos+len(s))
			r.pieces = r.pieces[:len(r.pieces)-1]
		}
		r.key = r.key[:len(r.key)-1]
	}
	for l := min(maxSyllableLetters, len(c)-pos); l >= 1; l-- {
		if s := c[pos : pos+l]; r.p.syllables[s] {
			try(s, true)
		}
	}
	if r.maxKind == spellFull {
		return
	}
	if l := c[pos]; l != 'i' && l != 'u' && l != 'v' {
		try(c[pos:pos+1], false)
	}
	if pos+2 <= len(c) && c[pos+1] == 'h' && strings.IndexByte("zcs", c[pos]) >= 0 {
		try(c[pos:pos+2], false)
	}
}

// finish looks up the terms spelled by the pieces read.
func (r *resolver) finish() {
	kind := spellFull
	initials, short := 0, false
	for _, pc := range r.pieces {
		if !pc.full {
			initials++
			short = short || len(pc.s) > 1
		}
	}
	switch {
	case initials == len(r.pieces) && len(r.pieces) < minInitials:
		return
	case initials == len(r.pieces) && short:
		kind = spellShort
	case initials == len(r.pieces):
		kind = spellInitials
	case !r.pieces[0].full:
		return // first letters, then syllables: she as s-he is no word
	case initials > 0:
		kind = spellMixed
	}
	if kind > r.maxKind || r.best >= 0 && kind > r.kind {
		return
	}
	key := packKey(r.key)
	keys := r.p.keys
	for i := r.p.search(key); i < len(keys) && keys[i].key == key; i++ {
		t := int(keys[i].term)
		if t == r.best {
			continue
		}
		ok, other := r.spells(r.p.terms[t].Text)
		if !ok {
			continue
		}
		if r.best >= 0 {
			switch {
			case kind != r.kind:
				if kind > r.kind {
					continue
				}
			case other != r.other:
				if other {
					continue
				}
			case !better(r.p.terms[t], r.p.terms[r.best]):
				continue
			}
		}
		r.best, r.kind, r.other = t, kind, other
	}
}

// spells reports whether the pieces read spell text, a character each,
// and whether some character is read otherwise than most commonly: 继承人
// is spelled jzr only if 承 is read zheng, so 见证人 comes first.
func (r *resolver) spells(text string) (ok, other bool) {
	k := 0
	for _, c := range hanOnly(text) {
		if k >= len(r.pieces) {
			return false, false
		}
		pc := r.pieces[k]
		found := false
		for j, s := range readings(c) {
			if s == pc.s || !pc.full && strings.HasPrefix(s, pc.s) {
				found, other = true, other || j > 0
				break
			}
		}
		if !found {
			return false, false
		}
		k++
	}
	return k == len(r.pieces), other
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
