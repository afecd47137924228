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
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	// ManifestFile is the name of the manifest inside a release; its
	// SHA-256 is recorded in release.json.
	ManifestFile = "manifest.json"
	// Keep is the number of releases kept, the current one included.
	Keep = 3
)

// ErrNoRelease means OUT holds no ready release.
var ErrNoRelease = errors.New("no release has been built")

// Info describes a release.
type Info struct {
	ID    string    `json:"id"`
	Built time.Time `json:"built"`
	// Started is when the build began reading its inputs, by the
	// machine's clock (Built may be a time the build was asked to render
	// the site as of): files modified since then are the next build's
	// changes.
	Started  time.Time      `json:"started,omitzero"`
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

// Clean removes stages left by interrupted builds, releases that never
// became READY and links left half-made by an interrupted switch. Call it
// at start-up, before building.
func (o Out) Clean() error {
	if tops, err := os.ReadDir(o.Root); err == nil {
		for _, e := range tops {
			if strings.HasPrefix(e.Name(), ".current-") {
				os.Remove(filepath.Join(o.Root, e.Name()))
			}
		}
	}
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

// ErrCorrupt means a release is marked READY but does not verify: its
// manifest does not match the checksum recorded when it was built, or a
// part of it is missing.
var ErrCorrupt = errors.New("release does not verify")

// Verify checks a release directory before it is served: it is READY,
// release.json reads, the manifest's SHA-256 is the one recorded at build
// time, and the web root and the index are there. Errors wrap ErrCorrupt
// when the release is READY but damaged.
func Verify(dir string) (Info, error) {
	info, err := ReadInfo(dir)
	if err != nil {
		return Info{}, err
	}
	name := filepath.Base(dir)
	if info.ID != "" && info.ID != name {
		return Info{}, fmt.Errorf("release %s: release.json names %s: %w", name, info.ID, ErrCorrupt)
	}
	if info.Manifest == "" {
		return Info{}, fmt.Errorf("release %s: release.json records no manifest checksum: %w", name, ErrCorrupt)
	}
	sum, err := FileSHA256(filepath.Join(dir, ManifestFile))
	if err != nil {
		return Info{}, fmt.Errorf("release %s: %w: %w", name, ErrCorrupt, err)
	}
	if sum != info.Manifest {
		return Info{}, fmt.Errorf("release %s: manifest checksum %.12s…, recorded %.12s…: %w", name, sum, info.Manifest, ErrCorrupt)
	}
	for _, sub := range []string{"public", "index"} {
		fi, err := os.Stat(filepath.Join(dir, sub))
		if err != nil || !fi.IsDir() {
			return Info{}, fmt.Errorf("release %s: no %s/ directory: %w", name, sub, ErrCorrupt)
		}
	}
	return info, nil
}

// Servable returns the release to serve: the current one when it
// verifies, otherwise the newest ready release that does, to which
// current is then switched back. skipped lists the releases passed over
// and why. It returns ErrNoRelease when none verifies.
func (o Out) Servable() (info Info, dir string, skipped []error, err error) {
	target, lerr := os.Readlink(filepath.Join(o.Root, currentLink))
	cur := ""
	if lerr == nil {
		cur = filepath.Join(o.Root, target)
		if info, err := Verify(cur); err == nil {
			return info, cur, nil, nil
		} else {
			skipped = append(skipped, err)
		}
	}
	entries, err := os.ReadDir(filepath.Join(o.Root, releasesDir))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return Info{}, "", skipped, fmt.Errorf("release: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), stagePrefix) {
			names = append(names, e.Name())
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	for _, n := range names {
		p := filepath.Join(o.Root, releasesDir, n)
		if filepath.Clean(p) == filepath.Clean(cur) {
			continue
		}
		info, err := Verify(p)
		if err != nil {
			skipped = append(skipped, err)
			continue
		}
		// Point current back at a release that verifies; a read-only OUT
		// (a replica) still serves it.
		if err := o.point(n); err != nil {
			skipped = append(skipped, err)
		}
		return info, p, skipped, nil
	}
	return Info{}, "", skipped, ErrNoRelease
}

// FileSHA256 returns the hex SHA-256 of a file's contents.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
