//go:build linux

package reap

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestMain lets the test binary play the supervised child: with the marker
// set it runs a shell line that leaves an orphan behind and exits.
func TestMain(m *testing.M) {
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
	code, err := supervise([]string{os.Args[0]}, append(os.Environ(), "REAP_TEST_SCRIPT="+script))
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
	if _, ok := Init(func(string) string { return "" }); ok && os.Getpid() != 1 {
		t.Error("Init took over outside PID 1")
	}
}
