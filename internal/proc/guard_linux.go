//go:build linux

package proc

import (
	"fmt"
	"os/exec"
	"runtime"

	"golang.org/x/sys/unix"
)

// startNoNewPrivs starts cmd from a thread marked no_new_privs. The flag
// belongs to a thread and passes to what it forks (prctl(2)), so the child
// gets it; the thread is not handed back to the Go scheduler (LockOSThread
// without unlock ends it with the goroutine), so no other goroutine of the
// caller ever runs marked.
func startNoNewPrivs(cmd *exec.Cmd) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			errc <- fmt.Errorf("no_new_privs: %w", err)
			return
		}
		errc <- cmd.Start()
	}()
	return <-errc
}

// Conceal makes this process non-dumpable (prctl PR_SET_DUMPABLE 0): its
// /proc/<pid> files then belong to root, and environ, mem and the other
// files guarded by ptrace access checks are closed to every process
// without CAP_SYS_PTRACE, its own user's included (Docker grants that
// capability to nobody by default); nor does it leave a core dump. execve
// resets the flag, so the commands it starts are unaffected. The action
// calls it first thing, as PID 1 and as the child that does the work.
func Conceal() error {
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		return fmt.Errorf("non-dumpable: %w", err)
	}
	return nil
}
