package zh

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestConcepts(t *testing.T) {
	s, err := LoadSynonyms([]byte("低保: 最低生活保障\n家暴: [家庭暴力]\n没钱回家: [返回, 交通费]\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		words []string
		want  []Concept
	}{
		{[]string{"低保", "申请", "条件"}, []Concept{
			{Words: []string{"低保"}, Alternatives: []string{"最低生活保障"}},
			{Words: []string{"申请"}},
			{Words: []string{"条件"}},
		}},
		// Question and function words are weak.
		{[]string{"残疾证", "怎么办"}, []Concept{
			{Words: []string{"残疾证"}},
			{Words: []string{"怎么办"}, Weak: true},
		}},
		{[]string{"老公", "打", "我", "可以", "报警", "吗"}, []Concept{
			{Words: []string{"老公"}},
			{Words: []string{"打"}},
			{Words: []string{"我"}, Weak: true},
			{Words: []string{"可以"}, Weak: true},
			{Words: []string{"报警"}},
			{Words: []string{"吗"}, Weak: true},
		}},
		// A colloquial word the dictionary splits is one concept.
		{[]string{"没钱", "回家", "怎么办"}, []Concept{
			{Words: []string{"没钱", "回家"}, Alternatives: []string{"返回", "交通费"}},
			{Words: []string{"怎么办"}, Weak: true},
		}},
		// A wording the query already has is not added again.
		{[]string{"家暴", "家庭暴力"}, []Concept{
			{Words: []string{"家暴"}},
			{Words: []string{"家庭暴力"}},
		}},
	}
	for _, tt := range tests {
		got := s.Concepts(tt.words)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Concepts(%q) mismatch (-want +got):\n%s", tt.words, diff)
		}
	}
	// Without a synonyms file every word is its own concept.
	var none *Synonyms
	if got := none.Concepts([]string{"低保", "的"}); len(got) != 2 || got[0].Alternatives != nil || !got[1].Weak {
		t.Errorf("nil Synonyms: Concepts = %+v", got)
	}
}
