// Package browsertest checks the site the way residents meet it.
//
// The tests build a real release of site/ (with the pufa theme and the
// bureau's content) under a path prefix with the same build as production
// (content check, Hugo, index, feeds, verification), serve it with the real
// server, and then:
//
//   - check the markup every page promises (one h1, landmarks, the search
//     form, no inline styles or scripts, links under the base path, valid
//     JSON-LD), the page-weight budget and the internal links, without a
//     browser; and the pages only the server produces: search results with
//     facets and pages, a filtered second page, no results, the error for
//     an empty query (400), a miss (404), and the /embed/ fragment shown in
//     a portal page;
//   - drive Chromium with chromedp: axe-core over one page of every type,
//     built or served, at 360 and 1280 CSS pixels in normal and
//     high-contrast mode; keyboard access to the search box and a search
//     made with the keyboard only, with and without JavaScript; reading
//     with JavaScript disabled; reflow at 320 pixels; the reading-preference
//     switches with the script, and without it through the server's /prefs
//     redirect and cookies.
//
// Browser tests skip when /usr/bin/chromium is absent, unless CI=true, where
// its absence is a failure. Screenshots of failures go to $PUFA_ARTIFACTS
// (default: a temporary directory); set PUFA_SCREENSHOTS=1 to keep a
// screenshot of every page checked.
//
// PUFA_SITE names another Hugo site folder to build instead of site/ (for
// example a copy with fixture content); its content is the folder
// ../content next to it. The package has tests only.
package browsertest
