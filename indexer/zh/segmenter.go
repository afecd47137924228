package zh

import (
	"fmt"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// shared is the one gse segmenter of the process. Building it parses
// gse's embedded simplified-Chinese dictionary (about 350,000 words) and
// takes around a second, so it is built lazily, once, and shared by every
// analyzer instance and query helper.
//
// gse looks words up in a double-array trie whose reads do not write, so
// any number of goroutines may segment at once under the read lock. Adding
// words (UseDict after the first load) inserts into the trie and rewrites
// every word's sub-segmentation, so it takes the write lock.
var shared struct {
	once sync.Once
	mu   sync.RWMutex
	seg  *gse.Segmenter
	err  error

	pending []Word // user words waiting for the first load
	stats   LoadStats
}

// LoadStats describes the one-time dictionary load.
type LoadStats struct {
	// Duration is the wall time spent building the segmenter.
	Duration time.Duration
	// Words is the number of entries in the segmenter's dictionary.
	Words int
	// UserWords is the number of user-dictionary words given so far.
	UserWords int
}

// Preload builds the shared segmenter now instead of on first use and
// reports what the load cost. A server calls it at start so that the first
// search does not pay for it.
func Preload() (LoadStats, error) {
	load()
	shared.mu.RLock()
	defer shared.mu.RUnlock()
	return shared.stats, shared.err
}

func load() {
	shared.once.Do(func() {
		shared.mu.Lock()
		defer shared.mu.Unlock()
		start := time.Now()
		seg, err := newSegmenter(shared.pending)
		shared.stats.Duration = time.Since(start)
		if err != nil {
			shared.err = err
			return
		}
		shared.seg = seg
		shared.stats.Words = seg.Dict.NumTokens()
		shared.pending = nil
	})
}

// newSegmenter builds a gse segmenter from the embedded simplified-Chinese
// dictionary and the given user words.
//
// The user words go in first: gse keeps the first entry it sees for a word,
// so loading them before the embedded dictionary gives their frequencies
// priority. Only the last load recomputes the sub-segmentations, which is
// the expensive part.
func newSegmenter(user []Word) (*gse.Segmenter, error) {
	seg := &gse.Segmenter{
		SkipLog:    true,
		NotLoadHMM: true, // the HMM is for unknown words in Cut; we only use the dictionary
	}
	seg.Dict = gse.NewDict()
	seg.Init()
	// gse keeps the first entry of a word; walk backwards so that a word
	// given twice keeps the frequency given last.
	for i := len(user) - 1; i >= 0; i-- {
		w := user[i]
		if err := seg.AddToken(w.Text, w.Freq, w.POS); err != nil {
			return nil, fmt.Errorf("zh: add user word %q: %w", w.Text, err)
		}
	}
	if err := seg.LoadDictEmbed("zh_s"); err != nil {
		return nil, fmt.Errorf("zh: load embedded dictionary: %w", err)
	}
	return seg, nil
}

// UseDict adds the words of a user dictionary to the shared segmenter.
//
// Call it before the first analysis (at program start, with the site's
// site/data/dict.txt): the words are then loaded together with the
// embedded dictionary at no extra cost. Called later, it adds the words in
// place and recomputes every word's sub-segmentation, which takes about as
// long as the first load. The index and the queries must be analyzed with
// the same words, so the program that searches an index must give the same
// dictionary as the program that built it.
func UseDict(d *Dict) error {
	if d == nil || len(d.Words) == 0 {
		return nil
	}
	shared.mu.Lock()
	defer shared.mu.Unlock()
	shared.stats.UserWords += len(d.Words)
	if shared.seg == nil && shared.err == nil {
		// Not loaded yet: the load picks them up. A word given twice keeps
		// its last frequency.
		shared.pending = append(shared.pending, d.Words...)
		return nil
	}
	if shared.seg == nil {
		return shared.err
	}
	seg := shared.seg
	changed := false
	for _, w := range d.Words {
		freq, pos, ok := seg.Find(w.Text)
		switch {
		case ok && freq == w.Freq && pos == w.POS:
			continue
		case ok && freq > 0:
			if err := seg.ReAddToken(w.Text, w.Freq, w.POS); err != nil {
				return fmt.Errorf("zh: replace word %q: %w", w.Text, err)
			}
		default:
			if err := seg.AddToken(w.Text, w.Freq, w.POS); err != nil {
				return fmt.Errorf("zh: add word %q: %w", w.Text, err)
			}
		}
		changed = true
	}
	if !changed {
		// The same dictionary again (every index opened by a server
		// gives it): nothing to recompute.
		return nil
	}
	seg.CalcToken()
	shared.stats.Words = seg.Dict.NumTokens()
	return nil
}

// IsWord reports whether w is a word of the shared dictionary (the
// embedded one plus the user words). Suggesters use it to leave real words
// alone.
func IsWord(w string) bool {
	if w == "" {
		return false
	}
	load()
	shared.mu.RLock()
	defer shared.mu.RUnlock()
	if shared.seg == nil {
		return false
	}
	freq, _, ok := shared.seg.Find(w)
	return ok && freq > 0
}

// node is one word of a segmentation: a top-level word of a run of Han
// characters, or one of the smaller words inside it (search mode).
type node struct {
	start, end int // byte offsets in the analyzed text
	rune0      int // index of the first rune within the text's counted runes
	runes      int // number of runes
	top        bool
}

// walkHan segments one run of Han characters (text[off:off+len(run)]) and
// calls fn for every top-level word and, depending on sub, for the words
// inside it, in pre-order: a word before the words it contains, so rune0
// never decreases. firstRune is the counted-rune index of the run's first
// rune.
//
// Without the dictionary (a failed load) every character is a word.
func walkHan(run []byte, off, firstRune int, sub bool, fn func(node)) {
	load()
	shared.mu.RLock()
	defer shared.mu.RUnlock()
	if shared.seg == nil {
		i, r := 0, firstRune
		for i < len(run) {
			_, size := utf8.DecodeRune(run[i:])
			fn(node{start: off + i, end: off + i + size, rune0: r, runes: 1, top: true})
			i += size
			r++
		}
		return
	}
	segs := shared.seg.Segment(run)
	r := firstRune
	for i := range segs {
		s := &segs[i]
		n := utf8.RuneCount(run[s.Start():s.End()])
		if sub {
			walkSub(run, s.Token(), s.Start(), s.End(), off, r, true, fn)
		} else {
			fn(node{start: off + s.Start(), end: off + s.End(), rune0: r, runes: n, top: true})
		}
		r += n
	}
}

// walkSub reports the word tok found at run[start:end] and, recursively,
// the words gse found inside it (their offsets are relative to the word).
// Single characters inside a word are not words of their own and are
// skipped; they still count for the rune index.
func walkSub(run []byte, tok *gse.Token, start, end, off, r int, top bool, fn func(node)) {
	n := utf8.RuneCount(run[start:end])
	if top || n > 1 {
		fn(node{start: off + start, end: off + end, rune0: r, runes: n, top: top})
	}
	if n == 1 {
		return
	}
	for _, c := range tok.Segments() {
		cs := start + c.Start()
		walkSub(run, c.Token(), cs, start+c.End(), off, r+utf8.RuneCount(run[start:cs]), false, fn)
	}
}

// class is what the tokenizers make of a rune.
type class int

const (
	classOther class = iota // punctuation, symbols, spaces: dropped
	classHan                // a Chinese character: segmented or n-grammed
	classWord               // a letter or digit of any other script: kept in words
)

func classify(r rune) class {
	switch {
	case r < utf8.RuneSelf:
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			return classWord
		}
		return classOther
	case 0x4E00 <= r && r <= 0x9FFF, unicode.Is(unicode.Han, r):
		return classHan
	case unicode.IsLetter(r), unicode.IsNumber(r), unicode.Is(unicode.Mn, r):
		return classWord
	default:
		return classOther
	}
}

// runs splits text into maximal runs of Han characters and of word
// characters, skipping everything else, and calls fn for each with its
// byte offsets and the counted-rune index of its first rune. Each Han
// character counts as one rune and each word run as one, which makes a
// token's position the same in every analyzer of this package.
func runs(text []byte, fn func(c class, start, end, rune0 int)) {
	counted := 0
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRune(text[i:])
		c := classify(r)
		if c == classOther {
			i += size
			continue
		}
		j := i + size
		n := 1
		for j < len(text) {
			r2, size2 := utf8.DecodeRune(text[j:])
			if classify(r2) != c {
				break
			}
			j += size2
			n++
		}
		fn(c, i, j, counted)
		if c == classHan {
			counted += n
		} else {
			counted++
		}
		i = j
	}
}

// Segment splits a query into words for query building, in order:
// Chinese text by the shared dictionary (top-level words only, no smaller
// words inside them), words of other scripts and numbers whole, lower-cased
// and with full-width forms folded. Punctuation is dropped.
func Segment(q string) []string {
	text := []byte(q)
	var out []string
	runs(text, func(c class, start, end, rune0 int) {
		if c != classHan {
			out = append(out, foldWord(string(text[start:end])))
			return
		}
		walkHan(text[start:end], start, rune0, false, func(n node) {
			out = append(out, string(text[n.start:n.end]))
		})
	})
	return out
}

// QueryWord is a word of a query with the smaller words the dictionary finds
// inside it, which together spell it: 录音录像遗嘱 is 录音录像 + 遗嘱, and
// 录音录像 is 录音 + 录像. A text that has the parts but not the whole word
// (以录音录像形式立的遗嘱) still says what the word means.
type QueryWord struct {
	Text  string
	Parts []QueryWord // empty for a word with nothing smaller inside
}

// maxWordDepth bounds how deep SegmentWords looks inside a word;
// minPartsRunes is the shortest word it looks inside (遗嘱 is not 遗 + 嘱).
const (
	maxWordDepth  = 3
	minPartsRunes = 3
)

// SegmentWords is Segment with the parts of each Chinese word of three
// or more characters, down to maxWordDepth levels. The parts of a word
// cover it exactly, single characters included.
func SegmentWords(q string) []QueryWord {
	text := []byte(q)
	var out []QueryWord
	runs(text, func(c class, start, end, _ int) {
		if c != classHan {
			out = append(out, QueryWord{Text: foldWord(string(text[start:end]))})
			return
		}
		run := text[start:end]
		load()
		shared.mu.RLock()
		defer shared.mu.RUnlock()
		if shared.seg == nil {
			for _, r := range string(run) {
				out = append(out, QueryWord{Text: string(r)})
			}
			return
		}
		for _, s := range shared.seg.Segment(run) {
			out = append(out, wordOf(run[s.Start():s.End()], s.Token(), 1))
		}
	})
	return out
}

// wordOf builds the QueryWord of text, the word tok of the dictionary.
func wordOf(text []byte, tok *gse.Token, depth int) QueryWord {
	w := QueryWord{Text: string(text)}
	if depth >= maxWordDepth || utf8.RuneCount(text) < minPartsRunes {
		return w
	}
	subs := tok.Segments()
	if len(subs) < 2 {
		return w
	}
	for _, s := range subs {
		w.Parts = append(w.Parts, wordOf(text[s.Start():s.End()], s.Token(), depth+1))
	}
	return w
}
