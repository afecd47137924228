package pipeline

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/pufa-gov/pufa/indexer"
	"github.com/pufa-gov/pufa/internal/check"
	"github.com/pufa-gov/pufa/internal/release"
)

// Hugo's default front-matter keys, in order of precedence (its
// [frontmatter] configuration, which the site does not change): a page's
// publishDate falls back to its date.
var (
	publishKeys = []string{"publishdate", "pubdate", "published", "date"}
	expiryKeys  = []string{"expirydate", "unpublishdate"}
)

// NextChange returns the earliest moment after now at which the site
// changes by itself: a page whose publishDate is still ahead appears, or
// a page of the served release (releaseDir; empty for none) reaches its
// expiryDate. ok is false when nothing is scheduled.
//
// Pages scheduled for later are not in the release at all (Hugo does not
// render them), so their dates are read from the content's front matter
// the way Hugo reads them; expiry dates come from the manifest Hugo
// wrote. Drafts are never scheduled.
func NextChange(opts Options, releaseDir string, now time.Time) (next time.Time, ok bool, err error) {
	consider := func(t time.Time) {
		if t.After(now) && (!ok || t.Before(next)) {
			next, ok = t, true
		}
	}
	content := opts.Content
	if content == "" {
		content = filepath.Join(opts.Site, "..", "content")
	}
	err = filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != content && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".md", ".markdown", ".html", ".htm":
		default:
			return nil
		}
		pub, exp, err := pageDates(p)
		if err != nil {
			// The check stage reports broken front matter; a page it
			// cannot read schedules nothing.
			return nil
		}
		consider(pub)
		consider(exp)
		return nil
	})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("schedule: %w", err)
	}
	if releaseDir != "" {
		m, err := indexer.ReadManifest(filepath.Join(releaseDir, release.ManifestFile))
		if err != nil {
			return time.Time{}, false, fmt.Errorf("schedule: %w", err)
		}
		for i := range m.Pages {
			if e := m.Pages[i].ExpiryDate; e != nil {
				consider(*e)
			}
		}
	}
	return next, ok, nil
}

// pageDates reads a content file's publish and expiry dates (zero when
// absent); a draft has neither.
func pageDates(path string) (publish, expiry time.Time, err error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return publish, expiry, err
	}
	sp, err := check.SplitPage(src)
	if err != nil || sp.Format == check.NoFrontMatter {
		return publish, expiry, err
	}
	root, err := check.ParseFrontMatter(sp.Format, sp.FrontMatter)
	if err != nil {
		return publish, expiry, err
	}
	fields := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := strings.ToLower(root.Content[i].Value)
		if _, dup := fields[k]; !dup {
			fields[k] = root.Content[i+1]
		}
	}
	if n := fields["draft"]; n != nil {
		if b, err := strconv.ParseBool(n.Value); err == nil && b {
			return time.Time{}, time.Time{}, nil
		}
	}
	first := func(keys []string) time.Time {
		for _, k := range keys {
			if n := fields[k]; n != nil && n.Kind == yaml.ScalarNode {
				if t, ok := parseFrontMatterTime(n.Value); ok {
					return t
				}
			}
		}
		return time.Time{}
	}
	return first(publishKeys), first(expiryKeys), nil
}

// siteZone is the site's timeZone (hugo.toml), used for dates written
// without an offset, as Hugo does.
var siteZone = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

func parseFrontMatterTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, siteZone); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
