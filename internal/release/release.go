// Package release keeps the build output directory (OUT) as a set of
// immutable release directories and one atomically switched pointer to the
// release being served.
//
// Layout:
//
//	OUT/releases/<id>/        a complete release: public/, index/, manifest.json, release.json, READY
//	OUT/releases/.stage-<id>/ a build in progress (removed on failure or at the next start)
//	OUT/current  -> releases/<id>   symlink, replaced by rename(2): readers see old or new, never half
//	OUT/public   -> current/public  the web root (contract)
//	OUT/index    -> current/index   the search index (contract)
//
// A release is marked READY only after it was verified; a directory
// without READY is never pointed to. Interrupting a build at any point
// leaves current as it was.
package release

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

const (
	releasesDir = "releases"
	currentLink = "current"
	stagePrefix = ".stage-"
	readyFile   = "READY"
	infoFile    = "release.json"
	// Keep is the number of releases kept, the current one included.
	Keep = 3
)

// ErrNoRelease means OUT holds no ready release.
var ErrNoRelease = errors.New("no release has been built")

// Info describes a release.
type Info struct {
	ID       string         `json:"id"`
	Built    time.Time      `json:"built"`
	Pages    int            `json:"pages"`
	Docs     int            `json:"docs"`
	Feeds    int            `json:"feeds"`
	Manifest string         `json:"manifestSHA256"`
	Extra    map[string]any `json:"extra,omitempty"`
}

// Out is a build output directory.
type Out struct{ Root string }

// Stage is a release being built.
type Stage struct {
	out  Out
	id   string
	path string
	done bool
}

// NewID returns a release id that sorts by build time.
func NewID(now time.Time) string {
	var b [3]byte
	rand.Read(b[:])
	return now.UTC().Format("20060102T150405.000Z") + "-" + hex.EncodeToString(b[:])
}

// Begin creates a stage directory for a new release.
func (o Out) Begin(now time.Time) (*Stage, error) {
	if err := o.checkLayout(); err != nil {
		return nil, err
	}
	id := NewID(now)
	p := filepath.Join(o.Root, releasesDir, stagePrefix+id)
	if err := os.MkdirAll(p, 0o755); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	return &Stage{out: o, id: id, path: p}, nil
}

// checkLayout refuses an OUT whose public or index is a real directory
// (not ours): replacing it would lose someone's files.
func (o Out) checkLayout() error {
	for _, name := range []string{"public", "index", currentLink} {
		fi, err := os.Lstat(filepath.Join(o.Root, name))
		if err == nil && fi.Mode()&os.ModeSymlink == 0 {
			return fmt.Errorf("release: %s exists and is not a link made by pufa; choose another --out or move it away", filepath.Join(o.Root, name))
		}
	}
	return nil
}

// ID returns the stage's release id.
func (s *Stage) ID() string { return s.id }

// Path returns the stage directory.
func (s *Stage) Path() string { return s.path }

// Abort removes the stage. It is safe to call after Commit.
func (s *Stage) Abort() {
	if !s.done {
		os.RemoveAll(s.path)
		s.done = true
	}
}

// Commit marks the stage READY, moves it into place and switches current
// to it, then removes releases beyond Keep.
func (s *Stage) Commit(info Info) error {
	if s.done {
		return errors.New("release: stage already finished")
	}
	info.ID = s.id
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	if err := writeSync(filepath.Join(s.path, infoFile), data); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	if err := writeSync(filepath.Join(s.path, readyFile), []byte(s.id+"\n")); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	final := filepath.Join(s.out.Root, releasesDir, s.id)
	if err := os.Rename(s.path, final); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	s.done = true
	syncDir(filepath.Join(s.out.Root, releasesDir))
	if err := s.out.point(s.id); err != nil {
		return err
	}
	s.out.Prune()
	return nil
}

// point switches current to release id with an atomic rename, and makes
// sure the public and index links exist.
func (o Out) point(id string) error {
	tmp := filepath.Join(o.Root, ".current-"+id)
	os.Remove(tmp)
	if err := os.Symlink(filepath.Join(releasesDir, id), tmp); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(o.Root, currentLink)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("release: switch: %w", err)
	}
	for _, name := range []string{"public", "index"} {
		link := filepath.Join(o.Root, name)
		if _, err := os.Lstat(link); err == nil {
			continue
		}
		if err := os.Symlink(filepath.Join(currentLink, name), link); err != nil {
			return fmt.Errorf("release: %w", err)
		}
	}
	syncDir(o.Root)
	return nil
}

// Current returns the release current points to.
func (o Out) Current() (Info, string, error) {
	target, err := os.Readlink(filepath.Join(o.Root, currentLink))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Info{}, "", ErrNoRelease
		}
		return Info{}, "", fmt.Errorf("release: %w", err)
	}
	dir := filepath.Join(o.Root, target)
	info, err := ReadInfo(dir)
	if err != nil {
		return Info{}, "", err
	}
	return info, dir, nil
}

// ReadInfo reads a release directory's info, refusing one not READY.
func ReadInfo(dir string) (Info, error) {
	if _, err := os.Stat(filepath.Join(dir, readyFile)); err != nil {
		return Info{}, fmt.Errorf("release %s: not ready: %w", filepath.Base(dir), err)
	}
	data, err := os.ReadFile(filepath.Join(dir, infoFile))
	if err != nil {
		return Info{}, fmt.Errorf("release: %w", err)
	}
	var info Info
	if err := json.Unmarshal(data, &info); err != nil {
		return Info{}, fmt.Errorf("release %s: %w", filepath.Base(dir), err)
	}
	return info, nil
}

// Clean removes stages left by interrupted builds and releases that never
// became READY. Call it at start-up, before building.
func (o Out) Clean() error {
	entries, err := os.ReadDir(filepath.Join(o.Root, releasesDir))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("release: %w", err)
	}
	for _, e := range entries {
		p := filepath.Join(o.Root, releasesDir, e.Name())
		if strings.HasPrefix(e.Name(), stagePrefix) {
			os.RemoveAll(p)
			continue
		}
		if _, err := os.Stat(filepath.Join(p, readyFile)); err != nil {
			os.RemoveAll(p)
		}
	}
	return nil
}

// Prune removes the oldest ready releases beyond Keep, never the current.
func (o Out) Prune() {
	_, cur, _ := o.Current()
	entries, err := os.ReadDir(filepath.Join(o.Root, releasesDir))
	if err != nil {
		return
	}
	var ready []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), stagePrefix) || !e.IsDir() {
			continue
		}
		ready = append(ready, e.Name())
	}
	sort.Strings(ready)
	for len(ready) > Keep {
		p := filepath.Join(o.Root, releasesDir, ready[0])
		if p != cur {
			os.RemoveAll(p)
		}
		ready = ready[1:]
	}
}

func writeSync(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
