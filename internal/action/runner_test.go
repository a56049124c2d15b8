package action

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/org/gonogo-action/internal/cli"
)

// runnerCommands returns the workflow commands the runner would act on in
// one output stream, as actions/runner's ActionCommandManager reads them:
// lines end at \n, \r\n or \r; "::name props::data" counts after leading
// whitespace; the older "##[name props]data" counts anywhere in a line; and
// between ::stop-commands::TOKEN and a line naming TOKEN nothing counts.
// Each command is returned as its name and the raw line.
func runnerCommands(stream string) [][2]string {
	registered := map[string]bool{}
	for _, c := range []string{"stop-commands", "set-output", "save-state", "add-mask", "add-path", "set-env",
		"error", "warning", "notice", "debug", "group", "endgroup", "echo", "add-matcher", "remove-matcher"} {
		registered[c] = true
	}
	name := func(line string) string {
		if t := strings.TrimLeft(line, " \t"); strings.HasPrefix(t, "::") {
			if end := strings.Index(t[2:], "::"); end >= 0 {
				n, _, _ := strings.Cut(t[2:2+end], " ")
				if registered[strings.ToLower(n)] {
					return n
				}
			}
		}
		if i := strings.Index(line, "##["); i >= 0 {
			if end := strings.Index(line[i:], "]"); end >= 0 {
				n, _, _ := strings.Cut(line[i+3:i+end], " ")
				if registered[strings.ToLower(n)] {
					return n
				}
			}
		}
		return ""
	}
	var out [][2]string
	stopped := ""
	for _, line := range regexp.MustCompile(`\r\n|\r|\n`).Split(stream, -1) {
		n := name(line)
		switch {
		case n == "":
		case stopped != "":
			if strings.EqualFold(n, stopped) {
				delete(registered, strings.ToLower(stopped))
				stopped = ""
			}
		case strings.EqualFold(n, "stop-commands"):
			_, data, _ := strings.Cut(strings.TrimLeft(line, " \t")[2:], "::")
			stopped = data
			registered[strings.ToLower(data)] = true
		default:
			out = append(out, [2]string{strings.ToLower(n), line})
		}
	}
	return out
}

// assertOnlyOwnCommands fails unless every command the runner would act on
// in stdout and stderr is an annotation or mask of the action's own.
func assertOnlyOwnCommands(t *testing.T, f *fixture) {
	t.Helper()
	for stream, text := range map[string]string{"stdout": f.out.String(), "stderr": f.errb.String()} {
		for _, c := range runnerCommands(text) {
			switch c[0] {
			case "error", "warning", "notice":
				if strings.HasPrefix(c[1], "::"+c[0]+" title=") {
					continue
				}
			case "add-mask":
				if c[1] == "::add-mask::"+token {
					continue
				}
			}
			t.Errorf("%s: the runner would act on %q", stream, c[1])
		}
	}
}

func TestRunnerCommandsModel(t *testing.T) {
	t.Parallel()
	got := runnerCommands("x ##[set-output name=a;]b\r::error::e\n::stop-commands::T\n::warning::w\n##[t]\n::notice::n")
	want := [][2]string{{"set-output", "x ##[set-output name=a;]b"}, {"error", "::error::e"}, {"notice", "::notice::n"}}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("command %d = %q, want %q", i, got[i], want[i])
		}
	}
}

// An input error quoting untrusted text (a gate id from a pull request's
// gate_results.json in the report phase) must not become a command.
func TestFailureMessageIsNoCommand(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil, "workflow_run", map[string]any{}, map[string]string{"mode": "report", "working-directory": "results"})
	write(t, filepath.Join(f.ws, "results/gate_results.json"),
		`{"x\n##[set-output name=all-passed;]true\r::set-output name=all-passed::true\n::add-mask::x": 5}`)
	if code := f.run(t); code != cli.ExitError {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, cli.ExitError, f.errb)
	}
	if !strings.HasPrefix(f.errb.String(), "gate action: ") && !strings.Contains(f.errb.String(), "\ngate action: ") {
		t.Errorf("stderr lacks the error line:\n%s", f.errb)
	}
	assertOnlyOwnCommands(t, f)
}
