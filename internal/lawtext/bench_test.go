package lawtext

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParse parses the constitution (a long law with 编, 章 and 节
// headings and its amendment history) and a short amendment act, the law
// texts of testdata.
func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"宪法/宪法.md", "刑法/刑法修正案（十一）.md"} {
		data, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(name), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(bytes.NewReader(data), name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseNumber(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseNumber("第一千二百六十条之一"); err != nil {
			b.Fatal(err)
		}
	}
}
