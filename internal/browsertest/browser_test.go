package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const chromiumPath = "/usr/bin/chromium"

// axeTags are the rule sets the sweep runs: WCAG 2.0, 2.1 and 2.2, A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel context.CancelFunc
	browserErr    error
	browserDir    string
)

// browser starts one headless Chromium for the package on first use, with
// a fresh profile. It skips the test when Chromium is missing, except on CI.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required on CI: %v", chromiumPath, err)
		}
		t.Skipf("%s not found; browser tests skipped", chromiumPath)
	}
	browserOnce.Do(func() {
		browserDir, browserErr = os.MkdirTemp("", "pufa-chromium-")
		if browserErr != nil {
			return
		}
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(chromiumPath),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.UserDataDir(browserDir),
		)
		ctx, cancelCtx := chromedp.NewContext(alloc)
		browserCtx = ctx
		browserCancel = func() { cancelCtx(); cancelAlloc() }
		// The first call starts the browser; it must not carry a timeout.
		browserErr = chromedp.Do(ctx)
	})
	if browserErr != nil {
		t.Fatalf("start %s: %v", chromiumPath, browserErr)
	}
	return browserCtx
}

func stopBrowser() {
	if browserCancel != nil {
		browserCancel()
	}
	if browserDir != "" {
		os.RemoveAll(browserDir)
	}
}

// tab opens a new tab for one check, with a fresh cookie jar; it closes
// with the test.
func tab(t *testing.T) context.Context {
	t.Helper()
	b := browser(t)
	// A browser context of its own: no cookies from other tests.
	tabCtx, cancelTab := chromedp.NewContext(b, chromedp.WithNewBrowserContext())
	ctx, cancel := context.WithTimeout(tabCtx, 2*time.Minute)
	t.Cleanup(func() { cancel(); cancelTab() })
	return ctx
}

// open loads url at the given viewport width, optionally with a reading
// preference class on <html> (as the server adds from the cookie).
func open(ctx context.Context, url string, width int64, class string) error {
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("open %s: %w", url, err)
	}
	if class != "" {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf("document.documentElement.classList.add(%q)", class))); err != nil {
			return fmt.Errorf("add class %s: %w", class, err)
		}
	}
	return nil
}

func artifactsDir(t *testing.T) string {
	if d := os.Getenv("PUFA_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Errorf("artifacts: %v", err)
		}
		return d
	}
	return t.TempDir()
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// screenshot saves a full-page PNG of the tab under the artifacts folder.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		// A very long page (a whole code) is too large for one image;
		// keep what is on the screen.
		png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	}
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(artifactsDir(t), unsafeName.ReplaceAllString(name, "_")+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	t.Logf("screenshot: %s", path)
}

func keepScreenshots() bool { return os.Getenv("PUFA_SCREENSHOTS") != "" }

type axeNode struct {
	Target  string `json:"target"`
	HTML    string `json:"html"`
	Summary string `json:"summary"`
}

type axeViolation struct {
	ID     string    `json:"id"`
	Impact string    `json:"impact"`
	Help   string    `json:"help"`
	Nodes  []axeNode `json:"nodes"`
}

func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for i, n := range v.Nodes {
		if i == 5 {
			fmt.Fprintf(&b, "\n    … %d more", len(v.Nodes)-i)
			break
		}
		fmt.Fprintf(&b, "\n    %s: %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", " "))
	}
	return b.String()
}

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

func axeScript(t *testing.T) string {
	t.Helper()
	s := getSite(t)
	axeOnce.Do(func() {
		var b []byte
		b, axeErr = os.ReadFile(filepath.Join(s.root, "node_modules", "axe-core", "axe.min.js"))
		axeSource = string(b)
	})
	if axeErr != nil {
		t.Fatalf("axe-core is needed (run npm ci at the repository root): %v", axeErr)
	}
	return axeSource
}

// runAxe injects axe-core into the page and returns the violations of the
// WCAG A and AA rules.
func runAxe(ctx context.Context, src string) ([]axeViolation, error) {
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		return nil, fmt.Errorf("inject axe: %w", err)
	}
	tags := `["` + strings.Join(axeTags, `","`) + `"]`
	script := `axe.run(document, {runOnly: {type: "tag", values: ` + tags + `}, resultTypes: ["violations"]})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.flat().join(" "), html: n.html, summary: n.failureSummary || ""}))})))`
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](script, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("run axe: %w", err)
	}
	return v, nil
}

// TestAxe runs axe-core over one page of every type, built or produced by
// the server (search results, errors, the portal fragment), on a phone and
// a desktop, in normal and high-contrast mode: zero violations allowed.
func TestAxe(t *testing.T) {
	s := getSite(t)
	src := axeScript(t)
	browser(t)
	for _, p := range s.sweep(t) {
		for _, width := range []int64{360, 1280} {
			for _, class := range []string{"", "pf-contrast"} {
				if class != "" && p.kind == "embed" {
					// The portal's page has its own styles, not the
					// site's high-contrast mode.
					continue
				}
				name := fmt.Sprintf("%s/%d", p.kind, width)
				if class != "" {
					name += "/" + class
				}
				t.Run(name, func(t *testing.T) {
					ctx := tab(t)
					if err := open(ctx, p.url, width, class); err != nil {
						t.Fatal(err)
					}
					vs, err := runAxe(ctx, src)
					if err != nil {
						t.Fatal(err)
					}
					for _, v := range vs {
						t.Errorf("%s: %s", p.url, v)
					}
					if len(vs) > 0 || keepScreenshots() {
						screenshot(t, ctx, "axe-"+name)
					}
				})
			}
		}
	}
}

// TestAxeFindsViolations runs the same sweep over pages with known
// faults, so that a sweep that silently checks nothing cannot pass: a page
// of its own, and a results page of the server (under the server's
// Content-Security-Policy) with faults added.
func TestAxeFindsViolations(t *testing.T) {
	src := axeScript(t)
	s := getSite(t)
	faulty := "data:text/html;charset=utf-8," + url.PathEscape(`<!DOCTYPE html><html><head><title>x</title></head>`+
		`<body><main><img src="a.png"><input type="text"></main></body></html>`)
	// Styles set through the CSS object model are allowed by the policy.
	const addFaults = `(() => {
  const m = document.querySelector("main");
  m.insertAdjacentHTML("beforeend", '<img src="a.png"><input type="text"><p class="pf-test-faint">浅色文字</p>');
  const p = m.querySelector(".pf-test-faint"); p.style.color = "#ccc"; p.style.background = "#fff";
  document.documentElement.removeAttribute("lang");
})()`
	tests := []struct {
		name, url, inject string
		want              []string
	}{
		{"data", faulty, "", []string{"html-has-lang", "image-alt", "label"}},
		{"served", s.searchURL(manyQuery), addFaults, []string{"html-has-lang", "image-alt", "label", "color-contrast"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tab(t)
			if err := open(ctx, tt.url, 1280, ""); err != nil {
				t.Fatal(err)
			}
			if tt.inject != "" {
				if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](tt.inject)); err != nil {
					t.Fatalf("add faults: %v", err)
				}
			}
			vs, err := runAxe(ctx, src)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, v := range vs {
				got[v.ID] = true
			}
			for _, id := range tt.want {
				if !got[id] {
					t.Errorf("axe did not report %s; got %v", id, vs)
				}
			}
		})
	}
}

// focused describes document.activeElement for the keyboard test.
type focused struct {
	Tag     string `json:"tag"`
	ID      string `json:"id"`
	Type    string `json:"type"`
	Class   string `json:"class"`
	Form    string `json:"form"`    // class of the enclosing form
	Outline string `json:"outline"` // computed outline: style, width and colour
	Shadow  string `json:"shadow"`  // computed box-shadow
	Bg      string `json:"bg"`      // computed background-color
}

const activeJS = `(() => {
  const e = document.activeElement, s = getComputedStyle(e), f = e.closest("form");
  return {tag: e.tagName.toLowerCase(), id: e.id, type: e.type || "", class: e.className || "",
    form: f ? f.className : "", outline: s.outlineStyle === "none" || parseFloat(s.outlineWidth) === 0 || /rgba\(.*, 0\)$|transparent/.test(s.outlineColor) ? "none" : s.outlineStyle + " " + s.outlineWidth + " " + s.outlineColor,
    shadow: s.boxShadow, bg: s.backgroundColor};
})()`

// TestKeyboardReachesSearch tabs from the top of the home page: the skip
// link comes first, then the header's search box and its button, each with
// a visible focus indicator.
func TestKeyboardReachesSearch(t *testing.T) {
	s := getSite(t)
	for _, width := range []int64{360, 1280} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			ctx := tab(t)
			if err := open(ctx, s.base, width, ""); err != nil {
				t.Fatal(err)
			}
			var seq []focused
			next := func() focused {
				if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
					t.Fatalf("press Tab: %v", err)
				}
				a, err := chromedp.Run(ctx, chromedp.Evaluate[focused](activeJS))
				if err != nil {
					t.Fatalf("active element: %v", err)
				}
				seq = append(seq, a)
				return a
			}
			first := next()
			if !strings.Contains(first.Class, "pf-skip") {
				t.Errorf("first Tab focuses %+v, want the skip link", first)
			}
			reached := false
			for range 15 {
				a := next()
				if a.Tag == "input" && strings.Contains(a.Form, "pf-search--header") {
					reached = true
					break
				}
			}
			if !reached {
				t.Fatalf("15 Tabs did not reach the header search box; focus went %+v", seq)
			}
			if b := next(); b.Tag != "button" || b.Type != "submit" || !strings.Contains(b.Form, "pf-search--header") {
				t.Errorf("Tab after the search box focuses %+v, want its submit button", b)
			}
			for _, f := range seq {
				// A transparent outline (kept for forced-colors modes) does
				// not count; the focus must show as an outline or a shadow.
				if f.Outline == "none" && (f.Shadow == "none" || f.Shadow == "") {
					t.Errorf("focus is not visible on %+v", f)
				}
			}
			if t.Failed() || keepScreenshots() {
				screenshot(t, ctx, fmt.Sprintf("keyboard-%d", width))
			}
		})
	}
}

// TestWithoutJavaScript loads every page type with scripts disabled: the
// main content is there and visible, the server's pages show what they are
// for (results, the message that nothing was found, the error), and the
// read-aloud button (which needs a script) stays hidden.
func TestWithoutJavaScript(t *testing.T) {
	s := getSite(t)
	browser(t)
	for _, p := range s.sweep(t) {
		t.Run(p.kind, func(t *testing.T) {
			ctx := tab(t)
			if err := disableScripts(ctx); err != nil {
				t.Fatal(err)
			}
			if err := open(ctx, p.url, 360, ""); err != nil {
				t.Fatal(err)
			}
			want, err := json.Marshal(p.want)
			if err != nil {
				t.Fatal(err)
			}
			// DevTools evaluation still runs with page scripts disabled.
			type state struct {
				MainText   int  `json:"mainText"`
				MainHeight int  `json:"mainHeight"`
				H1Visible  bool `json:"h1Visible"`
				ReadShown  bool `json:"readShown"`
				Wanted     int  `json:"wanted"` // visible elements matching p.want
			}
			st, err := chromedp.Run(ctx, chromedp.Evaluate[state](`((want) => {
  const m = document.querySelector("main"), h = document.querySelector("h1"), r = document.querySelector("[data-pf-read-wrap]");
  const wanted = want ? [...document.querySelectorAll(want)].filter(e => e.getBoundingClientRect().height > 0).length : 0;
  return {mainText: m ? m.innerText.trim().length : 0, mainHeight: m ? Math.round(m.getBoundingClientRect().height) : 0,
    h1Visible: !!h && h.getBoundingClientRect().height > 0, readShown: !!r && !r.hidden, wanted};
})(`+string(want)+`)`))
			if err != nil {
				t.Fatalf("inspect page: %v", err)
			}
			if st.MainText < 2 || st.MainHeight < 20 || !st.H1Visible {
				t.Errorf("%s without JavaScript: main text %d chars, height %dpx, h1 visible %v", p.url, st.MainText, st.MainHeight, st.H1Visible)
			}
			if p.want != "" && st.Wanted == 0 {
				t.Errorf("%s without JavaScript shows no %s", p.url, p.want)
			}
			if st.ReadShown {
				t.Errorf("%s without JavaScript shows the read-aloud button", p.url)
			}
			if t.Failed() || keepScreenshots() {
				screenshot(t, ctx, "nojs-"+p.kind)
			}
		})
	}
}

// disableScripts turns the page's JavaScript off in the tab, as for a
// reader who has it off; DevTools evaluation still works.
func disableScripts(ctx context.Context) error {
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		return fmt.Errorf("disable scripts: %w", err)
	}
	return nil
}

// TestReflow loads every page type at 320 CSS pixels, in normal and large
// type: nothing may scroll sideways.
func TestReflow(t *testing.T) {
	s := getSite(t)
	browser(t)
	for _, p := range s.sweep(t) {
		for _, class := range []string{"", "pf-large"} {
			if class != "" && p.kind == "embed" {
				continue // the portal's styles, not the site's large type
			}
			name := p.kind
			if class != "" {
				name += "/" + class
			}
			t.Run(name, func(t *testing.T) {
				ctx := tab(t)
				if err := open(ctx, p.url, 320, class); err != nil {
					t.Fatal(err)
				}
				type widths struct {
					Scroll int    `json:"scroll"`
					Client int    `json:"client"`
					Widest string `json:"widest"`
				}
				w, err := chromedp.Run(ctx, chromedp.Evaluate[widths](`(() => {
  const d = document.documentElement; let widest = "", max = d.clientWidth;
  for (const e of document.body.querySelectorAll("*")) {
    const r = e.getBoundingClientRect();
    if (r.right > max + 1) { max = r.right; widest = e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : ""); }
  }
  return {scroll: d.scrollWidth, client: d.clientWidth, widest};
})()`))
				if err != nil {
					t.Fatalf("measure: %v", err)
				}
				if w.Scroll > w.Client {
					t.Errorf("%s at 320px%s scrolls sideways: scrollWidth %d > %d (widest: %s)", p.url, class, w.Scroll, w.Client, w.Widest)
				}
				if t.Failed() || keepScreenshots() {
					screenshot(t, ctx, "reflow-"+name)
				}
			})
		}
	}
}

// TestPreferenceSwitches clicks 大字模式 and 高对比度 with the script on:
// the class and the cookie change without leaving the page, and focus moves
// to the switch that undoes it.
func TestPreferenceSwitches(t *testing.T) {
	s := getSite(t)
	ctx := tab(t)
	if err := open(ctx, s.base, 1280, ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		link, class, cookie, focus string
	}{
		{`a[data-pf-pref="size"][data-pf-value="large"]`, "pf-large", "pf_size=large", "normal"},
		{`a[data-pf-pref="contrast"][data-pf-value="high"]`, "pf-contrast", "pf_contrast=high", "normal"},
		{`a[data-pf-pref="size"][data-pf-value="normal"]`, "", "pf_size=normal", "large"},
	}
	for _, tt := range tests {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(tt.link))); err != nil {
			t.Fatalf("click %s: %v", tt.link, err)
		}
		type state struct {
			Class  string `json:"class"`
			Cookie string `json:"cookie"`
			URL    string `json:"url"`
			Focus  string `json:"focus"`
		}
		st, err := chromedp.Run(ctx, chromedp.Evaluate[state](`({class: document.documentElement.className, cookie: document.cookie, url: location.href,
  focus: document.activeElement.getAttribute("data-pf-value") || ""})`))
		if err != nil {
			t.Fatal(err)
		}
		if st.URL != s.base {
			t.Errorf("after %s the page is %s, want to stay on %s", tt.link, st.URL, s.base)
		}
		if tt.class != "" && !strings.Contains(st.Class, tt.class) {
			t.Errorf("after %s <html class=%q>, want %s", tt.link, st.Class, tt.class)
		}
		if tt.class == "" && strings.Contains(st.Class, "pf-large") {
			t.Errorf("after %s <html class=%q> still large", tt.link, st.Class)
		}
		if !strings.Contains(st.Cookie, tt.cookie) {
			t.Errorf("after %s cookie %q, want %s", tt.link, st.Cookie, tt.cookie)
		}
		if st.Focus != tt.focus {
			t.Errorf("after %s focus is on the %q switch, want %q", tt.link, st.Focus, tt.focus)
		}
	}
	if t.Failed() || keepScreenshots() {
		screenshot(t, ctx, "prefs")
	}
}
