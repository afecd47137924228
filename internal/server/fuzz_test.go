package server

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzQueryOf feeds raw query strings to the search parameter parser: it
// must never panic, and every refusal must be a 400 that names the
// parameter at fault.
func FuzzQueryOf(f *testing.F) {
	for _, seed := range []string{
		"q=打印遗嘱",
		"q=离婚冷静期&type=article&page=2&size=20",
		"q=养老院消防&category=养老服务&department=养老服务科&audience=老年人&method=专题讲座",
		"q=a&q=b",
		"q=%E6%B3%95&page=0",
		"q=x&page=-1&size=9999999999999999999999",
		"q=x&foo=1",
		"q=x&type=",
		"q=%zz",
		"q=x;page=2",
		"=&&=q",
		"q=x&sort=date",
		"page=1",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r := httptest.NewRequest("GET", "/api/search", nil)
		r.URL.RawQuery = raw
		q, err := queryOf(r)
		if err != nil {
			var he *httpError
			if !errors.As(err, &he) || he.status != 400 || he.param == "" || he.msg == "" {
				t.Fatalf("queryOf(%q) = %#v, want a 400 naming its parameter", raw, err)
			}
			return
		}
		if q.Page < 0 || q.Size < 0 {
			t.Fatalf("queryOf(%q): page %d size %d", raw, q.Page, q.Size)
		}
		v, _ := url.ParseQuery(raw)
		for name, val := range q.Filters {
			switch name {
			case "type", "category", "department", "audience", "method":
			default:
				t.Fatalf("queryOf(%q): filter %q accepted", raw, name)
			}
			if val == "" || v[name] == nil || v[name][0] != val {
				t.Fatalf("queryOf(%q): filter %s = %q, not the first value given", raw, name, val)
			}
		}
	})
}

// FuzzSafeReturn checks the /prefs return-path sanitiser: whatever it is
// given, the reader is sent to a path on this site under the base path,
// never to another host (also after a browser's lenient clean-up of
// backslashes and control characters).
func FuzzSafeReturn(f *testing.F) {
	for _, seed := range []string{
		"/laws/", "/pufa/laws/?q=1#a1136", "//evil.example/", "/\\evil.example", "\\\\evil.example",
		"https://evil.example/", "/pufa/../../x", "javascript:alert(1)", "/%2F%2Fevil.example",
		"/\t/evil.example", "/pufa/\r\nLocation: https://evil.example", "", "/", "/pufa", "/pufa/%zz",
		"/pufa/..//evil.example", "http:/evil.example", "/pufa/?next=//evil.example",
	} {
		f.Add(seed, "/")
		f.Add(seed, "/pufa/")
	}
	f.Fuzz(func(t *testing.T, ret, base string) {
		if base != "/" && base != "/pufa/" {
			base = "/"
		}
		got := safeReturn(ret, base)
		if !strings.HasPrefix(got, base) {
			t.Fatalf("safeReturn(%q, %q) = %q, outside the base path", ret, base, got)
		}
		lenient := strings.Map(func(r rune) rune {
			switch {
			case r == '\\':
				return '/'
			case r < 0x20 || r == 0x7f:
				return -1
			}
			return r
		}, got)
		if strings.HasPrefix(lenient, "//") || strings.ContainsAny(got, "\\\r\n\t") {
			t.Fatalf("safeReturn(%q, %q) = %q, which a browser may read as another host", ret, base, got)
		}
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
			t.Fatalf("safeReturn(%q, %q) = %q: parses as %#v (%v)", ret, base, got, u, err)
		}
	})
}
