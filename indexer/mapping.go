package indexer

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/pufa-gov/pufa/indexer/zh"
)

// Field names of the search index. Titles are indexed three ways: as
// dictionary words (precise, ranks whole words), as CJK unigrams+bigrams
// (recall: one-character queries, words the dictionary does not know) and
// as pinyin. Every other text is indexed once, as its bigrams (and a
// character alone in its run): a query word is looked up as the bigrams
// that cover it (see wordGramsQuery), which finds the word wherever the
// text has it, and the dictionary is used on the query side only. Its
// length for BM25 still counts every character, as when each character
// was indexed too (zh.GramFrequencies): the ranking is the same for a
// quarter less index and build (see "Build and index" in BENCHMARKS.md).
//
// The text properties have roles, weighted in this order when ranking:
// title (a page's or a law's own title), heading (what an article is filed
// under: its law, part and chapter; the law a catalog entry covers)
// and the text itself (text for a law article, body for every other page).
// Article text and page bodies are separate fields so that each is scored
// against lengths of its own kind: a 60-character article and a
// 2,000-character news page are both "one document's text".
const (
	fieldType       = "type"
	fieldTitle      = "title"
	fieldTitleGrams = "title_gram"
	fieldTitlePY    = "title_py"
	fieldHeading    = "heading"
	fieldText       = "text"
	fieldBody       = "body"
	fieldSuccessor  = "successor"
	fieldLaw        = "law"
	fieldArticle    = "article"
	fieldLawTitle   = "lawtitle"
	fieldPart       = "part"
	fieldFile       = "file"
	fieldURL        = "url"
	fieldDate       = "date"
	fieldStatus     = "status"
	fieldCurrent    = "current"
	fieldCategory   = "category"
	fieldDepartment = "department"
	fieldAudience   = "audience"
	fieldMethod     = "method"
)

// facetFields are the keyword fields offered as facets and filters, by
// their HTTP parameter name.
var facetFields = []string{fieldType, fieldCategory, fieldDepartment, fieldAudience, fieldMethod}

// scoringModel is Bleve's term scoring. BM25 saturates repeated words and
// normalises a field's length by the average of that field, which suits a
// mix of one-sentence articles and long pages better than classic TF-IDF
// (measured by the relevance test, see BENCHMARKS.md).
const scoringModel = index.BM25Scoring

// indexScoring is the scoring model new indexes are built with; the
// relevance test changes it to compare models.
var indexScoring = scoringModel

func newMapping() mapping.IndexMapping {
	text := func(name, analyzer string, store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Name = name
		f.Analyzer = analyzer
		f.Store = store
		// No term vectors: no query needs positions (a phrase is looked
		// up as all of its bigrams) and snippets are built from the stored
		// text. They would be 60% of the index and of its build time.
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func(name string, store, docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Name = name
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = docValues
		return f
	}
	dm := bleve.NewDocumentStaticMapping()
	// type and current feed the ranking priors (rank.go) through doc values.
	dm.AddFieldMappingsAt(fieldType, kw(fieldType, true, true))
	dm.AddFieldMappingsAt(fieldTitle,
		text(fieldTitle, zh.AnalyzerName, true),
		text(fieldTitleGrams, zh.BigramAnalyzerName, false),
		text(fieldTitlePY, zh.PinyinAnalyzerName, false))
	// Long texts hold their bigrams (and characters alone in their run),
	// not each character: a query word is looked up by its bigrams there,
	// and BM25 still counts every character in their length (see
	// zh.GramFrequencies and analyse).
	dm.AddFieldMappingsAt(fieldHeading, text(fieldHeading, zh.BigramQueryAnalyzerName, false))
	dm.AddFieldMappingsAt(fieldText, text(fieldText, zh.BigramQueryAnalyzerName, true))
	dm.AddFieldMappingsAt(fieldBody, text(fieldBody, zh.BigramQueryAnalyzerName, true))
	dm.AddFieldMappingsAt(fieldLaw, kw(fieldLaw, true, false))
	dm.AddFieldMappingsAt(fieldArticle, kw(fieldArticle, true, false))
	// Official law title, part and content path: exact values that
	// resolve the editors' best bets and feed the pinyin and typo
	// vocabulary. Indexed, not stored.
	dm.AddFieldMappingsAt(fieldLawTitle, kw(fieldLawTitle, false, false))
	dm.AddFieldMappingsAt(fieldPart, kw(fieldPart, false, false))
	dm.AddFieldMappingsAt(fieldFile, kw(fieldFile, false, false))
	url := bleve.NewTextFieldMapping()
	url.Name, url.Index, url.Store, url.IncludeInAll, url.DocValues = fieldURL, false, true, false, false
	dm.AddFieldMappingsAt(fieldURL, url)
	// The page that replaced an older text when the library lacks the new
	// text (see doc.Successor): stored for the results, not searched.
	successor := bleve.NewTextFieldMapping()
	successor.Name, successor.Index, successor.Store, successor.IncludeInAll, successor.DocValues = fieldSuccessor, false, true, false, false
	dm.AddFieldMappingsAt(fieldSuccessor, successor)
	// The date sorts results and feeds the priors: a keyword of the UTC
	// RFC 3339 form, which sorts as the dates do. A date field would add
	// sixteen terms to every document for range queries no search makes
	// (a 6 % faster build and 6 % smaller index without them).
	dm.AddFieldMappingsAt(fieldDate, kw(fieldDate, true, true))
	dm.AddFieldMappingsAt(fieldStatus, kw(fieldStatus, false, false))
	dm.AddFieldMappingsAt(fieldCurrent, kw(fieldCurrent, false, true))
	for _, f := range []string{fieldCategory, fieldDepartment, fieldAudience, fieldMethod} {
		dm.AddFieldMappingsAt(f, kw(f, false, true))
	}

	im := bleve.NewIndexMapping()
	im.DefaultMapping = dm
	im.DefaultAnalyzer = zh.AnalyzerName
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	im.ScoringModel = indexScoring
	return im
}

// mappedFields lists the names of every field the mapping indexes.
func mappedFields() []string {
	var out []string
	dm := newMapping().(*mapping.IndexMappingImpl).DefaultMapping
	for _, pm := range dm.Properties {
		for _, f := range pm.Fields {
			if f.Index {
				out = append(out, f.Name)
			}
		}
	}
	return out
}
