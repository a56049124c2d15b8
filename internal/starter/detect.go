// Package starter is what `gate init` writes: it looks at a repository's
// root for a Go module, a Python project and a Node package, and renders a
// commented starter .github/gonogo.yml and .github/workflows/gonogo.yml
// for what it found.
//
// The split follows the action's one design tension (README, "What runs
// where"): the action's container holds a POSIX shell and gonogo's three
// commands, never the project's toolchain. So the workflow runs the tests
// on the host, in steps before the action, and leaves their evidence in
// reports/ (JUnit XML, coverage reports, JSON status lines); the gates
// only judge those files. The host steps are also returned as data
// (Project.Steps), so that a test can run exactly what the workflow runs.
package starter

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Ecosystem is a kind of project the starter knows.
type Ecosystem string

// The ecosystems, in the order their gates and steps are written.
const (
	Go     Ecosystem = "go"
	Python Ecosystem = "python"
	Node   Ecosystem = "node"
)

// Project is what Detect found at a repository's root.
type Project struct {
	Ecosystems []Ecosystem

	GoModule string // the module path of go.mod

	PythonMarkers      []string // pyproject.toml, setup.py, requirements.txt: those present
	PythonRequirements bool     // requirements.txt exists
	PythonInstallable  bool     // pyproject.toml or setup.py: pip install -e . works

	NodeName     string // package.json's name
	NodeTest     string // its scripts.test ("" when it has none)
	NodeJest     bool   // jest runs the tests (a dependency, or named by the test script)
	NodeLockfile bool   // package-lock.json exists: npm ci
}

// Has reports whether e was found.
func (p *Project) Has(e Ecosystem) bool { return slices.Contains(p.Ecosystems, e) }

// ErrNothingFound is returned by Detect for a directory holding none of the
// files it looks for.
var ErrNothingFound = errors.New("found no go.mod, pyproject.toml, setup.py, requirements.txt or package.json")

// npm init's placeholder test script: it fails by design, so it is no test.
const npmPlaceholder = `echo "Error: no test specified" && exit 1`

var jestCommand = regexp.MustCompile(`(^|[\s/])jest(\s|$)`)

var moduleLine = regexp.MustCompile(`(?m)^\s*module\s+("([^"]+)"|(\S+))`)

// Detect looks at dir's top level only (a monorepo's subprojects are not
// searched: run gate init where the project's root is).
func Detect(dir string) (*Project, error) {
	p := &Project{}
	exists := func(name string) (bool, error) {
		fi, err := os.Stat(filepath.Join(dir, name))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return false, nil
		case err != nil:
			return false, err
		}
		return fi.Mode().IsRegular(), nil
	}

	if ok, err := exists("go.mod"); err != nil {
		return nil, err
	} else if ok {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err != nil {
			return nil, err
		}
		m := moduleLine.FindSubmatch(data)
		if m == nil {
			return nil, fmt.Errorf("%s: no module line", filepath.Join(dir, "go.mod"))
		}
		p.GoModule = string(m[2]) + string(m[3])
		p.Ecosystems = append(p.Ecosystems, Go)
	}

	for _, name := range []string{"pyproject.toml", "setup.py", "requirements.txt"} {
		ok, err := exists(name)
		if err != nil {
			return nil, err
		}
		if ok {
			p.PythonMarkers = append(p.PythonMarkers, name)
			switch name {
			case "requirements.txt":
				p.PythonRequirements = true
			default:
				p.PythonInstallable = true
			}
		}
	}
	if len(p.PythonMarkers) > 0 {
		p.Ecosystems = append(p.Ecosystems, Python)
	}

	if ok, err := exists("package.json"); err != nil {
		return nil, err
	} else if ok {
		if err := p.readPackageJSON(filepath.Join(dir, "package.json")); err != nil {
			return nil, err
		}
		if p.NodeLockfile, err = exists("package-lock.json"); err != nil {
			return nil, err
		}
		p.Ecosystems = append(p.Ecosystems, Node)
	}

	if len(p.Ecosystems) == 0 {
		return nil, fmt.Errorf("%s: %w", dir, ErrNothingFound)
	}
	return p, nil
}

func (p *Project) readPackageJSON(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var pkg struct {
		Name            string            `json:"name"`
		Scripts         map[string]string `json:"scripts"`
		Dependencies    map[string]string `json:"dependencies"`
		DevDependencies map[string]string `json:"devDependencies"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	p.NodeName = pkg.Name
	if t := strings.TrimSpace(pkg.Scripts["test"]); t != npmPlaceholder {
		p.NodeTest = t
	}
	_, dep := pkg.Dependencies["jest"]
	_, dev := pkg.DevDependencies["jest"]
	p.NodeJest = dep || dev || jestCommand.MatchString(p.NodeTest)
	return nil
}
