package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/clitest"
	"github.com/org/gonogo-action/internal/gate"
	"github.com/org/gonogo-action/internal/proc"
	"github.com/org/gonogo-action/internal/starter"
)

// samples are fresh projects of each kind gate init knows.
var samples = map[string]map[string]string{
	"go": {
		"go.mod":           "module example.com/sample\n\ngo 1.22\n",
		"add.go":           "package sample\n\n// Add adds.\nfunc Add(a, b int) int { return a + b }\n",
		"add_test.go":      "package sample\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tt.Fatal(\"1+2\")\n\t}\n}\n",
		"testdata/bad.go":  "package broken\nfunc (\n", // the go command ignores testdata; so does the ratchet
		"cmd/tool/main.go": "package main\n\nfunc main() {}\n",
	},
	"python": {
		"pyproject.toml":           "[project]\nname = \"sample\"\nversion = \"0.1.0\"\n",
		"sample/__init__.py":       "def add(a, b):\n    return a + b\n",
		"tests/test_add.py":        "from sample import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
		".venv/lib/site/broken.py": "def (\n", // a virtual environment is not the project's source
	},
	"node": {
		"package.json": `{"name": "sample", "version": "0.1.0", "scripts": {"test": "node --test"}}`,
		"add.js":       "exports.add = (a, b) => a + b;\n",
		"test/add.test.js": "const test = require(\"node:test\");\nconst assert = require(\"node:assert\");\n" +
			"const { add } = require(\"../add\");\ntest(\"add\", () => assert.strictEqual(add(1, 2), 3));\n",
	},
}

// TestInitStartersRunGreen: on a fresh project of each kind, gate init
// writes a configuration that --validate accepts and a workflow that
// actionlint accepts; the workflow's host steps, run here, then give
// evidence on which every gate passes. Go always runs; Python and Node run
// where their tools are installed.
func TestInitStartersRunGreen(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the sample projects' tests")
	}
	t.Parallel()
	for kind, files := range samples {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, data := range files {
				writeFile(t, filepath.Join(dir, name), data)
			}
			stdout, stderr, code := runGate(t, "init", "--dir", dir)
			if code != cli.ExitPass {
				t.Fatalf("gate init: exit %d, stderr %q", code, stderr)
			}
			for _, f := range []string{starter.ConfigPath, starter.WorkflowPath} {
				if !strings.Contains(stdout, "wrote "+filepath.Join(dir, f)+"\n") {
					t.Errorf("stdout does not name %s:\n%s", f, stdout)
				}
			}
			cfgPath := filepath.Join(dir, starter.ConfigPath)
			if out, errOut, code := runGate(t, "--config", cfgPath, "--validate"); code != cli.ExitPass {
				t.Fatalf("--validate: exit %d: %s%s", code, out, errOut)
			}
			clitest.Actionlint(t, filepath.Join(dir, starter.WorkflowPath))

			p, err := starter.Detect(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range p.Steps() {
				runStep(t, dir, kind, s)
			}
			cfg, err := gate.LoadConfig(t.Context(), cfgPath)
			if err != nil {
				t.Fatal(err)
			}
			res, err := gate.Run(t.Context(), cfg, gate.Options{Dir: dir, Environ: proc.InheritedEnv(os.Getenv), Log: io.Discard})
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range res.Gates {
				if !g.OK {
					d, _ := json.Marshal(g.Details)
					t.Errorf("gate %s did not pass: %s", g.ID, d)
				}
			}
			if !res.Meta.AllPassed || len(res.Gates) != len(cfg.Gates) {
				t.Fatalf("verdict not GO: %d gates, all passed %v", len(res.Gates), res.Meta.AllPassed)
			}
			// The ratchet judged every source file, and only those.
			var b struct {
				Total  int      `json:"total"`
				Passed []string `json:"passed"`
			}
			data, err := os.ReadFile(filepath.Join(dir, "parse_baseline.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &b); err != nil {
				t.Fatal(err)
			}
			want := map[string][]string{
				"go":     {"add.go", "add_test.go", "cmd/tool/main.go"},
				"python": {"sample/__init__.py", "tests/test_add.py"},
				"node":   {"add.js", "test/add.test.js"},
			}[kind]
			if strings.Join(b.Passed, " ") != strings.Join(want, " ") || b.Total != len(want) {
				t.Errorf("parse baseline: total %d, passed %v; want %v", b.Total, b.Passed, want)
			}
		})
	}
}

// runStep runs one host step of the starter workflow as the workflow does
// (bash -e -o pipefail at the repository root), or skips the test when the
// step needs a tool this machine lacks. The Go steps' tools (bash, jq,
// gotestsum in the module cache) must be there under GONOGO_FULL_TESTS;
// pytest and c8 may be missing even there. Setup steps install
// from package registries and are not run: the tests have no network.
func runStep(t *testing.T, dir, kind string, s starter.Step) {
	t.Helper()
	if s.Setup {
		return
	}
	tools := s.Tools
	if s.Ecosystem == starter.Node && strings.Contains(s.Run, "c8") {
		tools = append(tools, "c8") // npx would fetch it from the registry
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if kind == "go" && os.Getenv("GONOGO_FULL_TESTS") != "" {
				t.Fatalf("step %q needs %s, not installed, and GONOGO_FULL_TESTS forbids skipping", s.Name, tool)
			}
			t.Skipf("step %q needs %s, not installed", s.Name, tool)
		}
	}
	env := append(os.Environ(), "RUNNER_TEMP="+t.TempDir(), "GITHUB_PATH="+filepath.Join(t.TempDir(), "path"))
	if kind == "python" && s.Ecosystem == starter.Python {
		if out, err := exec.Command("python3", "-c", "import pytest, coverage").CombinedOutput(); err != nil {
			t.Skipf("pytest and coverage.py are not installed (python3 -m pip install pytest coverage): %s", bytes.TrimSpace(out))
		}
	}
	if strings.Contains(s.Run, "gotestsum@") {
		// No network: gotestsum comes from the module cache.
		cache := strings.TrimSpace(goEnv(t, "GOMODCACHE"))
		zip := filepath.Join(cache, "cache", "download", "gotest.tools", "gotestsum", "@v", starter.GotestsumVersion+".zip")
		if _, err := os.Stat(zip); err != nil {
			if os.Getenv("GONOGO_FULL_TESTS") == "" {
				t.Skipf("gotestsum %s is not in the module cache (go mod download gotest.tools/gotestsum@%s): %v",
					starter.GotestsumVersion, starter.GotestsumVersion, err)
			}
			t.Fatalf("gotestsum %s is not in the module cache (go install gotest.tools/gotestsum@%s): %v",
				starter.GotestsumVersion, starter.GotestsumVersion, err)
		}
		env = append(env, "GOPROXY=file://"+filepath.ToSlash(filepath.Join(cache, "cache", "download")), "GOSUMDB=off", "GOTOOLCHAIN=local")
	}
	for _, kv := range s.Env {
		env = append(env, kv[0]+"="+kv[1])
	}
	cmd := exec.CommandContext(t.Context(), "bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", s.Run)
	cmd.Dir, cmd.Env = dir, env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("step %q: %v\n%s", s.Name, err, out)
	}
}

// TestInitRefusesToOverwrite: an existing file is named and nothing is
// written, not even the other file; --force overwrites.
func TestInitRefusesToOverwrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/x\n")
	existing := filepath.Join(dir, starter.WorkflowPath)
	writeFile(t, existing, "mine\n")
	stdout, stderr, code := runGate(t, "init", "--dir", dir)
	want := "gate init: " + existing + " exists; gate init never overwrites a file (move it away, or --force)\n"
	if code != cli.ExitError || stderr != want || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, stdout, stderr, want)
	}
	if _, err := os.Stat(filepath.Join(dir, starter.ConfigPath)); err == nil {
		t.Error("gonogo.yml written although the workflow exists")
	}
	if data, _ := os.ReadFile(existing); string(data) != "mine\n" {
		t.Errorf("workflow changed: %q", data)
	}
	if _, stderr, code := runGate(t, "init", "--dir", dir, "--force"); code != cli.ExitPass {
		t.Fatalf("--force: exit %d: %s", code, stderr)
	}
	if data, _ := os.ReadFile(existing); !strings.Contains(string(data), "gotestsum") {
		t.Errorf("--force did not write the workflow: %q", data)
	}
}

// TestInitNothingToStartFrom: a directory without a project is an input
// error (exit 2), one line naming what was looked for.
func TestInitNothingToStartFrom(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, stderr, code := runGate(t, "init", "--dir", dir)
	if code != cli.ExitError || !strings.HasPrefix(stderr, "gate init: "+dir+": found no go.mod, pyproject.toml") ||
		strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("wrote %v", entries)
	}
}

func runGate(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(t.Context(), args, cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &errOut}, func(string) string { return "" })
	return out.String(), errOut.String(), code
}

func goEnv(t *testing.T, key string) string {
	t.Helper()
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestStatusScripts: the ratchet's status steps name each source file once,
// a syntax error as a PARSE_ERROR with its line, and leave out what is not
// the project's source.
func TestStatusScripts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind  string
		files map[string]string
		want  []string // the status lines
	}{
		{"go", map[string]string{
			"go.mod": "module example.com/x\n", "a.go": "package a\n", "b/b.go": "package b\n\nfunc (\n",
			"testdata/t.go": "x", "vendor/v/v.go": "x",
		}, []string{
			`{"file":"a.go","ok":true}`,
			`{"file":"b/b.go","ok":false,"code_name":"PARSE_ERROR","line":3,"message":"b/b.go:3:8: expected '(', found 'EOF'"}`,
		}},
		{"python", map[string]string{
			"setup.py": "", "a.py": "x = 1\n", "pkg/b.py": "def f(:\n    pass\n", "venv/c.py": "(",
		}, []string{
			`{"file": "a.py", "ok": true}`,
			`{"file": "pkg/b.py", "ok": false, "code_name": "PARSE_ERROR", "line": 1, "message": "SyntaxError: invalid syntax"}`,
			`{"file": "setup.py", "ok": true}`,
		}},
		{"node", map[string]string{
			"package.json": "{}", "a.js": "let a = 1;\n", "lib/b.mjs": "export const b = ;\n", "node_modules/c.js": "(",
		}, []string{
			`{"file":"a.js","ok":true}`,
			`{"file":"lib/b.mjs","ok":false,"message":"SyntaxError: Unexpected token ';'","code_name":"PARSE_ERROR","line":1}`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, data := range tt.files {
				writeFile(t, filepath.Join(dir, name), data)
			}
			p, err := starter.Detect(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range p.Steps() {
				if s.Ecosystem == "" || strings.Contains(s.Name, "parse ratchet") {
					runStep(t, dir, tt.kind, s)
				}
			}
			data, err := os.ReadFile(filepath.Join(dir, starter.Statuses))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(strings.Join(tt.want, "\n")+"\n", string(data)); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
		})
	}
}
