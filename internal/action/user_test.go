package action

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/proc"
)

// TestGateUserFailsClosed: when the action cannot tell whom to run the
// gates as, it runs none (as itself, they would reach the token).
func TestGateUserFailsClosed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil, "push", map[string]any{"ref": "refs/heads/main"}, nil)
	write(t, filepath.Join(f.ws, ".github/gonogo.yml"), "version: 1\ngates:\n  - id: g\n    run: touch ran\n")
	code := f.runWith(t, func(d *Deps) {
		d.GateUser = func(string) (*proc.User, error) { return nil, errors.New("stat: no owner") }
	})
	if code != cli.ExitError || !strings.Contains(f.errb.String(), "gate user: stat: no owner") {
		t.Errorf("exit %d, stderr %q; want %d naming the error", code, f.errb.String(), cli.ExitError)
	}
	if _, err := os.Stat(filepath.Join(f.ws, "ran")); err == nil {
		t.Error("a gate ran")
	}
}

// TestGatesRunAsGateUser: the gates run as the user GateUser picks for
// the workspace, with a HOME of their own, removed after the run.
func TestGatesRunAsGateUser(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("switching users needs root (as the action in its container)")
	}
	f := newFixture(t, nil, "push", map[string]any{"ref": "refs/heads/main"}, nil)
	write(t, filepath.Join(f.ws, ".github/gonogo.yml"), `version: 1
gates:
  - id: g
    run: 'test "$(id -u):$(id -g)" = 65534:65534 && touch "$HOME/w" && echo "home=$HOME"'
`)
	// nobody must reach the workspace: t.TempDir's parent is root's alone.
	for _, d := range []string{filepath.Dir(f.ws), f.ws} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var asked string
	code := f.runWith(t, func(d *Deps) {
		d.GateUser = func(ws string) (*proc.User, error) {
			asked = ws
			return &proc.User{UID: proc.Nobody, GID: proc.Nobody}, nil
		}
	})
	if code != cli.ExitPass {
		t.Fatalf("exit %d\n%s\n%s", code, f.out.String(), f.errb.String())
	}
	if asked != f.ws {
		t.Errorf("GateUser asked about %q, want the workspace %q", asked, f.ws)
	}
	var res map[string]struct {
		Details struct {
			Stdout string `json:"stdout_tail"`
		} `json:"details"`
	}
	data, err := os.ReadFile(filepath.Join(f.ws, "gate_results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	home, ok := strings.CutPrefix(strings.TrimSpace(res["g"].Details.Stdout), "home=")
	if !ok || home == "" || home == os.Getenv("HOME") {
		t.Fatalf("gate output %q, want its own HOME", res["g"].Details.Stdout)
	}
	if _, err := os.Stat(home); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("HOME %s left behind: %v", home, err)
	}
	for _, want := range []string{"run as uid 65534, gid 65534", "a workspace that root owns is not theirs to write in"} {
		if !strings.Contains(f.errb.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, f.errb.String())
		}
	}
}
