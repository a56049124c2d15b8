package starter

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDetect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
		want  Project
		err   string
	}{
		{"go module", map[string]string{"go.mod": "// c\nmodule example.com/m\n\ngo 1.22\n"},
			Project{Ecosystems: []Ecosystem{Go}, GoModule: "example.com/m"}, ""},
		{"quoted module path", map[string]string{"go.mod": "module \"example.com/q\"\n"},
			Project{Ecosystems: []Ecosystem{Go}, GoModule: "example.com/q"}, ""},
		{"go.mod without module line", map[string]string{"go.mod": "go 1.22\n"}, Project{}, "no module line"},
		{"python requirements only", map[string]string{"requirements.txt": "requests\n"},
			Project{Ecosystems: []Ecosystem{Python}, PythonMarkers: []string{"requirements.txt"}, PythonRequirements: true}, ""},
		{"python installable", map[string]string{"pyproject.toml": "", "setup.py": ""},
			Project{Ecosystems: []Ecosystem{Python}, PythonMarkers: []string{"pyproject.toml", "setup.py"}, PythonInstallable: true}, ""},
		{"node with jest as a dependency and a lockfile", map[string]string{
			"package.json":      `{"name": "w", "scripts": {"test": "react-scripts test"}, "devDependencies": {"jest": "^29"}}`,
			"package-lock.json": "{}",
		}, Project{Ecosystems: []Ecosystem{Node}, NodeName: "w", NodeTest: "react-scripts test", NodeJest: true, NodeLockfile: true}, ""},
		{"node with jest named by the script", map[string]string{"package.json": `{"scripts": {"test": "npx jest --ci"}}`},
			Project{Ecosystems: []Ecosystem{Node}, NodeTest: "npx jest --ci", NodeJest: true}, ""},
		{"jest-junit alone is not jest", map[string]string{"package.json": `{"scripts": {"test": "mocha --reporter jest-junit-ish"}}`},
			Project{Ecosystems: []Ecosystem{Node}, NodeTest: "mocha --reporter jest-junit-ish"}, ""},
		{"npm init's placeholder is no test script", map[string]string{
			"package.json": `{"scripts": {"test": "echo \"Error: no test specified\" && exit 1"}}`,
		}, Project{Ecosystems: []Ecosystem{Node}}, ""},
		{"malformed package.json is an error", map[string]string{"package.json": `{"scripts": `}, Project{}, "package.json: unexpected end of JSON input"},
		{"all three, in order", map[string]string{"package.json": "{}", "go.mod": "module m\n", "setup.py": ""},
			Project{Ecosystems: []Ecosystem{Go, Python, Node}, GoModule: "m", PythonMarkers: []string{"setup.py"}, PythonInstallable: true}, ""},
		{"a directory named go.mod is not a module", map[string]string{"go.mod/x": ""}, Project{}, ErrNothingFound.Error()},
		{"nothing", map[string]string{"README.md": ""}, Project{}, ErrNothingFound.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, data := range tt.files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := Detect(dir)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one containing %q", err, tt.err)
				}
				if tt.err == ErrNothingFound.Error() && !errors.Is(err, ErrNothingFound) {
					t.Errorf("err %v is not ErrNothingFound", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, *got); diff != "" {
				t.Errorf("Detect (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFilesCarryEveryEcosystem: the configuration declares a tests (or
// exit status) and a coverage gate per ecosystem found and one ratchet,
// reading the files the workflow's steps write.
func TestFilesCarryEveryEcosystem(t *testing.T) {
	t.Parallel()
	p := &Project{Ecosystems: []Ecosystem{Go, Python, Node}, GoModule: "m", PythonMarkers: []string{"setup.py"}, NodeTest: "mocha"}
	cfg, wf := p.Config(), p.Workflow()
	for _, id := range []string{"go_tests", "go_coverage", "python_tests", "python_coverage", "node_tests", "node_coverage", "parse_ratchet"} {
		if strings.Count(cfg, "  - id: "+id+"\n") != 1 {
			t.Errorf("config does not declare %s once", id)
		}
	}
	for _, f := range []string{GoJUnit, GoCoverage, PythonJUnit, PythonCoverage, NodeCoverage, NodeExit, Statuses} {
		written := f
		if f == NodeCoverage {
			written = "--reports-dir=" + path.Dir(f) + " " // c8 names the file lcov.info
		}
		if !strings.Contains(cfg, f) || !strings.Contains(wf, written) {
			t.Errorf("%s is not both written by the workflow and read by the config", f)
		}
	}
	if strings.Contains(cfg, NodeJUnit) {
		t.Errorf("no jest, yet the config reads %s", NodeJUnit)
	}
}

// Names read from the project's files reach only a comment line: a line
// break in them cannot add YAML to the files gate init writes.
func TestProjectNamesStayInTheirComment(t *testing.T) {
	t.Parallel()
	p := &Project{Ecosystems: []Ecosystem{Go, Node}, GoModule: "m\non: [push]", NodeName: "pkg\r\njobs: {}"}
	for name, text := range map[string]string{"config": p.Config(), "workflow": p.Workflow()} {
		for _, line := range strings.Split(text, "\n") {
			if strings.Contains(line, "[push]") || strings.Contains(line, "jobs: {}") {
				if !strings.HasPrefix(strings.TrimLeft(line, " "), "#") {
					t.Errorf("%s: a project name left its comment: %q", name, line)
				}
			}
		}
	}
}
