package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pufa-gov/pufa/internal/release"
	"github.com/pufa-gov/pufa/internal/server"
	"github.com/pufa-gov/pufa/internal/testenv"
)

var (
	pufaOnce sync.Once
	pufaBin  string
	pufaErr  error
	pufaDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if pufaDir != "" {
		os.RemoveAll(pufaDir)
	}
	os.Exit(code)
}

// pufaBinary builds cmd/pufa once per test run, for tests that must kill
// a real build process.
func pufaBinary(t *testing.T) string {
	t.Helper()
	pufaOnce.Do(func() {
		pufaDir, pufaErr = os.MkdirTemp("", "pufa-bin-")
		if pufaErr != nil {
			return
		}
		pufaBin = filepath.Join(pufaDir, "pufa")
		args := []string{"build", "-o", pufaBin}
		if raceEnabled {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, "./cmd/pufa")...)
		cmd.Dir = repoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			pufaErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if pufaErr != nil {
		t.Fatal(pufaErr)
	}
	return pufaBin
}

func repoRoot(t *testing.T) string {
	return testenv.RepoRoot(t)
}

// faultContent writes a small content folder that builds in seconds.
func faultContent(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	files := map[string]string{
		"_index.md":            "---\ntitle: 嘉定区民政局普法专栏\ndate: 2025-03-20T09:00:00+08:00\nsource: 嘉定区民政局\n---\n民政法律法规宣传。\n",
		"search.md":            "---\ntitle: 站内搜索\nlayout: search\n---\n",
		"news/2026/yanglao.md": newsPage("民政局开展养老服务普法宣传", "民政局在社区开展养老服务法律法规宣传，讲解老年人权益保障法。"),
		"news/2026/hunyin.md":  newsPage("婚姻登记处延长服务时间", "婚姻登记处周六上午提供结婚登记预约服务。"),
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func newsPage(title, body string) string {
	return fmt.Sprintf("---\ntitle: %s\ndate: 2026-03-01T09:00:00+08:00\nsource: 嘉定区民政局\n---\n%s\n", title, body)
}

// probes are the requests whose answers must not change while a build is
// killed: pages, feeds, open data and search.
var probes = []string{
	"/", "/news/2026/yanglao/", "/index.xml", "/atom.xml", "/feed.json", "/catalog.json",
	"/api/search?q=" + "%E5%85%BB%E8%80%81", "/search/?q=" + "%E5%A9%9A%E5%A7%BB", "/healthz",
}

var tookRE = regexp.MustCompile(`"took_ms":[0-9.e+-]+`)

// answers serves the release in dir with a fresh server and records the
// status and body of every probe.
func answers(t *testing.T, dir string) map[string]string {
	t.Helper()
	// No search time limit: a first search on a loaded machine may be slow,
	// and what is compared is the answer, not its speed.
	s := server.New(server.Options{SearchTimeout: 5 * time.Minute, Now: func() time.Time { return time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC) }})
	defer s.Close()
	if err := s.Load(dir); err != nil {
		t.Fatalf("load %s: %v", filepath.Base(dir), err)
	}
	h := s.Handler()
	got := map[string]string{}
	for _, p := range probes {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", p, nil))
		got[p] = fmt.Sprintf("%d %s", w.Code, tookRE.ReplaceAllString(w.Body.String(), ""))
		if w.Code != http.StatusOK {
			t.Errorf("GET %s on %s: %d", p, filepath.Base(dir), w.Code)
		}
	}
	return got
}

// TestKillDuringBuild kills real build processes with SIGKILL at random
// moments, some within the first 100ms: the release being served must
// stay READY, verify and answer byte for byte as before, and the next
// start's Clean must remove whatever the killed builds left.
func TestKillDuringBuild(t *testing.T) {
	bin := pufaBinary(t)
	root := repoRoot(t)
	content := faultContent(t)
	out := filepath.Join(t.TempDir(), "out")
	build := func() *exec.Cmd {
		cmd := exec.Command(bin, "build", "--site", filepath.Join(root, "site"), "--content", content, "--out", out)
		cmd.Dir = root
		return cmd
	}
	start := time.Now()
	if b, err := build().CombinedOutput(); err != nil {
		t.Fatalf("first build: %v\n%s", err, b)
	}
	full := time.Since(start)
	o := release.Out{Root: out}
	cur, dir, err := o.Current()
	if err != nil {
		t.Fatal(err)
	}
	want := answers(t, dir)
	t.Logf("a complete build takes %v; killing 20 builds", full.Round(time.Millisecond))

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	completed := 0
	for i := range 20 {
		// A new page each time, so a build that finished is told apart.
		os.WriteFile(filepath.Join(content, "news", "2026", fmt.Sprintf("k%02d.md", i)),
			[]byte(newsPage(fmt.Sprintf("第%d次更新的通知", i), "社区养老服务站开放时间调整。")), 0o644)
		var delay time.Duration
		if i < 6 {
			delay = time.Duration(rng.Int64N(int64(100 * time.Millisecond)))
		} else {
			delay = 100*time.Millisecond + time.Duration(rng.Int64N(int64(full)))
		}
		cmd := build()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		killed := err != nil
		now, dir, err := o.Current()
		if err != nil {
			t.Fatalf("kill %d after %v: current is broken: %v", i, delay, err)
		}
		if _, err := release.Verify(dir); err != nil {
			t.Fatalf("kill %d after %v: current does not verify: %v", i, delay, err)
		}
		if now.ID == cur.ID {
			got := answers(t, dir)
			for _, p := range probes {
				if got[p] != want[p] {
					t.Errorf("kill %d after %v: GET %s changed:\nbefore %.300s\nafter  %.300s", i, delay, p, want[p], got[p])
				}
			}
			continue
		}
		// The build won the race against the signal: the new release is
		// complete and becomes the one to keep.
		if killed {
			t.Logf("kill %d after %v: the build had already switched to %s", i, delay, now.ID)
		}
		completed++
		cur, want = now, answers(t, dir)
	}
	t.Logf("%d of 20 builds finished before the signal", completed)

	// What the killed builds left: stages, and perhaps a half-made link.
	leftovers := func() []string {
		var names []string
		entries, _ := os.ReadDir(filepath.Join(out, "releases"))
		for _, e := range entries {
			if _, err := os.Stat(filepath.Join(out, "releases", e.Name(), "READY")); err != nil {
				names = append(names, e.Name())
			}
		}
		tops, _ := os.ReadDir(out)
		for _, e := range tops {
			if strings.HasPrefix(e.Name(), ".current-") {
				names = append(names, e.Name())
			}
		}
		return names
	}
	t.Logf("left by killed builds: %d", len(leftovers()))
	if err := o.Clean(); err != nil {
		t.Fatal(err)
	}
	if l := leftovers(); len(l) > 0 {
		t.Errorf("Clean left %v", l)
	}
	got := answers(t, filepath.Join(out, "releases", cur.ID))
	for _, p := range probes {
		if got[p] != want[p] {
			t.Errorf("after Clean: GET %s changed", p)
		}
	}
	// And the next build succeeds over what is left.
	if b, err := build().CombinedOutput(); err != nil {
		t.Fatalf("build after the kills: %v\n%s", err, b)
	}
}

// mountTmpfs mounts a tmpfs of size bytes on a new folder, skipping the
// test where mounting is not permitted.
func mountTmpfs(t *testing.T, size int64) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d", size)); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v); run as root to test a full or read-only disk", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

func duBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += (fi.Size() + 4095) / 4096 * 4096
		}
		return nil
	})
	return n
}

func faultOptions(t *testing.T, content, out string) Options {
	return Options{Site: filepath.Join(repoRoot(t), "site"), Content: content, Out: out, BaseDir: repoRoot(t)}
}

// TestDiskFull: a build that runs out of space fails with an error that
// says so, removes its stage, and leaves the served release as it was.
func TestDiskFull(t *testing.T) {
	content := faultContent(t)
	// Measure one release first, then give the disk room for one and a
	// half: the second build runs out of space part way.
	probe := filepath.Join(t.TempDir(), "probe")
	if _, err := Run(context.Background(), faultOptions(t, content, probe)); err != nil {
		t.Fatal(err)
	}
	size := duBytes(t, probe)
	disk := mountTmpfs(t, size*3/2)
	out := filepath.Join(disk, "out")
	res, err := Run(context.Background(), faultOptions(t, content, out))
	if err != nil {
		t.Fatalf("first build on a %d KiB disk: %v", size*3/2>>10, err)
	}
	want := answers(t, res.Dir)
	// A full build: an incremental one links most of its files from the
	// first release and needs little room.
	full := faultOptions(t, content, out)
	full.Full = true
	_, err = Run(context.Background(), full)
	if err == nil {
		t.Fatal("second build on a full disk succeeded")
	}
	if !errors.Is(err, syscall.ENOSPC) && !strings.Contains(err.Error(), "no space left on device") {
		t.Errorf("error does not say the disk is full: %v", err)
	}
	t.Logf("disk full: %v", err)
	cur, dir, err := release.Out{Root: out}.Current()
	if err != nil || cur.ID != res.Release.ID {
		t.Fatalf("current after a failed build = %s (%v), want %s", cur.ID, err, res.Release.ID)
	}
	got := answers(t, dir)
	for _, p := range probes {
		if got[p] != want[p] {
			t.Errorf("GET %s changed after the failed build", p)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(out, "releases"))
	if len(entries) != 1 {
		t.Errorf("releases/ holds %d entries after the failed build, want the one release", len(entries))
	}
}

// TestReadOnlyOut: an OUT that cannot be written (a replica's read-only
// mount) fails the build clearly and is still served.
func TestReadOnlyOut(t *testing.T) {
	content := faultContent(t)
	disk := mountTmpfs(t, 256<<20)
	out := filepath.Join(disk, "out")
	res, err := Run(context.Background(), faultOptions(t, content, out))
	if err != nil {
		t.Fatal(err)
	}
	want := answers(t, res.Dir)
	if err := syscall.Mount("", disk, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Skipf("cannot remount read-only: %v", err)
	}
	_, err = Run(context.Background(), faultOptions(t, content, out))
	if err == nil {
		t.Fatal("build into a read-only OUT succeeded")
	}
	if !errors.Is(err, syscall.EROFS) && !strings.Contains(err.Error(), "read-only file system") {
		t.Errorf("error does not say OUT is read-only: %v", err)
	}
	o := release.Out{Root: out}
	if err := o.Clean(); err != nil {
		t.Errorf("Clean of a read-only OUT with nothing to clean: %v", err)
	}
	info, dir, skipped, err := o.Servable()
	if err != nil || info.ID != res.Release.ID || len(skipped) != 0 {
		t.Fatalf("Servable on a read-only OUT = %s %v %v", info.ID, skipped, err)
	}
	got := answers(t, dir)
	for _, p := range probes {
		if got[p] != want[p] {
			t.Errorf("GET %s differs on the read-only OUT", p)
		}
	}
}

// TestOutIsAFile: an OUT that is not a folder fails with a clear error.
func TestOutIsAFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	os.WriteFile(out, []byte("not a folder"), 0o644)
	_, err := Run(context.Background(), faultOptions(t, faultContent(t), out))
	if err == nil || !strings.Contains(err.Error(), out) {
		t.Fatalf("build into a file = %v, want an error naming it", err)
	}
}
