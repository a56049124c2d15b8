//go:build unix

package proc

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// As sets cmd to run as u, with no supplementary groups; nil leaves cmd
// as it is. Call it before Start or Run. Switching users needs root (the
// action in its container); as anyone else Start fails with EPERM rather
// than run the command as the caller.
func As(cmd *exec.Cmd, u *User) error {
	if u == nil {
		return nil
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	// An empty, non-nil Groups clears the supplementary groups (setgroups
	// with none) before setgid and setuid.
	cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(u.UID), Gid: uint32(u.GID), Groups: []uint32{}}
	return nil
}

// switches reports whether cmd is set to run as a User.
func switches(cmd *exec.Cmd) bool {
	return cmd.SysProcAttr != nil && cmd.SysProcAttr.Credential != nil
}

// Unprivileged returns the user to run commands as when this process is
// root: the owner of dir, so that they can write there (on GitHub's hosted
// runners the workspace belongs to uid 1001, the runner's user), or Nobody
// when root owns dir. A gid of 0 (root's group) is never handed on: Nobody's
// takes its place. It returns nil when this process is not root: it cannot
// switch users, and its commands run as itself.
func Unprivileged(dir string) (*User, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("owner of %s: %w", dir, err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil, fmt.Errorf("owner of %s: no Unix ownership", dir)
	}
	u := &User{UID: int(st.Uid), GID: int(st.Gid)}
	if u.UID == 0 {
		u.UID = Nobody
	}
	if u.GID == 0 {
		u.GID = Nobody
	}
	return u, nil
}

// NewHome creates a fresh directory that u owns, mode 0700, for its HOME:
// the user may have no entry in /etc/passwd and no home of its own. The
// caller removes it when done.
func (u *User) NewHome() (string, error) {
	dir, err := os.MkdirTemp("", "gonogo-home-")
	if err != nil {
		return "", fmt.Errorf("home for uid %d: %w", u.UID, err)
	}
	if err := os.Chown(dir, u.UID, u.GID); err != nil {
		os.Remove(dir)
		return "", fmt.Errorf("home for uid %d: %w", u.UID, err)
	}
	return dir, nil
}
