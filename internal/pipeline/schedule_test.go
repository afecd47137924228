package pipeline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pufa-gov/pufa/indexer"
)

func TestNextChange(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 3, 20, 8, 0, 0, 0, cst)
	tests := []struct {
		name   string
		pages  map[string]string
		expiry []time.Time // in the served release's manifest
		want   time.Time   // zero: nothing scheduled
	}{
		{"nothing ahead", map[string]string{
			"news/a.md": "---\ntitle: 旧闻\ndate: 2026-03-01T09:00:00+08:00\n---\n正文",
		}, nil, time.Time{}},
		{"publishDate ahead", map[string]string{
			"campaigns/2026/qingming.md": "---\ntitle: 清明\ndate: 2026-03-20T09:00:00+08:00\npublishDate: 2026-03-20T09:00:00+08:00\n---\n",
			"news/a.md":                  "---\ntitle: 后来\npublishDate: 2026-04-01T09:00:00+08:00\n---\n",
		}, nil, time.Date(2026, 3, 20, 9, 0, 0, 0, cst)},
		{"date stands for publishDate", map[string]string{
			"news/b.md": "---\ntitle: 预告\ndate: 2026-03-21T00:00:00+08:00\n---\n",
		}, nil, time.Date(2026, 3, 21, 0, 0, 0, 0, cst)},
		{"publishDate wins over date", map[string]string{
			"news/c.md": "---\ntitle: 已发\ndate: 2026-05-01T00:00:00+08:00\npublishDate: 2026-03-01T00:00:00+08:00\n---\n",
		}, nil, time.Time{}},
		{"date without offset is Shanghai time", map[string]string{
			"news/d.md": "---\ntitle: 无时区\npublishDate: 2026-03-20 12:30:00\n---\n",
		}, nil, time.Date(2026, 3, 20, 12, 30, 0, 0, cst)},
		{"key case does not matter", map[string]string{
			"news/e.md": "---\ntitle: 大小写\nPublishDate: 2026-03-22T08:00:00+08:00\n---\n",
		}, nil, time.Date(2026, 3, 22, 8, 0, 0, 0, cst)},
		{"drafts are not scheduled", map[string]string{
			"news/f.md": "---\ntitle: 草稿\ndraft: true\npublishDate: 2026-03-20T10:00:00+08:00\n---\n",
		}, nil, time.Time{}},
		{"expiry in content", map[string]string{
			"news/g.md": "---\ntitle: 到期\ndate: 2026-03-01T00:00:00+08:00\nexpiryDate: 2026-03-25T00:00:00+08:00\n---\n",
		}, nil, time.Date(2026, 3, 25, 0, 0, 0, 0, cst)},
		{"expiry in the served manifest", map[string]string{
			"news/h.md": "---\ntitle: 旧闻\ndate: 2026-03-01T09:00:00+08:00\n---\n",
		}, []time.Time{time.Date(2026, 3, 19, 0, 0, 0, 0, cst), time.Date(2026, 3, 24, 18, 0, 0, 0, cst)}, time.Date(2026, 3, 24, 18, 0, 0, 0, cst)},
		{"TOML front matter", map[string]string{
			"news/i.md": "+++\ntitle = \"TOML\"\npublishDate = 2026-03-23T08:00:00+08:00\n+++\n",
		}, nil, time.Date(2026, 3, 23, 8, 0, 0, 0, cst)},
		{"broken front matter schedules nothing", map[string]string{
			"news/j.md":  "---\ntitle: [\n---\n",
			"news/k.md":  "no front matter at all",
			"news/l.txt": "---\npublishDate: 2026-03-20T09:00:00+08:00\n---\n",
		}, nil, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			content := filepath.Join(dir, "content")
			for name, text := range tt.pages {
				p := filepath.Join(content, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			rel := ""
			if tt.expiry != nil {
				rel = filepath.Join(dir, "release")
				os.MkdirAll(rel, 0o755)
				m := indexer.Manifest{Generator: "pufa"}
				for i := range tt.expiry {
					m.Pages = append(m.Pages, indexer.Page{URL: "/news/x/", Kind: "page", Section: "news", Title: "x", ExpiryDate: &tt.expiry[i]})
				}
				data, _ := json.Marshal(m)
				os.WriteFile(filepath.Join(rel, "manifest.json"), data, 0o644)
			}
			got, ok, err := NextChange(Options{Content: content}, rel, now)
			if err != nil {
				t.Fatal(err)
			}
			if ok != !tt.want.IsZero() || ok && !got.Equal(tt.want) {
				t.Errorf("NextChange = %v (%v), want %v", got, ok, tt.want)
			}
		})
	}
}

func TestNextChangeMissingContent(t *testing.T) {
	if _, _, err := NextChange(Options{Content: filepath.Join(t.TempDir(), "none")}, "", time.Now()); err == nil {
		t.Fatal("NextChange over a missing content folder succeeded")
	}
}
