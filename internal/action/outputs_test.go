package action

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/cli"
)

// The workspace is the pull request's checkout, and the runner's files are
// mounted beside it. A committed link named like an output must never carry
// the action's writes into them: GITHUB_ENV stands in for
// /github/file_commands/*, and it must keep its contents.
func TestOutputsNeverFollowWorkspaceLinks(t *testing.T) {
	t.Parallel()
	const parseConfig = `version: 1
gates:
  - id: parse
    title: Parse ratchet
    parse-regression:
      statuses: statuses.jsonl
      reference: {file: statuses.jsonl}
      output: %s
`
	tests := []struct {
		name   string
		inputs map[string]string
		setup  func(t *testing.T, f *fixture, env string)
		code   int
		stderr string // in the error line, or "" for a gate's failure
	}{
		{"results file is a link", nil, func(t *testing.T, f *fixture, env string) {
			symlink(t, env, filepath.Join(f.ws, "gate_results.json"))
		}, cli.ExitError, "gate_results.json is a symbolic link"},
		{"sign-off file is a link", nil, func(t *testing.T, f *fixture, env string) {
			symlink(t, env, filepath.Join(f.ws, "gate_sign_off.md"))
		}, cli.ExitError, "gate_sign_off.md is a symbolic link"},
		{"working directory is a link", map[string]string{"working-directory": "sub"}, func(t *testing.T, f *fixture, env string) {
			write(t, filepath.Join(filepath.Dir(env), ".github/gonogo.yml"), "version: 1\ngates:\n  - {id: smoke, run: echo ok}\n")
			symlink(t, filepath.Dir(env), filepath.Join(f.ws, "sub"))
		}, cli.ExitError, "sub is a symbolic link"},
		{"baseline output is a link", nil, func(t *testing.T, f *fixture, env string) {
			write(t, filepath.Join(f.ws, ".github/gonogo.yml"), strings.ReplaceAll(parseConfig, "%s", "parse_baseline.json"))
			symlink(t, env, filepath.Join(f.ws, "parse_baseline.json"))
		}, cli.ExitFail, ""},
		{"baseline output's folder is a link", nil, func(t *testing.T, f *fixture, env string) {
			write(t, filepath.Join(f.ws, ".github/gonogo.yml"), strings.ReplaceAll(parseConfig, "%s", "out/"+filepath.Base(env)))
			symlink(t, filepath.Dir(env), filepath.Join(f.ws, "out"))
		}, cli.ExitFail, ""},
		{"baseline output leaves the workspace", nil, func(t *testing.T, f *fixture, env string) {
			rel, _ := filepath.Rel(f.ws, env)
			write(t, filepath.Join(f.ws, ".github/gonogo.yml"), strings.ReplaceAll(parseConfig, "%s", rel))
		}, cli.ExitFail, ""},
		{"baseline output is absolute", nil, func(t *testing.T, f *fixture, env string) {
			write(t, filepath.Join(f.ws, ".github/gonogo.yml"), strings.ReplaceAll(parseConfig, "%s", env))
		}, cli.ExitFail, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, nil, "push", map[string]any{}, tt.inputs)
			env := filepath.Join(t.TempDir(), "GITHUB_ENV")
			write(t, env, "KEEP=1\n")
			tt.setup(t, f, env)
			if code := f.run(t); code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, f.errb)
			}
			if got, _ := os.ReadFile(env); string(got) != "KEEP=1\n" {
				t.Errorf("GITHUB_ENV was written through a link:\n%s", got)
			}
			if tt.stderr != "" && !strings.Contains(f.errb.String(), tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, f.errb)
			}
			if tt.stderr == "" {
				results, err := os.ReadFile(filepath.Join(f.ws, "gate_results.json"))
				if err != nil || !strings.Contains(string(results), `"status": "error"`) {
					t.Errorf("the gate should error on its output; results (%v):\n%s", err, results)
				}
			}
		})
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// action.yml declares exactly the outputs the action writes.
func TestActionYAMLDeclaresOutputs(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Outputs map[string]any `yaml:"outputs"`
	}
	if err := yaml.Unmarshal(data, &meta); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(slices.Sorted(slices.Values(outputNames)), slices.Sorted(maps.Keys(meta.Outputs))); d != "" {
		t.Errorf("outputs (-written +action.yml):\n%s", d)
	}
	// The inputs: TestEveryInputIsRead.
}
