// Package hugorun runs the embedded Hugo in-process.
//
// Hugo keeps process-wide state (loggers, caches), so runs are serialised:
// at most one Hugo build runs at a time in a process.
//
// Build drives Hugo's library directly rather than its command line, for
// one reason: Hugo reports many broken things only in its log (a missing
// layout, a ref to a page that does not exist when refLinksErrorLevel is
// "warning", a warnf in a template) and still exits 0. Owning the logger
// lets Build see every warning and error with its message, count them, and
// fail the build on them.
package hugorun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/commands"
	"github.com/gohugoio/hugo/common/herrors"
	"github.com/gohugoio/hugo/common/hmaps"
	"github.com/gohugoio/hugo/common/hugo"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/spf13/fsync"
)

var mu sync.Mutex

// Exec runs Hugo with args exactly as the hugo command would, printing to
// the process's standard streams.
func Exec(args []string) error {
	mu.Lock()
	defer mu.Unlock()
	err := commands.Execute(args)
	if err != nil {
		for _, e := range herrors.Errors(err) {
			fmt.Fprintf(os.Stderr, "Error: %v\n", e)
		}
	}
	return err
}

// Options describe one site build.
type Options struct {
	// Site is the Hugo project directory (holding hugo.toml).
	Site string
	// Content replaces the site's content directory when not empty.
	Content string
	// Themes is the themes directory; empty means the site's setting.
	Themes string
	// Dest is the directory Hugo renders into. It must not exist or be empty.
	Dest string
	// BaseURL overrides the configured baseURL when not empty.
	BaseURL string
	// Drafts includes draft, future and expired pages when true.
	Drafts bool
	// CacheDir is Hugo's file cache; empty means a directory under Dest's parent.
	CacheDir string
	// AllowWarnings lets a build that logged warnings succeed. By default
	// a warning fails the build as an error does.
	AllowWarnings bool
	// Log receives each warning and error Hugo logged, one a line; nil
	// discards them (they are in the returned error when they fail the
	// build).
	Log io.Writer
}

// LogError is a build that rendered but logged errors, or warnings when
// they are not allowed. Lines are the messages, in the order logged.
type LogError struct {
	Errors, Warnings int
	Lines            []string
}

func (e *LogError) Error() string {
	var b strings.Builder
	switch {
	case e.Errors > 0 && e.Warnings > 0:
		fmt.Fprintf(&b, "logged %d error(s) and %d warning(s)", e.Errors, e.Warnings)
	case e.Errors > 0:
		fmt.Fprintf(&b, "logged %d error(s)", e.Errors)
	default:
		fmt.Fprintf(&b, "logged %d warning(s); a warning fails the build", e.Warnings)
	}
	for _, l := range e.Lines {
		b.WriteString("\n")
		b.WriteString(l)
	}
	return b.String()
}

// collector records what Hugo logs at warning level and above.
type collector struct {
	mu              sync.Mutex
	errors, warns   int
	lines           []string
	w               io.Writer
	suppressedLines int
}

// maxLines bounds the messages kept: a theme bug can log one per page.
const maxLines = 50

var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

func (c *collector) handle(e *logg.Entry) error {
	if e.Level < logg.LevelWarn {
		return nil
	}
	msg := strings.TrimSpace(ansiRE.ReplaceAllString(e.Message, ""))
	level := "WARN"
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.Level >= logg.LevelError {
		c.errors++
		level = "ERROR"
	} else {
		c.warns++
	}
	line := level + " " + msg
	if len(c.lines) < maxLines {
		c.lines = append(c.lines, line)
	} else {
		c.suppressedLines++
	}
	if c.w != nil {
		fmt.Fprintln(c.w, line)
	}
	return nil
}

func (c *collector) logger(suppress map[string]bool) loggers.Logger {
	return loggers.New(loggers.Options{
		Level:              logg.LevelWarn,
		DistinctLevel:      logg.LevelWarn, // each distinct message once
		StdOut:             io.Discard,
		StdErr:             io.Discard,
		HandlerPost:        c.handle,
		SuppressStatements: suppress,
	})
}

// Build renders the site into opts.Dest. Errors reported by Hugo are
// returned joined, each naming its file and line where Hugo knows it; a
// build that logged errors (or warnings, unless allowed) returns a
// *LogError listing them.
func Build(ctx context.Context, opts Options) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	abs := func(p string) (string, error) {
		if p == "" {
			return "", nil
		}
		return filepath.Abs(p)
	}
	var err error
	var site, content, themes, dest, cache string
	if site, err = abs(opts.Site); err != nil {
		return err
	}
	if content, err = abs(opts.Content); err != nil {
		return err
	}
	if themes, err = abs(opts.Themes); err != nil {
		return err
	}
	if dest, err = abs(opts.Dest); err != nil {
		return err
	}
	if cache, err = abs(opts.CacheDir); err != nil {
		return err
	}
	if cache == "" {
		cache = filepath.Join(filepath.Dir(dest), ".hugo-cache")
	}

	// What "hugo build --source site --destination dest …" sets.
	cfg := config.New()
	cfg.Set("workingDir", site)
	cfg.Set("environment", hugo.EnvironmentProduction)
	cfg.Set("internal", hmaps.Params{"running": false, "watch": false, "verbose": false, "fastRenderMode": false, "quiet": true})
	cfg.Set("publishDir", dest)
	cfg.Set("cacheDir", cache)
	cfg.Set("noBuildLock", true)
	if content != "" {
		cfg.Set("contentDir", content)
	}
	if themes != "" {
		cfg.Set("themesDir", themes)
	}
	if opts.BaseURL != "" {
		cfg.Set("baseURL", opts.BaseURL)
	}
	if opts.Drafts {
		cfg.Set("buildDrafts", true)
		cfg.Set("buildFuture", true)
	}

	mu.Lock()
	defer mu.Unlock()
	col := &collector{w: opts.Log}
	logger := col.logger(nil)
	// Deprecation notices and some template functions log through
	// Hugo's global logger.
	prev := loggers.Log()
	loggers.SetGlobalLogger(logger)
	defer loggers.SetGlobalLogger(prev)

	configs, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Flags:       cfg,
		Fs:          hugofs.Os,
		Environment: hugo.EnvironmentProduction,
		Logger:      logger,
	})
	if err != nil {
		return fmt.Errorf("hugo: config: %w", joinHugo(err))
	}
	if len(configs.LoadingInfo.ConfigFiles) == 0 {
		return fmt.Errorf("hugo: no hugo.toml in %s", site)
	}
	cfg.Set("publishDir", configs.Base.PublishDir)
	cfg.Set("publishDirStatic", configs.Base.PublishDir)
	cfg.Set("publishDirDynamic", configs.Base.PublishDir)
	fs := hugofs.NewFromSourceAndDestination(hugofs.Os, hugofs.Os, cfg)

	siteLogger := col.logger(configs.GetFirstLanguageConfig().IgnoredLogs())
	h, err := hugolib.NewHugoSites(deps.DepsCfg{
		Configs:    configs,
		Fs:         fs,
		TestLogger: siteLogger, // the field's name notwithstanding: the logger the sites use
		StdOut:     io.Discard,
		StdErr:     io.Discard,
		LogLevel:   logg.LevelWarn,
	})
	if err != nil {
		return fmt.Errorf("hugo: %w", joinHugo(err))
	}
	defer h.Close()

	var wg sync.WaitGroup
	var staticErr error
	wg.Go(func() { staticErr = copyStatic(h, fs, configs) })
	buildErr := h.Build(hugolib.BuildCfg{NoBuildLock: true})
	wg.Wait()

	col.mu.Lock()
	logErr := &LogError{Errors: col.errors, Warnings: col.warns, Lines: col.lines}
	if col.suppressedLines > 0 {
		logErr.Lines = append(logErr.Lines, fmt.Sprintf("… and %d more", col.suppressedLines))
	}
	col.mu.Unlock()
	switch {
	case buildErr != nil && logErr.Errors > 0 && strings.HasPrefix(buildErr.Error(), "logged "):
		// Hugo's own "logged N error(s)": say which.
		return fmt.Errorf("hugo: %w", logErr)
	case buildErr != nil:
		return fmt.Errorf("hugo: %w", joinHugo(buildErr))
	case staticErr != nil:
		return fmt.Errorf("hugo: static files: %w", staticErr)
	case logErr.Errors > 0 || logErr.Warnings > 0 && !opts.AllowWarnings:
		return fmt.Errorf("hugo: %w", logErr)
	}
	return nil
}

// copyStatic copies the project's and the theme's static folders into the
// web root, as the hugo command does beside rendering.
func copyStatic(h *hugolib.HugoSites, fs *hugofs.Fs, configs *allconfig.Configs) error {
	for _, sfs := range h.BaseFs.SourceFilesystems.Static {
		syncer := fsync.NewSyncer()
		syncer.NoTimes = configs.Base.NoTimes
		syncer.NoChmod = configs.Base.NoChmod
		syncer.ChmodFilter = func(dst, src os.FileInfo) bool {
			return src.IsDir() || src.Mode().Perm()&0o200 == 0
		}
		syncer.SrcFs = sfs.Fs
		syncer.DestFs = fs.PublishDirStatic
		// Sync(destination, source), within the two file systems.
		to := string(filepath.Separator)
		if sfs.PublishFolder != "" {
			to = filepath.Join(to, sfs.PublishFolder)
		}
		if err := syncer.Sync(to, string(filepath.Separator)); err != nil && !herrors.IsNotExist(err) {
			return err
		}
	}
	return nil
}

// joinHugo flattens Hugo's error list into one error with a line per cause.
func joinHugo(err error) error {
	errs := herrors.Errors(err)
	if len(errs) <= 1 {
		return err
	}
	var b strings.Builder
	for i, e := range errs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Error())
	}
	return errors.New(b.String())
}
