package zh

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Conventional names of the site's data files, used in error messages.
const (
	DictFile     = "site/data/dict.txt"
	SynonymsFile = "site/data/synonyms.yaml"
	BestBetsFile = "site/data/bestbets.yaml"
)

// MaxWordRunes bounds the length of a user-dictionary word, a synonym and a
// best-bet query.
const MaxWordRunes = 32

// ParseError is an error in an editor's data file, located by file and line
// like a compiler's. Callers that read the file from another place may set
// File before reporting it.
type ParseError struct {
	File string
	Line int // 1-based; 0 when the error concerns the whole file
	// Word is the entry or field the error is about, when there is one:
	// 低保 in "site/data/synonyms.yaml:3: 低保: already listed on line 1".
	// Msg does not repeat it.
	Word string
	Msg  string
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line != 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Word != "" {
		b.WriteString(e.Word + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Word is one entry of a user dictionary.
type Word struct {
	Text string  // the word, Chinese characters only
	Freq float64 // gse frequency: higher keeps the word whole more often
	POS  string  // part of speech (optional; n, nz, nt, v, …)
	Line int     // line in the dictionary file
}

// Dict is a parsed user dictionary.
type Dict struct {
	Words []Word
}

// Term is a word or title with a weight, the vocabulary of the pinyin
// resolver and of the suggester. Higher weights win ties.
type Term struct {
	Text   string
	Weight float64
}

// Terms returns the dictionary's words as vocabulary, weighted by frequency.
func (d *Dict) Terms() []Term {
	out := make([]Term, 0, len(d.Words))
	for _, w := range d.Words {
		out = append(out, Term{Text: w.Text, Weight: w.Freq})
	}
	return out
}

// ParseDict parses a user dictionary in gse's format: one word a line,
//
//	word frequency [part-of-speech]
//
// separated by spaces. Blank lines and lines starting with # are comments
// (gse's own loader skips them too, since "#" has no frequency). A word is
// made of Chinese characters only, because only runs of Chinese characters
// are segmented; a word listed twice is an error. Errors are *ParseError
// naming DictFile.
func ParseDict(data []byte) (*Dict, error) {
	d := &Dict{}
	seen := make(map[string]int)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}
		text = strings.TrimSpace(text)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		perr := func(format string, args ...any) error {
			return &ParseError{File: DictFile, Line: line, Msg: fmt.Sprintf(format, args...)}
		}
		if !utf8.ValidString(text) {
			return nil, perr("not valid UTF-8")
		}
		f := strings.Fields(text)
		if len(f) < 2 {
			return nil, perr("%q: want \"word frequency [part-of-speech]\"", text)
		}
		if len(f) > 3 {
			return nil, perr("%q: too many fields (a word has no spaces)", text)
		}
		w := Word{Text: f[0], Line: line}
		if n := utf8.RuneCountInString(w.Text); n > MaxWordRunes {
			return nil, perr("%s: longer than %d characters", w.Text, MaxWordRunes)
		}
		for _, r := range w.Text {
			if !unicode.Is(unicode.Han, r) {
				return nil, perr("%s: %q is not a Chinese character (only Chinese text is segmented)", w.Text, r)
			}
		}
		freq, err := strconv.ParseFloat(f[1], 64)
		if err != nil || math.IsNaN(freq) || math.IsInf(freq, 0) || freq < 1 {
			return nil, perr("%s: frequency %q: want a number >= 1", w.Text, f[1])
		}
		w.Freq = freq
		if len(f) == 3 {
			w.POS = f[2]
			for _, r := range w.POS {
				if r > unicode.MaxASCII || !unicode.IsLetter(r) {
					return nil, perr("%s: part of speech %q: want ASCII letters", w.Text, w.POS)
				}
			}
		}
		if prev, ok := seen[w.Text]; ok {
			return nil, perr("%s: already listed on line %d", w.Text, prev)
		}
		seen[w.Text] = line
		d.Words = append(d.Words, w)
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{File: DictFile, Line: line + 1, Msg: err.Error()}
	}
	return d, nil
}

// LoadDict reads a user dictionary file (the site's site/data/dict.txt),
// parses it and gives its words to the shared segmenter (see UseDict).
// It returns the dictionary so that its words can also feed a PinyinIndex
// or a Suggester.
func LoadDict(path string) (*Dict, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("zh: read user dictionary: %w", err)
	}
	d, err := ParseDict(data)
	if err != nil {
		if pe, ok := err.(*ParseError); ok {
			pe.File = path
		}
		return nil, err
	}
	if err := UseDict(d); err != nil {
		return nil, err
	}
	return d, nil
}
