// Package lawtext parses laws and regulations written in the LawRefBook
// Markdown format: a "# title" line, an optional "# subtitle" line, dated
// history lines, "<!-- INFO END -->", then #-headings (编/分编/章/节) and
// articles that start a paragraph with 第…条 or 第…条之一.
//
// Parse keeps every piece of text in order, so a law can be rendered
// again without losing a paragraph: the text of a preamble (序言) or of a
// document without articles becomes text blocks.
package lawtext

// Law is one version of a law or regulation, or one part of a split code
// such as 民法典 继承编.
type Law struct {
	// Name is the name the text was parsed under, usually its path
	// relative to the library root (民法典/继承编.md).
	Name string
	// Title is the official title (中华人民共和国民法典).
	Title string
	// Subtitle names the part of a split code (继承编); empty otherwise.
	Subtitle string
	// History holds the lines between the title and the law text, such as
	// "2020年5月28日 第十三届全国人民代表大会第三次会议通过". A line broken
	// inside a 《》 quotation is joined with its continuation.
	History []string
	// Events are the dated steps found in History, in order.
	Events []Event
	// Passed is the date the law was adopted or promulgated (YYYY-MM-DD),
	// Effective the date it took effect, Amended the dates of amendments
	// and revisions. Each is empty when History does not say, except that
	// the Effective date of a text without amendments may come from its
	// own clause "本法自…起施行".
	Passed    string
	Effective string
	Amended   []string
	// Version is the date of this version: the date in the file name
	// (慈善法(2023-12-29).md), else the latest adoption or amendment date
	// in History, else the latest date in History, else Effective, else
	// empty.
	Version string
	// Issuer is the body that adopted the law, when History names it
	// (全国人民代表大会常务委员会, 国务院, 上海市人民代表大会常务委员会).
	Issuer string
	// Blocks is the law text in order: headings, text paragraphs that
	// belong to no article, and articles.
	Blocks []Block
	// Articles are the articles in order; BlockArticle blocks index it.
	Articles []Article
}

// BlockKind says what a Block holds.
type BlockKind int

// The kinds of blocks.
const (
	// BlockHeading is a heading such as 第一章 一般规定.
	BlockHeading BlockKind = iota + 1
	// BlockText is a paragraph outside any article: a preamble (序言), an
	// explanatory note, or the items of a document without articles.
	BlockText
	// BlockArticle stands for Law.Articles[Block.Article].
	BlockArticle
)

// Block is one element of the law text.
type Block struct {
	Kind BlockKind
	// Level is the depth of a heading among the headings enclosing it: 1
	// for the outermost, whatever number of # the source used.
	Level int
	// Text is the heading or paragraph text. A run of spaces inside a
	// heading, such as the two en spaces some sources put after 第一章, is
	// written as one space.
	Text string
	// Article indexes Law.Articles for a BlockArticle.
	Article int
	// Line is the 1-based source line the block starts on.
	Line int
}

// Article is one article (条) of a law.
type Article struct {
	// Number is the number as written, e.g. 第一千一百二十条 or 第十条之一.
	Number string
	// N is the value of the number and Sub that of its 之 suffix (之一 is
	// 1, none is 0).
	N, Sub int
	// Anchor is the HTML id of the article, see Anchor.
	Anchor string
	// Paragraphs are the article's paragraphs (款); the first one without
	// the number.
	Paragraphs []string
	// Path holds the texts of the headings enclosing the article, outermost
	// first.
	Path []string
	// Line is the 1-based source line of the article's number.
	Line int
}

// EventKind classifies a dated history step.
type EventKind int

// The kinds of history events.
const (
	// EventOther is a dated line that says neither of the others, such as
	// a decree number.
	EventOther EventKind = iota
	// EventPassed is an adoption, approval or promulgation (通过/批准/发布/公布).
	EventPassed
	// EventEffective is an entry into force (施行/执行/实施).
	EventEffective
	// EventAmended is an amendment or revision (修正/修订/修改).
	EventAmended
)

// Event is one dated step in a law's history.
type Event struct {
	Date string // YYYY-MM-DD
	Kind EventKind
	// Text is the part of the history line that describes the step.
	Text string
}
