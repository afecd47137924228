package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

func TestPhraseMatcher(t *testing.T) {
	texts := []string{
		"为了保障老年人合法权益，发展老龄事业。",
		"每年农历九月初九为老年节",
		"a𠀀b 婚姻登记",
	}
	phrases := []string{
		"老年人",    // in the middle
		"老年节",    // at the very end
		"为了",     // at the very start
		"老年",     // a prefix of others
		"九月初九为",  // across a word boundary
		"𠀀b",     // a character outside the Basic Multilingual Plane
		"b 婚",    // with a space
		"敬",      // one character, missing
		"节",      // one character, found
		"老龄事业发展", // its start is there, not the rest
		"婚姻登记机关", // runs past the end of a text
		"养老机构",
		"老年人", // listed twice
		"",
	}
	s := newPhraseIndex(phrases).matcher()
	for _, text := range texts {
		s.scan(text)
	}
	want := map[string]bool{"敬": true, "老龄事业发展": true, "婚姻登记机关": true, "养老机构": true}
	if diff := cmp.Diff(want, s.missing()); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}
	if s.left != len(want) {
		t.Errorf("left = %d, want %d", s.left, len(want))
	}
}

// TestPhraseMatcherLaws: on the site's law texts, a matcher finds what
// strings.Contains finds, for every wording of the site's vocabulary.
func TestPhraseMatcherLaws(t *testing.T) {
	root := repoRoot(t)
	laws, err := filepath.Glob(filepath.Join(root, "content", "laws", "*.md"))
	if err != nil || len(laws) == 0 {
		t.Skipf("no law texts: %v", err)
	}
	var texts []string
	for _, name := range laws {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	src, err := os.ReadFile(filepath.Join(root, "site", "data", "synonyms.yaml"))
	if err != nil {
		t.Skip(err)
	}
	var phrases []string
	for _, l := range strings.Split(string(src), "\n") {
		if _, v, ok := strings.Cut(l, ": ["); ok {
			for _, p := range strings.Split(strings.TrimSuffix(strings.TrimSpace(v), "]"), ",") {
				phrases = append(phrases, strings.TrimSpace(p))
			}
		}
	}
	// Phrases that are surely missing, to exercise the whole walk.
	phrases = append(phrases, "不在任何法规里的说法", "老年人权益保障法实施细则草案")
	s := newPhraseIndex(phrases).matcher()
	for _, text := range texts {
		s.scan(text)
	}
	got := s.missing()
	for _, p := range phrases {
		in := false
		for _, text := range texts {
			if strings.Contains(text, p) {
				in = true
				break
			}
		}
		if p != "" && got[p] == in {
			t.Errorf("%q: missing = %v, strings.Contains says in a law = %v", p, got[p], in)
		}
	}
}

// TestSynonymsWithoutLaws: a site without law texts gets no warnings
// about wording, but malformed entries are still errors; a site without
// the file gets nothing.
func TestSynonymsWithoutLaws(t *testing.T) {
	a := txtar.Parse([]byte(`-- site/data/synonyms.yaml --
养老:
  老人: [老年人]
  老人: [老年]
-- content/_index.md --
---
title: 首页
---
`))
	got, _ := runFixture(t, a)
	want := "site/data/synonyms.yaml:3: 老人: already listed on line 2\n1 file, 1 error, 0 warnings\n"
	if got != want {
		t.Errorf("got:\n%swant:\n%s", got, want)
	}
	b := txtar.Parse([]byte("-- content/_index.md --\n---\ntitle: 首页\n---\n"))
	if got, _ := runFixture(t, b); got != "1 file, 0 errors, 0 warnings\n" {
		t.Errorf("without a vocabulary: got:\n%s", got)
	}
}
