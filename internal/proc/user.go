package proc

import "os/exec"

// User is an identity to run commands as. The action, root in its
// container, runs gates, services and checkers as an unprivileged User so
// that they cannot reach its token: the runner hands the token to the
// container's PID 1 in its environment, and /proc/<pid>/environ of a
// process of another user is closed to them. A nil *User means "as the
// caller": the CLIs' behaviour on a host, where isolation is the caller's
// business.
//
// A command set to run as a User (As) gets no supplementary groups (so not
// the group of a mounted /var/run/docker.sock) and, on Linux, no_new_privs:
// no setuid or file-capability program it executes can give it back what
// was dropped.
type User struct {
	UID, GID int
}

// Nobody is the uid and gid of the user of last resort (nobody), for a
// directory that root owns.
const Nobody = 65534

// Start is cmd.Start, except that a command set to run as another user
// (As) is started with no_new_privs on Linux. Every command of this
// package's callers starts here or in Run.
func Start(cmd *exec.Cmd) error {
	if !switches(cmd) {
		return cmd.Start()
	}
	return startNoNewPrivs(cmd)
}
