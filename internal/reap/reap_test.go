//go:build linux

package reap

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestMain lets the test binary play the supervised child: with the marker
// set it runs a shell line that leaves an orphan behind and exits, or
// starts a process in a session of its own (escaping any process-group
// kill), records its pid and exits 3. With REAP_TEST_PID1 it plays the
// action as PID 1 of a fresh PID namespace: Init, then exit 91 when the
// escaped process is still there, else Init's code.
func TestMain(m *testing.M) {
	if os.Getenv(childMarker) != "" && os.Getenv("REAP_TEST_HANDED") != "" {
		os.Exit(handedOver())
	}
	if os.Getenv(childMarker) != "" && os.Getenv("REAP_TEST_ESCAPE") != "" {
		os.Exit(escape(os.Getenv("REAP_TEST_ESCAPE")))
	}
	if os.Getenv(childMarker) == "" && os.Getenv("REAP_TEST_PID1") != "" {
		code, ok := Init(os.Getenv, func(string) bool { return false })
		if !ok {
			os.Exit(90)
		}
		raw, _ := os.ReadFile(os.Getenv("REAP_TEST_ESCAPE"))
		if pid, err := strconv.Atoi(strings.TrimSpace(string(raw))); err != nil || syscall.Kill(pid, 0) == nil {
			os.Exit(91)
		}
		os.Exit(code)
	}
	if os.Getenv(childMarker) != "" && os.Getenv("REAP_TEST_SCRIPT") != "" {
		cmd := exec.Command("/bin/sh", "-c", os.Getenv("REAP_TEST_SCRIPT"))
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			os.Exit(ee.ExitCode())
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestSuperviseReapsOrphansAndKeepsExitCode(t *testing.T) {
	// Not parallel: the subreaper flag is per process.
	// The inner shell exits at once, so its background sleep is orphaned and
	// reparented to the supervisor. The child then waits until the orphan
	// has disappeared: a zombie still answers kill -0, so only a reap by the
	// supervisor ends the loop; exit 4 means it never came.
	pidFile := t.TempDir() + "/orphan"
	script := "sh -c 'sleep 0.05 & echo $! > " + pidFile + "'; " +
		"i=0; while kill -0 $(cat " + pidFile + ") 2>/dev/null; do i=$((i+1)); [ $i -gt 1000 ] && exit 4; sleep 0.01; done; exit 3"
	code, err := supervise([]string{os.Args[0]}, append(os.Environ(), "REAP_TEST_SCRIPT="+script), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if code != 3 {
		t.Errorf("exit code = %d, want 3 (4: the orphan was never reaped)", code)
	}
	raw, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(raw)))
	var ws syscall.WaitStatus
	if got, err := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil); err == nil && got == pid {
		t.Errorf("orphan %d was left as a zombie", pid)
	}
}

func TestInitOnlyAsPID1(t *testing.T) {
	t.Parallel()
	if _, ok := Init(func(string) string { return "" }, func(string) bool { return true }); ok && os.Getpid() != 1 {
		t.Error("Init took over outside PID 1")
	}
}

const handedSecret = "reap-test-secret-3141"

// handedOver plays the child that receives the token over the pipe: 3
// when Getenv has it and neither the environment nor /proc/self/environ
// does, another code naming what went wrong.
func handedOver() int {
	getenv, err := Getenv(os.Getenv)
	switch {
	case err != nil:
		return 4
	case os.Getenv("INPUT_GITHUB-TOKEN") != "":
		return 5 // inherited
	case getenv("INPUT_GITHUB-TOKEN") != handedSecret:
		return 6 // not handed over
	case getenv("REAP_TEST_HANDED") != "1":
		return 7 // the rest of the environment lost
	}
	raw, err := os.ReadFile("/proc/self/environ")
	if err != nil || strings.Contains(string(raw), handedSecret) {
		return 8
	}
	return 3
}

// TestSecretsAreHandedOverInMemory: the variables Init hands over reach
// the child's Getenv through the pipe, never its environment.
func TestSecretsAreHandedOverInMemory(t *testing.T) {
	// Not parallel: the subreaper flag is per process.
	env, handed := split(append(os.Environ(), "REAP_TEST_HANDED=1", "INPUT_GITHUB-TOKEN="+handedSecret),
		func(name string) bool { return strings.HasPrefix(name, "INPUT_") })
	if len(handed) != 1 {
		t.Fatalf("handed %v, want the token alone", handed)
	}
	code, err := supervise([]string{os.Args[0]}, env, handed, false)
	if err != nil || code != 3 {
		t.Fatalf("code %d, err %v; want 3 (4: no pipe, 5: inherited, 6: not handed over, 7: environment lost, 8: in /proc/self/environ)", code, err)
	}
}

// TestGetenvOutsideInit: no marker, no pipe: getenv as it is.
func TestGetenvOutsideInit(t *testing.T) {
	t.Parallel()
	if os.Getenv(childMarker) != "" {
		t.Skip("the test runs as init's child")
	}
	getenv, err := Getenv(func(k string) string { return map[string]string{"A": "a"}[k] })
	if err != nil || getenv("A") != "a" {
		t.Fatalf("Getenv: %v", err)
	}
	// With the marker but no pipe (someone set it by hand): refused.
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childMarker+"=1", "REAP_TEST_HANDED=1")
	var ee *exec.ExitError
	if err := cmd.Run(); !errors.As(err, &ee) || ee.ExitCode() != 4 {
		t.Errorf("marker without the pipe: %v, want exit 4 (refused)", err)
	}
}

// escape starts a process in a new session, as `setsid cmd &` in a gate
// does, writes its pid to pidFile and returns 3 without waiting for it.
func escape(pidFile string) int {
	cmd := exec.Command("sleep", "600")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return 80
	}
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(cmd.Process.Pid)), 0o644); err != nil {
		return 81
	}
	return 3
}

// TestPID1KillsEscapedProcesses runs the test binary as PID 1 of a new PID
// namespace (as the action runs in its container) with a child that leaves
// a setsid process behind: Init must kill it before returning.
func TestPID1KillsEscapedProcesses(t *testing.T) {
	t.Parallel()
	if os.Getpid() == 1 {
		t.Skip("the test process itself is PID 1")
	}
	pidFile := filepath.Join(t.TempDir(), "escaped")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "REAP_TEST_PID1=1", "REAP_TEST_ESCAPE="+pidFile)
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EINVAL):
		t.Skipf("no PID namespace here: %v", err)
	case errors.As(err, &ee) && ee.ExitCode() == 91:
		t.Fatalf("the setsid process outlived the run; stderr:\n%s", stderr.String())
	case errors.As(err, &ee) && ee.ExitCode() == 3:
	default:
		t.Fatalf("exit: %v, want 3; stderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "killed 1 process(es) left behind") {
		t.Errorf("no word of the sweep in stderr:\n%s", stderr.String())
	}
}

// TestNoSweepOutsidePID1: on a host the supervisor must never signal
// processes it did not start (kill(-1) would reach all of the user's), so
// an escaped process survives: the documented limit.
func TestNoSweepOutsidePID1(t *testing.T) {
	// Not parallel: the subreaper flag is per process.
	pidFile := filepath.Join(t.TempDir(), "escaped")
	code, err := supervise([]string{os.Args[0]}, append(os.Environ(), "REAP_TEST_ESCAPE="+pidFile), nil, false)
	if err != nil || code != 3 {
		t.Fatalf("code %d, err %v; want 3", code, err)
	}
	raw, _ := os.ReadFile(pidFile)
	pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		var ws syscall.WaitStatus
		_, _ = syscall.Wait4(pid, &ws, 0, nil) // a subreaper's orphan: ours to reap
	}()
	if err := syscall.Kill(pid, 0); err != nil {
		t.Errorf("the escaped process is gone (%v): something swept outside PID 1", err)
	}
}
