package indexer

import (
	"container/list"
	"context"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultCacheSize is the number of result pages a ResultCache keeps when
// not told otherwise: at a few kilobytes a page, a few megabytes in all.
const DefaultCacheSize = 2048

// ResultCache keeps recent search results in memory, least recently used
// out first. Residents ask the same few questions (离婚冷静期, 遗嘱, 低保)
// far more often than any other, so a small cache answers most searches.
// One cache serves the indexes of successive releases (see For): results
// are keyed by release, so a new release never answers with the old one's
// results. It is safe for concurrent use.
type ResultCache struct {
	mu       sync.Mutex
	max      int
	ll       *list.List // of *cacheEntry, most recent first
	entries  map[string]*list.Element
	inflight map[string]*flight
	release  string

	hits, misses atomic.Int64
}

type cacheEntry struct {
	key string
	res *Result
}

// flight is a search in progress that identical requests wait for.
type flight struct {
	done chan struct{}
	res  *Result
	err  error
}

// NewResultCache returns a cache of up to size result pages; size <= 0
// means DefaultCacheSize.
func NewResultCache(size int) *ResultCache {
	if size <= 0 {
		size = DefaultCacheSize
	}
	return &ResultCache{max: size, ll: list.New(), entries: map[string]*list.Element{}, inflight: map[string]*flight{}}
}

// CacheStats counts the searches a cache answered and those it passed on.
type CacheStats struct {
	Hits, Misses int64
	Entries      int
}

// Stats returns the cache's counters.
func (c *ResultCache) Stats() CacheStats {
	c.mu.Lock()
	n := c.ll.Len()
	c.mu.Unlock()
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Entries: n}
}

// For returns ix as a Cached index whose results are kept under release,
// the id of the release ix belongs to. Results of every other release are
// dropped: a server calls For when it switches to a new release.
func (c *ResultCache) For(ix *Index, release string) *Cached {
	c.mu.Lock()
	if c.release != release {
		c.release = release
		c.ll.Init()
		clear(c.entries)
	}
	c.mu.Unlock()
	return &Cached{Index: ix, cache: c, release: release}
}

// Cached is an Index whose Search answers a request seen before from the
// cache. Everything else is the Index's own.
type Cached struct {
	*Index
	cache   *ResultCache
	release string
}

// Search runs q, or returns the result of an identical earlier request:
// the same normalised text, filters, page, size and order on the same
// release. Identical requests that arrive together run once. The result
// is the caller's own copy; TookMS is the time this call took.
func (c *Cached) Search(ctx context.Context, q Query) (*Result, error) {
	if q.Explain {
		// Explanations are for staff, rare and large: never kept.
		return c.Index.Search(ctx, q)
	}
	start := time.Now()
	if err := c.Validate(&q); err != nil {
		return nil, err
	}
	key := c.release + "\x00" + cacheKey(q)
	cc := c.cache
	cc.mu.Lock()
	if el, ok := cc.entries[key]; ok {
		cc.ll.MoveToFront(el)
		res := el.Value.(*cacheEntry).res
		cc.mu.Unlock()
		cc.hits.Add(1)
		return copyResult(res, start), nil
	}
	if f, ok := cc.inflight[key]; ok {
		cc.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if f.err != nil {
			// The first request failed, perhaps on its own deadline: try
			// this one's.
			return c.Index.Search(ctx, q)
		}
		cc.hits.Add(1)
		return copyResult(f.res, start), nil
	}
	f := &flight{done: make(chan struct{})}
	cc.inflight[key] = f
	cc.mu.Unlock()
	cc.misses.Add(1)

	f.res, f.err = c.Index.Search(ctx, q)
	cc.mu.Lock()
	delete(cc.inflight, key)
	if f.err == nil && cc.release == c.release {
		cc.entries[key] = cc.ll.PushFront(&cacheEntry{key: key, res: f.res})
		for cc.ll.Len() > cc.max {
			old := cc.ll.Back()
			cc.ll.Remove(old)
			delete(cc.entries, old.Value.(*cacheEntry).key)
		}
	}
	cc.mu.Unlock()
	close(f.done)
	if f.err != nil {
		return nil, f.err
	}
	return copyResult(f.res, start), nil
}

// cacheKey identifies a validated request: its normalised text, its
// filters in a fixed order, page, size and order.
func cacheKey(q Query) string {
	var b strings.Builder
	b.WriteString(q.Text)
	b.WriteByte(0)
	keys := slices.Collect(maps.Keys(q.Filters))
	sort.Strings(keys)
	for _, k := range keys {
		if v := q.Filters[k]; v != "" {
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(v)
			b.WriteByte(0)
		}
	}
	order := q.Sort
	if order == "relevance" {
		order = ""
	}
	b.WriteString(strconv.Itoa(q.Page) + "/" + strconv.Itoa(q.Size) + "/" + order)
	return b.String()
}

// copyResult returns a copy of r that the caller may change without
// changing the cached result.
func copyResult(r *Result, start time.Time) *Result {
	out := *r
	out.Hits = slices.Clone(r.Hits)
	out.Facets = make(map[string][]Facet, len(r.Facets))
	for k, v := range r.Facets {
		out.Facets[k] = slices.Clone(v)
	}
	out.TookMS = time.Since(start).Milliseconds()
	return &out
}
