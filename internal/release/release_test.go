package release

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// commit builds a minimal release with the given manifest text.
func commit(t *testing.T, o Out, now time.Time, manifest string) string {
	t.Helper()
	st, err := o.Begin(now)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"public", "index"} {
		if err := os.MkdirAll(filepath.Join(st.Path(), d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	mf := filepath.Join(st.Path(), ManifestFile)
	if err := os.WriteFile(mf, []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := FileSHA256(mf)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(Info{Pages: 1, Manifest: sum}); err != nil {
		t.Fatal(err)
	}
	return st.ID()
}

func TestCommitSwitchesAndPrunes(t *testing.T) {
	o := Out{Root: t.TempDir()}
	if _, _, err := o.Current(); !errors.Is(err, ErrNoRelease) {
		t.Fatalf("Current on empty OUT = %v, want ErrNoRelease", err)
	}
	t0 := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	var ids []string
	for i := range 5 {
		ids = append(ids, commit(t, o, t0.Add(time.Duration(i)*time.Minute), "m"))
		info, dir, err := o.Current()
		if err != nil {
			t.Fatal(err)
		}
		if info.ID != ids[i] || filepath.Base(dir) != ids[i] {
			t.Fatalf("after commit %d current = %s, want %s", i, info.ID, ids[i])
		}
	}
	entries, _ := os.ReadDir(filepath.Join(o.Root, releasesDir))
	if len(entries) != Keep {
		t.Errorf("%d releases kept, want %d", len(entries), Keep)
	}
	for _, link := range []string{"public", "index"} {
		if target, err := os.Readlink(filepath.Join(o.Root, link)); err != nil || target != filepath.Join(currentLink, link) {
			t.Errorf("%s -> %q (%v), want %s", link, target, err, filepath.Join(currentLink, link))
		}
	}
}

func TestCleanRemovesLeftovers(t *testing.T) {
	o := Out{Root: t.TempDir()}
	good := commit(t, o, time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC), "m")
	rel := filepath.Join(o.Root, releasesDir)
	// An interrupted build: a stage with half its files.
	st, err := o.Begin(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(st.Path(), "half.html"), []byte("<p"), 0o644)
	// A release directory moved into place but never marked READY (a
	// crash between rename and a later version's marking).
	notReady := filepath.Join(rel, "20260501T100000.000Z-abcdef")
	os.MkdirAll(filepath.Join(notReady, "public"), 0o755)
	// A switch interrupted after the temporary link was made.
	os.Symlink(filepath.Join(releasesDir, "20260501T100000.000Z-abcdef"), filepath.Join(o.Root, ".current-20260501T100000.000Z-abcdef"))

	if err := o.Clean(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(rel)
	if len(entries) != 1 || entries[0].Name() != good {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("after Clean releases/ = %v, want only %s", names, good)
	}
	tops, _ := os.ReadDir(o.Root)
	for _, e := range tops {
		if strings.HasPrefix(e.Name(), ".current-") {
			t.Errorf("Clean left %s", e.Name())
		}
	}
	if info, _, err := o.Current(); err != nil || info.ID != good {
		t.Errorf("current after Clean = %v %v, want %s", info.ID, err, good)
	}
}

func TestVerifyAndServable(t *testing.T) {
	tests := []struct {
		name     string
		damage   func(dir string)
		wantSkip bool
	}{
		{"intact", func(string) {}, false},
		{"manifest edited", func(dir string) { os.WriteFile(filepath.Join(dir, ManifestFile), []byte("other"), 0o644) }, true},
		{"manifest missing", func(dir string) { os.Remove(filepath.Join(dir, ManifestFile)) }, true},
		{"no web root", func(dir string) { os.RemoveAll(filepath.Join(dir, "public")) }, true},
		{"no index", func(dir string) { os.RemoveAll(filepath.Join(dir, "index")) }, true},
		{"READY removed", func(dir string) { os.Remove(filepath.Join(dir, readyFile)) }, true},
		{"release.json garbled", func(dir string) { os.WriteFile(filepath.Join(dir, infoFile), []byte("{"), 0o644) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := Out{Root: t.TempDir()}
			older := commit(t, o, time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC), "old")
			newer := commit(t, o, time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC), "new")
			tt.damage(filepath.Join(o.Root, releasesDir, newer))
			_, verr := Verify(filepath.Join(o.Root, releasesDir, newer))
			if (verr != nil) != tt.wantSkip {
				t.Fatalf("Verify = %v, want error %v", verr, tt.wantSkip)
			}
			info, dir, skipped, err := o.Servable()
			if err != nil {
				t.Fatal(err)
			}
			want := newer
			if tt.wantSkip {
				want = older
			}
			if info.ID != want || filepath.Base(dir) != want {
				t.Errorf("Servable = %s, want %s (skipped %v)", info.ID, want, skipped)
			}
			if tt.wantSkip && len(skipped) == 0 {
				t.Errorf("Servable skipped nothing")
			}
			if cur, _, err := o.Current(); tt.wantSkip && (err != nil || cur.ID != older) {
				t.Errorf("current not switched back to %s: %v %v", older, cur.ID, err)
			}
		})
	}
}

func TestServableNone(t *testing.T) {
	o := Out{Root: t.TempDir()}
	if _, _, _, err := o.Servable(); !errors.Is(err, ErrNoRelease) {
		t.Fatalf("Servable on empty OUT = %v, want ErrNoRelease", err)
	}
	id := commit(t, o, time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC), "m")
	os.WriteFile(filepath.Join(o.Root, releasesDir, id, ManifestFile), []byte("x"), 0o644)
	_, _, skipped, err := o.Servable()
	if !errors.Is(err, ErrNoRelease) || len(skipped) != 1 || !errors.Is(skipped[0], ErrCorrupt) {
		t.Fatalf("Servable with one corrupt release = %v %v, want ErrNoRelease and one ErrCorrupt", err, skipped)
	}
}

func TestBeginRefusesForeignOut(t *testing.T) {
	o := Out{Root: t.TempDir()}
	os.MkdirAll(filepath.Join(o.Root, "public"), 0o755)
	if _, err := o.Begin(time.Now()); err == nil || !strings.Contains(err.Error(), "not a link made by pufa") {
		t.Fatalf("Begin over a real public/ = %v", err)
	}
}
