package lawtext

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error is a parse error at a line of a named law file. It reads like a
// compiler's: "民法典/继承编.md:12: article: ...".
type Error struct {
	Name string
	Line int // 1-based; 0 when the error concerns the whole file
	Err  error
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %v", e.Name, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.Name, e.Line, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

const (
	infoEnd    = "<!-- INFO END -->"
	forceBreak = "<!-- FORCE BREAK -->"
	// maxLine bounds one line of law text; the longest in the national
	// corpus is about 10 KB.
	maxLine = 1 << 20
)

// articlePattern matches the start of an article: the number, then a space
// (or the end of the line) before the text.
var articlePattern = regexp.MustCompile(`^(第[〇零一二三四五六七八九十百千万两]+条(?:之[〇零一二三四五六七八九十百千万两]+)?)(?:[ 　]+|$)`)

// Parse reads one law in the LawRefBook format. name identifies the text in
// errors and carries the version date (慈善法(2023-12-29).md). Input that
// does not follow the format is an error naming the file and line.
func Parse(r io.Reader, name string) (*Law, error) {
	p := &parser{law: &Law{Name: name}, name: name, cur: -1, articles: map[string]int{}}
	if err := p.run(r); err != nil {
		return nil, err
	}
	return p.law, nil
}

type parser struct {
	law  *Law
	name string
	line int

	// header state
	inBody     bool
	history    []historyLine
	titleLines int

	// body state
	headings []heading // open headings, outermost first
	cur      int       // index of the article receiving paragraphs, -1 outside articles
	articles map[string]int
}

type historyLine struct {
	text string
	line int
}

type heading struct {
	source int // number of # in the source
	text   string
	leaf   bool // 序言 never encloses later headings
}

func (p *parser) errorf(line int, format string, args ...any) error {
	return &Error{Name: p.name, Line: line, Err: fmt.Errorf(format, args...)}
}

func (p *parser) run(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	for sc.Scan() {
		p.line++
		raw := sc.Text()
		if !utf8.ValidString(raw) {
			return p.errorf(p.line, "invalid UTF-8")
		}
		if i := strings.IndexFunc(raw, isControl); i >= 0 {
			r, _ := utf8.DecodeRuneInString(raw[i:])
			return p.errorf(p.line, "control character %U", r)
		}
		if err := p.handle(clean(raw)); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return p.errorf(p.line+1, "line longer than %d bytes", maxLine)
		}
		return &Error{Name: p.name, Err: fmt.Errorf("read: %w", err)}
	}
	switch {
	case p.law.Title == "":
		return p.errorf(0, "title: empty file, want a first line \"# title\"")
	case !p.inBody:
		return p.errorf(0, "missing %q after the history lines", infoEnd)
	}
	return p.finish()
}

func isControl(r rune) bool {
	return r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029')
}

// clean trims a line, treating zero-width and full-width spaces as blank:
// some sources put a lone U+200B on a line of its own.
func clean(s string) string {
	return strings.TrimFunc(s, isBlank)
}

func isBlank(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

func (p *parser) handle(s string) error {
	if p.law.Title == "" {
		return p.title(s)
	}
	if !p.inBody {
		return p.header(s)
	}
	return p.body(s)
}

func (p *parser) title(s string) error {
	if s == "" {
		return nil
	}
	if s == "---" {
		return p.errorf(p.line, "title: front matter where a law starts with \"# title\" (a section's _index.md?)")
	}
	level, text, ok := headingLine(s)
	if !ok || level != 1 {
		return p.errorf(p.line, "title: want \"# title\", got %q", abbreviate(s))
	}
	if text == "" {
		return p.errorf(p.line, "title: empty title")
	}
	p.law.Title = text
	p.titleLines = 1
	return nil
}

func (p *parser) header(s string) error {
	switch {
	case s == "":
		return nil
	case s == infoEnd:
		p.inBody = true
		return p.finishHeader()
	case strings.HasPrefix(s, "#"):
		level, text, ok := headingLine(s)
		if !ok || level != 1 || text == "" {
			return p.errorf(p.line, "history: heading %q before %q", abbreviate(s), infoEnd)
		}
		if p.titleLines != 1 || len(p.history) > 0 {
			return p.errorf(p.line, "subtitle: %q must directly follow the title", abbreviate(s))
		}
		p.law.Subtitle = text
		p.titleLines = 2
		return nil
	case strings.HasPrefix(s, "<!--"):
		return p.errorf(p.line, "history: unknown directive %q", abbreviate(s))
	}
	p.history = append(p.history, historyLine{text: s, line: p.line})
	return nil
}

// finishHeader turns the lines between the title and INFO END into the
// history. A line broken inside a 《》 quotation is joined with the next;
// lines that only repeat the title (wrapped over two lines) are dropped.
func (p *parser) finishHeader() error {
	lines := dropTitleRepeat(p.history, p.law.Title, p.law.Subtitle,
		func(h historyLine) string { return h.text })
	var joined []historyLine
	for _, h := range lines {
		if n := len(joined); n > 0 && unclosedQuote(joined[n-1].text) {
			joined[n-1].text += h.text
			continue
		}
		joined = append(joined, h)
	}
	for _, h := range joined {
		p.law.History = append(p.law.History, h.text)
		events, err := splitEvents(h.text)
		if err != nil {
			return p.errorf(h.line, "history: %v", err)
		}
		p.law.Events = append(p.law.Events, events...)
	}
	return nil
}

func unclosedQuote(s string) bool {
	return strings.Count(s, "《") > strings.Count(s, "》")
}

// dropTitleRepeat removes leading items whose concatenation, spaces
// ignored, equals the title (or title and subtitle): sources repeat a long
// title wrapped over two lines.
func dropTitleRepeat[T any](items []T, title, subtitle string, text func(T) string) []T {
	want := []string{squash(title), squash(title + subtitle)}
	var acc strings.Builder
	for i, it := range items {
		acc.WriteString(squash(text(it)))
		for _, w := range want {
			if acc.String() == w {
				return items[i+1:]
			}
		}
		if !strings.HasPrefix(want[1], acc.String()) {
			break
		}
	}
	return items
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' {
			return -1
		}
		return r
	}, s)
}

// headingLine splits "## 第一章 总则" into its level and text.
func headingLine(s string) (level int, text string, ok bool) {
	level = len(s) - len(strings.TrimLeft(s, "#"))
	if level == 0 {
		return 0, "", false
	}
	rest := s[level:]
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' && !strings.HasPrefix(rest, "\u3000") {
		return 0, "", false
	}
	return level, strings.Join(strings.FieldsFunc(rest, isBlank), " "), true
}

func (p *parser) body(s string) error {
	switch {
	case s == "" || s == forceBreak:
		return nil
	case s == infoEnd:
		return p.errorf(p.line, "second %q", infoEnd)
	case strings.HasPrefix(s, "<!--"):
		return p.errorf(p.line, "unknown directive %q", abbreviate(s))
	case strings.HasPrefix(s, "#"):
		return p.heading(s)
	}
	if m := articlePattern.FindStringSubmatch(s); m != nil {
		return p.article(m[1], s[len(m[0]):])
	}
	if p.cur >= 0 {
		a := &p.law.Articles[p.cur]
		a.Paragraphs = append(a.Paragraphs, s)
		return nil
	}
	p.law.Blocks = append(p.law.Blocks, Block{Kind: BlockText, Text: s, Line: p.line})
	return nil
}

func (p *parser) heading(s string) error {
	level, text, ok := headingLine(s)
	switch {
	case !ok:
		return p.errorf(p.line, "heading: want a space after # in %q", abbreviate(s))
	case level == 1:
		return p.errorf(p.line, "heading: level-1 heading %q after %q (only the title and subtitle use #)", abbreviate(s), infoEnd)
	case text == "":
		// A bare "##" separates the articles of 民法典 附则 from nothing;
		// it has no text to show.
		p.cur = -1
		return nil
	}
	for n := len(p.headings); n > 0; n-- {
		top := p.headings[n-1]
		if top.source < level && !top.leaf {
			break
		}
		p.headings = p.headings[:n-1]
	}
	p.headings = append(p.headings, heading{source: level, text: text, leaf: text == "序言"})
	p.cur = -1
	p.law.Blocks = append(p.law.Blocks, Block{Kind: BlockHeading, Level: len(p.headings), Text: text, Line: p.line})
	return nil
}

func (p *parser) article(number, text string) error {
	n, sub, err := ParseNumber(number)
	if err != nil {
		return p.errorf(p.line, "article: %v", err)
	}
	anchor := Anchor(n, sub)
	if first, dup := p.articles[anchor]; dup {
		return p.errorf(p.line, "article: %s repeats the number of line %d", number, first)
	}
	p.articles[anchor] = p.line
	path := make([]string, len(p.headings))
	for i, h := range p.headings {
		path[i] = h.text
	}
	p.law.Articles = append(p.law.Articles, Article{
		Number: number, N: n, Sub: sub, Anchor: anchor,
		Paragraphs: []string{text}, Path: path, Line: p.line,
	})
	p.cur = len(p.law.Articles) - 1
	p.law.Blocks = append(p.law.Blocks, Block{Kind: BlockArticle, Article: len(p.law.Articles) - 1, Line: p.line})
	return nil
}

// finish drops a repeated title at the start of the text and derives the
// dates and issuer.
func (p *parser) finish() error {
	lead := 0
	for lead < len(p.law.Blocks) && p.law.Blocks[lead].Kind == BlockText {
		lead++
	}
	kept := dropTitleRepeat(p.law.Blocks[:lead], p.law.Title, p.law.Subtitle,
		func(b Block) string { return b.Text })
	p.law.Blocks = p.law.Blocks[lead-len(kept):]
	version, err := versionFromName(p.name)
	if err != nil {
		return p.errorf(0, "%v", err)
	}
	p.law.summarize(version)
	return nil
}

// abbreviate shortens s for an error message.
func abbreviate(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "…"
}
