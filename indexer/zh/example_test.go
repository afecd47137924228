package zh_test

import (
	"errors"
	"fmt"

	"github.com/pufa-gov/pufa/indexer/zh"
)

func ExampleNormalize() {
	for _, q := range []string{
		"  离婚冷静期　怎么算？ ",
		"ＡＢＣ１２３",
		`title:"遗嘱" +继承 -公证*`,
		"　",
	} {
		n, err := zh.Normalize(q)
		if errors.Is(err, zh.ErrEmpty) {
			fmt.Println("(empty)")
			continue
		}
		fmt.Printf("%q\n", n)
	}
	// Output:
	// "离婚冷静期 怎么算"
	// "ABC123"
	// "title 遗嘱 继承 公证"
	// (empty)
}

func ExampleSynonyms_Expand() {
	s, err := zh.LoadSynonyms([]byte(`
低保: 最低生活保障
居委会: 居民委员会
高空抛物: [从建筑物中抛掷物品, 高空抛掷物品]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Expand("低保找居委会申请吗"))
	fmt.Println(s.Expand("高空抛物"))
	fmt.Println(s.Expand("民法典"))
	// Output:
	// [最低生活保障 居民委员会]
	// [从建筑物中抛掷物品 高空抛掷物品]
	// []
}

func ExampleSynonyms_Entries() {
	s, err := zh.LoadSynonyms([]byte(`
救助:
  简称:
    低保: 最低生活保障
  口语:
    没钱回家: [乘车凭证, 交通费]
通用:
  口语:
    丢了: [遗失, 丢失]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range s.Entries() {
		fmt.Println(e.Line, e.Topic, e.Kind, e.Word, e.Alternatives)
	}
	fmt.Println(s.Topics())
	// Output:
	// 4 救助 简称 低保 [最低生活保障]
	// 6 救助 口语 没钱回家 [乘车凭证 交通费]
	// 9 通用 口语 丢了 [遗失 丢失]
	// [救助 通用]
}

func ExampleLoadSynonyms_error() {
	_, err := zh.LoadSynonyms([]byte("低保: 最低生活保障\n低保: 特困人员\n"))
	fmt.Println(err)
	// Output:
	// site/data/synonyms.yaml:2: 低保: already listed on line 1
}

func ExamplePinyinIndex_Resolve() {
	p := zh.NewPinyinIndex([]zh.Term{
		{Text: "中华人民共和国民法典", Weight: 10},
		{Text: "结婚", Weight: 1},
	})
	for _, q := range []string{"minfadian", "mfd", "jiehun", "xyz"} {
		t, ok := p.Resolve(q)
		fmt.Println(q, t, ok)
	}
	// Output:
	// minfadian 民法典 true
	// mfd 民法典 true
	// jiehun 结婚 true
	// xyz  false
}

func ExampleSuggester_Suggest() {
	s := zh.NewSuggester([]zh.Term{
		{Text: "中华人民共和国残疾人保障法", Weight: 10},
		{Text: "最低生活保障", Weight: 1},
	}, zh.IsWord)
	fmt.Println(s.Suggest("残疾人保帐法第十条"))
	fmt.Println(s.Suggest("最底生活保障"))
	fmt.Println(s.Suggest("最低生活保障"))
	// Output:
	// 残疾人保障法第十条 true
	// 最低生活保障 true
	//  false
}
