//go:build linux

package proc

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

const concealSecret = "proc-test-secret-6271"

// TestMain lets the test binary play an action that holds a secret in its
// environment: with PROC_TEST_CONCEAL set it makes itself non-dumpable
// (when "1"), then starts a shell of its own user that reads its
// environment through /proc, and exits 10 when the shell saw the secret,
// 11 when it did not.
func TestMain(m *testing.M) {
	mode := os.Getenv("PROC_TEST_CONCEAL")
	if mode == "" {
		os.Exit(m.Run())
	}
	if mode == "1" {
		if err := Conceal(); err != nil {
			os.Exit(2)
		}
	}
	out, _ := exec.Command("/bin/sh", "-c", "cat /proc/$PPID/environ").Output()
	if bytes.Contains(out, []byte(concealSecret)) {
		os.Exit(10)
	}
	os.Exit(11)
}

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("switching users needs root (as the action in its container)")
	}
}

// TestAsDropsToTheUser: a command set to run as a User runs with its uid
// and gid, no supplementary group, and no_new_privs.
func TestAsDropsToTheUser(t *testing.T) {
	t.Parallel()
	needRoot(t)
	cmd := Shell(t.Context(), "id -u; id -g; id -G; grep NoNewPrivs /proc/self/status", "/", []string{"PATH=" + os.Getenv("PATH")})
	if err := As(cmd, &User{UID: Nobody, GID: Nobody}); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := Run(cmd, &out, &errb); err != nil {
		t.Fatalf("Run: %v\n%s", err, errb.String())
	}
	want := "65534\n65534\n65534\nNoNewPrivs:\t1\n"
	if out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
}

// TestStartWithoutUserKeepsPrivileges: on a host (no User) nothing is
// switched and no_new_privs is not set, so a gate may still use sudo.
func TestStartWithoutUserKeepsPrivileges(t *testing.T) {
	t.Parallel()
	// The flag is a thread's: compare with the thread that starts the
	// command (a marked one of another test may be the main thread).
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cmd := Shell(t.Context(), "grep NoNewPrivs /proc/self/status", "/", []string{"PATH=" + os.Getenv("PATH")})
	var out bytes.Buffer
	if err := Run(cmd, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if inherited := noNewPrivs(t); out.String() != "NoNewPrivs:\t"+inherited+"\n" {
		t.Errorf("output %q, want the starting thread's NoNewPrivs %s", out.String(), inherited)
	}
}

func noNewPrivs(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("/proc/thread-self/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "NoNewPrivs:"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatal("no NoNewPrivs in /proc/thread-self/status")
	return ""
}

// TestConcealClosesEnvironToTheSameUser runs the test binary as nobody
// with a secret in its environment: a shell of the same user reads it
// through /proc/$PPID/environ, unless the binary called Conceal.
func TestConcealClosesEnvironToTheSameUser(t *testing.T) {
	t.Parallel()
	needRoot(t)
	// nobody must be able to execute the binary: go test's own directory
	// is root's alone.
	dir, err := os.MkdirTemp("", "proc-conceal-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	must(t, os.Chmod(dir, 0o755))
	bin := filepath.Join(dir, "proc.test")
	data, err := os.ReadFile(os.Args[0])
	must(t, err)
	must(t, os.WriteFile(bin, data, 0o755))
	for _, c := range []struct {
		conceal string
		want    int
	}{{"0", 10}, {"1", 11}} {
		cmd := exec.Command(bin, "-test.run=^$")
		cmd.Dir = "/"
		cmd.Env = []string{"PROC_TEST_CONCEAL=" + c.conceal, "SECRET=" + concealSecret, "PATH=" + os.Getenv("PATH")}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: Nobody, Gid: Nobody, Groups: []uint32{}}}
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != c.want {
			t.Errorf("conceal=%s: %v, want exit %d (10: the secret was read, 11: it was not)", c.conceal, err, c.want)
		}
	}
}

func TestUnprivileged(t *testing.T) {
	t.Parallel()
	needRoot(t)
	dir := t.TempDir()
	for _, c := range []struct {
		uid, gid int
		want     User
	}{
		{1001, 1001, User{1001, 1001}}, // GitHub's hosted runners
		{0, 0, User{Nobody, Nobody}},   // root's workspace: nobody
		{1001, 0, User{1001, Nobody}},  // never root's group
		{0, 1001, User{Nobody, 1001}},  // a group that may write there
	} {
		must(t, os.Chown(dir, c.uid, c.gid))
		u, err := Unprivileged(dir)
		if err != nil || u == nil || *u != c.want {
			t.Errorf("owner %d:%d: Unprivileged = %v, %v; want %v", c.uid, c.gid, u, err, c.want)
		}
	}
	if _, err := Unprivileged(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing directory has an owner")
	}
}

func TestNewHome(t *testing.T) {
	t.Parallel()
	needRoot(t)
	u := &User{UID: 1001, GID: 1002}
	home, err := u.NewHome()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(home) })
	fi, err := os.Stat(home)
	must(t, err)
	st := fi.Sys().(*syscall.Stat_t)
	if st.Uid != 1001 || st.Gid != 1002 || fi.Mode().Perm() != 0o700 {
		t.Errorf("home %s: %d:%d %v, want 1001:1002 0700", home, st.Uid, st.Gid, fi.Mode().Perm())
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
