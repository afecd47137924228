package indexer

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// publishedFile is where a release records what its published files (feeds,
// open data, calendars) were written from, beside its web root.
const publishedFile = "published.json"

// publishFormat names how published files are keyed; see publishedState.
const publishFormat = "pufa-published/1"

// PublishOptions configure WritePublished.
type PublishOptions struct {
	FeedOptions
	// Previous is the directory of the previous release. A published file
	// whose inputs are those the previous release wrote it from is linked
	// from there instead of being written again. Empty means write all.
	Previous string
}

// PublishStats says what WritePublished did.
type PublishStats struct {
	// Feeds are the site-relative URLs of every RSS feed of the release,
	// and Written those whose files this build wrote (the others are the
	// previous release's files, linked, which that release verified).
	Feeds, Written []string
	// Files is the number of files written and Reused the number linked
	// from the previous release.
	Files, Reused int
}

// WritePublished writes what the indexer publishes in the web root of the
// release in dir (dir/public): the feeds of the site, its sections and
// taxonomy terms; the catalog's open data; the campaign calendars. It
// records in dir what each file was written from, so that the next build
// can carry over the files whose inputs did not change.
func WritePublished(m *Manifest, dir string, opts PublishOptions) (PublishStats, error) {
	var st PublishStats
	pub := &publisher{public: filepath.Join(dir, "public"), next: map[string]string{}, written: map[string]bool{}}
	version := publishFormat + " " + programID()
	if opts.Previous != "" {
		var prev publishedState
		data, err := os.ReadFile(filepath.Join(opts.Previous, publishedFile))
		if err == nil && json.Unmarshal(data, &prev) == nil && prev.Version == version {
			pub.prevPublic = filepath.Join(opts.Previous, "public")
			pub.prev = prev.Files
		}
	}
	feeds, err := writeFeeds(m, pub, opts.FeedOptions)
	if err != nil {
		return st, err
	}
	if err := writeCatalog(m, pub); err != nil {
		return st, err
	}
	if _, err := writeCalendars(m, pub); err != nil {
		return st, err
	}
	st.Feeds = feeds
	prefix, err := BasePath(m.Site.BaseURL)
	if err != nil {
		return st, err
	}
	for _, u := range feeds {
		if pub.written[strings.TrimPrefix(u, prefix)] {
			st.Written = append(st.Written, u)
		}
	}
	st.Files, st.Reused = pub.files, pub.reused
	data, err := json.Marshal(publishedState{Version: version, Files: pub.next})
	if err != nil {
		return st, err
	}
	if err := os.WriteFile(filepath.Join(dir, publishedFile), data, 0o644); err != nil {
		return st, fmt.Errorf("published files: %w", err)
	}
	return st, nil
}

// publishedState is the content of published.json: the key of the inputs
// of every published file, by its path in the web root. Keys are only
// compared between releases of one program build (Version), so a program
// that renders feeds differently never reuses another's files.
type publishedState struct {
	Version string            `json:"version"`
	Files   map[string]string `json:"files"`
}

// publisher writes the published files of a release's web root.
type publisher struct {
	public     string
	prevPublic string            // the previous release's web root; empty for none
	prev       map[string]string // keys of the previous release's files
	next       map[string]string // keys of this release's files; nil when not recorded
	written    map[string]bool   // files written (not linked) by this build
	files      int
	reused     int
}

// publish makes the files names (slash-separated paths in the web root),
// made from inputs identified by key: linked from the previous release
// when it made them from the same inputs, else written by write.
func (p *publisher) publish(names []string, key string, write func() error) error {
	if p.next != nil {
		for _, n := range names {
			p.next[n] = key
		}
	}
	if p.carryOver(names, key) {
		p.reused += len(names)
		return nil
	}
	if err := write(); err != nil {
		return err
	}
	if p.written != nil {
		for _, n := range names {
			p.written[n] = true
		}
	}
	p.files += len(names)
	return nil
}

// carryOver links names from the previous release when all of them were
// made from key there. A link that fails leaves nothing half done: the
// files are then written.
func (p *publisher) carryOver(names []string, key string) bool {
	if p.prevPublic == "" {
		return false
	}
	for _, n := range names {
		if p.prev[n] != key {
			return false
		}
	}
	var made []string
	for _, n := range names {
		from := filepath.Join(p.prevPublic, filepath.FromSlash(n))
		to := filepath.Join(p.public, filepath.FromSlash(n))
		err := os.MkdirAll(filepath.Dir(to), 0o755)
		if err == nil {
			err = os.Link(from, to)
		}
		if err != nil {
			for _, m := range made {
				os.Remove(m)
			}
			return false
		}
		made = append(made, to)
	}
	return true
}

// key accumulates the inputs of a published file into a hash.
type key struct{ h hash.Hash }

func newKey() key { return key{sha256.New()} }

// add adds strings, each delimited by its length.
func (k key) add(ss ...string) {
	var n [binary.MaxVarintLen64]byte
	for _, s := range ss {
		k.h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		k.h.Write([]byte(s))
	}
}

// time adds instants with their zone offset, as the encoders write them.
func (k key) time(ts ...time.Time) {
	for _, t := range ts {
		b, _ := t.MarshalBinary()
		k.add(string(b))
	}
}

func (k key) sum() string { return hex.EncodeToString(k.h.Sum(nil)[:16]) }
