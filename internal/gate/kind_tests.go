package gate

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/glob"
	"github.com/org/gonogo-action/internal/junit"
)

// Bounds of a tests gate's details.
const (
	// maxListedTests bounds details.tests.failed (with their messages).
	maxListedTests = 20
	// maxTestIDs bounds the id lists (failing, flaky, new_failures,
	// already_failing): enough to compare with the next run.
	maxTestIDs = 1000
	// maxReportBytes bounds one JUnit file.
	maxReportBytes = 64 << 20
)

// testsCheck reads JUnit XML reports (internal/junit) and passes when no
// test failed or errored and, against a reference (an earlier
// gate_results.json holding the same gate), the number of tests did not
// drop by more than max_test_drop.
type testsCheck struct {
	Reports          []string      `yaml:"reports"`
	Reference        referenceSpec `yaml:"reference"`
	Gate             string        `yaml:"gate"`
	MaxTestDrop      int           `yaml:"max_test_drop"`
	MissingReference string        `yaml:"missing_reference"`
}

// TestsReport is a tests gate's report: details.tests in gate_results.json.
type TestsReport struct {
	// Files are the reports read, each with its counts, in path order.
	Files []TestsFile `json:"files"`
	// Counts are the sums over Files.
	Counts junit.Counts `json:"counts"`
	// Failed are the first failed or errored tests with their message.
	Failed []junit.Case `json:"failed"`
	// Failing are the ids of the failed or errored tests (maxTestIDs at
	// most; Counts.Failed + Counts.Errors is their number).
	Failing []string `json:"failing"`
	// Flaky are the ids of tests that failed, then passed on a rerun.
	Flaky []string `json:"flaky,omitempty"`
	// With a reference: the failing tests that did not fail there (or
	// that it does not list), those that did, and the change in tests.
	NewFailures    []string `json:"new_failures,omitempty"`
	AlreadyFailing []string `json:"already_failing,omitempty"`
	ReferenceTotal *int     `json:"reference_total,omitempty"`
	TestDrop       *int     `json:"test_drop,omitempty"`
	MaxTestDrop    int      `json:"max_test_drop"`
}

// TestsFile is one report file's counts.
type TestsFile struct {
	Path   string       `json:"path"`
	Counts junit.Counts `json:"counts"`
	// Mismatches are the report's count attributes that contradict its
	// testcases, in a report that fails anyway (junit.Report).
	Mismatches []string `json:"mismatches,omitempty"`
}

func decodeTests(d *Decoder, value *yaml.Node, _ map[string]*yaml.Node) (Check, error) {
	c := &testsCheck{}
	switch value.Kind {
	case yaml.ScalarNode:
		c.Reports = []string{value.Value}
	case yaml.SequenceNode:
		return nil, d.Errorf(value, "tests: want a file or glob (tests: reports/junit.xml) or a mapping (tests: {reports: [a.xml, b.xml]}), not a list")
	default:
		if err := d.Decode(value, c); err != nil {
			return nil, err
		}
	}
	if len(c.Reports) == 0 {
		return nil, d.Errorf(value, "tests: reports is required (JUnit XML files or globs)")
	}
	for _, p := range c.Reports {
		if err := glob.Validate(p); err != nil {
			return nil, d.Errorf(value, "tests: reports pattern %q: %v", p, err)
		}
		if slices.Contains(strings.Split(p, "/"), "..") {
			return nil, d.Errorf(value, "tests: reports pattern %q: .. leaves the working directory, where reports are read", p)
		}
	}
	if c.MaxTestDrop < 0 {
		return nil, d.Errorf(value, "tests: max_test_drop must not be negative")
	}
	if c.MissingReference != "" && !slices.Contains([]string{MissingPass, MissingWarn, MissingFail}, c.MissingReference) {
		return nil, d.Errorf(value, "tests: missing_reference must be pass, warn or fail")
	}
	if c.Reference.Artifact != "" {
		c.Reference.File = cmp.Or(c.Reference.File, "gate_results.json")
	}
	if c.Gate != "" && !idPattern.MatchString(c.Gate) {
		return nil, d.Errorf(value, "tests: gate %q must match [a-z0-9_]+", c.Gate)
	}
	return c, nil
}

func (c *testsCheck) Run(ctx context.Context, rc *RunContext) Outcome {
	rep, err := c.read(ctx, rc)
	if err != nil {
		var miss *missingReports
		if errors.As(err, &miss) {
			return Missing("%v", err)
		}
		return Errored("%v", err)
	}
	rep.MaxTestDrop = c.MaxTestDrop
	details := map[string]any{}
	var problems []string
	if n := rep.Counts.Failed + rep.Counts.Errors; n > 0 {
		problems = append(problems, failedSummary(rep, n))
	} else if rep.Counts.Passed+rep.Counts.Flaky == 0 {
		// Every test skipped (or a todo): the reports record tests, but
		// none ran. Nothing established is never a pass.
		problems = append(problems, noTestRan(rep))
	}
	var out Outcome
	if c.Reference.File != "" || c.Reference.Artifact != "" {
		data, source, err := c.Reference.fetch(ctx, rc)
		if err == nil {
			var ref *TestsReport
			ref, err = c.referenceReport(data, source.Name, rc.GateID)
			if err == nil {
				problems = append(problems, compareTests(rep, ref)...)
			}
		}
		switch {
		case errors.Is(err, ErrReferenceNotFound):
			miss := noReference(cmp.Or(c.MissingReference, rc.MissingReference, MissingWarn), err, details)
			switch {
			case len(problems) > 0:
				out = testsVerdict(rep, problems, details)
			case miss.OK:
				out = Passed(passSummary(rep)+"; no reference: not compared", details)
			default:
				out = miss
			}
		case err != nil:
			out = Errored("reference %s: %v", source.Name, err)
		default:
			out = testsVerdict(rep, problems, details)
		}
		out.Reference = &source
	} else {
		out = testsVerdict(rep, problems, details)
	}
	out.Tests = rep
	return out
}

// testsVerdict passes when there is no problem.
func testsVerdict(rep *TestsReport, problems []string, details map[string]any) Outcome {
	if len(problems) == 0 {
		return Passed(passSummary(rep), details)
	}
	details["problems"] = problems
	return Failed(strings.Join(problems, "; "), details)
}

func passSummary(rep *TestsReport) string {
	c := rep.Counts
	s := fmt.Sprintf("%d tests: %d passed, %d skipped", c.Total, c.Passed, c.Skipped)
	if c.Flaky > 0 {
		s += fmt.Sprintf(", %d flaky", c.Flaky)
	}
	if rep.TestDrop != nil && *rep.TestDrop != 0 {
		s += fmt.Sprintf(" (%+d vs reference)", -*rep.TestDrop)
	}
	return s
}

// noTestRan says that no test of the reports ran: all were skipped, or
// jest todos.
func noTestRan(rep *TestsReport) string {
	c := rep.Counts
	s := fmt.Sprintf("no test ran: %d of %d tests skipped", c.Skipped, c.Total)
	if c.Uncounted > 0 {
		s += fmt.Sprintf(", %d not counted (todo)", c.Uncounted)
	}
	return s + "; a run in which every test was skipped proves nothing"
}

func failedSummary(rep *TestsReport, n int) string {
	ids := make([]string, 0, 3)
	for _, f := range rep.Failed[:min(3, len(rep.Failed))] {
		ids = append(ids, f.ID())
	}
	s := fmt.Sprintf("%d of %d tests failed: %s", n, rep.Counts.Total, strings.Join(ids, ", "))
	if n > len(ids) {
		s += fmt.Sprintf(" (+%d more)", n-len(ids))
	}
	return s
}

// compareTests classifies the failing tests against the reference's and
// checks the drop in the number of tests. A failing test the reference
// does not list (its list was capped) counts as new: fail closed.
func compareTests(rep, ref *TestsReport) []string {
	was := map[string]bool{}
	for _, id := range ref.Failing {
		was[id] = true
	}
	rep.NewFailures, rep.AlreadyFailing = []string{}, []string{}
	for _, id := range rep.Failing {
		if was[id] {
			rep.AlreadyFailing = append(rep.AlreadyFailing, id)
		} else {
			rep.NewFailures = append(rep.NewFailures, id)
		}
	}
	total := ref.Counts.Total
	drop := total - rep.Counts.Total
	rep.ReferenceTotal, rep.TestDrop = &total, &drop
	var problems []string
	if drop > rep.MaxTestDrop {
		problems = append(problems, fmt.Sprintf("tests dropped from %d to %d (max_test_drop %d)", total, rep.Counts.Total, rep.MaxTestDrop))
	}
	if len(rep.NewFailures) > 0 {
		problems = append(problems, fmt.Sprintf("%d new failure(s), %d already failing", len(rep.NewFailures), len(rep.AlreadyFailing)))
	}
	return problems
}

// referenceReport finds this gate (or the configured one) in a reference
// gate_results.json. A file without it, or whose gate has no report (it
// could not read its tests), is no reference.
func (c *testsCheck) referenceReport(data []byte, name, self string) (*TestsReport, error) {
	var r Results
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	id := cmp.Or(c.Gate, self)
	g := r.Gate(id)
	switch {
	case g == nil:
		return nil, fmt.Errorf("%w: gate %s is not in %s", ErrReferenceNotFound, id, name)
	case g.Kind != "tests":
		return nil, fmt.Errorf("gate %s in %s is a %q gate, not a tests gate", id, name, g.Kind)
	case g.Tests == nil:
		return nil, fmt.Errorf("%w: gate %s in %s has no test report (%s)", ErrReferenceNotFound, id, name, cmp.Or(g.Summary, "no summary"))
	}
	return g.Tests, nil
}

// decodeTests fills Tests from a tests gate's entry (details.tests).
func (g *GateResult) decodeTests(raw []byte) error {
	var t struct {
		Details struct {
			Tests *TestsReport `json:"tests"`
		} `json:"details"`
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return fmt.Errorf("details: %w", err)
	}
	if tr := t.Details.Tests; tr != nil {
		c := tr.Counts
		if c.Total < 0 || c.Passed < 0 || c.Failed < 0 || c.Errors < 0 || c.Skipped < 0 || c.Flaky < 0 || c.Uncounted < 0 ||
			c.Total != c.Passed+c.Failed+c.Errors+c.Skipped+c.Flaky+c.Uncounted {
			return fmt.Errorf("details.tests.counts do not add up: %+v", c)
		}
		for i, f := range tr.Failed {
			if f.Outcome != junit.Failed && f.Outcome != junit.Errored {
				return fmt.Errorf("details.tests.failed[%d].outcome: want %q or %q, got %q", i, junit.Failed, junit.Errored, f.Outcome)
			}
		}
		g.Tests = tr
		delete(g.Details, "tests")
	}
	return nil
}

// missingReports is a glob that matched no file, or a named file that does
// not exist: the evidence is absent.
type missingReports struct {
	pattern string
	dir     bool // the pattern names a folder
}

func (e *missingReports) Error() string {
	if e.dir {
		return fmt.Sprintf("tests: no JUnit report matches %s: a folder; name its reports (%s/*.xml)", e.pattern, strings.TrimSuffix(e.pattern, "/"))
	}
	return fmt.Sprintf("tests: no JUnit report matches %s", e.pattern)
}

// read expands the report globs under the working directory (never
// leaving it, never following a link out of it) and reads every file.
func (c *testsCheck) read(ctx context.Context, rc *RunContext) (*TestsReport, error) {
	root, err := os.OpenRoot(rc.Dir)
	if err != nil {
		return nil, fmt.Errorf("tests: open %s: %w", rc.Dir, err)
	}
	defer root.Close()
	var files []string
	for _, p := range c.Reports {
		matched, err := expand(ctx, root, p)
		if err != nil {
			return nil, fmt.Errorf("tests: reports %s: %w", p, err)
		}
		if len(matched) == 0 {
			miss := &missingReports{pattern: p}
			if fi, err := root.Stat(strings.TrimSuffix(p, "/")); err == nil && fi.IsDir() {
				miss.dir = true
			}
			return nil, miss
		}
		for _, m := range matched {
			if !slices.Contains(files, m) {
				files = append(files, m)
			}
		}
	}
	slices.Sort(files)
	rep := &TestsReport{Failed: []junit.Case{}, Failing: []string{}}
	for _, f := range files {
		r, err := readReport(root, f)
		if err != nil {
			return nil, err
		}
		rep.Files = append(rep.Files, TestsFile{Path: f, Counts: r.Counts, Mismatches: r.Mismatches})
		rep.Counts.Add(r.Counts)
		for _, tc := range r.Cases {
			switch tc.Outcome {
			case junit.Failed, junit.Errored:
				if len(rep.Failed) < maxListedTests {
					rep.Failed = append(rep.Failed, tc)
				}
				if len(rep.Failing) < maxTestIDs {
					rep.Failing = append(rep.Failing, tc.ID())
				}
			case junit.Flaky:
				if len(rep.Flaky) < maxTestIDs {
					rep.Flaky = append(rep.Flaky, tc.ID())
				}
			}
		}
	}
	return rep, nil
}

func readReport(root *os.Root, name string) (*junit.Report, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, fmt.Errorf("tests: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxReportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("tests: read %s: %w", name, err)
	}
	if len(data) > maxReportBytes {
		return nil, fmt.Errorf("tests: %s is larger than %d MiB", name, maxReportBytes>>20)
	}
	r, err := junit.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("tests: %s: %w", name, err)
	}
	return r, nil
}

// expand lists the regular files under root matching pattern, walking only
// below the pattern's fixed leading directories.
//
// A report pattern is anchored at the working directory: one without a "/"
// (junit.xml, junit-*.xml) names top-level files only, not files of that
// name at any depth as an include glob would (glob.Match). A report is the
// evidence of this run: junit.xml must not be met by a vendored package's
// or a fixture's junit.xml when the run wrote none. **/junit.xml says any
// depth.
func expand(ctx context.Context, root *os.Root, pattern string) ([]string, error) {
	if !strings.Contains(pattern, "/") {
		entries, err := fs.ReadDir(root.FS(), ".")
		if err != nil {
			return nil, err
		}
		var out []string
		for _, e := range entries {
			if ok, _ := path.Match(pattern, e.Name()); ok && e.Type().IsRegular() {
				out = append(out, e.Name())
			}
		}
		return out, nil
	}
	start := "."
	if strings.Contains(pattern, "/") {
		segs := strings.Split(pattern, "/")
		i := 0
		for i < len(segs)-1 && !strings.ContainsAny(segs[i], `*?[\`) {
			i++
		}
		if i > 0 {
			start = path.Join(segs[:i]...)
		}
	}
	var out []string
	err := fs.WalkDir(root.FS(), start, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == start {
			return fs.SkipAll
		}
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && glob.Match(pattern, p) {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}
