package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pufa-gov/pufa/internal/campaign"
)

// calendarCmd prints the campaign dates of a year.
type calendarCmd struct{}

func init() { register(calendarCmd{}) }

func (calendarCmd) Name() string { return "calendar" }
func (calendarCmd) Usage() string {
	return "calendar [--site DIR] [--windows] [YEAR]   the campaign dates of a year (default: this year)"
}

func (c calendarCmd) Run(ctx context.Context, env *Env, args []string) error {
	flags := newFlagSet(env, c)
	site := flags.String("site", "site", "Hugo site `DIR` whose data/campaigns.yaml holds the announced windows")
	windows := flags.Bool("windows", false, "also print each campaign window")
	rest, err := parseFlags(flags, args)
	if err != nil {
		return err
	}
	year := campaign.Today().Year
	switch len(rest) {
	case 0:
	case 1:
		if year, err = parseYear(rest[0]); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%w: unexpected argument %q", errUsage, rest[1])
	}
	cal, err := loadCalendar(env, *site, flagGiven(flags, "site"))
	if err != nil {
		return err
	}
	occ, err := cal.Year(year)
	if err != nil {
		return err
	}
	for _, o := range occ {
		fmt.Fprintln(env.Stdout, calendarLine(o, *windows))
	}
	return nil
}

// calendarLine formats one occurrence, e.g. "2027-04-05  清明节  (qingming)".
func calendarLine(o campaign.Occurrence, windows bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s  (%s)", o.Span, o.Festival.Name, o.Festival.Key)
	if windows && !o.Festival.IsPeriod() {
		fmt.Fprintf(&b, "  宣传期 %s", o.Window)
	}
	if o.Provisional {
		b.WriteString("  暂定，以当年通知为准")
	}
	return b.String()
}

// parseYear parses a YEAR argument.
func parseYear(s string) (int, error) {
	y, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%w: year %q: want a number such as 2027", errUsage, s)
	}
	if y < campaign.MinYear || y > campaign.MaxYear {
		return 0, fmt.Errorf("%w: year %d: %w", errUsage, y, campaign.ErrYearRange)
	}
	return y, nil
}

// flagGiven reports whether the named flag was set on the command line.
func flagGiven(flags *flag.FlagSet, name string) bool {
	given := false
	flags.Visit(func(f *flag.Flag) {
		if f.Name == name {
			given = true
		}
	})
	return given
}

// loadCalendar reads SITE/data/campaigns.yaml. Without --site a missing
// file only means that no windows have been announced; with --site it is an
// error, since the folder was named on purpose.
func loadCalendar(env *Env, site string, explicit bool) (*campaign.Calendar, error) {
	path := filepath.Join(absIn(env.Dir, site), "data", "campaigns.yaml")
	src, err := os.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return campaign.New(nil), nil
		}
		return nil, fmt.Errorf("read campaign data: %w", err)
	}
	data, err := campaign.ParseData(displayPath(env.Dir, path), src)
	if err != nil {
		return nil, err
	}
	return campaign.New(data), nil
}

// displayPath shows p relative to dir when it lies inside it.
func displayPath(dir, p string) string {
	if rel, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return p
}
