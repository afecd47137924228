package indexer

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/pufa-gov/pufa/indexer/zh"
)

// Field names of the search index. Each text property is indexed twice:
// once with dictionary word segmentation (precise, ranks whole words) and
// once as CJK unigrams+bigrams (recall: one-character queries, words the
// dictionary does not know).
const (
	fieldType       = "type"
	fieldTitle      = "title"
	fieldTitleGrams = "title_gram"
	fieldTitlePY    = "title_py"
	fieldHeading    = "heading"
	fieldText       = "text"
	fieldTextGrams  = "text_gram"
	fieldBody       = "body"
	fieldBodyGrams  = "body_gram"
	fieldLaw        = "law"
	fieldArticle    = "article"
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

func newMapping() mapping.IndexMapping {
	text := func(name, analyzer string, store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Name = name
		f.Analyzer = analyzer
		f.Store = store
		// Positions are needed for phrase queries; highlighting is done by
		// the indexer from stored text, not from term vectors.
		f.IncludeTermVectors = true
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
	dm.AddFieldMappingsAt(fieldType, kw(fieldType, true, true))
	dm.AddFieldMappingsAt("title",
		text(fieldTitle, zh.AnalyzerName, true),
		text(fieldTitleGrams, zh.BigramAnalyzerName, false),
		text(fieldTitlePY, zh.PinyinAnalyzerName, false))
	dm.AddFieldMappingsAt(fieldHeading, text(fieldHeading, zh.AnalyzerName, true))
	// The official text of a law article, weighted like a title: in a
	// legal-education site the law's own words are the best answer.
	dm.AddFieldMappingsAt("text",
		text(fieldText, zh.AnalyzerName, true),
		text(fieldTextGrams, zh.BigramAnalyzerName, false))
	dm.AddFieldMappingsAt("body",
		text(fieldBody, zh.AnalyzerName, true),
		text(fieldBodyGrams, zh.BigramAnalyzerName, false))
	dm.AddFieldMappingsAt(fieldLaw, kw(fieldLaw, true, false))
	dm.AddFieldMappingsAt(fieldArticle, kw(fieldArticle, true, false))
	url := bleve.NewTextFieldMapping()
	url.Name, url.Index, url.Store, url.IncludeInAll, url.DocValues = fieldURL, false, true, false, false
	dm.AddFieldMappingsAt(fieldURL, url)
	date := bleve.NewDateTimeFieldMapping()
	date.Name, date.Store, date.IncludeInAll, date.DocValues = fieldDate, true, false, true
	dm.AddFieldMappingsAt(fieldDate, date)
	dm.AddFieldMappingsAt(fieldStatus, kw(fieldStatus, false, false))
	dm.AddFieldMappingsAt(fieldCurrent, kw(fieldCurrent, false, false))
	for _, f := range []string{fieldCategory, fieldDepartment, fieldAudience, fieldMethod} {
		dm.AddFieldMappingsAt(f, kw(f, false, true))
	}

	im := bleve.NewIndexMapping()
	im.DefaultMapping = dm
	im.DefaultAnalyzer = zh.AnalyzerName
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	return im
}
