package searchstats

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"
)

// PoorResults: a search that finds fewer results than this, but some,
// found poorly: the resident's words are likely not the site's.
const PoorResults = 3

// Summary is the statistics of several days, each text's counts added up.
type Summary struct {
	// From and To are the first and last day with a file ("" for none).
	From string `json:"from"`
	To   string `json:"to"`
	Days int    `json:"days"`
	// Searches counts every search, Other's included; NoResults those
	// that found nothing.
	Searches  int64 `json:"searches"`
	NoResults int64 `json:"no_results"`
	// Queries are the texts, most searched first; a text's LastTotal is
	// from the latest day it was searched.
	Queries []Query `json:"queries"`
	Other   Other   `json:"other"`
}

var dayFile = regexp.MustCompile(`^searches-(\d{4}-\d{2}-\d{2})\.json$`)

// ReadDir reads the day files in dir from the day since on (YYYY-MM-DD;
// "" for all), in date order. A missing dir has no days.
func ReadDir(dir, since string) ([]Day, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var days []Day
	for _, e := range entries {
		m := dayFile.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		if _, err := time.Parse(time.DateOnly, m[1]); err != nil || m[1] < since {
			continue
		}
		d, err := ReadDay(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		if d.Date != m[1] {
			return nil, fmt.Errorf("%s: holds the day %q", e.Name(), d.Date)
		}
		days = append(days, *d)
	}
	slices.SortFunc(days, func(a, b Day) int {
		switch {
		case a.Date < b.Date:
			return -1
		case a.Date > b.Date:
			return 1
		}
		return 0
	})
	return days, nil
}

// Summarize adds up days given in date order.
func Summarize(days []Day) *Summary {
	s := &Summary{Days: len(days), Queries: []Query{}}
	if len(days) > 0 {
		s.From, s.To = days[0].Date, days[len(days)-1].Date
	}
	byText := map[string]int{}
	for _, d := range days {
		for _, q := range d.Queries {
			s.Searches += q.Searches
			s.NoResults += q.NoResults
			i, ok := byText[q.Query]
			if !ok {
				byText[q.Query] = len(s.Queries)
				s.Queries = append(s.Queries, q)
				continue
			}
			t := &s.Queries[i]
			t.Searches += q.Searches
			t.NoResults += q.NoResults
			// A later day's: the site may have learnt the words since.
			t.LastTotal = q.LastTotal
		}
		s.Searches += d.Other.Searches
		s.NoResults += d.Other.NoResults
		s.Other.Searches += d.Other.Searches
		s.Other.NoResults += d.Other.NoResults
	}
	SortQueries(s.Queries)
	return s
}

// Top returns the n most searched texts.
func (s *Summary) Top(n int) []Query { return first(s.Queries, n, func(Query) bool { return true }) }

// Unanswered returns the n most searched texts whose latest search found
// nothing.
func (s *Summary) Unanswered(n int) []Query {
	return first(s.Queries, n, func(q Query) bool { return q.LastTotal == 0 })
}

// Poor returns the n most searched texts whose latest search found some
// results but fewer than PoorResults.
func (s *Summary) Poor(n int) []Query {
	return first(s.Queries, n, func(q Query) bool { return q.LastTotal > 0 && q.LastTotal < PoorResults })
}

func first(qs []Query, n int, keep func(Query) bool) []Query {
	out := []Query{}
	for _, q := range qs {
		if len(out) == n {
			break
		}
		if keep(q) {
			out = append(out, q)
		}
	}
	return out
}
