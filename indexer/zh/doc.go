// Package zh analyzes Chinese text for the site's Bleve index and prepares
// residents' queries for it.
//
// Bleve's standard analyzer cuts Chinese into single characters, so 婚姻
// finds every text with 婚 and 姻 anywhere; its cjk analyzer makes bigrams,
// which match too much inside longer words and nothing for a one-character
// query. This package segments by dictionary (github.com/go-ego/gse, with
// the site's own legal and civil-affairs words) and keeps a bigram field
// beside it for what the dictionary misses.
//
// # Analyzers and the fields they are for
//
// Importing the package registers these by name (use the constants):
//
//   - "zh" (AnalyzerName): tokenizer zh_gse, then zh_width and lowercase.
//     For body text and titles, the field that ranks: whole words such as
//     离婚冷静期 or 最低生活保障 match as words, and the words inside a word
//     (中华人民共和国 → 中华, 人民, 共和国) are indexed too, so a query for the
//     short word finds the long one. Positions count characters, so phrase
//     queries work across different segmentations of the same text.
//   - "zh_bigram" (BigramAnalyzerName) to index and "zh_bigram_query"
//     (BigramQueryAnalyzerName) to query: every character and every pair
//     of neighbouring characters. A second copy of body and title for
//     recall: a name or a term the dictionary splits differently, and a
//     one-character query (婚) still match. Give it less weight than "zh".
//   - "zh_pinyin" (PinyinAnalyzerName): the pinyin of each word and word
//     sequence and their first letters (民法典 → minfadian, mfd). Titles
//     only: the output grows with the square of the number of words.
//
// Article numbers, taxonomy terms and other exact values belong in keyword
// fields; they need no Chinese analysis.
//
// # The dictionary
//
// gse's embedded simplified-Chinese dictionary takes about a second to
// load (Preload reports it). It is loaded once per process, on first use,
// behind a sync.Once, and shared by all analyzers and helpers. The site's
// own words (site/data/dict.txt) are added with LoadDict, or ParseDict and
// UseDict, before the first use. The program that searches must give the
// same words as the program that indexed, or a query is cut differently
// from the text it should find.
//
// # Queries
//
// A query goes through Normalize (width folding, no Bleve syntax, length
// limits) and then, as the search layer needs: Segment for its words (and
// SegmentWords for the words with their parts, so that 录音录像遗嘱 also
// finds a text that says 以录音录像形式立的遗嘱), Synonyms.Expand for the
// law's wording of colloquial words (低保 → 最低生活保障),
// PinyinIndex.Resolve for a query typed in pinyin (shehuituanti, shtt:
// 社会团体, the most common of the words spelled so), Suggester.Suggest for
// a misspelled term, WordIndex.Nearest for the word nearest to one the
// index lacks (民诉法: 民事诉讼法), and BestBets.Lookup for the results
// editors pin on top. The search layer gives PinyinIndex and WordIndex
// every word its index holds (EachWord lists the dictionary's), with the
// number of documents each occurs in.
//
// The search layer (package indexer) matches the words against the "zh"
// fields and uses the "zh_bigram" fields for exact substrings, single
// characters and what the dictionary splits differently; its relevance
// test measures that combination against bigrams alone.
package zh
