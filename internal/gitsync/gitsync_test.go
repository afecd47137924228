package gitsync

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// run runs a command in dir and fails the test on error.
func run(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_AUTHOR_NAME=编辑", "GIT_AUTHOR_EMAIL=editor@example.gov.cn",
		"GIT_COMMITTER_NAME=编辑", "GIT_COMMITTER_EMAIL=editor@example.gov.cn",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// repos makes an origin repository with one commit, a checkout of it (the
// server's content) and a second checkout (an editor's).
func repos(t *testing.T) (checkout, editor string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	origin := filepath.Join(dir, "origin.git")
	run(t, dir, "git", "init", "--quiet", "--bare", "--initial-branch=main", origin)
	editor = filepath.Join(dir, "editor")
	run(t, dir, "git", "clone", "--quiet", origin, editor)
	os.MkdirAll(filepath.Join(editor, "content", "news"), 0o755)
	os.WriteFile(filepath.Join(editor, "content", "news", "a.md"), []byte("---\ntitle: 通知\n---\n"), 0o644)
	run(t, editor, "git", "add", ".")
	run(t, editor, "git", "commit", "--quiet", "-m", "first")
	run(t, editor, "git", "push", "--quiet", "origin", "HEAD:main")
	checkout = filepath.Join(dir, "checkout")
	run(t, dir, "git", "clone", "--quiet", "--branch", "main", origin, checkout)
	return checkout, editor
}

func editAndPush(t *testing.T, editor, text string) {
	t.Helper()
	os.WriteFile(filepath.Join(editor, "content", "news", "a.md"), []byte("---\ntitle: "+text+"\n---\n"), 0o644)
	run(t, editor, "git", "commit", "--quiet", "-am", text)
	run(t, editor, "git", "push", "--quiet", "origin", "HEAD:main")
}

func TestPull(t *testing.T) {
	checkout, editor := repos(t)
	// Pull from a sub-folder: --content names the content folder.
	content := filepath.Join(checkout, "content")
	res, err := Pull(context.Background(), content, 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed() {
		t.Errorf("pull with nothing new reports a change: %+v", res)
	}
	editAndPush(t, editor, "新通知")
	res, err = Pull(context.Background(), content, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed() || res.After != run(t, editor, "git", "rev-parse", "HEAD") {
		t.Errorf("pull after a push = %+v, want the editor's commit", res)
	}
	data, _ := os.ReadFile(filepath.Join(content, "news", "a.md"))
	if !strings.Contains(string(data), "新通知") {
		t.Errorf("checkout not updated: %s", data)
	}
}

func TestPullRefusesToMerge(t *testing.T) {
	checkout, editor := repos(t)
	// Someone edited the server's checkout by hand, and the editor pushed.
	os.WriteFile(filepath.Join(checkout, "content", "news", "b.md"), []byte("local"), 0o644)
	run(t, checkout, "git", "add", ".")
	run(t, checkout, "git", "-c", "user.name=x", "-c", "user.email=x@example.gov.cn", "commit", "--quiet", "-m", "local")
	before := run(t, checkout, "git", "rev-parse", "HEAD")
	editAndPush(t, editor, "远端")
	_, err := Pull(context.Background(), checkout, 0)
	if err == nil {
		t.Fatal("pull of a diverged checkout succeeded")
	}
	if after := run(t, checkout, "git", "rev-parse", "HEAD"); after != before {
		t.Errorf("failed pull moved HEAD from %s to %s", before, after)
	}
}

func TestPullErrors(t *testing.T) {
	checkout, _ := repos(t)
	if _, err := Pull(context.Background(), t.TempDir(), 0); err == nil || !strings.Contains(err.Error(), "rev-parse") {
		t.Errorf("pull outside a repository = %v", err)
	}
	if _, err := Pull(context.Background(), checkout, time.Nanosecond); err == nil {
		t.Error("pull with a 1ns time limit succeeded")
	}
	// A remote that does not exist: the error says so, nothing hangs.
	run(t, checkout, "git", "remote", "set-url", "origin", filepath.Join(t.TempDir(), "gone.git"))
	start := time.Now()
	if _, err := Pull(context.Background(), checkout, 30*time.Second); err == nil {
		t.Error("pull from a missing remote succeeded")
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("failed pull took %v", d)
	}
}
