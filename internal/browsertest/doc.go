// Package browsertest checks the built site the way residents meet it.
//
// The tests build the real site (site/ with the pufa theme and the bureau's
// content) with the embedded Hugo under a path prefix, serve it from an
// httptest server, and then:
//
//   - check the markup every page promises (one h1, landmarks, the search
//     form, no inline styles or scripts, links under the base path, valid
//     JSON-LD) and the page-weight budget, without a browser;
//   - drive Chromium with chromedp: axe-core over one page of every type at
//     360 and 1280 CSS pixels in normal and high-contrast mode, keyboard
//     access to the search box, reading with JavaScript disabled, reflow at
//     320 pixels, and the reading-preference switches.
//
// Browser tests skip when /usr/bin/chromium is absent, unless CI=true, where
// its absence is a failure. Screenshots of failures go to $PUFA_ARTIFACTS
// (default: a temporary directory); set PUFA_SCREENSHOTS=1 to keep a
// screenshot of every page checked.
//
// PUFA_SITE names another Hugo site folder to build instead of site/ (for
// example a copy with fixture content). The package has tests only.
package browsertest
