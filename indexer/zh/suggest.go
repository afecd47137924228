package zh

import (
	"strings"
)

const (
	// maxSuggestRunes: longer runs of Chinese text are not corrected.
	maxSuggestRunes = 32
	// maxCandidates bounds the vocabulary terms compared for one piece of
	// the query.
	maxCandidates = 64
	// minHomophoneRunes, minEditRunes, minEditWindowRunes: shorter text has
	// too many real words one sound or one character away.
	minHomophoneRunes  = 2
	minEditRunes       = 5
	minEditWindowRunes = 6
	minWindowRunes     = 3
)

// Suggester proposes a corrected query when a query misspells a term of
// its vocabulary (the dictionary's words, the law titles): 残疾人保帐法 →
// 残疾人保障法. It knows two kinds of mistakes: characters replaced by ones
// that sound the same (the usual pinyin-input slip) and, in longer text,
// one character replaced, dropped, typed twice, or two swapped (edit
// distance 1).
type Suggester struct {
	terms      []Term
	byText     map[string]int
	homophones map[string][]int // pinyin key → terms
	deletes    map[string][]int // term with one character dropped → terms
	maxRunes   int              // longest term, in characters
	known      func(string) bool
}

// NewSuggester indexes the vocabulary. known, when not nil, tells real
// words that must not be corrected although the vocabulary lacks them;
// pass IsWord to use the segmenter's dictionary. Titles starting with
// 中华人民共和国 are also indexed without it.
func NewSuggester(terms []Term, known func(string) bool) *Suggester {
	s := &Suggester{
		terms:      expandTerms(terms),
		byText:     make(map[string]int),
		homophones: make(map[string][]int),
		deletes:    make(map[string][]int),
		known:      known,
	}
	for i, t := range s.terms {
		s.byText[t.Text] = i
		runes := []rune(t.Text)
		if len(runes) > maxSuggestRunes || !isHanRunes(runes) {
			continue
		}
		s.maxRunes = max(s.maxRunes, len(runes))
		if len(runes) >= minHomophoneRunes {
			for _, k := range pinyinKeys(runes) {
				s.homophones[k] = append(s.homophones[k], i)
			}
		}
		if len(runes) >= minEditRunes-1 {
			for d := range deletions(runes) {
				s.deletes[d] = append(s.deletes[d], i)
			}
		}
	}
	return s
}

// Suggest returns q with its misspelled terms corrected, and whether it
// changed anything. Each run of Chinese characters is tried whole first,
// then, for a run that holds a term among other words, by windows, longest
// first. Text that is a vocabulary term or a known word is left alone.
func (s *Suggester) Suggest(q string) (string, bool) {
	var b strings.Builder
	changed := false
	last := 0
	text := []byte(q)
	runs(text, func(c class, start, end, _ int) {
		if c != classHan {
			return
		}
		run := []rune(string(text[start:end]))
		fixed, ok := s.correctRun(run)
		if !ok {
			return
		}
		b.WriteString(q[last:start])
		b.WriteString(fixed)
		last = end
		changed = true
	})
	if !changed {
		return "", false
	}
	b.WriteString(q[last:])
	return b.String(), true
}

func (s *Suggester) isKnown(w string) bool {
	if _, ok := s.byText[w]; ok {
		return true
	}
	return s.known != nil && s.known(w)
}

// partOfTerm reports whether w occurs inside a vocabulary term: a title
// shortened the way people say it (居民委员会组织法 for 城市居民委员会组织法)
// is no misspelling of a similar title (村民委员会组织法).
func (s *Suggester) partOfTerm(w string) bool {
	for _, t := range s.terms {
		if len(t.Text) > len(w) && strings.Contains(t.Text, w) {
			return true
		}
	}
	return false
}

// correctRun corrects one run of Chinese characters.
func (s *Suggester) correctRun(run []rune) (string, bool) {
	if len(run) < minHomophoneRunes || len(run) > maxSuggestRunes || s.maxRunes == 0 {
		return "", false
	}
	if s.isKnown(string(run)) || s.partOfTerm(string(run)) {
		return "", false
	}
	if t, ok := s.best(run, len(run) >= minEditRunes, false); ok {
		return t, true
	}
	// The run holds more than a term. First find the terms spelled right,
	// then correct windows, longest first, that neither cut through such a
	// term nor overlap a correction already made.
	exact := make([]int, len(run)) // exact[i] = end of the term starting at i, or 0
	for l := min(len(run)-1, s.maxRunes); l >= minHomophoneRunes; l-- {
		for i := 0; i+l <= len(run); i++ {
			if _, ok := s.byText[string(run[i:i+l])]; ok && exact[i] < i+l {
				exact[i] = i + l
			}
		}
	}
	cuts := func(i, j int) bool { // does [i,j) cut through an exact term?
		for k, e := range exact {
			if e != 0 && k < j && e > i && (k < i || e > j) {
				return true
			}
		}
		return false
	}
	fixedTo := make([]int, len(run)) // fixedTo[i] = end of the correction starting at i
	fixes := make([]string, len(run))
	taken := make([]bool, len(run))
	free := func(i, j int) bool {
		for k := i; k < j; k++ {
			if taken[k] {
				return false
			}
		}
		return true
	}
	changed := false
	for l := min(len(run)-1, s.maxRunes+1); l >= minWindowRunes; l-- {
		for i := 0; i+l <= len(run); i++ {
			if !free(i, i+l) || exact[i] == i+l || cuts(i, i+l) {
				continue
			}
			w := run[i : i+l]
			if s.known != nil && s.known(string(w)) {
				continue
			}
			t, ok := s.best(w, l >= minEditWindowRunes, true)
			if !ok || s.partOfTerm(string(w)) {
				continue
			}
			for k := i; k < i+l; k++ {
				taken[k] = true
			}
			fixes[i], fixedTo[i] = t, i+l
			changed = true
		}
	}
	if !changed {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(run); {
		if fixes[i] != "" {
			b.WriteString(fixes[i])
			i = fixedTo[i]
			continue
		}
		b.WriteRune(run[i])
		i++
	}
	return b.String(), true
}

// best returns the vocabulary term closest to w: fewest characters changed,
// a sound-alike before another character, then the higher weight. In a
// window of a longer run (window), an edit must keep the first and last
// characters: they may belong to the neighbouring words (完全民事行为能力且
// is not a misspelled 完全民事行为能力人).
func (s *Suggester) best(w []rune, edits, window bool) (string, bool) {
	type cand struct {
		i     int
		dist  int
		sound bool
	}
	var found []cand
	seen := make(map[int]bool)
	examined := 0
	consider := func(i int, sound bool) {
		if seen[i] || examined >= maxCandidates {
			return
		}
		seen[i] = true
		examined++
		tr := []rune(s.terms[i].Text)
		var d int
		if sound {
			d = hamming(w, tr)
		} else {
			d = osaDistance(w, tr)
		}
		if d == 0 {
			return
		}
		if !sound {
			if d > 1 || (len(w) == len(tr)+1 && !doubled(w, tr)) ||
				(window && (w[0] != tr[0] || w[len(w)-1] != tr[len(tr)-1])) {
				return
			}
		}
		found = append(found, cand{i, d, sound})
	}
	if len(w) >= minHomophoneRunes {
		for _, i := range s.homophones[primaryKey(w)] {
			consider(i, true)
		}
	}
	if edits {
		for _, i := range s.deletes[string(w)] {
			consider(i, false)
		}
		for d := range deletions(w) {
			if i, ok := s.byText[d]; ok {
				consider(i, false)
			}
			for _, i := range s.deletes[d] {
				consider(i, false)
			}
		}
	}
	if len(found) == 0 {
		return "", false
	}
	bi := 0
	for k, c := range found[1:] {
		b := found[bi]
		switch {
		case c.dist != b.dist:
			if c.dist < b.dist {
				bi = k + 1
			}
		case c.sound != b.sound:
			if c.sound {
				bi = k + 1
			}
		case better(s.terms[c.i], s.terms[b.i]):
			bi = k + 1
		}
	}
	return s.terms[found[bi].i].Text, true
}

// pinyinKeys returns the pinyin keys of a term: the most common readings,
// then each polyphonic character's other readings one at a time.
func pinyinKeys(runes []rune) []string {
	keys := []string{primaryKey(runes)}
	for k, r := range runes {
		rs := readings(r)
		for c := 1; c < len(rs) && len(keys) < maxReadings; c++ {
			keys = append(keys, primaryKeyWith(runes, k, rs[c]))
		}
	}
	return keys
}

// primaryKeyWith is primaryKey with character k read as reading.
func primaryKeyWith(runes []rune, k int, reading string) string {
	var b strings.Builder
	for i, r := range runes {
		if i > 0 {
			b.WriteByte(' ')
		}
		switch rs := readings(r); {
		case i == k:
			b.WriteString(reading)
		case rs != nil:
			b.WriteString(rs[0])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// deletions returns the texts made by dropping one character of runes.
func deletions(runes []rune) map[string]bool {
	out := make(map[string]bool, len(runes))
	buf := make([]rune, 0, len(runes))
	for i := range runes {
		buf = append(buf[:0], runes[:i]...)
		buf = append(buf, runes[i+1:]...)
		out[string(buf)] = true
	}
	return out
}

// hamming counts the positions where two equally long texts differ.
func hamming(a, b []rune) int {
	if len(a) != len(b) {
		return len(a) + len(b)
	}
	d := 0
	for i := range a {
		if a[i] != b[i] {
			d++
		}
	}
	return d
}

// osaDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and swaps of neighbours each cost one.
func osaDistance(a, b []rune) int {
	if d := len(a) - len(b); d > 1 || d < -1 {
		return 2 // more than we care about
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
	return prev[len(b)]
}

func isHanRunes(rs []rune) bool {
	for _, r := range rs {
		if classify(r) != classHan {
			return false
		}
	}
	return len(rs) > 0
}

// doubled reports whether w is t with one character typed twice
// (最低生生活保障). Any other extra character is more likely a word of its
// own (夫妻的共同财产, 殡葬服务站) than a slip, so only this one is corrected.
func doubled(w, t []rune) bool {
	k := 0
	for k < len(t) && w[k] == t[k] {
		k++
	}
	return (k > 0 && w[k] == w[k-1]) || (k+1 < len(w) && w[k] == w[k+1])
}
