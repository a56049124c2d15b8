//go:build !linux

package proc

import "os/exec"

// startNoNewPrivs starts cmd: no_new_privs is Linux's, so elsewhere the
// user switch stands alone.
func startNoNewPrivs(cmd *exec.Cmd) error { return cmd.Start() }

// Conceal does nothing outside Linux, where the action never runs.
func Conceal() error { return nil }
