//go:build unix

package proc

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// run runs script like a gate does, with a long WaitDelay so that waiting
// for a background job's pipes (rather than for the shell) would show.
func run(t *testing.T, ctx context.Context, script string) (stdout, stderr string, took time.Duration, err error) {
	t.Helper()
	cmd := Shell(ctx, script, t.TempDir(), []string{"PATH=" + os.Getenv("PATH")})
	cmd.WaitDelay = 20 * time.Second
	var out, errb bytes.Buffer
	start := time.Now()
	err = Run(cmd, &out, &errb)
	return out.String(), errb.String(), time.Since(start), err
}

// TestRunBackgroundJobHoldingOutput: `server & echo ok` succeeds as soon as
// the shell exits, with its output, and leaves no process behind. os/exec
// alone waits for the job's pipes and then reports exec.ErrWaitDelay.
func TestRunBackgroundJobHoldingOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "job.pid")
	stdout, _, took, err := run(t, t.Context(), "sleep 30 & echo $! > "+pidFile+"; echo ok")
	if err != nil {
		t.Fatalf("Run = %v, want nil (the shell exited 0)", err)
	}
	if stdout != "ok\n" {
		t.Errorf("stdout %q, want %q", stdout, "ok\n")
	}
	if took > 10*time.Second {
		t.Errorf("Run took %v: it waited for the background job", took)
	}
	waitDead(t, readPid(t, pidFile))
}

// TestRunKeepsExitStatus: the shell's exit status is the result, whatever
// its background jobs do.
func TestRunKeepsExitStatus(t *testing.T) {
	t.Parallel()
	_, stderr, took, err := run(t, t.Context(), "sleep 30 & echo bad >&2; exit 3")
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("Run = %v, want exit status 3", err)
	}
	if stderr != "bad\n" || took > 10*time.Second {
		t.Errorf("stderr %q after %v", stderr, took)
	}
}

// TestRunKeepsBackgroundOutput: what a background job wrote before the
// shell exited is kept; the job itself is killed. The fifo orders the two
// writes without sleeping.
func TestRunKeepsBackgroundOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "f")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	pidFile := filepath.Join(dir, "job.pid")
	script := "(echo from-job; echo > " + fifo + "; exec sleep 30) & echo $! > " + pidFile + "; read _ < " + fifo + "; echo from-shell"
	stdout, _, _, err := run(t, t.Context(), script)
	if err != nil {
		t.Fatal(err)
	}
	if stdout != "from-job\nfrom-shell\n" {
		t.Errorf("stdout %q", stdout)
	}
	waitDead(t, readPid(t, pidFile))
}

// TestRunCancelKillsGroup: a cancelled context kills the shell and what it
// started, promptly, and Run reports the cancellation.
func TestRunCancelKillsGroup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ready := filepath.Join(dir, "ready")
	if err := syscall.Mkfifo(ready, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	pidFile := filepath.Join(dir, "job.pid")
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		// Cancel once the shell has started its job.
		f, err := os.Open(ready)
		if err == nil {
			f.Close()
		}
		cancel()
	}()
	_, _, took, err := run(t, ctx, "sleep 30 & echo $! > "+pidFile+"; : > "+ready+"; sleep 30")
	if err == nil {
		t.Fatal("Run = nil for a cancelled command")
	}
	if took > 10*time.Second {
		t.Errorf("Run took %v after the cancel", took)
	}
	waitDead(t, readPid(t, pidFile))
}

// TestRunAbandonsPipesHeldOutsideTheGroup: a process that left the group
// (setsid) cannot be killed with it; Run stops reading its pipe after
// WaitDelay instead of waiting for it, and the verdict stands.
func TestRunAbandonsPipesHeldOutsideTheGroup(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("setsid"); err != nil {
		t.Skip("no setsid")
	}
	dir := t.TempDir()
	fifo := filepath.Join(dir, "f")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	pidFile := filepath.Join(dir, "escaped.pid")
	script := "setsid sh -c 'echo $$ > " + pidFile + "; : > " + fifo + "; exec sleep 30' & read _ < " + fifo + "; echo ok"
	cmd := Shell(t.Context(), script, dir, []string{"PATH=" + os.Getenv("PATH")})
	cmd.WaitDelay = 300 * time.Millisecond
	var out bytes.Buffer
	start := time.Now()
	err := Run(cmd, &out, nil)
	took := time.Since(start)
	pid := readPid(t, pidFile)
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	if err != nil || out.String() != "ok\n" {
		t.Fatalf("Run = %v, stdout %q", err, out.String())
	}
	if took > 10*time.Second {
		t.Errorf("Run took %v: it waited for the escaped process", took)
	}
}

func readPid(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// waitDead waits until pid is gone. SIGKILL is sent before Run returns, but
// dying and being reaped by init take a moment, so a zombie counts as dead.
func waitDead(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("process %d survived Run", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return !errors.Is(err, os.ErrNotExist) // no /proc (darwin): trust kill(0)
	}
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(f) > 0 && f[0] != "Z"
}
