package campaign

import (
	"testing"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"qingming", "qingming"},
		{"QingMing", "qingming"},
		{"清明节", "qingming"},
		{" 清明 ", "qingming"},
		{"520", "520"},
		{"５２０", "520"},
		{"520 婚姻登记宣传日", "520"},
		{"520婚姻登记宣传日", "520"},
		{"5·20", "520"},
		{"六一国际儿童节", "liuyi"},
		{"六一 儿童节", "liuyi"},
		{"全国助残日", "zhucanri"},
		{"民法典宣传月", "minfadian"},
		{"中华慈善日", "cishan"},
		{"重阳节", "chongyang"},
		{"老年节", "chongyang"},
		{"敬老月", "jinglao"},
		{"国际残疾人日", "canjiren"},
		{"国家宪法日", "xianfa"},
		{"宪法宣传周", "xianfazhou"},
		{"xianfazhou", "xianfazhou"},
		{"", ""},
		{"春节", ""},
		{"xianfa zhou", "xianfazhou"},
	}
	for _, tt := range tests {
		f, ok := Lookup(tt.in)
		if ok != (tt.want != "") || f.Key != tt.want {
			t.Errorf("Lookup(%q) = %q, %v, want %q", tt.in, f.Key, ok, tt.want)
		}
	}
}

func TestTable(t *testing.T) {
	names := map[string]bool{}
	for _, f := range Festivals() {
		for _, n := range append([]string{f.Key, f.Name}, f.Aliases...) {
			if names[normalize(n)] {
				t.Errorf("%s: name %q used twice", f.Key, n)
			}
			names[normalize(n)] = true
		}
		if f.Topic == "" || f.Title == "" {
			t.Errorf("%s: missing topic or title", f.Key)
		}
		if f.Before < 0 || f.After < 0 || f.Before+f.After == 0 && !f.IsPeriod() {
			t.Errorf("%s: window %d before, %d after", f.Key, f.Before, f.After)
		}
		if f.Since != 0 && (f.Since < MinYear || f.Since > MaxYear) {
			t.Errorf("%s: since %d out of range", f.Key, f.Since)
		}
	}
	// Keys from the content model; a page's festival must be one of them.
	want := []string{"qingming", "zhucanri", "520", "liuyi", "minfadian", "cishan", "chongyang", "jinglao", "canjiren", "xianfa", "xianfazhou"}
	got := Keys()
	if len(got) != len(want) {
		t.Fatalf("Keys() = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Keys()[%d] = %q, want %q", i, got[i], want[i])
		}
	}
	// Festivals returns a copy.
	fs := Festivals()
	fs[0].Aliases[0] = "changed"
	if f, _ := Lookup("qingming"); f.Aliases[0] == "changed" {
		t.Error("Festivals() shares its aliases with the table")
	}
}

func FuzzLookup(f *testing.F) {
	for _, s := range []string{"qingming", "清明节", "５２０", "5·20", " ", "\u3000六一\u3000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fest, ok := Lookup(s)
		if !ok {
			return
		}
		again, ok := Lookup(fest.Key)
		if !ok || again.Key != fest.Key {
			t.Fatalf("Lookup(%q) = %s, but Lookup of its key = %s, %v", s, fest.Key, again.Key, ok)
		}
	})
}
