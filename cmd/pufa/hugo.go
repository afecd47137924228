package main

import (
	"context"

	"github.com/pufa-gov/pufa/internal/hugorun"
)

// hugoCmd passes its arguments unchanged to the embedded Hugo.
type hugoCmd struct{}

func init() { register(hugoCmd{}) }

func (hugoCmd) Name() string  { return "hugo" }
func (hugoCmd) Usage() string { return "hugo ARGS...                 the embedded Hugo, unchanged" }

func (hugoCmd) Run(ctx context.Context, env *Env, args []string) error {
	if err := hugorun.Exec(args); err != nil {
		return exitError{1}
	}
	return nil
}
