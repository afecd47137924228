package server

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pufa-gov/pufa/indexer"
)

// TestRenderResults checks the server-rendered results: the suggestion
// as a link, the sort choice keeping the query and filters, escaped text.
func TestRenderResults(t *testing.T) {
	res := &indexer.Result{
		Query: "残疾人保帐法", Total: 1, Page: 1, Size: 10, Suggestion: "残疾人保障法",
		Hits: []indexer.Hit{{
			URL: "/laws/canjirenbaozhangfa/#a14", Title: "中华人民共和国残疾人保障法 第十四条", Type: indexer.KindArticle,
			Law: "中华人民共和国残疾人保障法", Article: "第十四条", Snippet: "每年5月的第三个星期日为全国<mark>助残日</mark>。", Date: "2018-10-26",
		}},
		Facets: map[string][]indexer.Facet{"type": {{Term: "article", Count: 1}}},
	}
	tests := []struct {
		url     string
		want    []string
		notWant []string
	}{
		{"/search/?q=残疾人保帐法&type=article", []string{
			`您是不是要找：<a href="/pufa/search/?q=%E6%AE%8B%E7%96%BE%E4%BA%BA%E4%BF%9D%E9%9A%9C%E6%B3%95&amp;type=article">残疾人保障法</a>`,
			`<strong aria-current="true">按相关度</strong>`,
			`<a href="/pufa/search/?q=%E6%AE%8B%E7%96%BE%E4%BA%BA%E4%BF%9D%E5%B8%90%E6%B3%95&amp;sort=date&amp;type=article">按日期（最新在前）</a>`,
			`<mark>助残日</mark>`,
			`法条`,
		}, nil},
		{"/search/?q=残疾人保帐法&sort=date&page=2", []string{
			`<strong aria-current="true">按日期（最新在前）</strong>`,
			`<a href="/pufa/search/?q=%E6%AE%8B%E7%96%BE%E4%BA%BA%E4%BF%9D%E5%B8%90%E6%B3%95">按相关度</a>`,
		}, []string{"page=2"}},
	}
	s := &Server{opts: Options{BasePath: "/pufa/"}}
	for _, tt := range tests {
		var b bytes.Buffer
		s.renderResults(&b, httptest.NewRequest("GET", tt.url, nil), res)
		out := b.String()
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: results lack %s\n%s", tt.url, w, out)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(out, w) {
				t.Errorf("%s: results contain %s\n%s", tt.url, w, out)
			}
		}
	}
}

func TestSearchPageEchoesQueryEscaped(t *testing.T) {
	page := []byte(`<html><head><title>站内搜索 - 站点</title></head><body><input id="pf-search-q" name="q"></body></html>`)
	got := string(echoQuery(page, `遗嘱"><script>`))
	for _, want := range []string{
		`<title>“遗嘱&#34;&gt;&lt;script&gt;”的搜索结果 - 站内搜索 - 站点</title>`,
		`id="pf-search-q" value="遗嘱&#34;&gt;&lt;script&gt;"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("echoQuery = %s\nwant it to contain %s", got, want)
		}
	}
	if string(echoQuery(page, "  ")) != string(page) {
		t.Error("an empty query changed the page")
	}
}

func TestReturnHere(t *testing.T) {
	page := []byte(`<a href="/pufa/prefs?size=large&amp;return=%2fpufa%2f404.html">大字</a>`)
	r := httptest.NewRequest("GET", "/news/gone/?a=1", nil) // as seen after the prefix is stripped
	got := string(returnHere(page, "/pufa/", "/pufa/404.html", r))
	want := `<a href="/pufa/prefs?size=large&amp;return=%2Fpufa%2Fnews%2Fgone%2F%3Fa%3D1">大字</a>`
	if got != want {
		t.Errorf("returnHere = %s\nwant %s", got, want)
	}
	r = httptest.NewRequest("GET", "/404.html", nil)
	if got := string(returnHere(page, "/pufa/", "/pufa/404.html", r)); got != string(page) {
		t.Errorf("returnHere changed a page served at its own address: %s", got)
	}
}
