//go:build unix

package proc

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// Groups reports whether Kill and Terminate reach a command's whole
// process group (true on Unix).
const Groups = true

// ownGroup starts cmd in a process group of its own, so that Kill reaches
// everything it spawned (unless a child leaves the group with setsid).
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// Kill sends SIGKILL to cmd's process group; a group already gone is fine.
// The group outlives its leader while any member lives, and its id is not
// reused before the group is empty, so this is safe after Wait.
func Kill(cmd *exec.Cmd) error { return signalGroup(cmd, syscall.SIGKILL) }

// Terminate sends SIGTERM to cmd's process group, asking it to stop.
func Terminate(cmd *exec.Cmd) error { return signalGroup(cmd, syscall.SIGTERM) }

func signalGroup(cmd *exec.Cmd, sig syscall.Signal) error {
	if cmd.Process == nil {
		return nil
	}
	err := syscall.Kill(-cmd.Process.Pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// ExitSignal names the signal that ended a process ("signal 9: killed"),
// or "" when it exited by itself.
func ExitSignal(ps *os.ProcessState) string {
	if ps == nil {
		return ""
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return fmt.Sprintf("signal %d: %s", int(ws.Signal()), ws.Signal())
	}
	return ""
}
