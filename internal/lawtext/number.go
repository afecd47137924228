package lawtext

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrNumber is wrapped by every error about a malformed article number or
// Chinese numeral.
var ErrNumber = errors.New("malformed number")

// maxNumeral bounds ParseNumeral: numerals reach at most 九千九百九十九万九千九百九十九.
const maxNumeral = 99999999

var digitValue = map[rune]int{
	'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

// unitPower is the power of ten of the units inside a group of four digits.
var unitPower = map[rune]int{'十': 1, '百': 2, '千': 3}

// ParseNumber parses an article number such as 第一千一百三十六条 or
// 第一千一百三十六条之一 and returns its value and the value of its 之
// suffix (0 when there is none). Numbers are at least 1.
func ParseNumber(s string) (n, sub int, err error) {
	body, ok := strings.CutPrefix(s, "第")
	if !ok {
		return 0, 0, fmt.Errorf("%q: %w: must start with 第", s, ErrNumber)
	}
	num, suffix, ok := strings.Cut(body, "条")
	if !ok {
		return 0, 0, fmt.Errorf("%q: %w: missing 条", s, ErrNumber)
	}
	if n, err = numeral(num); err != nil {
		return 0, 0, fmt.Errorf("%q: %w", s, err)
	}
	if n == 0 {
		return 0, 0, fmt.Errorf("%q: %w: article numbers start at 一", s, ErrNumber)
	}
	if suffix == "" {
		return n, 0, nil
	}
	subText, ok := strings.CutPrefix(suffix, "之")
	if !ok {
		return 0, 0, fmt.Errorf("%q: %w: unexpected %q after 条", s, ErrNumber, suffix)
	}
	if sub, err = numeral(subText); err != nil {
		return 0, 0, fmt.Errorf("%q: 之: %w", s, err)
	}
	if sub == 0 {
		return 0, 0, fmt.Errorf("%q: %w: 之 suffix must be at least 一", s, ErrNumber)
	}
	return n, sub, nil
}

// ParseNumeral parses a Chinese numeral below one hundred million written
// the way statutes write them: 十一, 一百零五, 一千一百一十, 一万零一.
// 〇 is read as 零 and 两 as 二. Colloquial abbreviations whose value is
// ambiguous (一百五 for 150, 一千五十 without 零) are rejected.
func ParseNumeral(s string) (int, error) {
	n, err := numeral(s)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", s, err)
	}
	return n, nil
}

// numeral is ParseNumeral with errors that leave naming s to the caller.
func numeral(s string) (int, error) {
	if s == "" {
		return 0, fmt.Errorf("%w: empty numeral", ErrNumber)
	}
	if !utf8.ValidString(s) {
		return 0, fmt.Errorf("%w: invalid UTF-8", ErrNumber)
	}
	if s == "零" || s == "〇" {
		return 0, nil
	}
	high, low, hasWan := strings.Cut(s, "万")
	if !hasWan {
		v, _, err := parseGroup(s, true)
		if err != nil {
			return 0, err
		}
		return v, nil
	}
	hv, _, err := parseGroup(high, true)
	if err != nil {
		return 0, err
	}
	if hv == 0 {
		return 0, fmt.Errorf("%w: 万 without a value", ErrNumber)
	}
	if low == "" {
		return hv * 10000, nil
	}
	// After 万 the next digit is 千 unless a 零 marks the gap.
	lv, top, err := parseGroup(low, false)
	if err != nil {
		return 0, err
	}
	if lv == 0 {
		return 0, fmt.Errorf("%w: nothing after 万", ErrNumber)
	}
	zeroLed := strings.HasPrefix(low, "零") || strings.HasPrefix(low, "〇")
	if top < 3 && !zeroLed {
		return 0, fmt.Errorf("%w: 零 missing after 万", ErrNumber)
	}
	if top == 3 && zeroLed {
		return 0, fmt.Errorf("%w: 零 before 千", ErrNumber)
	}
	return hv*10000 + lv, nil
}

// parseGroup parses a numeral below ten thousand. leading says whether the
// group starts the whole numeral (only then may 十 stand without a digit,
// as in 十一, and a 零 may not lead). It returns the value and the power of
// ten of the highest non-zero digit.
func parseGroup(s string, leading bool) (value, top int, err error) {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0, 0, fmt.Errorf("%w: empty group", ErrNumber)
	}
	prevPower := 4 // power of the last digit placed; the group stays below 10⁴
	top = -1
	zero := false // a 零 was read and awaits the next digit
	first := true
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if d, ok := digitValue[r]; ok && d == 0 {
			if first && leading {
				return 0, 0, fmt.Errorf("%w: leading 零", ErrNumber)
			}
			if zero {
				return 0, 0, fmt.Errorf("%w: repeated 零", ErrNumber)
			}
			zero = true
			first = false
			continue
		}
		d, isDigit := digitValue[r]
		power := 0
		switch {
		case isDigit:
			if r == '两' && (i+1 >= len(rs) || unitPower[rs[i+1]] == 0) {
				return 0, 0, fmt.Errorf("%w: 两 without a unit", ErrNumber)
			}
			if i+1 < len(rs) {
				if p, ok := unitPower[rs[i+1]]; ok {
					power = p
					i++
				} else if _, ok := digitValue[rs[i+1]]; ok && digitValue[rs[i+1]] != 0 {
					return 0, 0, fmt.Errorf("%w: two digits in a row", ErrNumber)
				}
			}
		case r == '十' && first && leading:
			d, power = 1, 1
		default:
			if _, ok := unitPower[r]; ok {
				return 0, 0, fmt.Errorf("%w: %c without a digit", ErrNumber, r)
			}
			return 0, 0, fmt.Errorf("%w: unexpected %q", ErrNumber, r)
		}
		if power >= prevPower {
			return 0, 0, fmt.Errorf("%w: units out of order", ErrNumber)
		}
		// Without 零 the next digit sits right below the previous one
		// (一千一百, not 一千一十); with 零 at least one place is skipped.
		if !first {
			gap := prevPower - power
			if zero && gap < 2 {
				return 0, 0, fmt.Errorf("%w: 零 where no place is skipped", ErrNumber)
			}
			if !zero && gap != 1 {
				return 0, 0, fmt.Errorf("%w: 零 missing", ErrNumber)
			}
		}
		if top < 0 {
			top = power
		}
		value += d * pow10(power)
		prevPower = power
		zero = false
		first = false
	}
	if zero {
		return 0, 0, fmt.Errorf("%w: trailing 零", ErrNumber)
	}
	return value, top, nil
}

func pow10(p int) int {
	v := 1
	for range p {
		v *= 10
	}
	return v
}

var digitChars = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// FormatNumeral writes n (0 <= n < 100000000) as a Chinese numeral in the
// form statutes use: 十一, 一百一十, 一千零五, 一万零一. It panics for
// values out of range.
func FormatNumeral(n int) string {
	if n < 0 || n > maxNumeral {
		panic("lawtext: FormatNumeral out of range: " + strconv.Itoa(n))
	}
	if n == 0 {
		return "零"
	}
	if n >= 10000 {
		high, low := n/10000, n%10000
		s := formatGroup(high, true) + "万"
		switch {
		case low == 0:
		case low < 1000:
			s += "零" + formatGroup(low, false)
		default:
			s += formatGroup(low, false)
		}
		return s
	}
	return formatGroup(n, true)
}

// formatGroup writes 0 < n < 10000; leading drops the 一 of 一十 when the
// numeral starts with it.
func formatGroup(n int, leading bool) string {
	var b strings.Builder
	units := []string{"千", "百", "十", ""}
	div := 1000
	pendingZero := false
	for i, u := range units {
		d := n / div % 10
		switch {
		case d == 0:
			if b.Len() > 0 {
				pendingZero = true
			}
		default:
			if pendingZero {
				b.WriteString("零")
				pendingZero = false
			}
			if !(leading && b.Len() == 0 && i == 2 && d == 1) {
				b.WriteString(digitChars[d])
			}
			b.WriteString(u)
		}
		div /= 10
	}
	return b.String()
}

// FormatNumber writes an article number: FormatNumber(1136, 1) is
// 第一千一百三十六条之一.
func FormatNumber(n, sub int) string {
	s := "第" + FormatNumeral(n) + "条"
	if sub > 0 {
		s += "之" + FormatNumeral(sub)
	}
	return s
}

// Anchor returns the HTML id of an article: "a" and the Arabic number, with
// "-1" for 之一 (第十条之一 → a10-1).
func Anchor(n, sub int) string {
	a := "a" + strconv.Itoa(n)
	if sub > 0 {
		a += "-" + strconv.Itoa(sub)
	}
	return a
}
