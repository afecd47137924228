package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pufa-gov/pufa/internal/campaign"
)

// newCmd scaffolds content pages. The only kind is a campaign page, whose
// dates it computes from the campaign calendar.
type newCmd struct{}

func init() { register(newCmd{}) }

func (newCmd) Name() string { return "new" }
func (newCmd) Usage() string {
	return "new campaign FESTIVAL YEAR [--content DIR] [--site DIR] [--force]   scaffold a campaign page with its computed date"
}

func (c newCmd) Run(ctx context.Context, env *Env, args []string) error {
	flags := newFlagSet(env, c)
	content := flags.String("content", "content", "content `DIR` to write into")
	site := flags.String("site", "site", "Hugo site `DIR` whose data/campaigns.yaml holds the announced windows")
	force := flags.Bool("force", false, "overwrite an existing page")
	rest, err := parseFlags(flags, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return fmt.Errorf("%w: missing kind (want campaign)", errUsage)
	}
	if rest[0] != "campaign" {
		return fmt.Errorf("%w: unknown kind %q (want campaign)", errUsage, rest[0])
	}
	if len(rest) != 3 {
		return fmt.Errorf("%w: want FESTIVAL and YEAR after campaign", errUsage)
	}
	fest, ok := campaign.Lookup(rest[1])
	if !ok {
		return fmt.Errorf("%w: %w %q; known: %s", errUsage, campaign.ErrUnknownFestival, rest[1], knownFestivals())
	}
	year, err := parseYear(rest[2])
	if err != nil {
		return err
	}
	cal, err := loadCalendar(env, *site, flagGiven(flags, "site"))
	if err != nil {
		return err
	}
	o, err := cal.Occurrence(fest, year)
	if err != nil {
		return err
	}
	var page bytes.Buffer
	if err := campaign.WritePage(&page, o); err != nil {
		return err
	}
	file := filepath.Join(absIn(env.Dir, *content), filepath.FromSlash(campaign.PagePath(o)))
	shown := displayPath(env.Dir, file)
	if err := writeNewFile(file, page.Bytes(), *force); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists (use --force to overwrite)", shown)
		}
		return err
	}
	fmt.Fprintf(env.Stdout, "created %s\n", shown)
	fmt.Fprintf(env.Stdout, "  %s %s, window %s, publishDate %s, draft\n",
		fest.Name, o.Span, o.Window, campaign.PublishDate(o).Format(campaign.FrontMatterTime))
	if o.Provisional {
		fmt.Fprintf(env.Stderr, "pufa new: %s %d is not in the campaign data yet: its dates are provisional (fallback rule: %s)\n",
			fest.Name, year, fest.Rule)
	}
	return nil
}

// knownFestivals lists the festival keys with their names for messages.
func knownFestivals() string {
	var parts []string
	for _, f := range campaign.Festivals() {
		parts = append(parts, fmt.Sprintf("%s (%s)", f.Key, f.Name))
	}
	return strings.Join(parts, ", ")
}

// writeNewFile writes data to path, creating its folder. Unless force is
// set it fails with fs.ErrExist when the file exists; with force it
// replaces the file in one rename, so a reader never sees half a page.
func writeNewFile(path string, data []byte, force bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create folder: %w", err)
	}
	if !force {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return fmt.Errorf("create %s: %w", path, err)
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			os.Remove(path)
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			os.Remove(path)
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".pufa-new-*")
	if err != nil {
		return fmt.Errorf("create temporary file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("chmod %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return nil
}
