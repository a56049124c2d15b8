//go:build !unix

package proc

import (
	"errors"
	"os/exec"
)

var errNoUsers = errors.New("running a command as another user is not supported on this platform")

// As fails for any u but nil: the platform cannot switch users here, and a
// command is never run as the caller instead.
func As(_ *exec.Cmd, u *User) error {
	if u == nil {
		return nil
	}
	return errNoUsers
}

func switches(*exec.Cmd) bool { return false }

// Unprivileged returns nil: commands run as the caller.
func Unprivileged(string) (*User, error) { return nil, nil }

// NewHome fails: see As.
func (u *User) NewHome() (string, error) { return "", errNoUsers }
