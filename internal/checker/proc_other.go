//go:build !unix

package checker

import (
	"errors"
	"os"
	"os/exec"
)

// ownGroup is a no-op without Unix process groups: only the checker
// itself can be killed there (its children may outlive a timeout).
func ownGroup(*exec.Cmd) {}

func killGroup(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return nil
}

func signalOf(*os.ProcessState) string { return "" }
