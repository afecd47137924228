package zh

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestParseDict(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []Word
		wantErr string // exact error text; "" for none
	}{
		{"words", "# 注释\n\n民法典 5000 nz\n离婚冷静期 3000\n", []Word{
			{Text: "民法典", Freq: 5000, POS: "nz", Line: 3},
			{Text: "离婚冷静期", Freq: 3000, Line: 4},
		}, ""},
		{"byte order mark and tabs", "\uFEFF低保\t3000\tn\r\n", []Word{
			{Text: "低保", Freq: 3000, POS: "n", Line: 1},
		}, ""},
		{"empty", "", nil, ""},
		{"no frequency", "民法典\n", nil, `site/data/dict.txt:1: "民法典": want "word frequency [part-of-speech]"`},
		{"bad frequency", "\n民法典 many\n", nil, `site/data/dict.txt:2: 民法典: frequency "many": want a number >= 1`},
		{"zero frequency", "民法典 0\n", nil, `site/data/dict.txt:1: 民法典: frequency "0": want a number >= 1`},
		{"not a number", "民法典 NaN\n", nil, `site/data/dict.txt:1: 民法典: frequency "NaN": want a number >= 1`},
		{"latin letters", "AA制 3000\n", nil, `site/data/dict.txt:1: AA制: 'A' is not a Chinese character (only Chinese text is segmented)`},
		{"too many fields", "民法 典 3000 n\n", nil, `site/data/dict.txt:1: "民法 典 3000 n": too many fields (a word has no spaces)`},
		{"bad part of speech", "民法典 3000 名词\n", nil, `site/data/dict.txt:1: 民法典: part of speech "名词": want ASCII letters`},
		{"duplicate", "低保 3000\n养老 3000\n低保 2000\n", nil, `site/data/dict.txt:3: 低保: already listed on line 1`},
		{"too long", strings.Repeat("法", MaxWordRunes+1) + " 3000\n", nil,
			"site/data/dict.txt:1: " + strings.Repeat("法", MaxWordRunes+1) + ": longer than 32 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDict([]byte(tt.in))
			if tt.wantErr != "" {
				var pe *ParseError
				if err == nil || err.Error() != tt.wantErr || !errors.As(err, &pe) {
					t.Fatalf("ParseDict(%q) error = %v, want %s", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDict(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, d.Words); diff != "" {
				t.Errorf("ParseDict(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestLoadDictNamesFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "dict.txt")
	if err := os.WriteFile(p, []byte("民法典 5000\n民法典 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadDict(p)
	if want := p + ":2: 民法典: already listed on line 1"; err == nil || err.Error() != want {
		t.Errorf("LoadDict error = %v, want %s", err, want)
	}
	if _, err := LoadDict(filepath.Join(t.TempDir(), "missing.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadDict(missing) error = %v, want not-exist", err)
	}
}

// TestUseDictAfterLoad adds a word once the segmenter is in use: the
// word is cut whole from then on.
func TestUseDictAfterLoad(t *testing.T) {
	const w = "普法宣传车"
	if got := Segment(w); len(got) == 1 {
		t.Fatalf("Segment(%q) = %q before the word was added", w, got)
	}
	d, err := ParseDict([]byte(w + " 3000 n\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := UseDict(d); err != nil {
		t.Fatal(err)
	}
	if got := Segment(w); len(got) != 1 || got[0] != w {
		t.Errorf("Segment(%q) = %q after UseDict, want the word whole", w, got)
	}
}

func TestPreloadStats(t *testing.T) {
	st, err := Preload()
	if err != nil {
		t.Fatal(err)
	}
	if st.Words < 300000 || st.UserWords < 150 || st.Duration <= 0 {
		t.Errorf("Preload() = %+v, want the embedded dictionary, the site's words and a duration", st)
	}
	t.Logf("dictionary: %d words (%d from the site), loaded in %v", st.Words, st.UserWords, st.Duration)
}

func FuzzParseDict(f *testing.F) {
	f.Add([]byte("民法典 5000 nz\n"))
	f.Add([]byte("# c\n低保 3000\n低保 1\n"))
	f.Add([]byte("\uFEFF离婚冷静期\t3000\tn\r\n"))
	f.Add([]byte("AA制 1e9 x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDict(data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 || pe.File != DictFile {
				t.Fatalf("ParseDict(%q): error %v is not located", data, err)
			}
			return
		}
		seen := make(map[string]bool)
		for _, w := range d.Words {
			if w.Text == "" || utf8.RuneCountInString(w.Text) > MaxWordRunes || seen[w.Text] || !(w.Freq >= 1) {
				t.Fatalf("ParseDict(%q) accepted %+v", data, w)
			}
			seen[w.Text] = true
			for _, r := range w.Text {
				if classify(r) != classHan {
					t.Fatalf("ParseDict(%q) accepted %q", data, w.Text)
				}
			}
		}
	})
}
