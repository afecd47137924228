package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pufa-gov/pufa/internal/pipeline"
)

// benchCmd measures the build on the whole law corpus: Hugo alone, a full
// build, a rebuild after a one-article edit and an unchanged rebuild, each
// stage's wall time, CPU time and peak memory (see BENCHMARKS.md).
type benchCmd struct{}

func init() { register(benchCmd{}) }

func (benchCmd) Name() string { return "bench" }
func (benchCmd) Usage() string {
	return "bench [--corpus DIR] [--work DIR] [--cpuprofile FILE]          measure builds of the site with the whole law corpus"
}

func (c benchCmd) Run(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, c)
	corpus := fs.String("corpus", "", "law corpus `DIR` (default: ../shared/corpus/laws beside the project)")
	work := fs.String("work", "", "work `DIR`, kept afterwards (default: a temporary folder, removed)")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the full build to `FILE`")
	workers := fs.Int("workers", 0, "goroutines analysing documents in a full build (default: one per CPU)")
	batch := fs.Int("batch", 0, "documents per segment in a full build (default: the indexer's)")
	edits := fs.Int("edits", 3, "number of one-article edits to build")
	inProcess := fs.Bool("in-process", false, "run every step in this process instead of one process each")
	step := fs.String("step", "", "run one step given as `JSON` and print its result (used by bench itself)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, rest[0])
	}
	if *step != "" {
		var s pipeline.BenchStep
		if err := json.Unmarshal([]byte(*step), &s); err != nil {
			return fmt.Errorf("%w: --step: %v", errUsage, err)
		}
		res, err := pipeline.RunBenchStep(ctx, s)
		if err != nil {
			return err
		}
		return json.NewEncoder(env.Stdout).Encode(res)
	}
	command := ""
	if !*inProcess {
		if command, err = os.Executable(); err != nil {
			return err
		}
	}
	root, err := projectRoot(env.Dir)
	if err != nil {
		return err
	}
	if *corpus == "" {
		*corpus = filepath.Join(root, "..", "shared", "corpus", "laws")
	}
	if _, err := os.Stat(*corpus); err != nil {
		return fmt.Errorf("%w: corpus: %v", errUsage, err)
	}
	dir := *work
	if dir == "" {
		if dir, err = os.MkdirTemp("", "pufa-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(env.Dir, p)
	}
	rep, err := pipeline.Bench(ctx, pipeline.BenchOptions{
		Root: root, Corpus: abs(*corpus), Work: abs(dir), CPUProfile: abs(*profile),
		Index: pipeline.IndexTuning{Workers: *workers, BatchSize: *batch}, Progress: env.Stderr,
		Command: command, Edits: *edits,
	})
	if err != nil {
		return err
	}
	return rep.WriteReport(env.Stdout)
}

// projectRoot finds the folder holding go.mod at or above dir.
func projectRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("bench: run inside the project (no go.mod above " + dir + ")")
		}
	}
}
