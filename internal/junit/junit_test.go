package junit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// figures are the test figures a sample's figures.json records, as the
// tool itself counted them (testdata/real/README.md).
type figures struct {
	Tests struct {
		Total   int `json:"total"`
		Passed  int `json:"passed"`
		Failed  int `json:"failed"`
		Errors  int `json:"errors"`
		Skipped int `json:"skipped"`
		Todo    int `json:"todo"`
	} `json:"tests"`
}

// TestRealReports: our counts of each tool's JUnit XML equal the tool's own.
func TestRealReports(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		sample, file string
		failing      []string
	}{
		{"pytest-junit", "pytest-junit.xml", []string{
			"tests.test_sample › test_fail: failed: assert (1 + 1) == 3",
			`tests.test_sample › test_error: error: failed on setup with "RuntimeError: fixture fails: an error, not a failure"`,
		}},
		{"gotestsum-junit", "gotestsum-junit.xml", []string{
			"example.com/junitsample/pkg › TestFail: failed: Failed",
			"example.com/junitsample/pkg › TestSub/bad: failed: Failed",
			"example.com/junitsample/pkg › TestSub: failed: Failed",
		}},
		// jest-junit writes no message attribute: the text's first line.
		{"jest-junit", "jest-junit.xml", []string{
			"fails: failed: Error: expect(received).toBe(expected) // Object.is equality",
		}},
		// Two files each with a test of the same title: two tests, one
		// failing, not one test rerun.
		{"jest-junit-samename", "jest-junit.xml", []string{
			"handles empty input: failed: Error: expect(received).toEqual(expected) // deep equality",
		}},
	} {
		t.Run(tc.sample, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("..", "..", "testdata", "real", tc.sample)
			data, err := os.ReadFile(filepath.Join(dir, "out", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(filepath.Join(dir, "figures.json"))
			if err != nil {
				t.Fatal(err)
			}
			var fig figures
			if err := json.Unmarshal(raw, &fig); err != nil {
				t.Fatal(err)
			}
			rep, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			want := Counts{Total: fig.Tests.Total, Passed: fig.Tests.Passed, Failed: fig.Tests.Failed,
				Errors: fig.Tests.Errors, Skipped: fig.Tests.Skipped, Uncounted: fig.Tests.Todo}
			if diff := cmp.Diff(want, rep.Counts); diff != "" {
				t.Errorf("counts differ from the tool's (-tool +ours):\n%s", diff)
			}
			var got []string
			for _, c := range rep.Failing() {
				got = append(got, c.ID()+": "+string(c.Outcome)+": "+c.Message)
			}
			if diff := cmp.Diff(tc.failing, got); diff != "" {
				t.Errorf("failing tests (-want +got):\n%s", diff)
			}
		})
	}
}

// surefire is shaped as Maven Surefire 3 writes TEST-*.xml with
// rerunFailingTestsCount=2: a root <testsuite>, a test that passed on a
// rerun (<flakyFailure>, not counted in failures) and one that failed
// every run (<failure> plus <rerunFailure>); a rerunError alone is read as
// a retry that passed. Hand-written after the
// surefire-test-report XSD: no Maven Surefire run was available here.
const surefire = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="sample.AppTest" time="0.05" tests="5" errors="0" skipped="1" failures="1">
  <properties><property name="java.version" value="17.0.15"/></properties>
  <testcase name="passes" classname="sample.AppTest" time="0.001"/>
  <testcase name="sometimes" classname="sample.AppTest" time="0.002">
    <flakyFailure message="expected:&lt;1&gt; but was:&lt;2&gt;" type="java.lang.AssertionError"><stackTrace>java.lang.AssertionError</stackTrace></flakyFailure>
  </testcase>
  <testcase name="always" classname="sample.AppTest" time="0.003">
    <failure message="boom" type="java.lang.AssertionError">java.lang.AssertionError: boom</failure>
    <rerunFailure message="boom" type="java.lang.AssertionError"><stackTrace>java.lang.AssertionError</stackTrace></rerunFailure>
  </testcase>
  <testcase name="ignored" classname="sample.AppTest" time="0"><skipped message="@Ignore"/></testcase>
  <testcase name="retried" classname="sample.AppTest" time="0"><rerunError message="timeout"/></testcase>
</testsuite>
`

func TestSurefireShape(t *testing.T) {
	t.Parallel()
	rep, err := Parse([]byte(surefire))
	if err != nil {
		t.Fatal(err)
	}
	want := Counts{Total: 5, Passed: 1, Failed: 1, Skipped: 1, Flaky: 2}
	if diff := cmp.Diff(want, rep.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if got := rep.Cases[1]; got.Outcome != Flaky || got.Message != "expected:<1> but was:<2>" {
		t.Errorf("flaky case = %+v", got)
	}
	if got := rep.Cases[2]; got.Outcome != Failed || got.Message != "boom" {
		t.Errorf("failed case = %+v", got)
	}
	if got := rep.Cases[4]; got.Outcome != Flaky || got.Message != "timeout" {
		t.Errorf("rerun-only case = %+v", got)
	}
}

// TestReruns: a test repeated in one report is one test; its last run
// decides, and a pass after a failure is flaky.
func TestReruns(t *testing.T) {
	t.Parallel()
	const doc = `<testsuite tests="6" failures="3" errors="0">
<testcase classname="m" name="flip"><failure message="first try"/></testcase>
<testcase classname="m" name="flip"/>
<testcase classname="m" name="bad"/>
<testcase classname="m" name="bad"><failure message="second try"/></testcase>
<testcase classname="m" name="worse"><failure message="1"/></testcase>
<testcase classname="other" name="flip"/>
</testsuite>`
	rep, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []Case{
		{Classname: "m", Name: "flip", Outcome: Flaky, Message: "first try", Runs: 2},
		{Classname: "m", Name: "bad", Outcome: Failed, Message: "second try", Runs: 2},
		{Classname: "m", Name: "worse", Outcome: Failed, Message: "1"},
		{Classname: "other", Name: "flip", Outcome: Passed},
	}
	if diff := cmp.Diff(want, rep.Cases); diff != "" {
		t.Errorf("cases (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Counts{Total: 4, Passed: 1, Failed: 2, Flaky: 1}, rep.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}

// TestRealRerun: gotestsum --rerun-fails writes the rerun of a test in the
// same <testsuite> as its failed first run; read as one flaky test, as
// gotestsum's own verdict (exit 0) and its rerun report say.
func TestRealRerun(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "testdata", "real", "gotestsum-rerun-junit")
	data, err := os.ReadFile(filepath.Join(dir, "out", "gotestsum-junit.xml"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "figures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fig struct {
		Tests struct {
			Total  int `json:"total"`
			Passed int `json:"passed"`
			Flaky  int `json:"flaky"`
		} `json:"tests"`
		RerunReport []string `json:"rerun_report"`
		ExitStatus  int      `json:"exit_status"`
	}
	if err := json.Unmarshal(raw, &fig); err != nil {
		t.Fatal(err)
	}
	rep, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Counts{Total: fig.Tests.Total, Passed: fig.Tests.Passed, Flaky: fig.Tests.Flaky}, rep.Counts); diff != "" {
		t.Errorf("counts differ from the tool's (-tool +ours):\n%s", diff)
	}
	if fig.ExitStatus != 0 || len(rep.Failing()) != 0 {
		t.Errorf("gotestsum exit %d, failing %v", fig.ExitStatus, rep.Failing())
	}
	var flaky []string
	for _, c := range rep.Cases {
		if c.Outcome == Flaky {
			flaky = append(flaky, c.Classname+"."+c.Name)
		}
	}
	if diff := cmp.Diff(fig.RerunReport, flaky); diff != "" {
		t.Errorf("flaky tests differ from the rerun report (-tool +ours):\n%s", diff)
	}
}

// TestSkippedRerunKeepsTheFailure: a rerun that was skipped proves nothing;
// the failure before it stands, as a flaky pass before it does.
func TestSkippedRerunKeepsTheFailure(t *testing.T) {
	t.Parallel()
	const doc = `<testsuite tests="5" failures="1" skipped="2">
<testcase classname="m" name="broken"><failure message="boom"/></testcase>
<testcase classname="m" name="broken"><skipped message="no db"/></testcase>
<testcase classname="m" name="flip"><error message="first"/></testcase>
<testcase classname="m" name="flip"/>
<testcase classname="m" name="flip"><skipped/></testcase>
</testsuite>`
	rep, err := Parse([]byte(strings.Replace(doc, `failures="1"`, `failures="1" errors="1"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	want := []Case{
		{Classname: "m", Name: "broken", Outcome: Failed, Message: "boom", Runs: 2},
		{Classname: "m", Name: "flip", Outcome: Flaky, Message: "first", Runs: 3},
	}
	if diff := cmp.Diff(want, rep.Cases); diff != "" {
		t.Errorf("cases (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Counts{Total: 2, Failed: 1, Flaky: 1}, rep.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}

// TestSameNameInTwoSuites: jest-junit names a test by its describe blocks
// and title, not its file ("classname= works" for a top-level test("works")),
// so two test files can each hold a test of the same name, in two
// <testsuite> elements. They are two tests: the pass of one is no rerun of
// the other's failure.
func TestSameNameInTwoSuites(t *testing.T) {
	t.Parallel()
	const doc = `<testsuites name="jest tests" tests="2" failures="1" errors="0">
  <testsuite name="undefined" errors="0" failures="1" skipped="0" tests="1">
    <testcase classname=" works" name=" works"><failure>Error: boom</failure></testcase>
  </testsuite>
  <testsuite name="undefined" errors="0" failures="0" skipped="0" tests="1">
    <testcase classname=" works" name=" works"></testcase>
  </testsuite>
</testsuites>`
	rep, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Counts{Total: 2, Passed: 1, Failed: 1}, rep.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if got := rep.Failing(); len(got) != 1 || got[0].Message != "Error: boom" {
		t.Errorf("failing = %+v", got)
	}
}

// TestContradictionInAFailingReport: count attributes that contradict the
// testcases are refused (testcases may be lost), except in a report where a
// testcase failed: it fails whatever was lost, and its failure is the news.
// gotestsum v1.13.0 writes a Go package that does not build so (`gotestsum
// --junitfile junit.xml -- ./...` over a package whose test does not
// compile, go1.26.8: "DONE 1 tests, 1 failure, 1 error", exit 1): a failing
// TestMain its suite's tests="0" failures="0" leave out, under a root that
// counts the build error among errors.
func TestContradictionInAFailingReport(t *testing.T) {
	t.Parallel()
	const doc = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="1" failures="1" errors="1" time="0.633100">
	<testsuite tests="0" failures="0" time="0.000000" name="" timestamp="0001-01-01T00:00:00Z">
		<properties>
			<property name="go.version" value="go1.26.8 linux/amd64"></property>
		</properties>
	</testsuite>
	<testsuite tests="0" failures="0" time="0.001000" name="example.com/b/broken" timestamp="2026-12-01T07:01:09Z">
		<properties>
			<property name="go.version" value="go1.26.8 linux/amd64"></property>
		</properties>
		<testcase classname="" name="TestMain" time="0.000000">
			<failure message="Failed" type="">FAIL&#x9;example.com/b/broken [build failed]&#xA;</failure>
		</testcase>
	</testsuite>
	<testsuite tests="1" failures="0" time="0.014000" name="example.com/b/ok" timestamp="2026-12-01T07:01:09Z">
		<properties>
			<property name="go.version" value="go1.26.8 linux/amd64"></property>
		</properties>
		<testcase classname="example.com/b/ok" name="TestOK" time="0.000000"></testcase>
	</testsuite>
</testsuites>`
	rep, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Counts{Total: 2, Passed: 1, Failed: 1}, rep.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if f := rep.Failing(); len(f) != 1 || f[0].Name != "TestMain" || f[0].Message != "Failed" {
		t.Errorf("failing = %+v", f)
	}
	want := []string{
		`<testsuites> <testsuite name="example.com/b/broken">: failures=0 but 1 <testcase> elements say so`,
		`<testsuites> <testsuite name="example.com/b/broken">: tests=0 but 1 <testcase> elements, of which only 0 have no outcome element`,
		`<testsuites>: errors=1 but 0 <testcase> elements say so`,
		`<testsuites>: tests=1 does not match its 2 <testcase> elements`,
	}
	if diff := cmp.Diff(want, rep.Mismatches); diff != "" {
		t.Errorf("mismatches (-want +got):\n%s", diff)
	}
	// The same contradictions without the failing testcase: refused.
	if _, err := Parse([]byte(strings.Replace(doc, `<failure message="Failed" type="">FAIL&#x9;example.com/b/broken [build failed]&#xA;</failure>`, "", 1))); err == nil {
		t.Error("contradicting counts accepted in a report where nothing failed")
	}
}

// TestRefused: fail closed on every input a tool would not write.
func TestRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, doc, want string }{
		{"empty", "", "no XML element"},
		{"not XML", "PASS\nok example.com/x 0.1s\n", "no XML element"},
		{"JSON", `{"tests": 1}`, "a JSON document, not JUnit XML"},
		{"SARIF", `{"version": "2.1.0", "runs": []}`, "a JSON document, not JUnit XML (SARIF"},
		{"truncated", `<testsuites><testsuite tests="1"><testcase name="a">`, "malformed XML"},
		{"other root", `<coverage/>`, "root element <coverage>"},
		{"no testcase", `<testsuites><testsuite tests="0"/></testsuites>`, "no <testcase>"},
		{"empty testsuites", `<testsuites/>`, "no <testcase>"},
		{"more tests than cases", `<testsuite tests="3"><testcase name="a"/><testcase name="b"/></testsuite>`, "tests=3 but 2 <testcase>"},
		{"fewer tests, skipped", `<testsuite tests="0" skipped="1"><testcase name="a"><skipped/></testcase></testsuite>`, "only 0 have no outcome element"},
		{"failures contradict", `<testsuite failures="1"><testcase name="a"/></testsuite>`, "failures=1 but 0"},
		{"errors contradict", `<testsuite errors="1"><testcase name="a"/><testcase name="b"><skipped/></testcase></testsuite>`, "errors=1 but 0"},
		{"skipped contradict", `<testsuite skipped="1"><testcase name="a"/></testsuite>`, "skipped=1 but 0"},
		{"testsuites contradict", `<testsuites failures="1"><testsuite><testcase name="a"/></testsuite></testsuites>`, "<testsuites>: failures=1"},
		{"negative count", `<testsuite tests="-1"><testcase name="a"/></testsuite>`, `tests="-1" is not a count`},
		{"word count", `<testsuite failures="one"><testcase name="a"/></testsuite>`, `failures="one" is not a count`},
		{"two roots", `<testsuite><testcase name="a"/></testsuite><testsuite><testcase name="b"/></testsuite>`, "data after the root element"},
		{"text after", `<testsuite><testcase name="a"/></testsuite> trailing`, "text after the root element"},
		{"nameless case", `<testsuite><testcase/></testsuite>`, "without name or classname"},
		{"case under testsuites", `<testsuites><testcase name="a"/></testsuites>`, "directly under <testsuites>"},
		// A testcase this reader does not walk to would hide its failure.
		{"wrapped suite", `<testsuites><testsuite><testcase name="a"/></testsuite><group><testsuite><testcase name="b"><failure/></testcase></testsuite></group></testsuites>`, "a <testcase> in <testsuites> <group> <testsuite>: want each <testcase> in a <testsuite>, suites only in suites (2 in the file, 1 read)"},
		{"case in a case", `<testsuite><testcase name="a"><testcase name="b"><failure/></testcase></testcase></testsuite>`, "a <testcase> in <testsuite> <testcase>:"},
		{"not UTF-8", "<testsuite name=\"\xff\"><testcase name=\"a\"/></testsuite>", "not UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep, err := Parse([]byte(tc.doc))
			if err == nil {
				t.Fatalf("accepted: %+v", rep.Counts)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

// TestNested: suites inside suites (JUnit 5 and Ant style) are walked, and
// each level's counts are checked.
func TestNested(t *testing.T) {
	t.Parallel()
	const doc = `<testsuites tests="3" failures="1"><testsuite name="outer" tests="3" failures="1">
<testsuite name="inner" tests="2" failures="1"><testcase name="a"/><testcase name="b"><failure>x
y</failure></testcase></testsuite>
<testcase name="c"/></testsuite></testsuites>`
	rep, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Counts{Total: 3, Passed: 2, Failed: 1}, rep.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if got := rep.Failing(); len(got) != 1 || got[0].Message != "x" {
		t.Errorf("failing = %+v", got)
	}
}

// FuzzParse: any input gives a report whose counts add up, or an error.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"pytest-junit/out/pytest-junit.xml", "gotestsum-junit/out/gotestsum-junit.xml", "jest-junit/out/jest-junit.xml"} {
		if data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "real", s)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(surefire))
	f.Add([]byte(`<testsuite tests="1"><testcase name="a"/><testcase name="a"><failure/></testcase></testsuite>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Parse(data)
		if err != nil {
			return
		}
		c := rep.Counts
		if c.Total == 0 || c.Total != len(rep.Cases) || c.Total != c.Passed+c.Failed+c.Errors+c.Skipped+c.Flaky+c.Uncounted {
			t.Fatalf("counts do not add up: %+v over %d cases", c, len(rep.Cases))
		}
	})
}
