// Package gitsync brings the content repository up to date: Pull runs
// "git pull --ff-only" in it, and Hook answers the push notification a
// git host sends (a webhook signed with HMAC-SHA256), asking for a pull
// and a build.
//
// Nothing from a notification's body is ever used: a verified delivery
// only says "look again". The repository to pull, the remote and the
// branch are the ones configured in the checkout.
package gitsync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// DefaultTimeout bounds one pull when the caller gives none.
const DefaultTimeout = 2 * time.Minute

// Result is the outcome of a pull.
type Result struct {
	// Before and After are the commit checked out before and after.
	Before, After string
	// Output is what git printed, trimmed.
	Output string
}

// Changed reports whether the pull moved the checkout to another commit.
func (r Result) Changed() bool { return r.Before != r.After }

// Pull runs "git pull --ff-only" in dir (any folder inside the checkout)
// with no shell, no terminal prompts and a time limit. A pull that would
// need a merge fails, leaving the checkout as it was.
func Pull(ctx context.Context, dir string, timeout time.Duration) (Result, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var res Result
	var err error
	if res.Before, err = git(ctx, dir, "rev-parse", "HEAD"); err != nil {
		return res, err
	}
	out, err := git(ctx, dir, "pull", "--ff-only", "--no-rebase", "--quiet")
	res.Output = out
	if err != nil {
		if ctx.Err() != nil {
			return res, fmt.Errorf("git pull in %s: timed out after %v", dir, timeout)
		}
		return res, err
	}
	if res.After, err = git(ctx, dir, "rev-parse", "HEAD"); err != nil {
		return res, err
	}
	return res, nil
}

// git runs one git command in dir and returns its trimmed output.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(),
		"GIT_TERMINAL_PROMPT=0", // never wait for a password
		"GIT_ASKPASS=",          // nor ask a helper program for one
		"SSH_ASKPASS=",          //
		"GIT_SSH_COMMAND=ssh -oBatchMode=yes",
		"LC_ALL=C", // messages in one language, for logs
	)
	cmd.Stdin = nil
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	// Do not wait for grandchildren (ssh) holding the pipes after a kill.
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	text := strings.TrimSpace(out.String())
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return text, fmt.Errorf("git is not installed: %w", err)
		}
		msg := text
		if msg == "" {
			msg = err.Error()
		}
		return text, fmt.Errorf("git %s in %s: %s", args[0], dir, msg)
	}
	return text, nil
}
