package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pufa-gov/pufa/indexer"
)

// resultsMarker is where the theme's search page (search/index.html)
// expects the server to put the results.
const resultsMarker = "<!--pufa:results-->"

func contextWithTimeout(r *http.Request, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), d)
}

// kindNames are the Chinese names of document kinds shown to readers.
var kindNames = map[string]string{
	indexer.KindLaw:      "法律法规",
	indexer.KindArticle:  "法条",
	indexer.KindCatalog:  "普法责任目录",
	indexer.KindCampaign: "普法活动",
	indexer.KindNews:     "新闻动态",
}

var facetNames = []struct{ field, name string }{
	{"type", "类型"}, {"category", "分类"}, {"department", "责任部门"}, {"audience", "普法对象"},
}

// searchPage answers GET /search?q=… with the theme's search page and the
// results rendered on the server, so it works without JavaScript.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) error {
	l, done, err := s.acquire()
	if err != nil {
		return err
	}
	page := l.searchPage
	done()
	var body bytes.Buffer
	status := http.StatusOK
	if r.URL.Query().Get("q") != "" || len(r.URL.Query()) > 0 {
		q, err := queryOf(r)
		var res *indexer.Result
		if err == nil {
			res, err = s.search(r, q)
		}
		if err == nil {
			s.countSearch(q, res)
		}
		if err != nil {
			he := s.classify(r, err)
			status = he.status
			if errors.Is(err, ErrNotReady) {
				return err
			}
			fmt.Fprintf(&body, `<p class="pf-search-results__error" role="alert">%s</p>`, html.EscapeString(he.msg))
		} else {
			s.renderResults(&body, r, res)
		}
	}
	out := bytes.Replace(page, []byte(resultsMarker), body.Bytes(), 1)
	out = returnHere(out, s.opts.BasePath, s.opts.BasePath+"search/", r)
	out = echoQuery(out, r.URL.Query().Get("q"))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(applyPrefs(out, r))
	return nil
}

func (s *Server) renderResults(b *bytes.Buffer, r *http.Request, res *indexer.Result) {
	esc := html.EscapeString
	base := s.opts.BasePath
	params := r.URL.Query()
	link := func(change map[string]string) string {
		v := url.Values{}
		for k, vals := range params {
			v[k] = append([]string(nil), vals...)
		}
		for k, val := range change {
			if val == "" {
				v.Del(k)
			} else {
				v.Set(k, val)
			}
		}
		return base + "search/?" + v.Encode()
	}
	b.WriteString(`<section class="pf-search-results" aria-labelledby="pf-results-heading">`)
	fmt.Fprintf(b, `<h2 id="pf-results-heading" class="pf-search-results__heading">“%s”的搜索结果：共 %d 条</h2>`, res.Query, res.Total)
	if res.Suggestion != "" {
		fmt.Fprintf(b, `<p class="pf-search-results__suggestion">您是不是要找：<a href="%s">%s</a></p>`,
			esc(link(map[string]string{"q": html.UnescapeString(res.Suggestion), "page": ""})), res.Suggestion)
	}
	// Relevance or newest first, as plain links.
	b.WriteString(`<p class="pf-search-results__sort">排序：`)
	for i, o := range []struct{ value, name string }{{"", "按相关度"}, {"date", "按日期（最新在前）"}} {
		if i > 0 {
			b.WriteString(` | `)
		}
		if params.Get("sort") == o.value || (o.value == "" && params.Get("sort") == "relevance") {
			fmt.Fprintf(b, `<strong aria-current="true">%s</strong>`, esc(o.name))
			continue
		}
		fmt.Fprintf(b, `<a href="%s">%s</a>`, esc(link(map[string]string{"sort": o.value, "page": ""})), esc(o.name))
	}
	b.WriteString(`</p>`)
	// Facets as plain links: each keeps the other filters in the URL.
	b.WriteString(`<nav class="pf-facets" aria-label="筛选搜索结果">`)
	for _, f := range facetNames {
		terms := res.Facets[f.field]
		if len(terms) == 0 {
			continue
		}
		fmt.Fprintf(b, `<div class="pf-facets__group"><h3 class="pf-facets__heading">%s</h3><ul class="pf-facets__list">`, esc(f.name))
		active := params.Get(f.field)
		for _, t := range terms {
			name := t.Term
			if f.field == "type" {
				if n, ok := kindNames[t.Term]; ok {
					name = n
				}
			}
			if t.Term == active {
				fmt.Fprintf(b, `<li class="pf-facets__item pf-facets__item--active"><a href="%s" aria-current="true">%s（%d）<span class="pf-visually-hidden">，已选，点击取消</span></a></li>`,
					esc(link(map[string]string{f.field: "", "page": ""})), esc(name), t.Count)
				continue
			}
			fmt.Fprintf(b, `<li class="pf-facets__item"><a href="%s">%s（%d）</a></li>`,
				esc(link(map[string]string{f.field: t.Term, "page": ""})), esc(name), t.Count)
		}
		b.WriteString(`</ul></div>`)
	}
	b.WriteString(`</nav>`)
	if len(res.Hits) == 0 {
		b.WriteString(`<p class="pf-search-results__empty">没有找到相关内容。请换一个说法，或减少搜索词。</p>`)
	}
	b.WriteString(`<ol class="pf-search-results__list">`)
	for _, h := range res.Hits {
		kind := kindNames[h.Type]
		b.WriteString(`<li class="pf-result">`)
		fmt.Fprintf(b, `<h3 class="pf-result__title"><a href="%s">%s</a></h3>`, esc(h.URL), h.Title)
		fmt.Fprintf(b, `<p class="pf-result__meta"><span class="pf-result__type">%s</span>`, esc(kind))
		if h.Date != "" {
			fmt.Fprintf(b, ` <time datetime="%s">%s</time>`, esc(h.Date), esc(h.Date))
		}
		b.WriteString(`</p>`)
		// The snippet is escaped by the indexer; only <mark> is markup.
		fmt.Fprintf(b, `<p class="pf-result__snippet">%s</p>`, h.Snippet)
		b.WriteString(`</li>`)
	}
	b.WriteString(`</ol>`)
	pages := int((res.Total + uint64(res.Size) - 1) / uint64(res.Size))
	if pages > indexer.MaxPage {
		pages = indexer.MaxPage
	}
	if pages > 1 {
		b.WriteString(`<nav class="pf-pagination" aria-label="分页"><ul class="pf-pagination__list">`)
		if res.Page > 1 {
			fmt.Fprintf(b, `<li><a rel="prev" href="%s">上一页</a></li>`, esc(link(map[string]string{"page": strconv.Itoa(res.Page - 1)})))
		}
		fmt.Fprintf(b, `<li aria-current="page">第 %d 页，共 %d 页</li>`, res.Page, pages)
		if res.Page < pages {
			fmt.Fprintf(b, `<li><a rel="next" href="%s">下一页</a></li>`, esc(link(map[string]string{"page": strconv.Itoa(res.Page + 1)})))
		}
		b.WriteString(`</ul></nav>`)
	}
	b.WriteString(`</section>`)
}

var escapeHex = regexp.MustCompile(`%[0-9A-F]{2}`)

// returnHere points the reading-preference links of a page that was built
// for one address (return=<built>) but is being served for another — the
// search page for a query, the 404 page for a missing path — back at the
// address requested, so that without JavaScript 大字 and 高对比度 keep the
// reader where they were. base is the site's path prefix.
func returnHere(page []byte, base, built string, r *http.Request) []byte {
	here := base + strings.TrimPrefix(r.URL.Path, "/")
	if r.URL.RawQuery != "" {
		here += "?" + r.URL.RawQuery
	}
	if here == built {
		return page
	}
	// Hugo percent-escapes the return path with lower-case hex.
	from := escapeHex.ReplaceAllStringFunc(url.QueryEscape(built), strings.ToLower)
	to := html.EscapeString(url.QueryEscape(here))
	return bytes.ReplaceAll(page, []byte("return="+from+`"`), []byte("return="+to+`"`))
}

// echoQuery shows the query in the page's search box and in its <title>,
// so the page reads well without JavaScript, in screen readers and in the
// browser's history. The query is escaped; an over-long one is cut.
func echoQuery(page []byte, q string) []byte {
	q = strings.TrimSpace(q)
	if q == "" {
		return page
	}
	if r := []rune(q); len(r) > 64 {
		q = string(r[:64]) + "…"
	}
	esc := html.EscapeString(q)
	page = bytes.Replace(page, []byte(`id="pf-search-q"`), []byte(`id="pf-search-q" value="`+esc+`"`), 1)
	return bytes.Replace(page, []byte("<title>"), []byte("<title>“"+esc+"”的搜索结果 - "), 1)
}
