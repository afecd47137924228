package zh

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// maxKeyWords is how many consecutive query words a colloquial word may
// span when the dictionary does not know it as one word.
const maxKeyWords = 4

// Synonym is one entry of the synonyms file: a colloquial word and the
// wording the law uses for it.
type Synonym struct {
	Word         string   // what residents type: 低保
	Alternatives []string // what the law says: 最低生活保障
	Line         int
}

// Synonyms maps the words residents use to the words of the law.
type Synonyms struct {
	entries []Synonym
	byKey   map[string]int // folded word → index into entries
	folded  [][]string     // folded alternatives, parallel to entries
}

// LoadSynonyms parses the synonyms file (site/data/synonyms.yaml): a
// mapping from a colloquial word to the formal wording, one phrase or a
// list:
//
//	低保: 最低生活保障
//	离婚冷静期: [撤回离婚登记申请, 离婚登记]
//
// Words are compared after Normalize, ignoring case and spaces. Errors are
// *ParseError naming SynonymsFile and the line.
func LoadSynonyms(data []byte) (*Synonyms, error) {
	s := &Synonyms{byKey: make(map[string]int)}
	root, err := parseYAML(SynonymsFile, data)
	if err != nil || root == nil {
		return s, err
	}
	perr := func(line int, format string, args ...any) error {
		return &ParseError{File: SynonymsFile, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	if root.Kind != yaml.MappingNode {
		return nil, perr(root.Line, "want a mapping of word: [formal wording, …], got %s", kindName(root))
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		kn, vn := root.Content[i], root.Content[i+1]
		word, err := scalarText(SynonymsFile, kn, "word")
		if err != nil {
			return nil, err
		}
		key := foldKey(word)
		if key == "" {
			return nil, perr(kn.Line, "empty word")
		}
		if utf8.RuneCountInString(key) > MaxWordRunes {
			return nil, perr(kn.Line, "%s: longer than %d characters", word, MaxWordRunes)
		}
		if j, ok := s.byKey[key]; ok {
			return nil, perr(kn.Line, "%s: already listed on line %d", word, s.entries[j].Line)
		}
		alts, err := stringList(SynonymsFile, vn, word)
		if err != nil {
			return nil, err
		}
		if len(alts) == 0 {
			return nil, perr(vn.Line, "%s: no formal wording given", word)
		}
		var folded []string
		seen := make(map[string]bool)
		for _, a := range alts {
			fa := foldKey(a)
			switch {
			case fa == "":
				return nil, perr(vn.Line, "%s: empty formal wording", word)
			case utf8.RuneCountInString(fa) > MaxWordRunes:
				return nil, perr(vn.Line, "%s: %s: longer than %d characters", word, a, MaxWordRunes)
			case fa == key:
				return nil, perr(vn.Line, "%s: lists itself", word)
			case seen[fa]:
				return nil, perr(vn.Line, "%s: %s listed twice", word, a)
			}
			seen[fa] = true
			folded = append(folded, fa)
		}
		s.byKey[key] = len(s.entries)
		s.entries = append(s.entries, Synonym{Word: word, Alternatives: alts, Line: kn.Line})
		s.folded = append(s.folded, folded)
	}
	return s, nil
}

// Len returns the number of entries.
func (s *Synonyms) Len() int { return len(s.entries) }

// Entries returns the entries in file order.
func (s *Synonyms) Entries() []Synonym { return append([]Synonym(nil), s.entries...) }

// Expand returns the formal wording for the colloquial words found in the
// query, in query order, without duplicates and without wording the query
// already contains. Words are found on word boundaries of the shared
// segmenter (so 民非 is not found inside 居民非法集资), longest first.
func (s *Synonyms) Expand(query string) []string {
	if s == nil || len(s.entries) == 0 {
		return nil
	}
	words := Segment(query)
	fq := foldKey(query)
	var out []string
	seen := make(map[string]bool)
	for i := 0; i < len(words); {
		matched := 0
		for n := min(maxKeyWords, len(words)-i); n >= 1; n-- {
			j, ok := s.byKey[strings.Join(words[i:i+n], "")]
			if !ok {
				continue
			}
			matched = n
			for k, fa := range s.folded[j] {
				if seen[fa] || strings.Contains(fq, fa) {
					continue
				}
				seen[fa] = true
				out = append(out, s.entries[j].Alternatives[k])
			}
			break
		}
		i += max(matched, 1)
	}
	return out
}
