package zh

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// maxKeyWords is how many consecutive query words a colloquial word may
// span when the dictionary does not know it as one word.
const maxKeyWords = 4

// Kind says how a resident's word relates to the law's wording. An
// abbreviation names the very concept the law names; an everyday word is
// looser (老人 is most often 老年人, but not every 老人 the law speaks of),
// so search may trust it less.
type Kind int

const (
	// Everyday is an everyday word or phrase: 老人 → 老年人, 丢了 → 遗失.
	Everyday Kind = iota
	// Abbreviation is a short form of the law's own term: 低保 →
	// 最低生活保障, 居委会 → 居民委员会.
	Abbreviation
)

// The group names that file entries under a kind within a topic.
const (
	GroupEveryday     = "口语"
	GroupAbbreviation = "简称"
)

// String returns the kind's group name in the synonyms file.
func (k Kind) String() string {
	if k == Abbreviation {
		return GroupAbbreviation
	}
	return GroupEveryday
}

// groupKind returns the kind a group name files its entries under.
func groupKind(name string) (Kind, bool) {
	switch name {
	case GroupEveryday:
		return Everyday, true
	case GroupAbbreviation:
		return Abbreviation, true
	}
	return 0, false
}

// Synonym is one entry of the synonyms file: a colloquial word and the
// wording the law uses for it.
type Synonym struct {
	Word         string   // what residents type: 低保
	Alternatives []string // what the law says: 最低生活保障
	Topic        string   // the topic it is filed under (救助); "" outside any topic
	Kind         Kind     // an abbreviation or an everyday word
	Line         int
}

// Synonyms maps the words residents use to the words of the law.
type Synonyms struct {
	entries []Synonym
	byKey   map[string]int // folded word → index into entries
	folded  [][]string     // folded alternatives, parallel to entries
	topics  []string       // topic names in file order
}

// LoadSynonyms parses the synonyms file (site/data/synonyms.yaml): a
// mapping from topic to its entries, each a colloquial word and the
// formal wording, one phrase or a list. Within a topic, abbreviations are
// grouped under 简称 and everyday words under 口语; entries listed
// directly under a topic are everyday words:
//
//	救助:
//	  简称:
//	    低保: 最低生活保障
//	  口语:
//	    要饭: [流浪乞讨人员]
//	婚姻:
//	  离婚冷静期: [撤回离婚登记申请, 离婚登记]
//
// An entry at the top of the file, outside any topic, is an everyday word
// without a topic (the format of files written before topics).
//
// Words are compared after Normalize, ignoring case and spaces, and each
// may be listed once in the whole file. Errors are *ParseError naming
// SynonymsFile and the line; LoadSynonyms returns the first, ParseSynonyms
// all of them.
func LoadSynonyms(data []byte) (*Synonyms, error) {
	s, errs := ParseSynonyms(data)
	if len(errs) > 0 {
		return nil, errs[0]
	}
	return s, nil
}

// ParseSynonyms parses the synonyms file like LoadSynonyms but goes on
// past a malformed entry: it returns the well-formed entries and an error
// for each problem, in file order.
func ParseSynonyms(data []byte) (*Synonyms, []*ParseError) {
	p := &synParser{
		s:      &Synonyms{byKey: make(map[string]int)},
		topics: make(map[string]int),
	}
	root, err := parseYAML(SynonymsFile, data)
	if err != nil {
		p.add(err)
		return p.s, p.errs
	}
	if root == nil {
		return p.s, nil
	}
	if root.Kind != yaml.MappingNode {
		p.fail(root.Line, "", "want a mapping of word: [formal wording, …], got %s", kindName(root))
		return p.s, p.errs
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		kn, vn := root.Content[i], root.Content[i+1]
		if v := deref(vn); v != nil && v.Kind == yaml.MappingNode {
			p.topic(kn, v)
		} else {
			p.entry(kn, vn, "", Everyday)
		}
	}
	return p.s, p.errs
}

// synParser collects a synonyms file's entries and its problems.
type synParser struct {
	s      *Synonyms
	errs   []*ParseError
	topics map[string]int // topic → line of its heading
}

func (p *synParser) fail(line int, word, format string, args ...any) {
	p.errs = append(p.errs, &ParseError{File: SynonymsFile, Line: line, Word: word, Msg: fmt.Sprintf(format, args...)})
}

func (p *synParser) add(err error) {
	var pe *ParseError
	if !errors.As(err, &pe) {
		pe = &ParseError{File: SynonymsFile, Msg: err.Error()}
	}
	p.errs = append(p.errs, pe)
}

// topic reads a topic: its groups of abbreviations and everyday words and
// the everyday words listed directly under it.
func (p *synParser) topic(kn, vn *yaml.Node) {
	name, err := scalarText(SynonymsFile, kn, "topic")
	if err != nil {
		p.add(err)
		return
	}
	if name == "" {
		p.fail(kn.Line, "", "empty topic")
		return
	}
	if _, ok := groupKind(name); ok {
		p.fail(kn.Line, name, "a group of entries belongs under a topic (救助: {%s: {…}})", name)
		return
	}
	if line, ok := p.topics[name]; ok {
		p.fail(kn.Line, name, "topic already started on line %d: list each topic once", line)
	} else {
		p.topics[name] = kn.Line
		p.s.topics = append(p.s.topics, name)
	}
	groups := make(map[string]int)
	for i := 0; i+1 < len(vn.Content); i += 2 {
		k, v := vn.Content[i], deref(vn.Content[i+1])
		kind, isGroup := groupKind(strings.TrimSpace(k.Value))
		switch {
		case v != nil && v.Kind == yaml.MappingNode && !isGroup:
			p.fail(k.Line, k.Value, "want %s or %s with a group of entries, or an entry's formal wording, got a mapping", GroupAbbreviation, GroupEveryday)
			continue
		case isGroup && (v == nil || v.Kind == yaml.ScalarNode && v.Tag == "!!null"):
			continue // an empty group
		case !isGroup:
			p.entry(k, vn.Content[i+1], name, Everyday)
			continue
		}
		g := strings.TrimSpace(k.Value)
		if line, ok := groups[g]; ok {
			p.fail(k.Line, g, "already started on line %d in topic %s", line, name)
		} else {
			groups[g] = k.Line
		}
		if v.Kind != yaml.MappingNode {
			p.fail(k.Line, g, "want a mapping of word: [formal wording, …], got %s", kindName(v))
			continue
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			p.entry(v.Content[j], v.Content[j+1], name, kind)
		}
	}
}

// entry reads one word and its formal wording.
func (p *synParser) entry(kn, vn *yaml.Node, topic string, kind Kind) {
	word, err := scalarText(SynonymsFile, kn, "word")
	if err != nil {
		p.add(err)
		return
	}
	key := foldKey(word)
	if key == "" {
		p.fail(kn.Line, "", "empty word")
		return
	}
	if utf8.RuneCountInString(key) > MaxWordRunes {
		p.fail(kn.Line, word, "longer than %d characters", MaxWordRunes)
		return
	}
	if j, ok := p.s.byKey[key]; ok {
		p.fail(kn.Line, word, "already listed on line %d", p.s.entries[j].Line)
		return
	}
	items := []*yaml.Node{vn}
	if v := deref(vn); v != nil && v.Kind == yaml.SequenceNode {
		items = v.Content
		if len(items) == 0 {
			p.fail(vn.Line, word, "no formal wording given")
			return
		}
	}
	alts := make([]string, 0, len(items))
	folded := make([]string, 0, len(items))
	for _, it := range items {
		a, err := scalarText(SynonymsFile, it, word)
		if err != nil {
			p.add(err)
			return
		}
		fa := foldKey(a)
		switch {
		case fa == "":
			p.fail(it.Line, word, "empty formal wording")
			return
		case utf8.RuneCountInString(fa) > MaxWordRunes:
			p.fail(it.Line, word, "%s: longer than %d characters", a, MaxWordRunes)
			return
		case fa == key:
			p.fail(it.Line, word, "lists itself")
			return
		}
		for _, prev := range folded {
			if prev == fa {
				p.fail(it.Line, word, "%s listed twice", a)
				return
			}
		}
		alts = append(alts, a)
		folded = append(folded, fa)
	}
	p.s.byKey[key] = len(p.s.entries)
	p.s.entries = append(p.s.entries, Synonym{Word: word, Alternatives: alts, Topic: topic, Kind: kind, Line: kn.Line})
	p.s.folded = append(p.s.folded, folded)
}

// Len returns the number of entries.
func (s *Synonyms) Len() int { return len(s.entries) }

// Entries returns the entries in file order.
func (s *Synonyms) Entries() []Synonym { return append([]Synonym(nil), s.entries...) }

// Topics returns the names of the file's topics in file order.
func (s *Synonyms) Topics() []string { return append([]string(nil), s.topics...) }

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
