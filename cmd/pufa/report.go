package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/pufa-gov/pufa/internal/searchstats"
)

// reportCmd summarises what the server recorded for the staff.
type reportCmd struct{}

func init() { register(reportCmd{}) }

func (reportCmd) Name() string { return "report" }
func (reportCmd) Usage() string {
	return "report searches [--out DIR] [--since YYYY-MM-DD] [--top N] [--json]   what residents searched for: most frequent, no results, few results"
}

// poorRule states in the report which searches count as poor.
var poorRule = fmt.Sprintf("最近一次搜索时有结果，但少于 %d 条", searchstats.PoorResults)

// searchReport is the JSON form of the report.
type searchReport struct {
	From string `json:"from"`
	To   string `json:"to"`
	Days int    `json:"days"`
	// Searches counts every search; NoResults those that found nothing.
	Searches  int64 `json:"searches"`
	NoResults int64 `json:"no_results"`
	Distinct  int   `json:"distinct"`
	// Top, Unanswered and Poor list queries most searched first.
	Top        []searchstats.Query `json:"top"`
	Unanswered []searchstats.Query `json:"unanswered"`
	Poor       []searchstats.Query `json:"poor"`
	PoorRule   string              `json:"poor_rule"`
	Other      searchstats.Other   `json:"other"`
}

func (c reportCmd) Run(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, c)
	out := fs.String("out", "build", "output `DIR` of the server (its statistics are in DIR/stats)")
	since := fs.String("since", "", "only days from `YYYY-MM-DD` on")
	top := fs.Int("top", 20, "list at most `N` queries in each part")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) == 0:
		return fmt.Errorf("%w: say what to report: searches", errUsage)
	case rest[0] != "searches":
		return fmt.Errorf("%w: cannot report %q, only searches", errUsage, rest[0])
	case len(rest) > 1:
		return fmt.Errorf("%w: unexpected argument %q", errUsage, rest[1])
	case *top < 1:
		return fmt.Errorf("%w: --top must be at least 1", errUsage)
	}
	if *since != "" {
		if _, err := time.Parse(time.DateOnly, *since); err != nil {
			return fmt.Errorf("%w: --since %q is not a date YYYY-MM-DD", errUsage, *since)
		}
	}
	dir := *out
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(env.Dir, dir)
	}
	dir = filepath.Join(dir, searchstats.Dir)
	days, err := searchstats.ReadDir(dir, *since)
	if err != nil {
		return err
	}
	s := searchstats.Summarize(days)
	rep := searchReport{
		From: s.From, To: s.To, Days: s.Days, Searches: s.Searches, NoResults: s.NoResults,
		Distinct: len(s.Queries), Top: s.Top(*top), Unanswered: s.Unanswered(*top), Poor: s.Poor(*top),
		PoorRule: poorRule, Other: s.Other,
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	writeSearchReport(env.Stdout, &rep, dir, *since)
	return nil
}

func writeSearchReport(w io.Writer, rep *searchReport, dir, since string) {
	if rep.Days == 0 {
		fmt.Fprintf(w, "还没有搜索统计（%s 中没有", dir)
		if since != "" {
			fmt.Fprintf(w, " %s 以来的", since)
		}
		fmt.Fprintln(w, "记录）。pufa serve 运行时每分钟记录一次居民的搜索。")
		return
	}
	fmt.Fprintf(w, "搜索统计：%s 至 %s，共 %d 天有记录；%d 次搜索（其中 %d 次没有结果），%d 个不同的搜索词\n",
		rep.From, rep.To, rep.Days, rep.Searches, rep.NoResults, rep.Distinct)
	fmt.Fprintf(w, "统计文件：%s\n", dir)
	part := func(title string, qs []searchstats.Query) {
		fmt.Fprintf(w, "\n%s\n", title)
		if len(qs) == 0 {
			fmt.Fprintln(w, "  （无）")
			return
		}
		fmt.Fprintf(w, "  %6s  %7s  %7s  %s\n", "次数", "无结果次数", "最近结果数", "搜索词")
		for _, q := range qs {
			fmt.Fprintf(w, "  %8d  %12d  %12d  %s\n", q.Searches, q.NoResults, q.LastTotal, q.Query)
		}
	}
	part(fmt.Sprintf("一、最常搜索的词（前 %d 个，按搜索次数排序）", len(rep.Top)), rep.Top)
	part("二、没有结果的搜索词（最近一次搜索时结果为 0 条；按搜索次数排序）", rep.Unanswered)
	part("三、结果很少的搜索词（"+rep.PoorRule+"；按搜索次数排序）", rep.Poor)
	if rep.Other.Searches > 0 {
		fmt.Fprintf(w, "\n另有 %d 次搜索（其中 %d 次没有结果）只计了总数，没有记录搜索词：搜索词含有电话号码、身份证号等可能识别个人的内容，"+
			"或当天不同的搜索词已超过 %d 个。\n", rep.Other.Searches, rep.Other.NoResults, searchstats.DefaultMaxQueries)
	}
	fmt.Fprintln(w, "\n提示：居民的说法与法规用语不同时（如“低保”与“最低生活保障”），在 site/data/synonyms.yaml 中添加对应关系，"+
		"重新生成后生效；用 pufa search --explain 搜索词 查看效果。")
}
