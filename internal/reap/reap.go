//go:build linux

// Package reap lets a command run as PID 1 in a container without an init.
// GitHub starts Docker actions without --init, so the action's binary is PID
// 1: orphaned grandchildren (a `run:` gate's background jobs, a checker's
// helpers) are reparented to it and, never waited for, pile up as zombies;
// and the kernel drops signals PID 1 did not ask for.
//
// Init solves both the way tini does: the process forks itself (same
// arguments, same environment plus a marker) and becomes a minimal init: it
// forwards termination signals to the child, reaps every process that is
// reparented to it, and returns the child's exit code. Keeping the real work
// in a child means exec.Cmd.Wait there never races a reaper for its own
// children's statuses.
//
// When that child is done, init kills every process still left in the PID
// namespace: a gate's job that escaped its process group with setsid is
// reparented to PID 1 and would otherwise run on after the verdict. Outside
// PID 1 (a host) nothing of the kind is possible without a cgroup: there a
// setsid child outlives its gate, a limit the docs name.
package reap

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// prSetChildSubreaper is PR_SET_CHILD_SUBREAPER from <linux/prctl.h>.
const prSetChildSubreaper = 36

// childMarker is set in the child's environment so it does not fork again.
const childMarker = "GONOGO_INIT_CHILD"

// Init runs the program as its own child when the process is PID 1 and
// returns (exit code, true) when that child is done; main then exits with
// the code. Otherwise it returns (0, false) at once and main goes on.
func Init(getenv func(string) string) (int, bool) {
	if os.Getpid() != 1 || getenv(childMarker) != "" {
		return 0, false
	}
	code, err := supervise(os.Args, os.Environ(), true)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: init: %v\n", os.Args[0], err)
		return 2, true
	}
	return code, true
}

// forwarded are the signals a runner or user sends to stop a job.
var forwarded = []os.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2}

// supervise starts argv as a child, forwards signals to it, reaps every
// child and returns the exit code of the one it started (128+signal when it
// was killed). With pid1 (only ever true when the process is PID 1 of its
// namespace) it then kills and reaps every process left.
func supervise(argv, env []string, pid1 bool) (int, error) {
	// As PID 1 this is implied; elsewhere (tests) it makes orphans ours.
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0)
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, append([]os.Signal{syscall.SIGCHLD}, forwarded...)...)
	defer signal.Stop(sigs)
	p, err := os.StartProcess(exe, argv, &os.ProcAttr{
		Env:   append(env, childMarker+"=1"),
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr},
	})
	if err != nil {
		return 0, fmt.Errorf("start %s: %w", exe, err)
	}
	pid := p.Pid
	for sig := range sigs {
		if sig != syscall.SIGCHLD {
			_ = syscall.Kill(pid, sig.(syscall.Signal))
			continue
		}
		if code, done := reapAll(pid); done {
			if pid1 {
				if n := sweep(5 * time.Second); n > 0 {
					fmt.Fprintf(os.Stderr, "%s: init: killed %d process(es) left behind by gates\n", argv[0], n)
				}
			}
			return code, nil
		}
	}
	return 0, errors.New("signal channel closed")
}

// reapAll waits for every exited child without blocking and reports the
// main child's exit code once it is among them.
func reapAll(main int) (code int, done bool) {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if err != nil || pid <= 0 {
			return code, done
		}
		if pid != main {
			continue // an orphan: reaped, nothing more to do
		}
		done = true
		switch {
		case ws.Exited():
			code = ws.ExitStatus()
		case ws.Signaled():
			code = 128 + int(ws.Signal())
		}
	}
}

// sweep kills every other process of the PID namespace and reaps them,
// giving up after limit (the kernel kills what is left when PID 1 exits).
// It returns how many it reaped. kill(-1, SIGKILL) signals every process
// the caller may signal except itself; called by PID 1 of a namespace that
// is exactly the namespace's other processes (pid_namespaces(7)), anywhere
// else it would be every process of the user: callers decide with
// os.Getpid() == 1. kill is repeated until nothing is left to signal, so a
// process forked meanwhile is caught too.
func sweep(limit time.Duration) int {
	stop := time.Now().Add(limit)
	reaped := 0
	for time.Now().Before(stop) {
		signalled := syscall.Kill(-1, syscall.SIGKILL) == nil
		for {
			var ws syscall.WaitStatus
			pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
			if err != nil || pid <= 0 {
				if errors.Is(err, syscall.ECHILD) && !signalled {
					return reaped
				}
				break
			}
			reaped++
		}
		time.Sleep(10 * time.Millisecond)
	}
	return reaped
}
