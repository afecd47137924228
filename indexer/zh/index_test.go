package zh

import (
	"sort"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/google/go-cmp/cmp"
)

// TestIndex builds a real Bleve index with the analyzers on the fields the
// package comment names and searches it the way the search layer will.
func TestIndex(t *testing.T) {
	field := func(analyzer string) *mapping.FieldMapping {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = analyzer
		fm.IncludeTermVectors = true
		return fm
	}
	doc := bleve.NewDocumentMapping()
	doc.AddFieldMappingsAt("title", field(AnalyzerName), func() *mapping.FieldMapping {
		fm := field(PinyinAnalyzerName)
		fm.Name = "title_pinyin"
		return fm
	}())
	doc.AddFieldMappingsAt("body", field(AnalyzerName), func() *mapping.FieldMapping {
		fm := field(BigramAnalyzerName)
		fm.Name = "body_ngram"
		return fm
	}())
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()

	docs := map[string]map[string]string{
		"a1077": {
			"title": "中华人民共和国民法典",
			"body":  "自婚姻登记机关收到离婚登记申请之日起三十日内，任何一方不愿意离婚的，可以向婚姻登记机关撤回离婚登记申请。",
		},
		"jiuzhu9": {
			"title": "社会救助暂行办法",
			"body":  "国家对共同生活的家庭成员人均收入低于当地最低生活保障标准，且符合当地最低生活保障家庭财产状况规定的家庭，给予最低生活保障。",
		},
		"laonian41": {
			"title": "中华人民共和国老年人权益保障法",
			"body":  "政府投资兴办的养老机构，应当优先保障经济困难的孤寡、失能、高龄等老年人的服务需求。",
		},
		"jiating": {
			"title": "中华人民共和国反家庭暴力法",
			"body":  "禁止任何形式的家庭暴力。婚前同居的人员之间实施的暴力行为，参照本法规定执行。",
		},
	}
	b := idx.NewBatch()
	for id, d := range docs {
		if err := b.Index(id, d); err != nil {
			t.Fatal(err)
		}
	}
	if err := idx.Batch(b); err != nil {
		t.Fatal(err)
	}

	match := func(field, text, analyzer string) query.Query {
		q := bleve.NewMatchQuery(text)
		q.SetField(field)
		q.Analyzer = analyzer
		q.Operator = query.MatchQueryOperatorAnd
		return q
	}
	phrase := func(field, text, analyzer string) query.Query {
		q := bleve.NewMatchPhraseQuery(text)
		q.SetField(field)
		q.Analyzer = analyzer
		return q
	}
	tests := []struct {
		name string
		q    query.Query
		want []string
	}{
		{"word", match("body", "离婚登记", AnalyzerName), []string{"a1077"}},
		{"dictionary word", match("body", "最低生活保障", AnalyzerName), []string{"jiuzhu9"}},
		{"word inside a longer word", match("body", "保障", AnalyzerName), []string{"jiuzhu9", "laonian41"}},
		{"no match inside a word", match("body", "姻登", AnalyzerName), nil},
		{"phrase", phrase("body", "撤回离婚登记申请", AnalyzerName), []string{"a1077"}},
		{"phrase across words", phrase("body", "登记申请", AnalyzerName), []string{"a1077"}},
		{"phrase in a title, cut differently", phrase("title", "共和国民法典", AnalyzerName), []string{"a1077"}},
		{"phrase out of order", phrase("body", "申请登记", AnalyzerName), nil},
		{"one character on the bigram field", match("body_ngram", "婚", BigramQueryAnalyzerName), []string{"a1077", "jiating"}},
		{"bigram phrase", phrase("body_ngram", "姻登记机", BigramQueryAnalyzerName), []string{"a1077"}},
		{"bigram finds what the words miss", match("body_ngram", "姻登", BigramQueryAnalyzerName), []string{"a1077"}},
		{"pinyin", match("title_pinyin", "minfadian", PinyinAnalyzerName), []string{"a1077"}},
		{"pinyin initials", match("title_pinyin", "mfd", PinyinAnalyzerName), []string{"a1077"}},
		{"pinyin of a short title", match("title_pinyin", "fanjiatingbaolifa", PinyinAnalyzerName), []string{"jiating"}},
		{"pinyin of a word", match("title_pinyin", "laonianren", PinyinAnalyzerName), []string{"laonian41"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := bleve.NewSearchRequest(tt.q)
			res, err := idx.Search(req)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			sort.Strings(got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("search %s mismatch (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}
