package starter

import (
	"fmt"
	"strings"

	"github.com/org/gonogo-action/internal/safetext"
)

// The files gate init writes, relative to the repository root.
const (
	ConfigPath   = ".github/gonogo.yml"
	WorkflowPath = ".github/workflows/gonogo.yml"
)

// Pinned third-party actions, as in the README's workflow.
const (
	checkoutAction = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2"
	uploadAction   = "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2"
	gonogoAction   = "org/gonogo-action@<release commit SHA> # v1"
)

// File is a file to write.
type File struct {
	Path string // relative to the repository root, with /
	Data []byte
}

// Files returns the starter configuration and workflow for p.
func (p *Project) Files() []File {
	return []File{
		{ConfigPath, []byte(p.Config())},
		{WorkflowPath, []byte(p.Workflow())},
	}
}

func (p *Project) describe() string {
	var parts []string
	if p.Has(Go) {
		parts = append(parts, "a Go module ("+p.GoModule+")")
	}
	if p.Has(Python) {
		parts = append(parts, "a Python project ("+strings.Join(p.PythonMarkers, ", ")+")")
	}
	if p.Has(Node) {
		name := p.NodeName
		if name == "" {
			name = "package.json"
		}
		parts = append(parts, "a Node package ("+name+")")
	}
	// The names come from the project's files and end up in a comment
	// line: a line break in them must not start a line of YAML.
	return safetext.LogLine(strings.Join(parts, ", "))
}

// Config returns the starter .github/gonogo.yml.
func (p *Project) Config() string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w(`# Go / no-go gates, a starter written by gate init for %s.
# Manual: docs/gate.md of gonogo-action. Check this file with: gate --validate
#
# These gates run inside the action's container, which holds a POSIX shell and
# gonogo's commands but not your toolchain. So .github/workflows/gonogo.yml runs
# the tests on the host first and leaves the evidence in reports/; the gates
# judge those files. Run locally: the workflow's steps, then gate (it reads this
# file by default).
version: 1
gates:
`, p.describe())
	if p.Has(Go) {
		w(`
  - id: go_tests
    title: Go tests
    tests:
      reports: [%s]
      # Main's results (uploaded by the workflow on push): failures are told new
      # from already failing, and the gate fails when tests disappear.
      reference: {artifact: gate-results, file: gate_results.json}
      max_test_drop: 0

  - id: go_coverage
    title: Go coverage
    coverage:
      profile: %s
      format: go
      # TODO: 0 only judges that the profile exists and measures something. Set
      # your current figure (gate prints it), e.g. min: 72.5, and raise it over time.
      min: 0
`, GoJUnit, GoCoverage)
	}
	if p.Has(Python) {
		w(`
  - id: python_tests
    title: Python tests
    tests:
      reports: [%s]
      reference: {artifact: gate-results, file: gate_results.json}
      max_test_drop: 0

  - id: python_coverage
    title: Python coverage
    coverage:
      profile: %s   # coverage xml (Cobertura)
      format: cobertura
      # TODO: set your current figure; 0 only judges that the report measures something.
      min: 0
`, PythonJUnit, PythonCoverage)
	}
	if p.Has(Node) {
		if p.NodeJest {
			w(`
  - id: node_tests
    title: Node tests
    tests:
      reports: [%s]   # jest-junit
      reference: {artifact: gate-results, file: gate_results.json}
      max_test_drop: 0
`, NodeJUnit)
		} else {
			w(`
  - id: node_tests
    title: Node tests
    # The test script writes no JUnit report, so the workflow records its exit
    # status; a missing file fails too. With a JUnit report (mocha-junit-reporter,
    # vitest --reporter=junit) use a tests gate as for jest: it lists the failures.
    run: test "$(cat %s)" = 0
`, NodeExit)
		}
		w(`
  - id: node_coverage
    title: Node coverage
    coverage:
      profile: %s   # c8 --reporter=lcov
      format: lcov
      # TODO: set your current figure; 0 only judges that the report measures something.
      min: 0
`, NodeCoverage)
	}
	w(`
  # A ratchet over every source file a parser can judge: the workflow writes one
  # JSON status line per file (a syntax error is a PARSE_ERROR). The gate fails
  # when PARSE_ERROR or VALIDATION_ERROR files grow by more than 5 files and 10 %%
  # against main's baseline, or when any file newly fails with INTERNAL_ERROR.
  # It writes parse_baseline.json, which the workflow uploads on a push to a reference branch.
  - id: parse_ratchet
    title: Parse ratchet
    parse-regression:
      statuses: %s
      reference: {artifact: parse-baseline, file: parse_baseline.json}
      output: parse_baseline.json
      abs_threshold: 5
      rel_threshold: 0.10
      missing_reference: warn   # the first run on main has no reference yet
`, Statuses)
	return b.String()
}

// Workflow returns the starter .github/workflows/gonogo.yml.
func (p *Project) Workflow() string {
	var b strings.Builder
	b.WriteString(`# Go / no-go on every pull request, written by gate init for ` + p.describe() + `.
# The host steps run the tests with your toolchain and leave the evidence in
# reports/; the action then runs .github/gonogo.yml in its container, posts the
# sign-off as a sticky comment and the gonogo status, and on a push to a
# reference branch (the default branch and release/**) uploads the baselines
# that the next pull requests into that branch are judged against.
#
# Pin the action by the full commit SHA of a release: replace
# <release commit SHA> below (the release page names it).
name: gonogo

on:
  pull_request:
  merge_group:         # the merge queue's commit is judged too
  push:
    # The reference branches (reference.branches): write your default branch
    # if it is not main, or its pushes upload no baseline.
    branches: [main, 'release/**']

permissions:
  contents: read

jobs:
  gonogo:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: read
      actions: read        # the reference branch's baselines (artifacts)
      pull-requests: write # the sticky sign-off comment
      statuses: write      # the gonogo status that branch protection can require
    defaults:
      run:
        shell: bash        # -e and pipefail: a step whose pipe fails, fails
    steps:
      - uses: ` + checkoutAction + `
        with:
          persist-credentials: false
`)
	for _, s := range p.Steps() {
		b.WriteString("\n")
		for _, why := range s.Why {
			b.WriteString("      # " + why + "\n")
		}
		b.WriteString("      - name: " + s.Name + "\n")
		if s.ContinueOnError {
			b.WriteString("        continue-on-error: true # a gate judges the outcome\n")
		}
		if len(s.Env) > 0 {
			b.WriteString("        env:\n")
			for _, kv := range s.Env {
				fmt.Fprintf(&b, "          %s: %q\n", kv[0], kv[1])
			}
		}
		b.WriteString("        run: |\n")
		for _, line := range strings.SplitAfter(strings.TrimSuffix(s.Run, "\n"), "\n") {
			if strings.TrimSpace(line) == "" {
				b.WriteString("\n")
				continue
			}
			b.WriteString("          " + line)
		}
		b.WriteString("\n")
	}
	b.WriteString(`
      # Runs unless the job was cancelled: a failed host step leaves its gate
      # without evidence, and the sign-off says so.
      - name: go / no-go
        id: gonogo
        if: ${{ !cancelled() }}
        uses: ` + gonogoAction + `
        with:
          statuses: summary

      # A reference branch's baselines become the reference of the next pull
      # requests into it; the action says when (output upload-reference).
      - name: upload the parse baseline
        if: ${{ !cancelled() && steps.gonogo.outputs.upload-reference == 'true' }}
        uses: ` + uploadAction + `
        with:
          name: parse-baseline
          path: parse_baseline.json
          if-no-files-found: warn
          retention-days: 90
      - name: upload the gate results
        if: ${{ !cancelled() && steps.gonogo.outputs.upload-reference == 'true' }}
        uses: ` + uploadAction + `
        with:
          name: gate-results
          path: gate_results.json
          if-no-files-found: warn
          retention-days: 90
`)
	return b.String()
}
