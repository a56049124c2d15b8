// Package proc starts the processes of gates, services and checkers, and
// decides what they may see of the environment. It is the one place that
// holds the process-group rules and the environment policy, so the gate
// engine and the checker runner cannot drift apart.
//
// Processes. On Unix every command runs in a process group of its own: a
// timeout or a cancelled context kills the whole group (exec.CommandContext
// alone kills only the direct child and then waits for every grandchild that
// inherited the output pipes: a 7 s hang was measured for a 0.5 s deadline).
// Run waits for the command's own exit, not for its pipes: whatever it left
// in its group (`server & …`) is killed then, the output already written is
// kept, and the command's exit status is its result.
//
// Elsewhere (Windows) there are no process groups: Kill and Terminate end
// the started process only, and its children may outlive it. Groups reports
// which of the two applies, so callers can say so instead of pretending.
//
// Environment. One allow-list says what a gate or service inherits; one
// deny-list (Secret) says what no child process ever inherits, whatever
// else admits it. See env.go.
//
// Users. A scrubbed environment is not enough: a process of the same user
// reads /proc/<pid>/environ of its parent and of PID 1, which hold the
// token. The action therefore runs every command as an unprivileged User
// (As, Unprivileged) with no_new_privs, and makes itself non-dumpable
// (Conceal). The CLIs on a host switch nothing: their commands run as the
// caller, with what the caller may read. See user.go.
package proc

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"
)

// DefaultWaitDelay bounds two waits: for the process to die after its
// context was cancelled, and for its output pipes to reach end of file once
// the process exited and its group was killed (a process that left the
// group, e.g. with setsid, may still hold them).
const DefaultWaitDelay = 2 * time.Second

// Command is exec.CommandContext(ctx, name, args...) in a process group of
// its own (where the platform has them), killed as a group when ctx is done.
func Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	ownGroup(cmd)
	cmd.Cancel = func() error { return Kill(cmd) }
	cmd.WaitDelay = DefaultWaitDelay
	return cmd
}

// Shell is Command running `/bin/sh -c script` in dir with exactly env
// (nil means an empty environment, never the parent's).
func Shell(ctx context.Context, script, dir string, env []string) *exec.Cmd {
	cmd := Command(ctx, "/bin/sh", "-c", script)
	cmd.Dir = dir
	cmd.Env = env
	if cmd.Env == nil {
		cmd.Env = []string{}
	}
	return cmd
}

// Run starts cmd with its output going to stdout and stderr (nil discards)
// and waits for the process itself to exit. Then it kills what the process
// left in its group, reads what is still in the pipes (for at most
// cmd.WaitDelay, or DefaultWaitDelay) and returns the process's wait error:
// nil for exit status 0, an *exec.ExitError for another, a start error, or
// the context's error when cmd was cancelled.
//
// Background jobs therefore never change the result: `server & echo ok`
// succeeds as soon as the shell exits 0, whether the server still holds the
// output or not. (os/exec's own pipes would make Wait wait for the server
// and then report exec.ErrWaitDelay for a command that succeeded.)
func Run(cmd *exec.Cmd, stdout, stderr io.Writer) error {
	var pumps []*pump
	for _, s := range []struct {
		dst io.Writer
		fd  *io.Writer
	}{{stdout, &cmd.Stdout}, {stderr, &cmd.Stderr}} {
		if s.dst == nil {
			*s.fd = nil
			continue
		}
		r, w, err := os.Pipe()
		if err != nil {
			for _, p := range pumps {
				p.r.Close()
				p.w.Close()
			}
			return err
		}
		// An *os.File is handed to the child as it is: os/exec starts no
		// copying goroutine of its own, so Wait returns when the process
		// exits, not when the last holder of the pipe does.
		*s.fd = w
		pumps = append(pumps, &pump{r: r, w: w, dst: s.dst, done: make(chan struct{})})
	}
	err := Start(cmd)
	for _, p := range pumps {
		p.w.Close() // the child has its copy; EOF comes when every holder is gone
	}
	if err != nil {
		closeAll(pumps)
		return err
	}
	for _, p := range pumps {
		go p.run()
	}
	err = cmd.Wait()
	// The command is over; whatever it left in its group goes with it.
	_ = Kill(cmd)
	delay := cmd.WaitDelay
	if delay <= 0 {
		delay = DefaultWaitDelay
	}
	drain(pumps, delay)
	return err
}

// pump copies one pipe into its writer until end of file or until it is
// abandoned.
type pump struct {
	r, w *os.File
	done chan struct{}

	mu        sync.Mutex
	dst       io.Writer
	abandoned bool
}

func (p *pump) run() {
	defer close(p.done)
	_, _ = io.Copy(p, p.r)
	p.r.Close()
}

// errAbandoned stops a copy whose reader gave up on it.
var errAbandoned = errors.New("output abandoned")

func (p *pump) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.abandoned {
		return 0, errAbandoned
	}
	return p.dst.Write(b)
}

// abandon stops every later write to dst, then unblocks the reader. Once it
// returns, dst is the caller's alone.
func (p *pump) abandon() {
	p.mu.Lock()
	p.abandoned = true
	p.mu.Unlock()
	p.r.Close()
}

// drain waits up to delay for every pump to reach end of file and abandons
// those that do not: a process outside the killed group holds their pipe.
func drain(pumps []*pump, delay time.Duration) {
	timer := time.NewTimer(delay)
	defer timer.Stop()
	for _, p := range pumps {
		select {
		case <-p.done:
		case <-timer.C:
			closeAll(pumps)
			return
		}
	}
}

func closeAll(pumps []*pump) {
	for _, p := range pumps {
		select {
		case <-p.done:
		default:
			p.abandon()
		}
	}
}
