package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// follow runs an action that leaves the page (a click, Enter in a form)
// and waits until the next page has loaded, through any redirects. It
// returns the status of the page that loaded and its address.
func follow(ctx context.Context, what string, a chromedp.Action[chromedp.Void]) (int64, string, error) {
	resp, err := chromedp.RunResponse(ctx, a)
	if err != nil {
		return 0, "", fmt.Errorf("%s: %w", what, err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return 0, "", fmt.Errorf("%s: location: %w", what, err)
	}
	return resp.Status, loc, nil
}

// prefState is what the reader sees of the reading preferences.
type prefState struct {
	Class  string   `json:"class"`  // of <html>
	Cookie string   `json:"cookie"` // document.cookie
	Shown  []string `json:"shown"`  // data-pf-pref=data-pf-value of the visible switches
}

const prefStateJS = `({class: document.documentElement.className, cookie: document.cookie,
  shown: [...document.querySelectorAll("a[data-pf-pref]")].filter(a => a.getBoundingClientRect().height > 0)
    .map(a => a.dataset.pfPref + "=" + a.dataset.pfValue)})`

func (p prefState) has(class string) bool { return slices.Contains(strings.Fields(p.Class), class) }

// TestPreferencesWithoutJavaScript clicks 大字 and then 高对比度 with
// scripts off, so only the server can act: its /prefs endpoint sets the
// cookie and redirects back to the same page, which it then serves with
// the classes on <html>. The choice holds on the next page, and 标准字
// undoes it. It starts on a built page and on a results page, whose
// address carries the query.
func TestPreferencesWithoutJavaScript(t *testing.T) {
	s := getSite(t)
	browser(t)
	var start string
	for _, p := range s.samples(t) {
		if p.kind == "page/catalog" {
			start = p.url
		}
	}
	if start == "" {
		t.Fatal("the build has no catalog entry to start from")
	}
	starts := []struct{ name, url string }{
		{"page/catalog", start},
		{"search/results", s.searchURL(manyQuery)},
	}
	for _, st := range starts {
		t.Run(st.name, func(t *testing.T) {
			ctx := tab(t)
			if err := disableScripts(ctx); err != nil {
				t.Fatal(err)
			}
			if err := open(ctx, st.url, 1280, ""); err != nil {
				t.Fatal(err)
			}
			state := func(when string) prefState {
				t.Helper()
				p, err := chromedp.Run(ctx, chromedp.Evaluate[prefState](prefStateJS))
				if err != nil {
					t.Fatalf("%s: %v", when, err)
				}
				return p
			}
			if p := state("on arrival"); p.has("pf-large") || p.has("pf-contrast") || p.Cookie != "" {
				t.Fatalf("a fresh reader gets <html class=%q>, cookies %q", p.Class, p.Cookie)
			}
			click := func(pref, value string) {
				t.Helper()
				sel := fmt.Sprintf(`a[data-pf-pref=%q][data-pf-value=%q]`, pref, value)
				if p := state("before " + sel); !slices.Contains(p.Shown, pref+"="+value) {
					t.Fatalf("the switch %s is not shown; shown: %v", sel, p.Shown)
				}
				// Without the script, the link alone must bring the reader
				// back: its return parameter is the page's own address.
				href, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).getAttribute("href")`, sel)))
				if err != nil {
					t.Fatal(err)
				}
				u, err := url.Parse(href)
				if err != nil {
					t.Fatalf("the switch %s: %v", sel, err)
				}
				if here := strings.TrimPrefix(st.url, s.origin); u.Query().Get("return") != here {
					t.Errorf("the switch %s links to %s: it returns to %q, not to this page %q", sel, href, u.Query().Get("return"), here)
				}
				status, loc, err := follow(ctx, "click "+sel, chromedp.Click(chromedp.CSS(sel)))
				if err != nil {
					t.Fatal(err)
				}
				if status != 200 {
					t.Errorf("after %s the page answers %d", sel, status)
				}
				if loc != st.url {
					t.Errorf("after %s the reader is on %s, want back on %s", sel, loc, st.url)
				}
			}

			click("size", "large")
			p := state("after 大字")
			if !p.has("pf-large") || p.has("pf-contrast") {
				t.Errorf("after 大字 <html class=%q>, want pf-large only", p.Class)
			}
			if !slices.Contains(p.Shown, "size=normal") || slices.Contains(p.Shown, "size=large") {
				t.Errorf("after 大字 the switches shown are %v, want the one back to normal size", p.Shown)
			}

			click("contrast", "high")
			p = state("after 高对比度")
			if !p.has("pf-large") || !p.has("pf-contrast") {
				t.Errorf("after 大字 and 高对比度 <html class=%q>, want pf-large and pf-contrast", p.Class)
			}
			for _, c := range []string{"pf_size=large", "pf_contrast=high"} {
				if !strings.Contains(p.Cookie, c) {
					t.Errorf("cookies %q, want %s", p.Cookie, c)
				}
			}

			// The next page: the first section in the main navigation.
			status, loc, err := follow(ctx, "open the next page", chromedp.Click(chromedp.CSS(`.pf-nav__item:nth-child(2) .pf-nav__link`)))
			if err != nil {
				t.Fatal(err)
			}
			if status != 200 || loc == st.url || !strings.HasPrefix(loc, s.base) {
				t.Fatalf("the navigation link led to %s (status %d)", loc, status)
			}
			if p := state("on the next page"); !p.has("pf-large") || !p.has("pf-contrast") {
				t.Errorf("on the next page %s <html class=%q>, want pf-large and pf-contrast", loc, p.Class)
			}
			st.url = loc
			click("size", "normal")
			if p := state("after 标准字"); p.has("pf-large") || !p.has("pf-contrast") {
				t.Errorf("after 标准字 <html class=%q>, want pf-contrast only", p.Class)
			}
			if t.Failed() || keepScreenshots() {
				screenshot(t, ctx, "prefs-nojs-"+st.name)
			}
		})
	}
}

// TestKeyboardSearch searches with the keyboard only, with and without
// JavaScript, on a phone and a desktop: Tab from the top of the home page
// to the header's search box, type a query (as an input method commits
// Chinese text), press Enter. The results page lists results under a
// heading that names the query; focus starts at the top of the new page,
// where the skip link leads into the main content and on to the results.
func TestKeyboardSearch(t *testing.T) {
	s := getSite(t)
	browser(t)
	want := s.searchURL(manyQuery)
	for _, js := range []bool{true, false} {
		for _, width := range []int64{360, 1280} {
			name := fmt.Sprintf("js/%d", width)
			if !js {
				name = fmt.Sprintf("nojs/%d", width)
			}
			t.Run(name, func(t *testing.T) {
				ctx := tab(t)
				if !js {
					if err := disableScripts(ctx); err != nil {
						t.Fatal(err)
					}
				}
				if err := open(ctx, s.base, width, ""); err != nil {
					t.Fatal(err)
				}
				press := func(key string) focused {
					t.Helper()
					if err := chromedp.Do(ctx, chromedp.KeyEvent(key)); err != nil {
						t.Fatalf("press %q: %v", key, err)
					}
					a, err := chromedp.Run(ctx, chromedp.Evaluate[focused](activeJS))
					if err != nil {
						t.Fatalf("active element: %v", err)
					}
					return a
				}
				var seq []focused
				reached := false
				for range 15 {
					a := press(kb.Tab)
					seq = append(seq, a)
					if a.Tag == "input" && strings.Contains(a.Form, "pf-search--header") {
						reached = true
						break
					}
				}
				if !reached {
					t.Fatalf("15 Tabs did not reach the header search box; focus went %+v", seq)
				}
				if _, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: manyQuery}); err != nil {
					t.Fatalf("type %s: %v", manyQuery, err)
				}
				status, loc, err := follow(ctx, "press Enter", chromedp.KeyEvent(kb.Enter))
				if err != nil {
					t.Fatal(err)
				}
				if status != 200 || loc != want {
					t.Fatalf("Enter in the search box led to %s (status %d), want %s", loc, status, want)
				}

				type results struct {
					Active  string `json:"active"`  // tag of the focused element
					Heading string `json:"heading"` // the results section's heading
					Shown   int    `json:"shown"`   // visible results
					Title   string `json:"title"`
				}
				r, err := chromedp.Run(ctx, chromedp.Evaluate[results](`(() => {
  const sec = document.querySelector(".pf-search-results"), id = sec && sec.getAttribute("aria-labelledby");
  const h = id && document.getElementById(id);
  return {active: document.activeElement ? document.activeElement.tagName.toLowerCase() : "",
    heading: h ? h.innerText : "", title: document.title,
    shown: [...document.querySelectorAll(".pf-result")].filter(e => e.getBoundingClientRect().height > 0).length};
})()`))
				if err != nil {
					t.Fatalf("inspect results: %v", err)
				}
				if r.Shown == 0 {
					t.Errorf("the results page shows no results")
				}
				if !strings.Contains(r.Heading, manyQuery) {
					t.Errorf("the results heading %q does not name the query %q", r.Heading, manyQuery)
				}
				if r.Active != "body" {
					t.Errorf("on the results page focus is on <%s>, want the top of the page", r.Active)
				}
				// From the top: the skip link, then into the main content.
				if a := press(kb.Tab); !strings.Contains(a.Class, "pf-skip") {
					t.Errorf("first Tab on the results page focuses %+v, want the skip link", a)
				}
				if a := press(kb.Enter); a.ID != "pf-main" {
					t.Errorf("the skip link moved focus to %+v, want <main id=pf-main>", a)
				}
				box := press(kb.Tab)
				if box.Tag != "input" || !strings.Contains(box.Form, "pf-search--page") {
					t.Errorf("first Tab in the main content focuses %+v, want the page's search box", box)
				}
				if js {
					// The script keeps the query in the box.
					v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.value || ""`))
					if err != nil {
						t.Fatal(err)
					}
					if v != manyQuery {
						t.Errorf("the page's search box holds %q, want %q", v, manyQuery)
					}
				}
				// The first result is reachable; count the stops on the way.
				stops := 0
				for ; stops < 120; stops++ {
					a, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement.matches(".pf-result__title a")`))
					if err != nil {
						t.Fatal(err)
					}
					if a {
						break
					}
					press(kb.Tab)
				}
				if stops == 120 {
					t.Errorf("120 Tabs from the page's search box did not reach the first result")
				}
				t.Logf("%d Tab stops from the page's search box to the first result; title %q", stops, r.Title)
				if t.Failed() || keepScreenshots() {
					screenshot(t, ctx, "keyboard-search-"+strings.ReplaceAll(name, "/", "-"))
				}
			})
		}
	}
}
