package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/pufa-gov/pufa/indexer"
	"github.com/pufa-gov/pufa/internal/release"
)

// searchCmd queries the built index from the shell.
type searchCmd struct{}

func init() { register(searchCmd{}) }

func (searchCmd) Name() string { return "search" }
func (searchCmd) Usage() string {
	return "search [--out DIR] [--json] [--type KIND] [--explain] QUERY      query the built index from the shell; --explain shows why each result ranked"
}

func (c searchCmd) Run(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, c)
	out := fs.String("out", "build", "output `DIR` of a build")
	asJSON := fs.Bool("json", false, "print the result as JSON (the /api/search shape)")
	kind := fs.String("type", "", "only results of this `KIND`: law, article, catalog, campaign, news")
	size := fs.Int("size", 10, "number of results")
	explain := fs.Bool("explain", false, "show how the query was understood and why each result ranked (with --json, in the JSON)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return fmt.Errorf("%w: missing QUERY", errUsage)
	}
	dir := *out
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(env.Dir, dir)
	}
	_, relDir, err := release.Out{Root: dir}.Current()
	if err != nil {
		return fmt.Errorf("%s: %w (run pufa build first)", dir, err)
	}
	ix, err := indexer.Open(relDir)
	if err != nil {
		return err
	}
	defer ix.Close()
	q := indexer.Query{Text: strings.Join(rest, " "), Size: *size, Filters: map[string]string{}, Explain: *explain}
	if *kind != "" {
		q.Filters["type"] = *kind
	}
	res, err := ix.Search(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(env.Stdout, "%d results for %q (%d ms)\n", res.Total, res.Query, res.TookMS)
	if res.Suggestion != "" {
		fmt.Fprintf(env.Stdout, "did you mean: %s\n", res.Suggestion)
	}
	if res.Explain != nil {
		writeUnderstanding(env.Stdout, res.Explain)
	}
	for i, h := range res.Hits {
		fmt.Fprintf(env.Stdout, "%2d. [%s] %s\n    %s\n    %s\n", i+1, h.Type, h.Title, h.URL, plainSnippet(h.Snippet))
		if h.Explain != nil {
			writeExplanation(env.Stdout, h.Explain)
		}
	}
	return nil
}

var markTag = regexp.MustCompile(`</?mark>`)

// plainSnippet shows a snippet on a terminal: marks as 【】, entities decoded.
func plainSnippet(s string) string {
	s = markTag.ReplaceAllStringFunc(s, func(t string) string {
		if t == "<mark>" {
			return "【"
		}
		return "】"
	})
	return html.UnescapeString(s)
}
