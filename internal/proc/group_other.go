//go:build !unix

package proc

import (
	"errors"
	"os"
	"os/exec"
)

// Groups reports whether Kill and Terminate reach a command's whole
// process group. Without Unix process groups they do not: only the started
// process is ended, and what it spawned may outlive it.
const Groups = false

// ownGroup does nothing: there is no process group to join.
func ownGroup(*exec.Cmd) {}

// Kill ends the started process only (see Groups).
func Kill(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return nil
}

// Terminate is Kill: there is no portable polite signal (Windows has no
// SIGTERM), so a service stops without a chance to clean up.
func Terminate(cmd *exec.Cmd) error { return Kill(cmd) }

// ExitSignal is always "": exit codes carry no signal here.
func ExitSignal(*os.ProcessState) string { return "" }
