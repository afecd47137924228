// Package searchstats counts what residents search for, so that the staff
// can see which questions the site answers badly and grow its dictionaries
// (pufa report searches).
//
// A Recorder counts searches by their normalised text (zh.Normalize, as
// the search itself normalises), per day in Asia/Shanghai: how often, how
// many found nothing, and the number of results last seen. It keeps no
// address, cookie, browser or anything else about who searched, and a
// text that may itself identify someone (a run of digits as long as a
// phone or ID card number, an e-mail address) is only counted, never
// written. Memory is bounded: past MaxQueries distinct texts a day,
// further texts are only counted together ("other"). Counts are written to one file a day,
// searches-YYYY-MM-DD.json, atomically (a temporary file renamed over the
// old one), and a restarted server adds to the day's file instead of
// replacing it.
package searchstats

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pufa-gov/pufa/indexer/zh"
)

// DefaultMaxQueries bounds the distinct texts counted one by one in a day:
// at most a few hundred bytes each, a few megabytes in all.
const DefaultMaxQueries = 20000

// Dir is the folder of a build's output (OUT) the server keeps the
// statistics in: beside the releases, never in the web root.
const Dir = "stats"

// FlushInterval is how often a running Recorder writes its counts.
const FlushInterval = time.Minute

// Query is what a day's file records of one normalised search text.
type Query struct {
	Query string `json:"query"`
	// Searches counts the searches; NoResults those that found nothing.
	Searches  int64 `json:"searches"`
	NoResults int64 `json:"no_results"`
	// LastTotal is the number of results the latest search found.
	LastTotal uint64 `json:"last_total"`
}

// Other counts the searches of texts not written one by one: beyond a
// day's MaxQueries, or that may identify someone (see personal).
type Other struct {
	Searches  int64 `json:"searches"`
	NoResults int64 `json:"no_results"`
}

// Day is one day's file.
type Day struct {
	// Date is the day in Asia/Shanghai, YYYY-MM-DD.
	Date string `json:"date"`
	// Queries are the texts searched, most searched first.
	Queries []Query `json:"queries"`
	Other   Other   `json:"other"`
}

// FileName is the name of a day's file in the statistics folder.
func FileName(date string) string { return "searches-" + date + ".json" }

// Options configure a Recorder.
type Options struct {
	// Dir is the folder the day files are written to; it is created.
	Dir string
	// MaxQueries bounds the distinct texts a day (0: DefaultMaxQueries).
	MaxQueries int
	// Now is the clock (nil: time.Now).
	Now    func() time.Time
	Logger *slog.Logger
}

// Recorder counts searches. It is safe for concurrent use; Record takes a
// mutex for a map increment and does no I/O.
type Recorder struct {
	dir    string
	max    int
	now    func() time.Time
	logger *slog.Logger

	mu sync.Mutex
	// day is the day being counted, from start to end; ended are days
	// over but not yet written.
	day        *dayCounts
	start, end time.Time
	ended      []*dayCounts

	// flushMu makes flushes one at a time.
	flushMu sync.Mutex
}

type counts struct {
	searches, noResults int64
	lastTotal           uint64
}

type dayCounts struct {
	date    string
	queries map[string]*counts
	other   counts
	// loaded: the day's file, if there was one, has been added in.
	loaded bool
	dirty  bool
}

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// Open returns a Recorder writing to o.Dir, with today's counts so far
// (from today's file) added in.
func Open(o Options) (*Recorder, error) {
	if o.Dir == "" {
		return nil, errors.New("searchstats: no folder")
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("searchstats: %w", err)
	}
	r := &Recorder{dir: o.Dir, max: o.MaxQueries, now: o.Now, logger: o.Logger}
	if r.max <= 0 {
		r.max = DefaultMaxQueries
	}
	if r.now == nil {
		r.now = time.Now
	}
	if r.logger == nil {
		r.logger = slog.New(slog.DiscardHandler)
	}
	r.mu.Lock()
	r.rollLocked(r.now())
	d := r.day
	r.mu.Unlock()
	if err := r.load(d); err != nil {
		return nil, err
	}
	return r, nil
}

// rollLocked starts counting the day of t when it is not the current one.
func (r *Recorder) rollLocked(t time.Time) {
	if r.day != nil && !t.Before(r.start) && t.Before(r.end) {
		return
	}
	local := t.In(shanghai)
	y, m, d := local.Date()
	r.start = time.Date(y, m, d, 0, 0, 0, 0, shanghai)
	r.end = r.start.AddDate(0, 0, 1)
	if r.day != nil && r.day.dirty {
		r.ended = append(r.ended, r.day)
	}
	r.day = &dayCounts{date: r.start.Format(time.DateOnly), queries: map[string]*counts{}}
}

// Record counts one search of query that found total results. A query
// that normalises to nothing is not counted.
func (r *Recorder) Record(query string, total uint64) {
	text, err := zh.Normalize(query)
	if err != nil {
		return
	}
	r.RecordNormalized(text, total)
}

// RecordNormalized counts one search of text, already normalised by
// zh.Normalize (as a search result's query is), that found total results.
func (r *Recorder) RecordNormalized(text string, total uint64) {
	if text == "" {
		return
	}
	now := r.now()
	r.mu.Lock()
	r.rollLocked(now)
	d := r.day
	c := d.queries[text]
	if c == nil {
		if len(d.queries) < r.max && !personal(text) {
			c = &counts{}
			d.queries[text] = c
		} else {
			c = &d.other
		}
	}
	c.searches++
	if total == 0 {
		c.noResults++
	}
	c.lastTotal = total
	d.dirty = true
	r.mu.Unlock()
}

// personalDigits is the shortest run of digits taken for a number that
// may identify someone: a phone number has 7 to 11, an ID card 18. An
// article number (1077) or a year (2026) is shorter.
const personalDigits = 7

// personal reports whether a search text may identify someone: it holds
// a run of personalDigits digits or an e-mail address.
func personal(text string) bool {
	run := 0
	for i := 0; i < len(text); i++ {
		switch b := text[i]; {
		case b >= '0' && b <= '9':
			run++
			if run >= personalDigits {
				return true
			}
		case b == '@':
			return true
		default:
			run = 0
		}
	}
	return false
}

// addLocked adds a day file's counts to d: they are older than d's own,
// so d's last totals stay.
func (r *Recorder) addLocked(d *dayCounts, f *Day) {
	for _, q := range f.Queries {
		c := d.queries[q.Query]
		if c == nil {
			if len(d.queries) >= r.max {
				d.other.searches += q.Searches
				d.other.noResults += q.NoResults
				continue
			}
			c = &counts{lastTotal: q.LastTotal}
			d.queries[q.Query] = c
		}
		c.searches += q.Searches
		c.noResults += q.NoResults
	}
	d.other.searches += f.Other.Searches
	d.other.noResults += f.Other.NoResults
}

// load adds the day's file, if any, to d, once. A file that does not
// parse is kept aside (renamed *.bad) rather than overwritten.
func (r *Recorder) load(d *dayCounts) error {
	r.mu.Lock()
	loaded := d.loaded
	r.mu.Unlock()
	if loaded {
		return nil
	}
	path := filepath.Join(r.dir, FileName(d.date))
	f, err := ReadDay(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f = nil
	case err != nil:
		var perr *ParseError
		if !errors.As(err, &perr) {
			return fmt.Errorf("searchstats: %w", err)
		}
		bad := path + ".bad"
		if rerr := os.Rename(path, bad); rerr != nil {
			return fmt.Errorf("searchstats: %w", err)
		}
		r.logger.Warn("search statistics file does not parse; kept aside, counting again from zero", "file", bad, "err", err)
		f = nil
	}
	r.mu.Lock()
	if !d.loaded {
		if f != nil {
			r.addLocked(d, f)
		}
		d.loaded = true
	}
	r.mu.Unlock()
	return nil
}

// ParseError is a day file that is not one.
type ParseError struct {
	Path string
	Err  error
}

func (e *ParseError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *ParseError) Unwrap() error { return e.Err }

// ReadDay reads a day's file.
func ReadDay(path string) (*Day, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var d Day
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, &ParseError{Path: path, Err: err}
	}
	return &d, nil
}

// Flush writes the counts of every day with searches not yet written.
func (r *Recorder) Flush() error {
	r.flushMu.Lock()
	defer r.flushMu.Unlock()
	r.mu.Lock()
	r.rollLocked(r.now())
	days := append(slices.Clone(r.ended), r.day)
	r.ended = nil
	r.mu.Unlock()
	var errs []error
	for _, d := range days {
		if err := r.load(d); err != nil {
			errs = append(errs, err)
			r.requeue(d)
			continue
		}
		r.mu.Lock()
		if !d.dirty {
			r.mu.Unlock()
			continue
		}
		snap := d.snapshotLocked()
		d.dirty = false
		r.mu.Unlock()
		if err := writeDay(r.dir, snap); err != nil {
			errs = append(errs, err)
			r.mu.Lock()
			d.dirty = true
			r.mu.Unlock()
			r.requeue(d)
		}
	}
	return errors.Join(errs...)
}

// requeue keeps an ended day whose write failed for the next flush.
func (r *Recorder) requeue(d *dayCounts) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if d != r.day {
		r.ended = append(r.ended, d)
	}
}

func (d *dayCounts) snapshotLocked() *Day {
	out := &Day{Date: d.date, Queries: make([]Query, 0, len(d.queries)),
		Other: Other{Searches: d.other.searches, NoResults: d.other.noResults}}
	for q, c := range d.queries {
		out.Queries = append(out.Queries, Query{Query: q, Searches: c.searches, NoResults: c.noResults, LastTotal: c.lastTotal})
	}
	SortQueries(out.Queries)
	return out
}

// SortQueries orders queries most searched first, then by text.
func SortQueries(qs []Query) {
	slices.SortFunc(qs, func(a, b Query) int {
		if c := cmp.Compare(b.Searches, a.Searches); c != 0 {
			return c
		}
		return strings.Compare(a.Query, b.Query)
	})
}

// writeDay writes d's file in dir atomically: a reader sees the old file
// or the new one, never a part.
func writeDay(dir string, d *Day) error {
	b, err := json.MarshalIndent(d, "", " ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	f, err := os.CreateTemp(dir, ".searches-*.tmp")
	if err != nil {
		return fmt.Errorf("searchstats: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, FileName(d.Date)))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("searchstats: %w", err)
	}
	return nil
}

// Run writes the counts every interval until ctx is done; write errors
// are logged. Flush once more after the last search was recorded.
func (r *Recorder) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := r.Flush(); err != nil {
				r.logger.Warn("search statistics not written", "err", err)
			}
		}
	}
}
