package precompress

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPrecompress(t *testing.T) {
	dir := t.TempDir()
	page := strings.Repeat("<p>中华人民共和国民法典 第一千一百三十六条 打印的遗嘱，应当有两个以上见证人在场见证。</p>\n", 40)
	random := make([]byte, 4096)
	rand.Read(random)
	files := map[string][]byte{
		"index.html":            []byte(page),
		"laws/a/index.html":     []byte(page),
		"css/style.abc.css":     []byte(strings.Repeat("body{margin:0}\n", 100)),
		"index.xml":             []byte(strings.Repeat("<item>遗嘱</item>", 100)),
		"small.json":            []byte(`{"a":1}`),
		"image.png":             []byte(page), // not a text type
		"random.txt":            random,       // does not shrink
		"campaigns.ics":         []byte(strings.Repeat("BEGIN:VEVENT\r\nEND:VEVENT\r\n", 50)),
		"catalog.csv":           []byte(strings.Repeat("法,分类,部门\n", 100)),
		"js/app.0123456789.js":  []byte(strings.Repeat("console.log(1);\n", 100)),
		"nested/deep/feed.json": []byte(strings.Repeat(`{"title":"通知"},`, 100)),
	}
	mtime := time.Date(2026, 5, 20, 9, 0, 0, 0, time.UTC)
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, mtime, mtime)
	}
	// A link to a file outside is not followed.
	outside := filepath.Join(t.TempDir(), "outside.html")
	os.WriteFile(outside, []byte(page), 0o644)
	os.Symlink(outside, filepath.Join(dir, "link.html"))

	if err := Precompress(dir, Options{}); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		"index.html": true, "laws/a/index.html": true, "css/style.abc.css": true, "index.xml": true,
		"small.json": false, "image.png": false, "random.txt": false, "campaigns.ics": true,
		"catalog.csv": true, "js/app.0123456789.js": true, "nested/deep/feed.json": true, "link.html": false,
	}
	for name, wantGz := range want {
		gz := filepath.Join(dir, filepath.FromSlash(name)) + Suffix
		fi, err := os.Stat(gz)
		if (err == nil) != wantGz {
			t.Errorf("%s.gz exists = %v, want %v", name, err == nil, wantGz)
			continue
		}
		if !wantGz {
			continue
		}
		if !fi.ModTime().Equal(mtime) {
			t.Errorf("%s.gz mtime %v, want the original's %v", name, fi.ModTime(), mtime)
		}
		f, _ := os.Open(gz)
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatalf("%s.gz: %v", name, err)
		}
		got, err := io.ReadAll(zr)
		f.Close()
		if err != nil || !bytes.Equal(got, files[name]) {
			t.Errorf("%s.gz does not decompress to the original (%v)", name, err)
		}
	}
	// Running again replaces the copies and does not compress them twice.
	if err := Precompress(dir, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html.gz.gz")); err == nil {
		t.Error("a .gz copy was compressed again")
	}
}

func TestPrecompressMissingDir(t *testing.T) {
	if err := Precompress(filepath.Join(t.TempDir(), "none"), Options{}); err == nil {
		t.Fatal("Precompress of a missing directory succeeded")
	}
}

func BenchmarkPrecompress(b *testing.B) {
	dir := b.TempDir()
	page := []byte(strings.Repeat("<p>中华人民共和国民法典 第一千一百三十六条 打印的遗嘱，应当有两个以上见证人在场见证。</p>\n", 200))
	for i := range 200 {
		p := filepath.Join(dir, "p", string(rune('a'+i%26)), strings.Repeat("x", i%7+1), "index.html")
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, page, 0o644)
	}
	b.SetBytes(int64(200 * len(page)))
	for b.Loop() {
		if err := Precompress(dir, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPrecompressDir measures Precompress on a real web root:
//
//	PUFA_PRECOMPRESS_DIR=build/public go test -run TestPrecompressDir -v ./internal/precompress
//
// It compresses the folder in place.
func TestPrecompressDir(t *testing.T) {
	dir := os.Getenv("PUFA_PRECOMPRESS_DIR")
	if dir == "" {
		t.Skip("set PUFA_PRECOMPRESS_DIR to a web root to measure")
	}
	start := time.Now()
	if err := Precompress(dir, Options{}); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	var files, plain, zipped int64
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || !strings.HasSuffix(p, Suffix) {
			return nil
		}
		orig, err := os.Stat(strings.TrimSuffix(p, Suffix))
		if err == nil {
			files++
			plain += orig.Size()
			zipped += fi.Size()
		}
		return nil
	})
	t.Logf("%d files, %.1f MiB → %.1f MiB (%.0f%%) in %v", files, float64(plain)/(1<<20), float64(zipped)/(1<<20), 100*float64(zipped)/float64(max(plain, 1)), took.Round(time.Millisecond))
}

// A file equal to the previous release's gets that release's gzip copy
// (the same file); a changed file is compressed again.
func TestPrecompressReusesPrevious(t *testing.T) {
	prev, next := t.TempDir(), t.TempDir()
	same := []byte(strings.Repeat("<p>婚姻登记 同一页</p>\n", 100))
	write := func(dir, name string, b []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(prev, "laws/a/index.html", same)
	write(prev, "laws/b/index.html", []byte(strings.Repeat("<p>旧的</p>\n", 100)))
	if err := Precompress(prev, Options{}); err != nil {
		t.Fatal(err)
	}
	changed := []byte(strings.Repeat("<p>新的</p>\n", 100))
	write(next, "laws/a/index.html", same)
	write(next, "laws/b/index.html", changed)
	write(next, "laws/c/index.html", changed)
	if err := Precompress(next, Options{Previous: prev}); err != nil {
		t.Fatal(err)
	}
	inode := func(p string) os.FileInfo {
		t.Helper()
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	if !os.SameFile(inode(filepath.Join(prev, "laws/a/index.html.gz")), inode(filepath.Join(next, "laws/a/index.html.gz"))) {
		t.Error("an unchanged file was compressed again instead of reusing the previous copy")
	}
	if os.SameFile(inode(filepath.Join(prev, "laws/b/index.html.gz")), inode(filepath.Join(next, "laws/b/index.html.gz"))) {
		t.Error("a changed file got the previous release's gzip copy")
	}
	for _, name := range []string{"laws/a/index.html", "laws/b/index.html", "laws/c/index.html"} {
		want, _ := os.ReadFile(filepath.Join(next, name))
		f, err := os.Open(filepath.Join(next, name+Suffix))
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		f.Close()
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s.gz does not decompress to the file (%v)", name, err)
		}
	}
}
