//go:build linux

// Package reap lets a command run as PID 1 in a container without an init.
// GitHub starts Docker actions without --init, so the action's binary is PID
// 1: orphaned grandchildren (a `run:` gate's background jobs, a checker's
// helpers) are reparented to it and, never waited for, pile up as zombies;
// and the kernel drops signals PID 1 did not ask for.
//
// Init solves both the way tini does: the process forks itself (same
// arguments, its environment less the secrets, plus a marker) and becomes
// a minimal init: it forwards termination signals to the child, reaps every
// process that is reparented to it, and returns the child's exit code.
// Keeping the real work in a child means exec.Cmd.Wait there never races a
// reaper for its own children's statuses.
//
// The runner puts the token in the container's environment, so PID 1's
// own environment holds it (/proc/1/environ; the caller makes PID 1
// unreadable to gate processes). The child does not inherit it: Init
// hands every variable that secret names over a pipe instead, and the
// child's Getenv reads them into memory, so /proc/<child>/environ never
// shows them, not even to the child itself through a link a pull request
// committed.
//
// When that child is done, init kills every process still left in the PID
// namespace: a gate's job that escaped its process group with setsid is
// reparented to PID 1 and would otherwise run on after the verdict. Outside
// PID 1 (a host) nothing of the kind is possible without a cgroup: there a
// setsid child outlives its gate, a limit the docs name.
package reap

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// prSetChildSubreaper is PR_SET_CHILD_SUBREAPER from <linux/prctl.h>.
const prSetChildSubreaper = 36

// childMarker is set in the child's environment so it does not fork again.
const childMarker = "GONOGO_INIT_CHILD"

// handedFD is the child's descriptor of the pipe that carries the
// variables handed over in memory; maxHanded bounds what it reads.
const (
	handedFD  = 3
	maxHanded = 4 << 20
)

// Init runs the program as its own child when the process is PID 1 and
// returns (exit code, true) when that child is done; main then exits with
// the code. Otherwise it returns (0, false) at once and main goes on. The
// variables secret names reach the child over a pipe, not in its
// environment (see Getenv).
func Init(getenv func(string) string, secret func(name string) bool) (int, bool) {
	if os.Getpid() != 1 || getenv(childMarker) != "" {
		return 0, false
	}
	env, handed := split(os.Environ(), secret)
	code, err := supervise(os.Args, env, handed, true)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: init: %v\n", os.Args[0], err)
		return 2, true
	}
	return code, true
}

// forwarded are the signals a runner or user sends to stop a job.
var forwarded = []os.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2}

// split separates env into what the child inherits and what it is handed
// over the pipe.
func split(env []string, secret func(string) bool) (keep, handed []string) {
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if secret(name) {
			handed = append(handed, kv)
		} else {
			keep = append(keep, kv)
		}
	}
	return keep, handed
}

// Getenv returns the getenv of the work: in the child Init started, the
// variables handed over the pipe first, then getenv's; anywhere else
// getenv itself. It reads the pipe once, so call it once, early. A child
// that finds no pipe fails rather than run without its inputs.
func Getenv(getenv func(string) string) (func(string) string, error) {
	if getenv(childMarker) == "" {
		return getenv, nil
	}
	// Checked before it is taken: a descriptor 3 that is anything else
	// (the marker set by hand) is not ours to read or close.
	var st syscall.Stat_t
	if err := syscall.Fstat(handedFD, &st); err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFIFO {
		return nil, fmt.Errorf("init: descriptor %d is not the pipe of the handed-over environment", handedFD)
	}
	f := os.NewFile(handedFD, "handed-over environment")
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxHanded+1))
	if err != nil {
		return nil, fmt.Errorf("init: read the handed-over environment: %w", err)
	}
	if len(data) > maxHanded {
		return nil, fmt.Errorf("init: handed-over environment over %d bytes", maxHanded)
	}
	handed := map[string]string{}
	for kv := range bytes.SplitSeq(data, []byte{0}) {
		if k, v, ok := strings.Cut(string(kv), "="); ok {
			handed[k] = v
		}
	}
	return func(name string) string {
		if v, ok := handed[name]; ok {
			return v
		}
		return getenv(name)
	}, nil
}

// supervise starts argv as a child with env plus the marker, hands it the
// handed variables over a pipe (descriptor handedFD), forwards signals to
// it, reaps every child and returns the exit code of the one it started
// (128+signal when it was killed). With pid1 (only ever true when the
// process is PID 1 of its namespace) it then kills and reaps every process
// left.
func supervise(argv, env, handed []string, pid1 bool) (int, error) {
	// As PID 1 this is implied; elsewhere (tests) it makes orphans ours.
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0)
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, append([]os.Signal{syscall.SIGCHLD}, forwarded...)...)
	defer signal.Stop(sigs)
	r, w, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	p, err := os.StartProcess(exe, argv, &os.ProcAttr{
		Env:   append(env, childMarker+"=1"),
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr, r},
	})
	r.Close()
	if err != nil {
		w.Close()
		return 0, fmt.Errorf("start %s: %w", exe, err)
	}
	// In a goroutine: the pipe holds 64 KiB, the child reads when it
	// gets to it, and signals must be forwarded meanwhile. A child that
	// dies first makes the write fail, which changes nothing.
	go func() {
		var b bytes.Buffer
		for _, kv := range handed {
			b.WriteString(kv)
			b.WriteByte(0)
		}
		_, _ = w.Write(b.Bytes())
		w.Close()
	}()
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
