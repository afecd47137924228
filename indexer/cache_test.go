package indexer

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
)

func siteIndex(t testing.TB) *Index {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "r")
	if _, err := BuildIndex(context.Background(), site(), dir, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func TestCachedSearch(t *testing.T) {
	ctx := context.Background()
	ix := siteIndex(t)
	cache := NewResultCache(2)
	c := cache.For(ix, "r1")
	want, err := ix.Search(ctx, Query{Text: "慈善"})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name       string
		q          Query
		hits, miss int64
	}{
		{"first time", Query{Text: "慈善"}, 0, 1},
		{"again", Query{Text: "慈善"}, 1, 1},
		{"normalised the same", Query{Text: "  慈善 ", Page: 1, Size: DefaultSize, Sort: "relevance", Filters: map[string]string{"type": ""}}, 2, 1},
		{"another page", Query{Text: "慈善", Page: 2}, 2, 2},
		{"a filter", Query{Text: "慈善", Filters: map[string]string{"type": "law"}}, 2, 3},
		{"evicted, least recently used", Query{Text: "慈善"}, 2, 4},
	}
	for _, s := range steps {
		res, err := c.Search(ctx, s.q)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		st := cache.Stats()
		if st.Hits != s.hits || st.Misses != s.miss {
			t.Errorf("%s: %d hits, %d misses; want %d, %d", s.name, st.Hits, st.Misses, s.hits, s.miss)
		}
		if s.q.Page <= 1 && len(s.q.Filters) == 0 {
			res.TookMS = want.TookMS
			if !reflect.DeepEqual(res, want) {
				t.Errorf("%s: result differs from the index's own:\n%+v\n%+v", s.name, res, want)
			}
		}
		if st.Entries > 2 {
			t.Errorf("%s: %d entries in a cache of 2", s.name, st.Entries)
		}
	}

	// Changing a result changes the caller's copy only.
	res, _ := c.Search(ctx, Query{Text: "殡葬"})
	res.Hits[0].Title = "改了"
	res.Facets["type"][0].Count = -1
	again, _ := c.Search(ctx, Query{Text: "殡葬"})
	if again.Hits[0].Title == "改了" || again.Facets["type"][0].Count == -1 {
		t.Error("a caller's change to a result reached the cache")
	}

	// A bad request is the index's error, and not cached.
	_, err = c.Search(ctx, Query{Text: "慈善", Page: MaxPage + 1})
	var pe *ParamError
	if !errors.As(err, &pe) || pe.Param != "page" {
		t.Errorf("page beyond the last = %v, want a ParamError for page", err)
	}

	// Another release starts empty.
	before := cache.Stats()
	c2 := cache.For(ix, "r2")
	if _, err := c2.Search(ctx, Query{Text: "殡葬"}); err != nil {
		t.Fatal(err)
	}
	if st := cache.Stats(); st.Misses != before.Misses+1 || st.Entries != 1 {
		t.Errorf("after switching release: %+v, want one more miss and one entry", st)
	}
}

func TestCachedSearchConcurrent(t *testing.T) {
	ctx := context.Background()
	cache := NewResultCache(0)
	c := cache.For(siteIndex(t), "r1")
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := []string{"慈善", "殡葬", "养老服务", "慈善信托"}[i%4]
			res, err := c.Search(ctx, Query{Text: q})
			if err == nil && res.Total == 0 {
				err = fmt.Errorf("%s: no hits", q)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if st := cache.Stats(); st.Misses > 4 || st.Hits+st.Misses != 64 {
		t.Errorf("64 searches of 4 queries: %+v, want at most 4 misses", st)
	}
}

// BenchmarkSearchMix runs a realistic mix of searches: a few questions
// asked over and over and a long tail asked once, on the index itself and
// through a ResultCache.
func BenchmarkSearchMix(b *testing.B) {
	ctx := context.Background()
	ix := siteIndex(b)
	popular := []string{"慈善", "殡葬", "养老服务", "慈善信托", "火葬", "捐赠"}
	// Four searches in five are popular ones; the fifth is new each time.
	query := func(i int) Query {
		if i%5 == 4 {
			return Query{Text: fmt.Sprintf("慈善活动%d", i)}
		}
		return Query{Text: popular[i%len(popular)]}
	}
	for _, bc := range []struct {
		name   string
		search func(context.Context, Query) (*Result, error)
	}{
		{"index", ix.Search},
		{"cached", NewResultCache(0).For(ix, "r").Search},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := bc.search(ctx, query(i)); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
