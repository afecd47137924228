package lawtext

import (
	"errors"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in       string
		n, sub   int
		wantFail bool
	}{
		{in: "第一条", n: 1},
		{in: "第十条", n: 10},
		{in: "第十一条", n: 11},
		{in: "第一十一条", n: 11},
		{in: "第二十条", n: 20},
		{in: "第一百条", n: 100},
		{in: "第一百零五条", n: 105},
		{in: "第一百一十条", n: 110},
		{in: "第一百一十九条", n: 119},
		{in: "第二百零八条", n: 208},
		{in: "第一千条", n: 1000},
		{in: "第一千零一条", n: 1001},
		{in: "第一千零一十条", n: 1010},
		{in: "第一千一百二十条", n: 1120},
		{in: "第一千二百六十条", n: 1260},
		{in: "第一千一百三十六条之一", n: 1136, sub: 1},
		{in: "第十条之一", n: 10, sub: 1},
		{in: "第二百六十二条之二", n: 262, sub: 2},
		{in: "第一〇五条", wantFail: true}, // digits in a row
		{in: "第一百〇五条", n: 105},
		{in: "第两百条", n: 200},
		{in: "第一万条", n: 10000},
		{in: "第一万零一条", n: 10001},
		{in: "第一万二千条", n: 12000},
		{in: "第十万零一十条", n: 100010},
		{in: "第九千九百九十九万九千九百九十九条", n: 99999999},

		{in: "", wantFail: true},
		{in: "第条", wantFail: true},
		{in: "一条", wantFail: true},
		{in: "第一", wantFail: true},
		{in: "第零条", wantFail: true},
		{in: "第〇条", wantFail: true},
		{in: "第零一条", wantFail: true},
		{in: "第百条", wantFail: true},
		{in: "第一百五条", wantFail: true},   // colloquial 150 or 105?
		{in: "第一千五十条", wantFail: true},  // 零 missing
		{in: "第一百零五十条", wantFail: true}, // 零 where no place is skipped
		{in: "第一百零零五条", wantFail: true},
		{in: "第一百零条", wantFail: true},
		{in: "第一十一百条", wantFail: true},
		{in: "第一千一千条", wantFail: true},
		{in: "第十十条", wantFail: true},
		{in: "第一二条", wantFail: true},
		{in: "第两条", wantFail: true},
		{in: "第一万十条", wantFail: true},
		{in: "第一万零二千条", wantFail: true},
		{in: "第一万一百条", wantFail: true},
		{in: "第万条", wantFail: true},
		{in: "第一万万条", wantFail: true},
		{in: "第一条之", wantFail: true},
		{in: "第一条之零", wantFail: true},
		{in: "第一条二", wantFail: true},
		{in: "第1条", wantFail: true},
		{in: "第一条之一条", wantFail: true},
		{in: "第\xff条", wantFail: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, sub, err := ParseNumber(tt.in)
			if tt.wantFail {
				if err == nil {
					t.Fatalf("ParseNumber(%q) = %d, %d, nil; want an error", tt.in, n, sub)
				}
				if !errors.Is(err, ErrNumber) {
					t.Errorf("ParseNumber(%q) error %v does not wrap ErrNumber", tt.in, err)
				}
				return
			}
			if err != nil || n != tt.n || sub != tt.sub {
				t.Fatalf("ParseNumber(%q) = %d, %d, %v; want %d, %d, nil", tt.in, n, sub, err, tt.n, tt.sub)
			}
		})
	}
}

func TestFormatNumeral(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "零"},
		{1, "一"},
		{10, "十"},
		{15, "十五"},
		{20, "二十"},
		{100, "一百"},
		{105, "一百零五"},
		{110, "一百一十"},
		{1001, "一千零一"},
		{1010, "一千零一十"},
		{1100, "一千一百"},
		{1136, "一千一百三十六"},
		{10000, "一万"},
		{10001, "一万零一"},
		{10010, "一万零一十"},
		{11000, "一万一千"},
		{100000, "十万"},
		{110000, "十一万"},
		{99999999, "九千九百九十九万九千九百九十九"},
	}
	for _, tt := range tests {
		if got := FormatNumeral(tt.n); got != tt.want {
			t.Errorf("FormatNumeral(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

// TestNumberRoundTrip formats and parses every number an article could
// plausibly carry.
func TestNumberRoundTrip(t *testing.T) {
	for n := 1; n <= 30000; n++ {
		for _, sub := range []int{0, 1, 12} {
			s := FormatNumber(n, sub)
			gn, gsub, err := ParseNumber(s)
			if err != nil || gn != n || gsub != sub {
				t.Fatalf("ParseNumber(FormatNumber(%d, %d) = %q) = %d, %d, %v", n, sub, s, gn, gsub, err)
			}
		}
	}
}

func TestAnchor(t *testing.T) {
	tests := []struct {
		n, sub int
		want   string
	}{
		{1120, 0, "a1120"},
		{10, 1, "a10-1"},
		{262, 2, "a262-2"},
	}
	for _, tt := range tests {
		if got := Anchor(tt.n, tt.sub); got != tt.want {
			t.Errorf("Anchor(%d, %d) = %q, want %q", tt.n, tt.sub, got, tt.want)
		}
	}
}

// FuzzParseNumber checks that whatever ParseNumber accepts is a positive
// number whose canonical spelling parses back to the same value.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{
		"第一条", "第十条之一", "第一千一百二十条", "第一百零五条", "第一万零一条",
		"第两百条", "第一千一百三十六条之一", "第一百五条", "第零条", "第十十条", "第万条",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, sub, err := ParseNumber(s)
		if err != nil {
			if !errors.Is(err, ErrNumber) {
				t.Fatalf("ParseNumber(%q) error %v does not wrap ErrNumber", s, err)
			}
			return
		}
		if n < 1 || n > maxNumeral || sub < 0 || sub > maxNumeral {
			t.Fatalf("ParseNumber(%q) = %d, %d out of range", s, n, sub)
		}
		canon := FormatNumber(n, sub)
		gn, gsub, err := ParseNumber(canon)
		if err != nil || gn != n || gsub != sub {
			t.Fatalf("ParseNumber(%q) = %d, %d, but its canonical form %q parses as %d, %d, %v", s, n, sub, canon, gn, gsub, err)
		}
	})
}
