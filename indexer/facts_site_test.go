package indexer_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/pufa-gov/pufa/indexer"
)

// TestSiteFacts builds the default site and searches for what residents
// ask of its own pages: where and when a campaign's events are, which
// department is responsible for a law, the campaigns of a year; and for
// the wording of a text whose revision the site lacks.
func TestSiteFacts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole default site")
	}
	ix, err := indexer.Open(buildSite(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	tests := []struct {
		q string
		// want is among the first within hits, and its snippet has
		// snippet when set.
		want    string
		within  int
		snippet string
	}{
		// An event's place, in the campaign's text.
		{q: "嘉定镇街道社区事务受理服务中心", want: "/campaigns/2026/qingming/", within: 1, snippet: "活动地点"},
		{q: "嘉定区图书馆", want: "/campaigns/2026/zhucanri/", within: 3},
		// Questions about events and responsibilities.
		{q: "清明 宣传活动 在哪里", want: "/campaigns/2026/qingming/", within: 1},
		{q: "助残日 活动 几点", want: "/campaigns/2026/zhucanri/", within: 3},
		{q: "婚姻登记 普法 哪个部门负责", want: "/catalog/hunyin-dengji/", within: 1},
		// A catalog entry by its department and its law's short name.
		{q: "区婚姻登记中心 婚姻登记条例", want: "/catalog/hunyin-dengji/", within: 3},
		{q: "社会事务科 殡葬管理条例", want: "/catalog/binzang-guanli/", within: 5},
		{q: "社会组织管理科 慈善法", want: "/catalog/cishan/", within: 3},
		// The page about a revision the site lacks, next to the old text.
		{q: "本人的户口簿、身份证", want: "/laws/hunyindengjitiaoli-2025/", within: 3},
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), indexer.Query{Text: tt.q, Size: 20})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.URL)
		}
		i := slices.Index(got, tt.want)
		if i < 0 || i >= tt.within {
			t.Errorf("search %q = %q: want %s among the first %d", tt.q, got, tt.want, tt.within)
			continue
		}
		if tt.snippet != "" && !strings.Contains(res.Hits[i].Snippet, tt.snippet) {
			t.Errorf("search %q: snippet of %s = %q, want %q in it", tt.q, tt.want, res.Hits[i].Snippet, tt.snippet)
		}
	}

	// A year: that year's campaigns before laws that took effect in it.
	res, err := ix.Search(context.Background(), indexer.Query{Text: "2026年", Size: 5})
	if err != nil {
		t.Fatal(err)
	}
	campaigns := 0
	for _, h := range res.Hits {
		if h.Type == indexer.KindCampaign && strings.Contains(h.Title, "2026年") {
			campaigns++
		}
	}
	if len(res.Hits) == 0 || res.Hits[0].Type != indexer.KindCampaign || campaigns < 3 {
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Type+" "+h.URL)
		}
		t.Errorf("search 2026年 = %q: want 2026 campaigns first", got)
	}
}
