package gate

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// DefaultOutputCap bounds the output captured per stream of a gate process.
const DefaultOutputCap = 64 << 10

// waitDelay is how long Wait waits for pipes after the process group is
// killed: exec.CommandContext alone leaves grandchildren holding the pipes
// (a 7 s hang was measured for a 0.5 s deadline), so the group is killed
// and WaitDelay bounds what remains.
const waitDelay = 2 * time.Second

// shellCommand builds `sh -c script` in its own process group, killed as a
// group when ctx is done.
func shellCommand(ctx context.Context, script, dir string, env []string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", script)
	cmd.Dir = dir
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return killGroup(cmd, syscall.SIGKILL) }
	cmd.WaitDelay = waitDelay
	return cmd
}

// killGroup signals the command's whole process group.
func killGroup(cmd *exec.Cmd, sig syscall.Signal) error {
	if cmd.Process == nil {
		return nil
	}
	err := syscall.Kill(-cmd.Process.Pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// procResult is a finished process.
type procResult struct {
	ExitCode int
	Stdout   *tailBuffer
	Stderr   *tailBuffer
	Err      error // start or wait error other than a non-zero exit
}

// runShell runs script to completion (or ctx's end) capturing capped output.
func runShell(ctx context.Context, script, dir string, env []string, capBytes int) procResult {
	cmd := shellCommand(ctx, script, dir, env)
	res := procResult{ExitCode: -1, Stdout: newTailBuffer(capBytes), Stderr: newTailBuffer(capBytes)}
	cmd.Stdout, cmd.Stderr = res.Stdout, res.Stderr
	err := cmd.Run()
	// Sweep what the script left in its group (background jobs): a gate
	// must leave no orphans behind.
	_ = killGroup(cmd, syscall.SIGKILL)
	var exit *exec.ExitError
	switch {
	case err == nil:
		res.ExitCode = 0
	case errors.As(err, &exit) && ctx.Err() == nil:
		res.ExitCode = exit.ExitCode()
	default:
		res.Err = err
		if cmd.ProcessState != nil {
			res.ExitCode = cmd.ProcessState.ExitCode()
		}
	}
	return res
}

// tailBuffer keeps the last max bytes written, counting the rest, so a
// chatty gate cannot exhaust memory yet its final words (the error) survive.
type tailBuffer struct {
	mu    sync.Mutex
	max   int
	buf   []byte
	total int64
}

func newTailBuffer(max int) *tailBuffer {
	if max <= 0 {
		max = DefaultOutputCap
	}
	return &tailBuffer{max: max}
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.total += int64(len(p))
	if len(p) >= t.max {
		t.buf = append(t.buf[:0], p[len(p)-t.max:]...)
		return len(p), nil
	}
	if over := len(t.buf) + len(p) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	t.buf = append(t.buf, p...)
	return len(p), nil
}

// String returns the kept tail (valid UTF-8).
func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.ToValidUTF8(string(t.buf), "\uFFFD")
}

// Truncated reports whether output was dropped.
func (t *tailBuffer) Truncated() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.total > int64(len(t.buf))
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	s = strings.TrimRight(s, "\n")
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
