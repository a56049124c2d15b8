// Package clitest holds what the commands' testscript tests share.
package clitest

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// Exits is the testscript command "exits N PROG [ARGS...]": it runs PROG as
// exec does (stdout and stderr stay available to the next assertions) and
// succeeds only when PROG exits with status N. Exit codes are API; "! exec"
// would accept any failure.
func Exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits N PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// Actionlint checks a workflow file with actionlint (and, where shellcheck
// is installed, its scripts). CI installs it (.ci/run) and sets
// GONOGO_FULL_TESTS, which makes its absence a failure; elsewhere the
// check is skipped with a note.
func Actionlint(t testing.TB, workflow string) {
	t.Helper()
	if _, err := exec.LookPath("actionlint"); err != nil {
		if os.Getenv("GONOGO_FULL_TESTS") != "" {
			t.Fatal("actionlint not installed, and GONOGO_FULL_TESTS forbids skipping")
		}
		t.Log("actionlint not installed (go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12): workflow not linted")
		return
	}
	if out, err := exec.CommandContext(t.Context(), "actionlint", "-no-color", workflow).CombinedOutput(); err != nil {
		t.Errorf("actionlint %s: %v\n%s", workflow, err, out)
	}
}
