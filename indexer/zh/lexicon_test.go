package zh

import "testing"

func TestNearest(t *testing.T) {
	x := NewWordIndex(NewPinyinIndex([]Term{
		{Text: "民事诉讼法", Weight: 300},
		{Text: "民事诉讼程序", Weight: 40},
		{Text: "民族", Weight: 900},
		{Text: "离婚登记", Weight: 50},
		{Text: "离婚", Weight: 80},
		{Text: "登记", Weight: 2000},
		{Text: "养老院", Weight: 79},
		{Text: "养老机构", Weight: 500},
		{Text: "中华人民共和国老年人权益保障法", Weight: 60},
		{Text: "民诉法", Weight: 2}, // a word the index is thought to hold
		{Text: "AB", Weight: 1000},
		{Text: "组织", Weight: 5000},
	}).Terms())
	tests := []struct {
		w, want string
	}{
		{"民诉法", "民事诉讼法"},         // an abbreviation, though itself a term
		{"离登", "离婚登记"},           // the same
		{"民事诉讼秩序", "民事诉讼程序"},     // two characters replaced
		{"养老园", "养老院"},           // one
		{"养老院", ""},              // nothing but itself near
		{"老年人权益保护法", "老年人权益保障法"}, // the short title of the national law
		{"火星人", ""},
		{"组织法", ""}, // not 组织: a word of three characters is no term with one more or less
		{"诉", ""},
		{"AB", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := x.Nearest(tt.w)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Nearest(%q) = %q, %v, want %q", tt.w, got, ok, tt.want)
		}
	}
	if !x.Has("老年人权益保障法") || x.Has("火星人") {
		t.Error("Has: want the short title and not 火星人")
	}
}
