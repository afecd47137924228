package zh

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		q       string
		want    string
		wantErr error
	}{
		{"离婚冷静期", "离婚冷静期", nil},
		{"  养老院　　消防  ", "养老院 消防", nil}, // ideographic spaces
		{"ＡＢＣ１２３", "ABC123", nil},      // full-width letters and digits
		{"民法典：第1077条", "民法典 第1077条", nil},
		{"民法典：第1077条", "民法典 第1077条", nil}, // full-width colon
		{`title:"离婚" +遗嘱 -继承~2 ^3 (a OR b) [1 TO 2] {x} a/b c\d e*f? g&&h||i !j <k> =l`,
			"title 离婚 遗嘱 继承 2 3 a OR b 1 TO 2 x a b c d e f g h i j k l", nil},
		{"离\u200b婚", "离婚", nil},          // zero-width space
		{"离\u0000婚\u0007", "离婚", nil},    // control characters
		{"a\tb\nc\r\nd", "a b c d", nil}, // whitespace of every kind
		{"\xff\xfe离婚", "离婚", nil},        // invalid UTF-8
		{"《民法典》", "《民法典》", nil},          // Chinese brackets are not syntax
		{"Minfadian", "Minfadian", nil},  // case kept
		{"①", "1", nil},                  // compatibility forms
		{"", "", ErrEmpty},
		{"   ", "", ErrEmpty},
		{"+-:?*", "", ErrEmpty},
		{"\u200b\u200d", "", ErrEmpty},
		{strings.Repeat("婚", MaxQueryRunes), strings.Repeat("婚", MaxQueryRunes), nil},
		{strings.Repeat("婚", MaxQueryRunes+1), "", ErrTooLong},
		{strings.Repeat("a ", MaxQueryRunes), "", ErrTooLong},
		{strings.Repeat(" ", 10*MaxQueryRunes) + "婚", "婚", nil},
		{strings.Repeat("婚", 100*MaxQueryRunes), "", ErrTooLong},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.q)
		if !errors.Is(err, tt.wantErr) || got != tt.want {
			t.Errorf("Normalize(%.40q) = %.40q, %v, want %.40q, %v", tt.q, got, err, tt.want, tt.wantErr)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"离婚冷静期", "养老院　消防", "ＡＢＣ", `title:"离婚" +遗嘱`, "e\u200d\u0301", "\u0301a",
		"第一千零七十七条", "①②", "ﬁ", "\xff", "Ａ＋Ｂ", "㍿", "a\u00a0b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		got, err := Normalize(q)
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrTooLong) {
				t.Fatalf("Normalize(%q): unexpected error %v", q, err)
			}
			return
		}
		if got == "" {
			t.Fatalf("Normalize(%q) = \"\" without error", q)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", q, got)
		}
		if n := utf8.RuneCountInString(got); n > MaxQueryRunes {
			t.Fatalf("Normalize(%q) has %d characters", q, n)
		}
		if strings.ContainsAny(got, querySyntax) {
			t.Fatalf("Normalize(%q) = %q: query syntax left", q, got)
		}
		if got != strings.TrimSpace(got) || strings.Contains(got, "  ") {
			t.Fatalf("Normalize(%q) = %q: spaces not collapsed", q, got)
		}
		for _, r := range got {
			if r != ' ' && (unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
				t.Fatalf("Normalize(%q) = %q: keeps %U", q, got, r)
			}
		}
		again, err := Normalize(got)
		if err != nil || again != got {
			t.Fatalf("Normalize(Normalize(%q)) = %q, %v, want %q", q, again, err, got)
		}
	})
}
