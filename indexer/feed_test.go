package indexer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

func TestFeedsRoundTripHostileText(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	d1 := time.Date(2026, 4, 5, 9, 0, 0, 0, cst)
	d2 := time.Date(2026, 5, 20, 9, 0, 0, 0, cst)
	m := &Manifest{
		Generator: "pufa",
		Site:      SiteInfo{Title: "民政普法 & 法治", BaseURL: "https://portal.example.gov.cn/pufa/"},
		Pages: []Page{
			{URL: "/pufa/", Permalink: "https://portal.example.gov.cn/pufa/", Kind: "home"},
			{URL: "/pufa/news/", Permalink: "https://portal.example.gov.cn/pufa/news/", Kind: "section", Section: "news", Title: "新闻"},
			{URL: "/pufa/departments/%E7%A4%BE%E4%BC%9A%E4%BA%8B%E5%8A%A1%E7%A7%91/", Permalink: "https://portal.example.gov.cn/pufa/departments/x/", Kind: "term", Type: "departments", Title: "社会事务科", Term: "社会事务科"},
			{URL: "/pufa/news/a/", Permalink: "https://portal.example.gov.cn/pufa/news/a/", Kind: "page", Section: "news",
				Title: "婚姻 & 家庭 <法> \x0B讲座", Date: &d1, Summary: "摘要\x0B含 <b>标签</b> & 符号",
				Content: "<p>正文\x0B &amp; <em>强调</em></p>", Taxonomies: map[string][]string{"departments": {"社会事务科"}}},
			{URL: "/pufa/news/b/", Permalink: "https://portal.example.gov.cn/pufa/news/b/", Kind: "page", Section: "news",
				Title: "较新的一条", Date: &d2, Params: Params{Source: "嘉定区民政局"}},
		},
	}
	pub := t.TempDir()
	written, err := WriteFeeds(m, pub, FeedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 3 {
		t.Fatalf("wrote %d feeds, want site, section and term: %v", len(written), written)
	}
	p := gofeed.NewParser()
	// Term feeds are written beside the term page's file, whose name Hugo
	// does not percent-encode (regression: they went to an encoded folder
	// the server never looked in).
	for _, dir := range []string{"", "news", "departments/社会事务科"} {
		for _, name := range []string{FeedRSS, FeedAtom, FeedJSON} {
			path := filepath.Join(pub, filepath.FromSlash(dir), name)
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			feed, err := p.Parse(f)
			f.Close()
			if err != nil {
				t.Fatalf("%s: does not parse: %v", path, err)
			}
			if dir == "departments/社会事务科" {
				if len(feed.Items) != 1 {
					t.Errorf("%s: %d items, want 1", path, len(feed.Items))
				}
				continue
			}
			if len(feed.Items) != 2 {
				t.Fatalf("%s: %d items, want 2", path, len(feed.Items))
			}
			if feed.Items[0].Title != "较新的一条" {
				t.Errorf("%s: first item %q, want newest first", path, feed.Items[0].Title)
			}
			if got, want := feed.Items[1].Title, "婚姻 & 家庭 <法> 讲座"; got != want {
				t.Errorf("%s: title %q, want %q (escaped exactly once, \\x0B dropped)", path, got, want)
			}
			if got := feed.Items[1].GUID; got != "https://portal.example.gov.cn/pufa/news/a/" {
				t.Errorf("%s: GUID %q, want the permalink", path, got)
			}
			if name != FeedJSON && !strings.Contains(feed.Items[1].Content, "<em>强调</em>") {
				t.Errorf("%s: content %q lacks the full HTML", path, feed.Items[1].Content)
			}
		}
	}
}
