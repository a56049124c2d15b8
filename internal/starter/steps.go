package starter

import "path"

// The files the host steps write and the gates read, relative to the
// repository root.
const (
	ReportsDir     = "reports"
	Statuses       = "reports/statuses.jsonl"
	GoJUnit        = "reports/go-junit.xml"
	GoCoverage     = "reports/go-coverage.out"
	PythonJUnit    = "reports/python-junit.xml"
	PythonCoverage = "reports/python-coverage.xml"
	NodeJUnit      = "reports/node-junit.xml"
	NodeCoverage   = "reports/node-coverage/lcov.info"
	NodeExit       = "reports/node-test.status"
)

// GotestsumVersion is the gotestsum the Go test step runs (go run …@v):
// it writes the JUnit report while go test writes the cover profile.
const GotestsumVersion = "v1.13.0"

// Step is one host step of the starter workflow: a bash script run at the
// repository root (the workflow sets bash with -e and pipefail).
type Step struct {
	Name string
	// Why is the comment written above the step, one line each.
	Why []string
	// Ecosystem the step belongs to ("" for the steps every project has).
	Ecosystem Ecosystem
	// Setup steps install dependencies from a package registry; a test
	// without network skips them.
	Setup bool
	// Tools are the programs the script needs on PATH.
	Tools []string
	// Env is the step's environment, in order.
	Env [][2]string
	// ContinueOnError: the step's failure is judged by a gate (its
	// evidence, e.g. a JUnit report listing the failed tests), so the job
	// goes on to the action, which reports it.
	ContinueOnError bool
	Run             string
}

// Steps returns the host steps the starter workflow runs before the action,
// in order.
func (p *Project) Steps() []Step {
	steps := []Step{{
		Name: "evidence folder",
		Run:  "mkdir -p " + ReportsDir + "\n: > " + Statuses + "\n",
	}}
	if p.Has(Go) {
		steps = append(steps, goSteps()...)
	}
	if p.Has(Python) {
		steps = append(steps, p.pythonSteps()...)
	}
	if p.Has(Node) {
		steps = append(steps, p.nodeSteps()...)
	}
	return steps
}

func goSteps() []Step {
	return []Step{{
		Name:      "go test (cover profile, JUnit report)",
		Ecosystem: Go,
		Why: []string{
			"The runner image's Go; GOTOOLCHAIN=auto (the default) fetches the version go.mod asks",
			"for. gotestsum runs go test and writes the JUnit report the tests gate reads.",
		},
		Tools:           []string{"go"},
		ContinueOnError: true,
		Run: "go run gotest.tools/gotestsum@" + GotestsumVersion + " --junitfile " + GoJUnit +
			" -- -coverprofile=" + GoCoverage + " ./...\n",
	}, {
		Name:      "Go files for the parse ratchet",
		Ecosystem: Go,
		Why: []string{
			"One JSON status line per .go file: gofmt -e parses it, a syntax error is a",
			"PARSE_ERROR. Formatting is not judged (gofmt -l's list is thrown away); testdata/",
			"and vendor/ are left out, as the go command leaves them out.",
		},
		Tools: []string{"find", "sort", "gofmt", "jq"},
		Run:   goStatuses,
	}}
}

const goStatuses = `find . -type f -name '*.go' -not -path './vendor/*' -not -path '*/testdata/*' \
  -not -path '*/.git/*' -not -path '*/node_modules/*' -print0 |
  sort -z |
  while IFS= read -r -d '' f; do
    f=${f#./}
    if msg=$(gofmt -e -l -- "$f" 2>&1 >/dev/null); then
      jq -cn --arg f "$f" '{file: $f, ok: true}'
    else
      msg=${msg%%$'\n'*}
      line=${msg#"$f":}
      line=${line%%:*}
      [[ $line =~ ^[0-9]+$ ]] || line=0
      jq -cn --arg f "$f" --arg m "$msg" --argjson l "$line" \
        '{file: $f, ok: false, code_name: "PARSE_ERROR", line: $l, message: $m}'
    fi
  done >> ` + Statuses + "\n"

func (p *Project) pythonSteps() []Step {
	install := "python3 -m venv \"$RUNNER_TEMP/venv\"\n" +
		"echo \"$RUNNER_TEMP/venv/bin\" >> \"$GITHUB_PATH\"\n" +
		"\"$RUNNER_TEMP/venv/bin/python3\" -m pip install pytest coverage"
	if p.PythonRequirements {
		install += " -r requirements.txt"
	}
	if p.PythonInstallable {
		install += " -e ."
	}
	return []Step{{
		Name:      "Python dependencies",
		Ecosystem: Python,
		Setup:     true,
		Why: []string{
			"A virtual environment (the runner's system Python refuses pip installs); later",
			"steps find its python3 first on PATH. Add your test extras here (-e '.[test]').",
		},
		Tools: []string{"python3"},
		Run:   install + "\n",
	}, {
		Name:      "pytest under coverage.py (Cobertura XML, JUnit report)",
		Ecosystem: Python,
		Why: []string{
			"The coverage report is written even when tests fail; the step then fails,",
			"and the tests gate lists the failures.",
		},
		Tools:           []string{"python3"},
		ContinueOnError: true,
		Run: "status=0\n" +
			"python3 -m coverage run --source=. -m pytest --junitxml=" + PythonJUnit + " || status=$?\n" +
			"python3 -m coverage xml -o " + PythonCoverage + "\n" +
			"exit \"$status\"\n",
	}, {
		Name:      "Python files for the parse ratchet",
		Ecosystem: Python,
		Why: []string{
			"One JSON status line per .py file: Python's own compile() parses it (nothing is",
			"run or imported); a SyntaxError is a PARSE_ERROR. A linter's SARIF (ruff",
			"--output-format sarif) can take this step's place: parse-baseline reads both.",
		},
		Tools: []string{"python3"},
		Run:   "python3 - >> " + Statuses + " <<'EOF'\n" + pythonStatuses + "EOF\n",
	}}
}

const pythonStatuses = `import json, os
SKIP = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", ".tox",
        "__pycache__", ".mypy_cache", ".pytest_cache", "reports"}
for root, dirs, files in os.walk("."):
    dirs[:] = sorted(d for d in dirs if d not in SKIP)
    for name in sorted(files):
        if not name.endswith(".py"):
            continue
        path = os.path.relpath(os.path.join(root, name))
        try:
            with open(path, "rb") as f:
                compile(f.read(), path, "exec", dont_inherit=True)
            status = {"file": path, "ok": True}
        except (SyntaxError, ValueError) as e:  # ValueError: a NUL byte
            status = {"file": path, "ok": False, "code_name": "PARSE_ERROR",
                      "line": getattr(e, "lineno", None) or 0,
                      "message": f"{type(e).__name__}: {getattr(e, 'msg', e)}"}
        except OSError as e:
            status = {"file": path, "ok": False, "code_name": "IO_ERROR", "message": str(e)}
        print(json.dumps(status))
`

func (p *Project) nodeSteps() []Step {
	install := "npm install"
	if p.NodeLockfile {
		install = "npm ci"
	}
	test := "npx --yes c8@10 --reporter=lcov --reports-dir=" + path.Dir(NodeCoverage) + " npm test"
	why := []string{
		"c8 records V8's coverage of the test script's processes as LCOV.",
	}
	var env [][2]string
	if p.NodeJest {
		install += "\nnpm install --no-save jest-junit@16"
		test += " -- --ci --reporters=default --reporters=jest-junit"
		why = append(why,
			"jest-junit writes the JUnit report; reportTestSuiteErrors makes a test file",
			"that fails to load a failure instead of leaving it out.")
		env = [][2]string{
			{"JEST_JUNIT_OUTPUT_FILE", NodeJUnit},
			{"JEST_JUNIT_REPORT_TEST_SUITE_ERRORS", "true"},
		}
	} else {
		why = append(why,
			"Your test runner writes no JUnit report here, so its exit status is the evidence",
			"("+NodeExit+", judged by the node_tests gate). Make it write JUnit XML",
			"(mocha-junit-reporter, vitest --reporter=junit) and use a tests gate instead.")
	}
	run := "status=0\n" + test + " || status=$?\n"
	if !p.NodeJest {
		run += "echo \"$status\" > " + NodeExit + "\n"
	}
	run += "exit \"$status\"\n"
	return []Step{{
		Name:      "Node dependencies",
		Ecosystem: Node,
		Setup:     true,
		Why:       []string{"The runner image's Node; use yarn or pnpm here if the project does."},
		Tools:     []string{"npm"},
		Run:       install + "\n",
	}, {
		Name:            "npm test under c8 (LCOV)",
		Ecosystem:       Node,
		Why:             why,
		Tools:           []string{"npx", "npm"},
		Env:             env,
		ContinueOnError: true,
		Run:             run,
	}, {
		Name:      "JavaScript files for the parse ratchet",
		Ecosystem: Node,
		Why: []string{
			"One JSON status line per .js/.mjs/.cjs file: node --check parses it without running",
			"it; a SyntaxError is a PARSE_ERROR. TypeScript and JSX are not judged: for them, hand",
			"over ESLint's SARIF (@microsoft/eslint-formatter-sarif) instead.",
		},
		Tools: []string{"node"},
		Run:   "node - >> " + Statuses + " <<'EOF'\n" + nodeStatuses + "EOF\n",
	}}
}

const nodeStatuses = `const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");
const skip = new Set([".git", ".hg", ".svn", "node_modules", ".venv", "venv", ".tox", "reports", "coverage"]);
function walk(dir) {
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!skip.has(e.name)) walk(p);
    } else if (e.isFile() && /\.(js|mjs|cjs)$/.test(e.name)) {
      check(p);
    }
  }
}
function check(file) {
  const r = spawnSync(process.execPath, ["--check", file], { encoding: "utf8" });
  if (r.status === 0) {
    console.log(JSON.stringify({ file, ok: true }));
    return;
  }
  const out = r.error ? String(r.error) : r.stderr;
  const err = /^(\w*Error): (.*)$/m.exec(out);
  const line = /:(\d+)\r?\n/.exec(out);
  const status = { file, ok: false, message: err ? err[1] + ": " + err[2] : out.split("\n")[0] };
  if (err && err[1] === "SyntaxError") status.code_name = "PARSE_ERROR";
  if (line) status.line = Number(line[1]);
  console.log(JSON.stringify(status));
}
walk(".");
`
