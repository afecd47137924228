package lawtext

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestRepealsCivilCode(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "民法典", "附则.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := Parse(f, "民法典/附则.md")
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, r := range l.Repeals() {
		titles = append(titles, r.Title)
		if n := l.Articles[r.Article].Number; n != "第一千二百六十条" {
			t.Errorf("%s repealed by %s, want 第一千二百六十条", r.Title, n)
		}
	}
	want := []string{
		"中华人民共和国婚姻法", "中华人民共和国继承法", "中华人民共和国民法通则",
		"中华人民共和国收养法", "中华人民共和国担保法", "中华人民共和国合同法",
		"中华人民共和国物权法", "中华人民共和国侵权责任法", "中华人民共和国民法总则",
	}
	if !slices.Equal(titles, want) {
		t.Errorf("repeals = %v, want %v", titles, want)
	}
}

func TestRepeals(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"same sentence", "第一条 本法自2022年6月5日起施行。《中华人民共和国环境噪声污染防治法》同时废止。", []string{"中华人民共和国环境噪声污染防治法"}},
		{"dated and listed", "第一条 本条例自2022年3月1日起施行。《中华人民共和国公司登记管理条例》、《农民专业合作社登记管理条例》同时废止。",
			[]string{"中华人民共和国公司登记管理条例", "农民专业合作社登记管理条例"}},
		{"from the day it takes effect", "第五十一条 本法自1981年1月1日起施行。\n\n1950年5月1日颁行的《中华人民共和国婚姻法》，自本法施行之日起废止。", []string{"中华人民共和国婚姻法"}},
		{"part of a law", "第一条 本条例自发布之日起施行，一九五四年九月七日政务院公布的《中华人民共和国劳动改造条例》中有关看守所的规定即行废止。", nil},
		{"an article of a law", "第一条 《某某条例》第五条同时废止。", nil},
		{"other sentence", "第一条 依照《中华人民共和国立法法》的规定。其他规定同时废止。", nil},
		{"amending decision", "第一条 根据《国务院关于修改和废止部分行政法规的决定》修订。", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Parse(strings.NewReader("# 某法\n\n<!-- INFO END -->\n\n"+tt.text+"\n"), "某法.md")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range l.Repeals() {
				got = append(got, r.Title)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("repeals = %q, want %q", got, tt.want)
			}
		})
	}
}
