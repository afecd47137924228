// Command pufa builds, checks and serves the bureau's legal-education site.
//
// Each subcommand lives in its own file as a small struct with its own flags;
// this file only dispatches.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one subcommand of pufa.
type command interface {
	// Name is the word that selects the command, e.g. "build".
	Name() string
	// Usage is the one-line synopsis shown by "pufa help".
	Usage() string
	// Run executes the command with the arguments after its name.
	Run(ctx context.Context, env *Env, args []string) error
}

// Env is what a command may use from the process: streams and the working
// directory. Tests construct it to run the real program in-process.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	// Dir is the directory relative paths are resolved against.
	Dir string
}

// errUsage marks an error caused by bad command-line arguments (exit 2).
var errUsage = errors.New("usage")

// exitError carries an explicit exit status, e.g. 1 for "check found errors".
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

var commands = map[string]command{}

func register(c command) { commands[c.Name()] = c }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	wd, _ := os.Getwd()
	env := &Env{Stdout: os.Stdout, Stderr: os.Stderr, Dir: wd}
	os.Exit(run(ctx, env, os.Args[1:]))
}

// run executes pufa with args and returns the process exit status.
func run(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(env.Stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "pufa: unknown command %q\n\n", args[0])
		printHelp(env.Stderr)
		return 2
	}
	err := c.Run(ctx, env, args[1:])
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(env.Stderr, "pufa %s: %v\nusage: pufa %s\n", c.Name(), err, c.Usage())
		return 2
	default:
		fmt.Fprintf(env.Stderr, "pufa %s: %v\n", c.Name(), err)
		return 1
	}
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "pufa builds, checks and serves a public legal-education (普法) website.")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  pufa %s\n", commands[n].Usage())
	}
}

// newFlagSet returns a flag set for a subcommand that reports errors
// instead of exiting, writing usage to env.Stderr.
func newFlagSet(env *Env, c command) *flag.FlagSet {
	fs := flag.NewFlagSet("pufa "+c.Name(), flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "usage: pufa %s\n", c.Usage())
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, allowing flags after positional arguments, and
// wraps parse errors as usage errors.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
