package zh

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Pin is one result pinned on top of a query's results. Exactly one of
// Law, Page and URL is set.
type Pin struct {
	// Law is a law's official title (中华人民共和国民法典); the search layer
	// pins the newest version's page, or with Article that article.
	Law      string
	Subtitle string // part of a split code (婚姻家庭编); optional, with Law
	Article  string // article number (第一千零七十七条); optional, with Law
	// Page is a content path (catalog/binzang-guanli.md), resolved to the
	// page's URL through the build manifest.
	Page string
	// URL is a path on the site (/campaigns/2026/qingming/) or an https URL.
	URL  string
	Line int
}

// BestBet is a query (with its other wordings) and the results pinned for it.
type BestBet struct {
	Query   string
	Aliases []string
	Pins    []Pin
	Line    int
}

// BestBets are the editors' pinned results, looked up by query.
type BestBets struct {
	bets  []BestBet
	byKey map[string]int // folded query or alias → index into bets
}

var articleNumber = regexp.MustCompile(`^第[〇零一二三四五六七八九十百千]+条(之[一二三四五六七八九十]+)?$`)

// LoadBestBets parses the best-bets file (site/data/bestbets.yaml), a list
// of entries:
//
//   - query: 离婚冷静期
//     aliases: [离婚冷静]
//     pins:
//   - law: 中华人民共和国民法典
//     article: 第一千零七十七条
//   - page: catalog/hunyin-dengji.md
//   - url: /campaigns/2026/520/
//
// Queries and aliases are compared after Normalize, ignoring case and
// spaces, and each may appear only once in the file. Errors are
// *ParseError naming BestBetsFile and the line.
func LoadBestBets(data []byte) (*BestBets, error) {
	b := &BestBets{byKey: make(map[string]int)}
	root, err := parseYAML(BestBetsFile, data)
	if err != nil || root == nil {
		return b, err
	}
	perr := func(line int, format string, args ...any) error {
		return &ParseError{File: BestBetsFile, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	if root.Kind != yaml.SequenceNode {
		return nil, perr(root.Line, "want a list of {query, aliases, pins}, got %s", kindName(root))
	}
	for _, en := range root.Content {
		if en.Kind != yaml.MappingNode {
			return nil, perr(en.Line, "want {query, aliases, pins}, got %s", kindName(en))
		}
		bet := BestBet{Line: en.Line}
		var pinsNode *yaml.Node
		for i := 0; i+1 < len(en.Content); i += 2 {
			kn, vn := en.Content[i], en.Content[i+1]
			switch kn.Value {
			case "query":
				if bet.Query, err = scalarText(BestBetsFile, vn, "query"); err != nil {
					return nil, err
				}
			case "aliases":
				if bet.Aliases, err = stringList(BestBetsFile, vn, "aliases"); err != nil {
					return nil, err
				}
			case "pins":
				pinsNode = vn
			default:
				return nil, perr(kn.Line, "unknown field %q (want query, aliases, pins)", kn.Value)
			}
		}
		if bet.Query == "" {
			return nil, perr(en.Line, "query: must not be empty")
		}
		for _, q := range append([]string{bet.Query}, bet.Aliases...) {
			k := foldKey(q)
			if k == "" {
				return nil, perr(en.Line, "%s: empty query or alias", bet.Query)
			}
			if utf8.RuneCountInString(k) > MaxWordRunes {
				return nil, perr(en.Line, "%s: longer than %d characters", q, MaxWordRunes)
			}
			if j, ok := b.byKey[k]; ok {
				if j == len(b.bets) {
					return nil, perr(en.Line, "%s: listed twice in this entry", q)
				}
				return nil, perr(en.Line, "%s: already pinned on line %d", q, b.bets[j].Line)
			}
			b.byKey[k] = len(b.bets)
		}
		if pinsNode == nil || pinsNode.Kind != yaml.SequenceNode || len(pinsNode.Content) == 0 {
			return nil, perr(en.Line, "%s: pins: want a list of at least one {law|page|url}", bet.Query)
		}
		for _, pn := range pinsNode.Content {
			p, err := parsePin(pn)
			if err != nil {
				return nil, err
			}
			bet.Pins = append(bet.Pins, p)
		}
		b.bets = append(b.bets, bet)
	}
	return b, nil
}

func parsePin(n *yaml.Node) (Pin, error) {
	perr := func(line int, format string, args ...any) error {
		return &ParseError{File: BestBetsFile, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	p := Pin{Line: n.Line}
	if n.Kind != yaml.MappingNode {
		return p, perr(n.Line, "pin: want {law|page|url: …}, got %s", kindName(n))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		v, err := scalarText(BestBetsFile, vn, kn.Value)
		if err != nil {
			return p, err
		}
		if v == "" {
			return p, perr(vn.Line, "%s: must not be empty", kn.Value)
		}
		switch kn.Value {
		case "law":
			p.Law = v
		case "subtitle":
			p.Subtitle = v
		case "article":
			p.Article = v
		case "page":
			p.Page = v
		case "url":
			p.URL = v
		default:
			return p, perr(kn.Line, "pin: unknown field %q (want law, subtitle, article, page, url)", kn.Value)
		}
	}
	set := 0
	for _, s := range []string{p.Law, p.Page, p.URL} {
		if s != "" {
			set++
		}
	}
	if set != 1 {
		return p, perr(n.Line, "pin: want exactly one of law, page, url")
	}
	if p.Law == "" && (p.Article != "" || p.Subtitle != "") {
		return p, perr(n.Line, "pin: article and subtitle go with law")
	}
	if p.Article != "" && !articleNumber.MatchString(p.Article) {
		return p, perr(n.Line, "article: %q: want 第…条 in Chinese numerals, like 第一千零七十七条", p.Article)
	}
	if p.Page != "" {
		clean := path.Clean(p.Page)
		if clean != p.Page || strings.HasPrefix(p.Page, "/") || strings.HasPrefix(p.Page, "../") ||
			!strings.HasSuffix(p.Page, ".md") {
			return p, perr(n.Line, "page: %q: want a content path like catalog/binzang-guanli.md", p.Page)
		}
	}
	if p.URL != "" {
		u, err := url.Parse(p.URL)
		ok := err == nil && ((u.Scheme == "" && u.Host == "" && strings.HasPrefix(p.URL, "/") && !strings.HasPrefix(p.URL, "//")) ||
			(u.Scheme == "https" && u.Host != ""))
		if !ok {
			return p, perr(n.Line, "url: %q: want a site path starting with / or an https:// address", p.URL)
		}
	}
	return p, nil
}

// Lookup returns the pins for a query, or nil. The query matches an
// entry's query or one of its aliases after Normalize, ignoring case and
// spaces.
func (b *BestBets) Lookup(q string) []Pin {
	if b == nil {
		return nil
	}
	if i, ok := b.byKey[foldKey(q)]; ok {
		return append([]Pin(nil), b.bets[i].Pins...)
	}
	return nil
}

// Entries returns the entries in file order.
func (b *BestBets) Entries() []BestBet { return append([]BestBet(nil), b.bets...) }
