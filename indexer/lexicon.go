package indexer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/pufa-gov/pufa/indexer/zh"
)

// wordsFile lists the dictionary words that an index's documents hold,
// each with the number of documents it occurs in: what a query typed in
// pinyin resolves to (shtt: 社会团体), the most common word first, and
// what a word the index lacks is compared with. One word a line, sorted:
//
//	社会团体	412
const wordsFile = "words.txt"

const wordsHeader = "# pufa words: word, tab, documents it occurs in\n"

// writeWords writes the words file of the index under root. The long
// texts of an index hold bigrams, not words (see mapping.go), so a word's
// documents are estimated from its bigrams': a document has the word
// about where it has the word's rarest bigram, and is counted once
// whether the word is in its title, its heading or its text. The words
// looked for are those of the segmenter's dictionary in a full build
// (prev empty); an update looks for the words of the previous index (prev)
// and of its own titles, so that it need not load the dictionary: a word
// new to the library joins the list at the next full build.
func writeWords(root, prev string) error {
	bi, err := bleve.OpenUsing(filepath.Join(root, bleveDir), map[string]any{"read_only": true})
	if err != nil {
		return fmt.Errorf("index: words: %w", err)
	}
	defer bi.Close()
	// The documents of a bigram in the fields of a page (title, body) and
	// of an article (heading, text).
	fields := []string{fieldTitleGrams, fieldBody, fieldHeading, fieldText}
	grams := make(map[string]*[4]uint32)
	for k, f := range fields {
		err := eachTerm(bi, f, func(term string, count uint64) {
			if utf8.RuneCountInString(term) != 2 {
				return
			}
			g := grams[term]
			if g == nil {
				g = new([4]uint32)
				grams[term] = g
			}
			g[k] = uint32(min(uint64(g[k])+count, 1<<32-1))
		})
		if err != nil {
			return err
		}
	}
	docs := func(w string) uint32 {
		var est [4]uint32
		for k := range est {
			est[k] = 1<<32 - 1
		}
		for i, r := range w {
			j := i + utf8.RuneLen(r)
			if j >= len(w) {
				break
			}
			_, size := utf8.DecodeRuneInString(w[j:])
			g := grams[w[i:j+size]]
			if g == nil {
				return 0
			}
			for k := range est {
				est[k] = min(est[k], g[k])
			}
		}
		return max(est[0], est[1]) + max(est[2], est[3])
	}
	found := make(map[string]uint32)
	look := func(w string) {
		if _, ok := found[w]; ok || utf8.RuneCountInString(w) < 2 || !isHan(w) {
			return
		}
		if n := docs(w); n > 0 {
			found[w] = n
		}
	}
	var old []zh.Term
	if prev != "" {
		old, err = readWords(prev)
		if err != nil {
			return err
		}
	}
	if old == nil {
		zh.EachWord(look)
	}
	for _, t := range old {
		look(t.Text)
	}
	err = eachTerm(bi, fieldTitle, func(term string, _ uint64) { look(term) })
	if err != nil {
		return err
	}
	words := make([]string, 0, len(found))
	for w := range found {
		words = append(words, w)
	}
	slices.Sort(words)
	var b bytes.Buffer
	b.WriteString(wordsHeader)
	for _, w := range words {
		b.WriteString(w)
		b.WriteByte('\t')
		b.WriteString(strconv.FormatUint(uint64(found[w]), 10))
		b.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join(root, wordsFile), b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

// readWords reads the words file under root: nil for an index without
// one.
func readWords(root string) ([]zh.Term, error) {
	data, err := os.ReadFile(filepath.Join(root, wordsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	out := make([]zh.Term, 0, bytes.Count(data, []byte{'\n'}))
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		w, n, ok := strings.Cut(s, "\t")
		docs, err := strconv.ParseUint(n, 10, 32)
		if !ok || err != nil || w == "" {
			return nil, fmt.Errorf("index: %s:%d: want word, tab, number", wordsFile, line)
		}
		out = append(out, zh.Term{Text: w, Weight: float64(docs)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("index: %s: %w", wordsFile, err)
	}
	return out, nil
}

// eachTerm calls fn with every term of a field and its number of
// documents, in no particular order, a term once for each segment of the
// index that holds it. (The counts of Bleve's field dictionaries are
// wrong after a term found in one document: the segment's iterator keeps
// that document; looking each term up counts right.)
func eachTerm(bi bleve.Index, field string, fn func(term string, count uint64)) error {
	adv, err := bi.Advanced()
	if err != nil {
		return fmt.Errorf("terms of %s: %w", field, err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("terms of %s: %w", field, err)
	}
	defer r.Close()
	return eachTermOf(r, field, fn)
}

// eachTermOf is eachTerm over an open reader of the index.
func eachTermOf(r index.IndexReader, field string, fn func(term string, count uint64)) error {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return fmt.Errorf("terms of %s: index reader is a %T", field, r)
	}
	type omitCount interface {
		AutomatonIteratorOmitCount(a segment.Automaton, start, end []byte) segment.DictionaryIterator
	}
	for _, ss := range snap.Segments() {
		dict, err := ss.Segment().Dictionary(field)
		if err != nil {
			return fmt.Errorf("terms of %s: %w", field, err)
		}
		var it segment.DictionaryIterator
		if oc, ok := dict.(omitCount); ok {
			it = oc.AutomatonIteratorOmitCount(nil, nil, nil)
		} else {
			it = dict.AutomatonIterator(nil, nil, nil)
		}
		var pl segment.PostingsList
		for {
			e, err := it.Next()
			if err != nil {
				return fmt.Errorf("terms of %s: %w", field, err)
			}
			if e == nil {
				break
			}
			if pl, err = dict.PostingsList([]byte(e.Term), ss.Deleted(), pl); err != nil {
				return fmt.Errorf("terms of %s: %w", field, err)
			}
			if n := pl.Count(); n > 0 {
				fn(e.Term, n)
			}
		}
	}
	return nil
}

// siteWordBoost multiplies the weight of the site's own vocabulary (see
// lexicon): a word the editors put in the dictionary or the synonyms is
// what residents type, and a word's count, estimated from bigrams, is
// too high for a rare word whose bigram is common across other words
// (地保 in 土地保护 outnumbers 低保).
const siteWordBoost = 10

// lexicon returns the words that pinyin resolves to and that a word the
// index lacks is compared with, each weighted by the documents it occurs
// in: the words file, the laws' official titles and parts, and the
// synonyms' words (as common as the most common of their wordings). The
// site's vocabulary (vocab: the dictionary, the synonyms, the titles)
// counts siteWordBoost times. An index without a words file, of an
// earlier version, has vocab alone.
func lexicon(root string, bi bleve.Index, syn *zh.Synonyms, vocab []zh.Term) ([]zh.Term, error) {
	words, err := readWords(root)
	if err != nil || words == nil {
		return vocab, err
	}
	docs := make(map[string]float64, len(words))
	for _, t := range words {
		docs[t.Text] = t.Weight
	}
	site := make(map[string]bool, len(vocab))
	for _, t := range vocab {
		site[t.Text] = true
	}
	for i, t := range words {
		if site[t.Text] {
			words[i].Weight *= siteWordBoost
		}
	}
	for _, f := range []string{fieldLawTitle, fieldPart} {
		counts := map[string]float64{}
		err := eachTerm(bi, f, func(term string, n uint64) { counts[term] += float64(n) })
		if err != nil {
			return nil, err
		}
		for t, n := range counts {
			words = append(words, zh.Term{Text: t, Weight: n * siteWordBoost})
		}
	}
	for _, s := range syn.Entries() {
		w := max(1, docs[s.Word])
		for _, a := range s.Alternatives {
			w = max(w, docs[a])
		}
		words = append(words, zh.Term{Text: s.Word, Weight: w * siteWordBoost})
	}
	return words, nil
}
