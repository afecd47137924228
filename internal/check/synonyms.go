package check

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/pufa-gov/pufa/indexer/zh"
)

// checkSynonyms checks the search vocabulary, site/data/synonyms.yaml,
// which maps the words residents type to the wording of the law. A
// malformed entry (an empty word, a word listed twice, a word that lists
// itself, …) is an error: the build could not load the file. Wording that
// occurs in no law text under content/laws is a warning: searching the
// word finds no law by it, which is most often a typing mistake or wording
// of a law the site has not imported. A site without law texts is not
// checked for wording. A missing file means no vocabulary.
func (c *checker) checkSynonyms() {
	if c.opts.SiteDir == "" {
		return
	}
	name := filepath.Join(c.opts.SiteDir, "data", "synonyms.yaml")
	shown := c.displayPath(name)
	src, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		c.diags = append(c.diags, Diagnostic{File: shown, Line: 1, Message: fmt.Sprintf("cannot read: %v", err), Severity: Error})
		return
	}
	s, errs := zh.ParseSynonyms(src)
	for _, e := range errs {
		c.diags = append(c.diags, Diagnostic{File: shown, Line: max(e.Line, 1), Field: e.Word, Message: e.Msg, Severity: Error})
	}
	entries := s.Entries()
	var wordings []string
	for _, e := range entries {
		wordings = append(wordings, e.Alternatives...)
	}
	missing, laws := c.missingFromLaws(wordings)
	if laws == 0 {
		return
	}
	lawsDir := c.displayContent("laws")
	for _, e := range entries {
		for _, a := range e.Alternatives {
			if missing[a] {
				c.diags = append(c.diags, Diagnostic{
					File: shown, Line: e.Line, Field: e.Word, Severity: Warning,
					Message: fmt.Sprintf("%q occurs in no law text in %s: searching %s finds no law by it", a, lawsDir, e.Word),
				})
			}
		}
	}
}

// missingFromLaws returns the phrases that occur in no page under
// content/laws, and the number of law pages. A few goroutines read the
// pages, each stopping as soon as it has found every phrase; each page is
// scanned once whatever the number of phrases (see phraseIndex).
func (c *checker) missingFromLaws(phrases []string) (map[string]bool, int) {
	var laws []string
	for _, p := range c.pages {
		if p.section == "laws" && !p.branch {
			laws = append(laws, p.rel)
		}
	}
	ix := newPhraseIndex(phrases)
	workers := min(len(laws), runtime.GOMAXPROCS(0), 4)
	found := make([][]bool, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			m := ix.matcher()
			for m.left > 0 {
				i := int(next.Add(1)) - 1
				if i >= len(laws) {
					break
				}
				src, err := os.ReadFile(c.contentPath(laws[i]))
				if err != nil {
					continue // load read it a moment ago; a page that vanished has no text
				}
				m.scan(string(src))
			}
			found[w] = m.found
		})
	}
	wg.Wait()
	missing := map[string]bool{}
	for i, p := range ix.list {
		in := false
		for _, f := range found {
			in = in || f[i]
		}
		if !in {
			missing[p] = true
		}
	}
	return missing, len(laws)
}

// phraseIndex finds which of many phrases occur in a set of texts, in one
// pass over each text. Phrases are indexed by their first two characters;
// a text is walked character by character and only the phrases starting
// with the pair at hand are compared. A bitmap of the first characters
// skips most positions without a map lookup. The index is read-only; each
// goroutine scans with its own matcher.
type phraseIndex struct {
	byPair map[[2]rune][]int // first two characters → phrases
	single []int             // phrases of one character
	first  []uint64          // bitmap of first characters below maxFirst
	list   []string
}

// maxFirst bounds the bitmap of first characters (the Basic
// Multilingual Plane); a phrase starting above it is always looked up.
const maxFirst = 1 << 16

func newPhraseIndex(phrases []string) *phraseIndex {
	ix := &phraseIndex{byPair: map[[2]rune][]int{}, first: make([]uint64, maxFirst/64)}
	seen := map[string]bool{}
	for _, p := range phrases {
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		i := len(ix.list)
		ix.list = append(ix.list, p)
		r0, n := utf8.DecodeRuneInString(p)
		if n == len(p) {
			ix.single = append(ix.single, i)
			continue
		}
		r1, _ := utf8.DecodeRuneInString(p[n:])
		ix.byPair[[2]rune{r0, r1}] = append(ix.byPair[[2]rune{r0, r1}], i)
		if r0 < maxFirst {
			ix.first[r0/64] |= 1 << (r0 % 64)
		}
	}
	return ix
}

// matcher returns a fresh matcher: no phrase found yet.
func (ix *phraseIndex) matcher() *phraseMatcher {
	return &phraseMatcher{ix: ix, found: make([]bool, len(ix.list)), left: len(ix.list)}
}

// phraseMatcher records which phrases of an index the texts it scanned
// contain.
type phraseMatcher struct {
	ix    *phraseIndex
	found []bool
	left  int // phrases not found yet
}

func (m *phraseMatcher) mark(i int) {
	if !m.found[i] {
		m.found[i] = true
		m.left--
	}
}

// scan marks the phrases that text contains.
func (m *phraseMatcher) scan(text string) {
	ix := m.ix
	for _, i := range ix.single {
		if !m.found[i] && strings.Contains(text, ix.list[i]) {
			m.mark(i)
		}
	}
	r0, n0 := utf8.DecodeRuneInString(text)
	for pos := 0; pos < len(text) && m.left > 0; {
		next := pos + n0
		r1, n1 := utf8.DecodeRuneInString(text[next:])
		if n1 == 0 {
			break
		}
		if r0 >= maxFirst || ix.first[r0/64]&(1<<(r0%64)) != 0 {
			for _, i := range ix.byPair[[2]rune{r0, r1}] {
				if !m.found[i] && strings.HasPrefix(text[pos:], ix.list[i]) {
					m.mark(i)
				}
			}
		}
		pos, r0, n0 = next, r1, n1
	}
}

// missing returns the phrases not found.
func (m *phraseMatcher) missing() map[string]bool {
	out := map[string]bool{}
	for i, p := range m.ix.list {
		if !m.found[i] {
			out[p] = true
		}
	}
	return out
}
