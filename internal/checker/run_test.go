package checker

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// slowStart is a timeout for checkers that must say something before it
// strikes: long enough for a process to start on a busy 2-core runner
// running the race detector, short enough to keep the test quick.
const slowStart = 2 * time.Second

// shell builds a checker that runs script with sh -c; the paths arrive as
// "$@" (placeholder is {file}, {files} or empty for append mode).
func shell(t *testing.T, script, placeholder string, timeout time.Duration) *Runner {
	t.Helper()
	line := "sh -c '" + strings.ReplaceAll(script, "'", `'\''`) + "' sh " + placeholder
	c, err := ParseCommand(line)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRunner(c, []string{"PATH=/usr/bin:/bin", "GITHUB_TOKEN=secret", "KEEP=me"}, timeout, "AETHER_ERROR_CODE")
	if err != nil {
		t.Fatal(err)
	}
	r.WaitDelay = 200 * time.Millisecond
	return r
}

func TestRunPerFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		script string
		want   Status
	}{
		{"json status", `echo noise; echo '{"ok":false,"code":20,"code_name":"PARSE_ERROR","file":"x","phase":"parse","message":"Parse error line 3","line":3}'; exit 1`,
			Status{CodeName: "PARSE_ERROR", Line: 3, Phase: "parse", Message: "Parse error line 3", Evidence: FromJSON}},
		{"prefix line", `echo "Runtime failure at line 9" >&2; echo AETHER_ERROR_CODE:21 >&2; exit 1`,
			Status{CodeName: "RUNTIME_ERROR", Line: 9, Message: "Runtime failure at line 9", Evidence: FromPrefix}},
		{"prefix success", `echo AETHER_ERROR_CODE:0 >&2; exit 0`, Status{CodeName: "SUCCESS", Evidence: FromPrefix}},
		{"exit code of the table", `echo "bad things" >&2; exit 25`, Status{CodeName: "VALIDATION_ERROR", Message: "bad things", Evidence: FromExit}},
		{"exit code without output", `exit 26`, Status{CodeName: "IO_ERROR", Message: "exit status 26", Evidence: FromExit}},
		{"exit 0", `echo fine`, Status{CodeName: "SUCCESS", Evidence: FromExit}},
		{"malformed status line never passes", `echo '{"ok":"false","code":20,"file":"x"}'; exit 0`,
			Status{CodeName: "INTERNAL_ERROR", Message: `checker printed a malformed status line: status line field "ok": want true or false, got a string`, Evidence: FromJSON}},
		{"heuristic parse", `echo "Parse error (assignment) line 12: goal" >&2; exit 1`,
			Status{CodeName: "PARSE_ERROR", Line: 12, Message: "Parse error (assignment) line 12: goal", Evidence: FromHeuristic}},
		{"heuristic traceback", `printf "Traceback (most recent call last):\n  File x\nValueError: nope\n" >&2; exit 1`,
			Status{CodeName: "RUNTIME_ERROR", Message: "ValueError: nope", Evidence: FromHeuristic}},
		{"fallback", `echo "something odd" >&2; exit 3`, Status{CodeName: "GENERIC_FAILURE", Message: "something odd", Evidence: FromFallback}},
		{"fallback silent", `exit 1`, Status{CodeName: "GENERIC_FAILURE", Message: "exit status 1", Evidence: FromFallback}},
		{"crash by signal", `kill -9 $$`, Status{CodeName: "INTERNAL_ERROR", Message: "checker crashed (signal 9: killed)", Evidence: FromFallback}},
		{"flood then verdict", `head -c 5000000 /dev/zero | tr "\0" x; echo; head -c 3000000 /dev/zero >&2; echo >&2; echo "Parse error line 2" >&2; exit 1`,
			Status{CodeName: "PARSE_ERROR", Line: 2, Message: "Parse error line 2", Evidence: FromHeuristic}},
		{"non-utf8", `printf "Parse error \377\376 line 4\n" >&2; exit 1`,
			Status{CodeName: "PARSE_ERROR", Line: 4, Message: "Parse error \uFFFD line 4", Evidence: FromHeuristic}},
		{"no token in env", `printf '{"ok":false,"code":20,"message":"token=%s keep=%s"}\n' "$GITHUB_TOKEN" "$KEEP"`,
			Status{CodeName: "PARSE_ERROR", Message: "token= keep=me", Evidence: FromJSON}},
		{"one argument per path", `printf '{"ok":false,"code":20,"message":"%s args"}\n' "$#"`,
			Status{CodeName: "PARSE_ERROR", Message: "1 args", Evidence: FromJSON}},
		{"grandchild keeps pipe", `sleep 30 & echo ok`, Status{CodeName: "SUCCESS", Evidence: FromExit}},
		// Several lines about the file: a later ok does not undo a failure.
		{"failure then success", `echo '{"ok":false,"code":20,"message":"Parse error line 5","line":5}'; echo '{"ok":true,"code":0}'; exit 20`,
			Status{CodeName: "PARSE_ERROR", Line: 5, Message: "Parse error line 5", Evidence: FromJSON}},
		{"malformed then success", `echo '{"ok":"no","code":20,"file":"x"}'; echo '{"ok":true,"code":0}'`,
			Status{CodeName: "INTERNAL_ERROR", Message: `checker printed a malformed status line: status line field "ok": want true or false, got a string`, Evidence: FromJSON}},
		{"success then failure", `echo '{"ok":true,"code":0}'; echo '{"ok":false,"code":25,"message":"unknown function"}'; exit 25`,
			Status{CodeName: "VALIDATION_ERROR", Message: "unknown function", Evidence: FromJSON}},
		// A success line the process contradicts with a failure code of
		// its own (a file's text echoed back by a checker that prints no
		// status line) does not pass the file; exit 1 is no code, and a
		// crash after the line leaves the verdict standing.
		{"success line, exit 20", `echo 'Parse error line 2:'; echo '{"ok":true,"code":0}'; exit 20`,
			Status{CodeName: "PARSE_ERROR", Line: 2, Message: "Parse error line 2:", Evidence: FromExit}},
		{"success line, failing prefix", `echo '{"ok":true,"code":0}'; echo AETHER_ERROR_CODE:25 >&2; exit 0`,
			Status{CodeName: "VALIDATION_ERROR", Evidence: FromPrefix}},
		{"success line, exit 1", `echo '{"ok":true,"code":0}'; exit 1`, Status{CodeName: "SUCCESS", Evidence: FromJSON}},
		{"success line, then a crash", `echo '{"ok":true,"code":0}'; kill -9 $$`, Status{CodeName: "SUCCESS", Evidence: FromJSON}},
		// A line about another file cannot pass this one against its exit
		// status; with a clean exit it agrees, and stands.
		{"success of another file, exit 20", `echo '{"ok":true,"code":0,"file":"elsewhere.aether"}'; echo "Parse error line 2" >&2; exit 20`,
			Status{CodeName: "PARSE_ERROR", Line: 2, Message: "Parse error line 2", Evidence: FromExit}},
		{"success of another file, failing prefix", `echo '{"ok":true,"code":0,"file":"elsewhere.aether"}'; echo AETHER_ERROR_CODE:20 >&2`,
			Status{CodeName: "PARSE_ERROR", Evidence: FromPrefix}},
		{"success of another file, clean exit", `echo '{"ok":true,"code":0,"file":"/elsewhere/spelled.aether"}'`,
			Status{CodeName: "SUCCESS", Evidence: FromJSON}},
		{"failure of another file", `echo '{"ok":false,"code":21,"file":"elsewhere.aether","message":"boom"}'`,
			Status{CodeName: "RUNTIME_ERROR", Message: "boom", Evidence: FromJSON}},
		{"failure of another file, then success", `echo '{"ok":false,"code":20,"file":"elsewhere.aether","message":"x"}'; echo '{"ok":true,"code":0}'`,
			Status{CodeName: "PARSE_ERROR", Message: "x", Evidence: FromJSON}},
		{"failure, then success of another file", `echo '{"ok":false,"code":26,"message":"y"}'; echo '{"ok":true,"code":0,"file":"elsewhere.aether"}'`,
			Status{CodeName: "IO_ERROR", Message: "y", Evidence: FromJSON}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, ph := range []string{"{file}", ""} {
				r := shell(t, tt.script, ph, 20*time.Second)
				path := "./-dash dir/new\nline.aether"
				got, err := r.Run(context.Background(), []string{path})
				if err != nil {
					t.Fatal(err)
				}
				want := tt.want
				want.File = path
				if diff := cmp.Diff([]Status{want}, got); diff != "" {
					t.Errorf("placeholder %q (-want +got):\n%s", ph, diff)
				}
			}
		})
	}
}

func TestRunTimeoutKillsGroup(t *testing.T) {
	t.Parallel()
	// The grandchild holds the pipes; without the group kill Run would
	// wait for it.
	r := shell(t, `sleep 60 & sleep 60`, "{file}", 300*time.Millisecond)
	start := time.Now()
	got, err := r.Run(context.Background(), []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Status{{File: "a", CodeName: "TIMEOUT_ERROR", Message: "checker killed after the 300ms timeout", Evidence: FromTimeout}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("Run took %v: the process group was not killed", d)
	}
}

// TestRunLeftoverJobsDoNotDelay: a checker that exits but leaves a job
// holding its output is judged at its exit, not when the job lets go of
// the pipes; the job is killed with the checker's group.
func TestRunLeftoverJobsDoNotDelay(t *testing.T) {
	t.Parallel()
	r := shell(t, `sleep 30 & echo '{"ok":true,"code":0}'`, "{file}", 0)
	r.WaitDelay = 20 * time.Second // what waiting for the pipes would cost per file
	start := time.Now()
	got, err := r.Run(context.Background(), []string{"a", "b", "c"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range got {
		if !s.OK() {
			t.Errorf("%s: %+v", s.File, s)
		}
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("Run took %v: it waited for the leftover jobs", d)
	}
}

func TestRunVerdictBeforeHangStands(t *testing.T) {
	t.Parallel()
	// The verdict must be printed before the timeout: give sh time to start
	// on a loaded CI machine (300ms left little margin).
	r := shell(t, `echo '{"ok":false,"code":20,"message":"Parse error line 2","line":2}'; sleep 60`, "{file}", slowStart)
	got, err := r.Run(context.Background(), []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Status{{File: "a", CodeName: "PARSE_ERROR", Line: 2, Message: "Parse error line 2", Evidence: FromJSON}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRunBatch(t *testing.T) {
	t.Parallel()
	script := `for f in "$@"; do
  case "$f" in
    *skip*) ;;
    *hang*) sleep 60 ;;
    *bad*) printf '{"ok":false,"code":20,"file":"%s","message":"Parse error line 1","line":1}\n' "$f" ;;
    *) printf '{"ok":true,"code":0,"file":"%s"}\n' "$PWD/$f" ;;
  esac
done`
	paths := []string{"a.aether", "bad.aether", "skip.aether", "c.aether"}
	r := shell(t, script, "-- {files}", 20*time.Second)
	got, err := r.Run(context.Background(), paths)
	if err != nil {
		t.Fatal(err)
	}
	want := []Status{
		{File: "a.aether", CodeName: "SUCCESS", Evidence: FromJSON},
		{File: "bad.aether", CodeName: "PARSE_ERROR", Line: 1, Message: "Parse error line 1", Evidence: FromJSON},
		{File: "skip.aether", CodeName: "INTERNAL_ERROR", Message: "checker reported no status for this file", Evidence: FromMissing},
		{File: "c.aether", CodeName: "SUCCESS", Evidence: FromJSON},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	r = shell(t, script, "{files}", slowStart) // "a" is reported before the hang
	got, err = r.Run(context.Background(), []string{"a", "hang", "b"})
	if err != nil {
		t.Fatal(err)
	}
	want = []Status{
		{File: "a", CodeName: "SUCCESS", Evidence: FromJSON},
		{File: "hang", CodeName: "TIMEOUT_ERROR", Message: "checker killed after the 2s timeout", Evidence: FromTimeout},
		{File: "b", CodeName: "TIMEOUT_ERROR", Message: "checker killed after the 2s timeout", Evidence: FromTimeout},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hang (-want +got):\n%s", diff)
	}
}

func TestRunCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := shell(t, `exit 0`, "", 0)
	got, err := r.Run(ctx, []string{"a", "b"})
	if err == nil {
		t.Fatal("Run on a cancelled context returned no error")
	}
	if len(got) != 2 || got[0].OK() || got[1].OK() {
		t.Errorf("cancelled run passed files: %+v", got)
	}
}

func TestNewRunnerMissingProgram(t *testing.T) {
	t.Parallel()
	c, _ := ParseCommand("no-such-checker-here {file}")
	if _, err := NewRunner(c, nil, 0, ""); err == nil {
		t.Fatal("NewRunner found a program that does not exist")
	}
}

// TestRequireStatus: in the execute phase a success must be said in
// words; exit 0 alone is no verdict, and failures are judged as ever.
func TestRequireStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, script string
		want         Status
	}{
		{"silent exit 0", `exit 0`, Status{CodeName: "INTERNAL_ERROR", Message: "checker reported no status for this file (exit status 0 without a status line)", Evidence: FromMissing}},
		{"chatter exit 0", `echo all good`, Status{CodeName: "INTERNAL_ERROR", Message: "checker reported no status for this file (exit status 0 without a status line)", Evidence: FromMissing}},
		{"json success", `echo '{"ok":true,"code":0,"phase":"execute"}'`, Status{CodeName: "SUCCESS", Phase: "execute", Evidence: FromJSON}},
		{"prefix success", `echo AETHER_ERROR_CODE:0 >&2`, Status{CodeName: "SUCCESS", Evidence: FromPrefix}},
		{"exit code failure", `echo "boom" >&2; exit 21`, Status{CodeName: "RUNTIME_ERROR", Message: "boom", Evidence: FromExit}},
		{"heuristic failure", `echo "NotImplementedError: teleport" >&2; exit 1`, Status{CodeName: "UNSUPPORTED_FEATURE", Message: "NotImplementedError: teleport", Evidence: FromHeuristic}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := shell(t, tt.script, "{file}", 20*time.Second)
			r.RequireStatus = true
			got, err := r.Run(context.Background(), []string{"a.aether"})
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.File = "a.aether"
			if diff := cmp.Diff([]Status{want}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunBatchFailureNotUndone: a batch checker that says a file failed
// and then that it passed (two passes of a wrapper, a file's text echoed
// back) has not passed it; the last failure stands.
func TestRunBatchFailureNotUndone(t *testing.T) {
	t.Parallel()
	script := `for f in "$@"; do
  printf '{"ok":false,"code":20,"file":"%s","message":"Parse error line 1","line":1}\n' "$f"
  printf '{"ok":true,"code":0,"file":"%s"}\n' "$f"
done
printf '{"ok":true,"code":0,"file":"a.aether"}\n'`
	r := shell(t, script, "{files}", 20*time.Second)
	got, err := r.Run(context.Background(), []string{"a.aether", "b.aether"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Status{
		{File: "a.aether", CodeName: "PARSE_ERROR", Line: 1, Message: "Parse error line 1", Evidence: FromJSON},
		{File: "b.aether", CodeName: "PARSE_ERROR", Line: 1, Message: "Parse error line 1", Evidence: FromJSON},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
