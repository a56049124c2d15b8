package gate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/junit"
)

// testsDir is a working directory holding the real pytest, gotestsum and
// jest-junit reports under reports/, and a few written for the rules.
func testsDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, s := range []string{"pytest", "gotestsum", "jest"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "real", s+"-junit", "out", s+"-junit.xml"))
		if err != nil {
			t.Fatal(err)
		}
		writeTestFile(t, dir, "reports/"+s+".xml", string(data))
	}
	writeTestFile(t, dir, "green/a.xml", `<testsuite tests="4" failures="1"><testcase classname="m" name="one"/><testcase classname="m" name="two"/><testcase classname="m" name="flip"><failure>first</failure></testcase><testcase classname="m" name="flip"/></testsuite>`)
	writeTestFile(t, dir, "green/nested/b.xml", `<testsuites><testsuite><testcase classname="n" name="three"/></testsuite></testsuites>`)
	writeTestFile(t, dir, "small/a.xml", `<testsuite><testcase classname="m" name="one"/></testsuite>`)
	writeTestFile(t, dir, "bad/broken.xml", `<testsuite tests="2"><testcase name="a"/></testsuite>`)
	writeTestFile(t, dir, "newfail/a.xml", `<testsuite><testcase classname="m" name="one"/><testcase classname="m" name="two"><failure message="now broken"/></testcase><testcase classname="m" name="flip"/><testcase classname="n" name="three"/></testsuite>`)
	return dir
}

func writeTestFile(t *testing.T, dir, name, body string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTestsGateRealReports(t *testing.T) {
	t.Parallel()
	dir := testsDir(t)
	res := runConfig(t, "version: 1\ngates:\n  - id: unit\n    tests: {reports: [\"reports/*.xml\"]}\n", Options{Dir: dir})
	g := res.Gate("unit")
	if g.OK || g.Tests == nil {
		t.Fatalf("want a failing gate with a report: %s", g.Summary)
	}
	// The tools' own figures summed: pytest 4, gotestsum 6, jest 4 (one todo).
	want := junit.Counts{Total: 14, Passed: 4, Failed: 5, Errors: 1, Skipped: 3, Uncounted: 1}
	if diff := cmp.Diff(want, g.Tests.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if got := len(g.Tests.Failed); got != 6 {
		t.Errorf("%d failed tests listed, want 6", got)
	}
	if !strings.HasPrefix(g.Summary, "6 of 14 tests failed: example.com/junitsample/pkg › TestFail, ") || !strings.Contains(g.Summary, "(+3 more)") {
		t.Errorf("summary %q", g.Summary)
	}
	var files []string
	for _, f := range g.Tests.Files {
		files = append(files, f.Path)
	}
	if diff := cmp.Diff([]string{"reports/gotestsum.xml", "reports/jest.xml", "reports/pytest.xml"}, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

// TestTestsGateNothingRan: reports whose every test was skipped (or is a
// jest todo) record tests, but none ran: the gate fails, as any set that
// established nothing does; one test that ran among skipped ones passes.
func TestTestsGateNothingRan(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTestFile(t, dir, "skipped/a.xml", `<testsuite tests="2" skipped="2"><testcase classname="m" name="one"><skipped message="no database"/></testcase><testcase classname="m" name="two"><skipped/></testcase></testsuite>`)
	writeTestFile(t, dir, "skipped/b.xml", `<testsuite tests="0"><testcase classname=" todo" name=" todo"/></testsuite>`)
	writeTestFile(t, dir, "one/a.xml", `<testsuite tests="2" skipped="1"><testcase classname="m" name="one"><skipped/></testcase><testcase classname="m" name="two"/></testsuite>`)
	res := runConfig(t, "version: 1\ngates:\n  - id: unit\n    tests: \"skipped/*.xml\"\n  - id: one\n    tests: \"one/*.xml\"\n", Options{Dir: dir})
	g := res.Gate("unit")
	if g.OK || g.Status() != StatusFail || g.Tests == nil {
		t.Fatalf("every test skipped: ok=%v status=%s %q", g.OK, g.Status(), g.Summary)
	}
	if want := "no test ran: 2 of 3 tests skipped, 1 not counted (todo)"; !strings.HasPrefix(g.Summary, want) {
		t.Errorf("summary %q, want it to start with %q", g.Summary, want)
	}
	if g := res.Gate("one"); !g.OK || g.Summary != "2 tests: 1 passed, 1 skipped" {
		t.Errorf("one test ran: ok=%v %q", g.OK, g.Summary)
	}
}

func TestTestsGate(t *testing.T) {
	t.Parallel()
	dir := testsDir(t)
	// A reference: the green run's results.
	ref := runConfig(t, "version: 1\ngates:\n  - id: unit\n    tests: {reports: [\"green/**/*.xml\"]}\n", Options{Dir: dir})
	if g := ref.Gate("unit"); !g.OK || g.Summary != "4 tests: 3 passed, 0 skipped, 1 flaky" {
		t.Fatalf("green run: ok=%v %q", g.OK, g.Summary)
	}
	if err := WriteResults(filepath.Join(dir, "main_results.json"), ref); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, spec, status, want string
	}{
		{"green", `{reports: ["green/**/*.xml"], reference: {file: main_results.json}}`, "pass", "4 tests: 3 passed, 0 skipped, 1 flaky"},
		{"one pattern empty", `{reports: ["green/*.xml", "none/*.xml"]}`, StatusMissing, "no JUnit report matches none/*.xml"},
		{"named file absent", `missing.xml`, StatusMissing, "no JUnit report matches missing.xml"},
		{"malformed", `{reports: ["bad/*.xml"]}`, StatusError, "tests: bad/broken.xml: <testsuite>: tests=2 but 1 <testcase>"},
		{"drop", `{reports: ["small/*.xml"], reference: {file: main_results.json}}`, StatusFail, "tests dropped from 4 to 1 (max_test_drop 0)"},
		{"drop allowed", `{reports: ["small/*.xml"], reference: {file: main_results.json}, max_test_drop: 3}`, "pass", "1 tests: 1 passed, 0 skipped (-3 vs reference)"},
		{"new failure", `{reports: ["newfail/*.xml"], reference: {file: main_results.json}}`, StatusFail, "1 of 4 tests failed: m › two; 1 new failure(s), 0 already failing"},
		{"no reference warns", `{reports: ["green/**/*.xml"], reference: {file: nope.json}}`, "pass", "no reference: not compared"},
		{"no reference fails", `{reports: ["green/**/*.xml"], reference: {file: nope.json}, missing_reference: fail}`, StatusMissing, "no reference baseline"},
		{"gate not in reference", `{reports: ["green/**/*.xml"], reference: {file: main_results.json}, gate: other, missing_reference: fail}`, StatusMissing, "gate other is not in main_results.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runConfig(t, "version: 1\ngates:\n  - id: unit\n    tests: "+tt.spec+"\n", Options{Dir: dir})
			g := res.Gate("unit")
			if g.Status() != tt.status || !strings.Contains(g.Summary, tt.want) {
				t.Fatalf("status %s, summary %q; want %s, %q", g.Status(), g.Summary, tt.status, tt.want)
			}
		})
	}
}

// TestTestsGateReportIsAnchored: a report named without a folder is the
// file at the top of the working directory. When the run wrote none, a
// junit.xml further down (a vendored package's, a fixture) is no evidence
// of it: the gate is missing, never passing on that file.
func TestTestsGateReportIsAnchored(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	green := `<testsuite><testcase classname="m" name="ok"/></testsuite>`
	writeTestFile(t, dir, "vendor/pkg/test/junit.xml", green)
	writeTestFile(t, dir, "reports/unit.xml", green)
	res := runConfig(t, "version: 1\ngates:\n"+
		"  - id: bare\n    tests: junit.xml\n"+
		"  - id: star\n    tests: \"*.xml\"\n"+
		"  - id: deep\n    tests: \"**/junit.xml\"\n"+
		"  - id: folder\n    tests: reports\n", Options{Dir: dir})
	for id, want := range map[string]string{
		"bare":   "tests: no JUnit report matches junit.xml",
		"star":   "tests: no JUnit report matches *.xml",
		"folder": "tests: no JUnit report matches reports: a folder; name its reports (reports/*.xml)",
	} {
		if g := res.Gate(id); g.OK || g.Status() != StatusMissing || g.Summary != want {
			t.Errorf("%s: ok=%v status=%s %q, want missing: %q", id, g.OK, g.Status(), g.Summary, want)
		}
	}
	if g := res.Gate("deep"); !g.OK || g.Tests == nil || len(g.Tests.Files) != 1 || g.Tests.Files[0].Path != "vendor/pkg/test/junit.xml" {
		t.Errorf("**/junit.xml: ok=%v %q", g.OK, g.Summary)
	}
	writeTestFile(t, dir, "junit.xml", green)
	if g := runConfig(t, "version: 1\ngates:\n  - id: bare\n    tests: junit.xml\n", Options{Dir: dir}).Gate("bare"); !g.OK ||
		len(g.Tests.Files) != 1 || g.Tests.Files[0].Path != "junit.xml" {
		t.Errorf("junit.xml at the top: ok=%v %q %+v", g.OK, g.Summary, g.Tests)
	}
}

// TestTestsGateAgainstFailingReference: failures already failing in the
// reference are told apart from new ones, and the gate still fails.
func TestTestsGateAgainstFailingReference(t *testing.T) {
	t.Parallel()
	dir := testsDir(t)
	ref := runConfig(t, "version: 1\ngates:\n  - id: unit\n    tests: \"reports/py*.xml\"\n", Options{Dir: dir})
	if err := WriteResults(filepath.Join(dir, "ref.json"), ref); err != nil {
		t.Fatal(err)
	}
	back, err := ReadResults(filepath.Join(dir, "ref.json"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ref.Gate("unit").Tests, back.Gate("unit").Tests); diff != "" {
		t.Fatalf("details.tests does not round-trip (-wrote +read):\n%s", diff)
	}
	res := runConfig(t, "version: 1\ngates:\n  - id: unit\n    tests: {reports: [\"reports/*.xml\"], reference: {file: ref.json}, max_test_drop: 0}\n", Options{Dir: dir})
	g := res.Gate("unit")
	if g.OK {
		t.Fatal("passed with failing tests")
	}
	if diff := cmp.Diff([]string{"tests.test_sample › test_fail", "tests.test_sample › test_error"}, g.Tests.AlreadyFailing); diff != "" {
		t.Errorf("already failing (-want +got):\n%s", diff)
	}
	if len(g.Tests.NewFailures) != 4 || *g.Tests.TestDrop != -10 {
		t.Errorf("new %v, drop %d", g.Tests.NewFailures, *g.Tests.TestDrop)
	}
}

func TestTestsConfigErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ spec, want string }{
		{`{}`, "reports is required"},
		{`{reports: ["/abs/*.xml"]}`, "want a relative path pattern"},
		{`{reports: ["a[.xml"]}`, "syntax error in pattern"},
		{`{reports: [a.xml], max_test_drop: -1}`, "max_test_drop must not be negative"},
		{`{reports: [a.xml], missing_reference: maybe}`, "missing_reference must be pass, warn or fail"},
		{`{reports: [a.xml], gate: Bad-Id}`, "must match"},
		{`{reports: [a.xml], max_drop: 1}`, `unknown key "max_drop"`},
		{`{reports: ["../reports/junit.xml"]}`, `tests: reports pattern "../reports/junit.xml": .. leaves the working directory`},
		{`{reports: ["reports/../../junit.xml"]}`, `.. leaves the working directory`},
		{`[a.xml, b.xml]`, "tests: want a file or glob (tests: reports/junit.xml) or a mapping (tests: {reports: [a.xml, b.xml]}), not a list"},
	} {
		_, err := ParseConfig("t.yml", []byte("version: 1\ngates:\n  - id: unit\n    tests: "+tt.spec+"\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.spec, err, tt.want)
		}
	}
}
