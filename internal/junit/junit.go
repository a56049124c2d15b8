// Package junit reads JUnit XML test reports as the common tools write them:
// pytest --junitxml, gotestsum and go-junit-report, jest-junit and Maven
// Surefire. It is pure (bytes in, a report out) and fails closed: malformed
// XML, data after the root element, a report without a testcase, a negative
// or non-numeric count, and counts in a <testsuite> or <testsuites> element
// that contradict its testcases are errors, never "no failures".
//
// Outcomes of a testcase, from its children:
//   - <error> → error; <failure> → failed (a testcase with both is an error);
//   - <skipped> → skipped (Surefire's and pytest's skips, jest's test.skip);
//   - <flakyFailure>/<flakyError> without <failure>/<error> → flaky: Surefire's
//     rerunFailingTestsCount recorded failed runs and a final pass (Surefire
//     writes <rerunFailure>/<rerunError> beside a final <failure>; alone, a
//     rerun that failed before a pass, they are read as flaky too);
//   - none of these → passed.
//
// Within one <testsuite> element, the same classname and name appearing again
// is a rerun (gotestsum --rerun-fails and pytest-rerunfailures write reruns
// so): the last occurrence decides, and a test whose last run passed after a
// failed run is flaky, not failed; a skipped rerun decides nothing (a
// failure stays a failure). Reruns are one test. The same classname and name
// in two <testsuite> elements are two tests: jest-junit names a test
// "classname title" without its file, so two test files may each hold a
// test of the same name, and a pass of one must not hide the failure of the
// other.
//
// Known gaps of the formats, not of this reader: jest-junit leaves out a test
// file that fails to load unless reportTestSuiteErrors is set, and writes
// test.todo tests as childless testcases that its tests attribute does not
// count (see Counts.Uncounted).
package junit

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Outcome is a test's result.
type Outcome string

// Outcomes.
const (
	Passed  Outcome = "passed"
	Failed  Outcome = "failed"
	Errored Outcome = "error"
	Skipped Outcome = "skipped"
	Flaky   Outcome = "flaky"
)

// maxMessage bounds a test's message (its first line).
const maxMessage = 200

// Case is one test.
type Case struct {
	Classname string  `json:"classname,omitempty"`
	Name      string  `json:"name"`
	File      string  `json:"file,omitempty"`
	Outcome   Outcome `json:"outcome"`
	// Message is the first line of the failure, error or skip message.
	Message string `json:"message,omitempty"`
	// Runs is how many times the test appears (reruns), when more than one.
	Runs int `json:"runs,omitempty"`
}

// ID names a test across runs: classname and name (and file when the report
// gives it), as a person reads it.
func (c Case) ID() string {
	id := strings.TrimSpace(c.Name)
	if cl := strings.TrimSpace(c.Classname); cl != "" && cl != id {
		id = cl + " › " + id
	}
	if c.File != "" {
		id = c.File + ": " + id
	}
	return id
}

// Counts are a report's figures. Total = Passed + Failed + Errors + Skipped
// + Flaky + Uncounted.
type Counts struct {
	Total   int `json:"total"`
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Errors  int `json:"errors"`
	Skipped int `json:"skipped"`
	Flaky   int `json:"flaky"`
	// Uncounted are childless (pass-shaped) testcases that the report's
	// own tests attribute leaves out: jest-junit's test.todo. They neither
	// pass nor fail.
	Uncounted int `json:"uncounted,omitempty"`
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	c.Total += o.Total
	c.Passed += o.Passed
	c.Failed += o.Failed
	c.Errors += o.Errors
	c.Skipped += o.Skipped
	c.Flaky += o.Flaky
	c.Uncounted += o.Uncounted
}

// Report is one JUnit XML file.
type Report struct {
	Cases  []Case
	Counts Counts
	// Mismatches are count attributes that contradict the testcases, in
	// a report that fails anyway (a testcase failed); any other report
	// with one is refused.
	Mismatches []string
}

// Failing returns the failed and errored tests, in report order.
func (r *Report) Failing() []Case {
	var out []Case
	for _, c := range r.Cases {
		if c.Outcome == Failed || c.Outcome == Errored {
			out = append(out, c)
		}
	}
	return out
}

// xmlSuite is <testsuite> or <testsuites>: both carry counts, suites and
// (for <testsuite>) testcases.
type xmlSuite struct {
	XMLName  xml.Name
	Name     string     `xml:"name,attr"`
	Tests    *string    `xml:"tests,attr"`
	Failures *string    `xml:"failures,attr"`
	Errors   *string    `xml:"errors,attr"`
	Skipped  *string    `xml:"skipped,attr"`
	Suites   []xmlSuite `xml:"testsuite"`
	Cases    []xmlCase  `xml:"testcase"`
}

type xmlCase struct {
	Classname    string       `xml:"classname,attr"`
	Name         string       `xml:"name,attr"`
	File         string       `xml:"file,attr"`
	Failures     []xmlMessage `xml:"failure"`
	Errors       []xmlMessage `xml:"error"`
	Skipped      []xmlMessage `xml:"skipped"`
	FlakyFailure []xmlMessage `xml:"flakyFailure"`
	FlakyError   []xmlMessage `xml:"flakyError"`
	RerunFailure []xmlMessage `xml:"rerunFailure"`
	RerunError   []xmlMessage `xml:"rerunError"`
}

type xmlMessage struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// Parse reads one JUnit XML document. Errors do not name the file: the
// caller, which knows it, does.
func Parse(data []byte) (*Report, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("not UTF-8 text")
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var root xmlSuite
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			if head := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\ufeff"))); len(head) > 0 && (head[0] == '{' || head[0] == '[') {
				return nil, errors.New("a JSON document, not JUnit XML (SARIF, a coverage or a test runner's JSON report?): want <testsuites> or <testsuite>")
			}
			return nil, errors.New("no XML element: want <testsuites> or <testsuite>")
		}
		return nil, fmt.Errorf("malformed XML: %w", err)
	}
	if err := trailing(dec); err != nil {
		return nil, err
	}
	switch root.XMLName.Local {
	case "testsuites", "testsuite":
	default:
		return nil, fmt.Errorf("root element <%s>: want <testsuites> or <testsuite>", root.XMLName.Local)
	}
	var raw []rawCase
	w := walker{out: &raw}
	if _, err := w.walk(&root, ""); err != nil {
		return nil, err
	}
	if len(raw) == 0 {
		return nil, errors.New("no <testcase>: the report records no test")
	}
	if len(w.mismatches) > 0 {
		// Counts that contradict the testcases may mean lost testcases:
		// refused, unless a testcase failed, so that the report fails
		// whatever was lost. gotestsum writes a package that does not
		// build as a failing TestMain its tests="0" failures="0" leave
		// out: that is a failure to show, not a malformed report.
		failing := slices.ContainsFunc(raw, func(c rawCase) bool { return c.Outcome == Failed || c.Outcome == Errored })
		if !failing {
			return nil, w.mismatches[0]
		}
	}
	if n, where := countCases(data); n != len(raw) {
		// A testcase under an element this reader does not walk (a
		// wrapper around a <testsuite>, a <testcase> in a <testcase>)
		// would go unread, its failure with it.
		return nil, fmt.Errorf("a <testcase> in %s: want each <testcase> in a <testsuite>, suites only in suites (%d in the file, %d read)", where, n, len(raw))
	}
	rep := collapse(raw)
	for _, m := range w.mismatches {
		rep.Mismatches = append(rep.Mismatches, m.msg)
	}
	return rep, nil
}

// countCases counts the <testcase> elements of a document Parse decoded
// (so well-formed), and gives the path of the first one Parse does not
// read: one whose ancestors are not all <testsuite> or <testsuites>.
func countCases(data []byte) (n int, where string) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []string
	for {
		tok, err := dec.Token()
		if err != nil {
			return n, where
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "testcase" {
				n++
				read := stack[len(stack)-1] == "testsuite"
				for _, a := range stack {
					read = read && (a == "testsuite" || a == "testsuites")
				}
				if !read && where == "" {
					where = "<" + strings.Join(stack, "> <") + ">"
				}
			}
			stack = append(stack, t.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

// trailing refuses anything but whitespace, comments and processing
// instructions after the root element.
func trailing(dec *xml.Decoder) error {
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("malformed XML after the root element: %w", err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return errors.New("text after the root element")
			}
		case xml.Comment, xml.ProcInst:
		default:
			return errors.New("data after the root element (two reports concatenated?)")
		}
	}
}

// rawCase is a testcase before reruns are collapsed.
type rawCase struct {
	Case
	uncounted bool
	// suite numbers the <testsuite> element that holds the testcase:
	// reruns are looked for within one suite only.
	suite int
}

// tally is the count of raw testcases under a suite, as a generator
// would write them in its attributes.
type tally struct {
	tests, failures, errors, skipped, childless int
}

func (t *tally) add(o tally) {
	t.tests += o.tests
	t.failures += o.failures
	t.errors += o.errors
	t.skipped += o.skipped
	t.childless += o.childless
}

// walker collects testcases, numbering the suites that hold them, and the
// count attributes that contradict them.
type walker struct {
	out        *[]rawCase
	suites     int
	mismatches []*mismatch
}

// walk collects the testcases under s and checks s's counts against them.
func (w *walker) walk(s *xmlSuite, path string) (tally, error) {
	out := w.out
	where := "<" + s.XMLName.Local + ">"
	if s.Name != "" {
		where = fmt.Sprintf("<%s name=%q>", s.XMLName.Local, s.Name)
	}
	if path != "" {
		where = path + " " + where
	}
	if s.XMLName.Local == "testsuites" && len(s.Cases) > 0 {
		return tally{}, fmt.Errorf("%s: <testcase> directly under <testsuites>", where)
	}
	var t tally
	for i := range s.Suites {
		sub, err := w.walk(&s.Suites[i], where)
		if err != nil {
			return tally{}, err
		}
		t.add(sub)
	}
	start := len(*out)
	w.suites++
	suite := w.suites
	for _, xc := range s.Cases {
		c := rawCase{Case: Case{Classname: xc.Classname, Name: xc.Name, File: xc.File}, suite: suite}
		if strings.TrimSpace(xc.Name) == "" && strings.TrimSpace(xc.Classname) == "" {
			return tally{}, fmt.Errorf("%s: a <testcase> without name or classname", where)
		}
		t.tests++
		if len(xc.Failures) > 0 {
			t.failures++
		}
		if len(xc.Errors) > 0 {
			t.errors++
		}
		switch {
		case len(xc.Errors) > 0:
			c.Outcome, c.Message = Errored, firstLine(xc.Errors[0])
		case len(xc.Failures) > 0:
			c.Outcome, c.Message = Failed, firstLine(xc.Failures[0])
		case len(xc.Skipped) > 0:
			t.skipped++
			c.Outcome, c.Message = Skipped, firstLine(xc.Skipped[0])
		case len(xc.FlakyFailure)+len(xc.FlakyError)+len(xc.RerunFailure)+len(xc.RerunError) > 0:
			c.Outcome = Flaky
			retries := slices.Concat(xc.FlakyFailure, xc.FlakyError, xc.RerunFailure, xc.RerunError)
			c.Message = firstLine(retries[0])
		default:
			t.childless++
			c.Outcome = Passed
		}
		*out = append(*out, c)
	}
	for _, a := range []struct {
		attr string
		v    *string
		have int
	}{{"failures", s.Failures, t.failures}, {"errors", s.Errors, t.errors}, {"skipped", s.Skipped, t.skipped}} {
		if err := checkCount(where, a.attr, a.v, a.have); err != nil {
			var m *mismatch
			if !errors.As(err, &m) {
				return tally{}, err
			}
			w.mismatches = append(w.mismatches, m)
		}
	}
	if s.Tests == nil {
		return t, nil
	}
	n, err := count(where, "tests", *s.Tests)
	if err != nil {
		return tally{}, err
	}
	// jest-junit does not count test.todo tests, which it writes as
	// childless testcases: fewer tests than testcases is accepted when the
	// surplus could all be such testcases, which then count as neither
	// passed nor failed. More tests than testcases means lost tests.
	surplus := t.tests - n
	switch {
	case surplus < 0:
		w.mismatches = append(w.mismatches, &mismatch{fmt.Sprintf("%s: tests=%d but %d <testcase> elements", where, n, t.tests)})
		return t, nil
	case surplus > t.childless:
		w.mismatches = append(w.mismatches, &mismatch{fmt.Sprintf("%s: tests=%d but %d <testcase> elements, of which only %d have no outcome element", where, n, t.tests, t.childless)})
		return t, nil
	}
	// Mark the surplus among this suite's own childless testcases (the
	// nested suites' were checked by their own attributes).
	own := (*out)[start:]
	for i := len(own) - 1; i >= 0 && surplus > 0; i-- {
		if own[i].Outcome == Passed && !own[i].uncounted {
			own[i].uncounted = true
			surplus--
		}
	}
	if surplus > 0 {
		w.mismatches = append(w.mismatches, &mismatch{fmt.Sprintf("%s: tests=%d does not match its %d <testcase> elements", where, n, t.tests)})
		return t, nil
	}
	return tally{tests: n, failures: t.failures, errors: t.errors, skipped: t.skipped, childless: t.childless - (t.tests - n)}, nil
}

func checkCount(where, attr string, v *string, have int) error {
	if v == nil {
		return nil
	}
	n, err := count(where, attr, *v)
	if err != nil {
		return err
	}
	if n != have {
		return &mismatch{fmt.Sprintf("%s: %s=%d but %d <testcase> elements say so", where, attr, n, have)}
	}
	return nil
}

// mismatch is a count attribute that contradicts the testcases.
type mismatch struct{ msg string }

func (m *mismatch) Error() string { return m.msg }

func count(where, attr, v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s: %s=%q is not a count", where, attr, v)
	}
	return n, nil
}

// collapse merges reruns (same classname and name in one suite) into one
// test each, keeping first-appearance order, and counts.
func collapse(raw []rawCase) *Report {
	type key struct {
		classname, name, file string
		suite                 int
	}
	index := map[key]int{}
	rep := &Report{}
	var uncounted []bool
	for _, rc := range raw {
		k := key{rc.Classname, rc.Name, rc.File, rc.suite}
		i, seen := index[k]
		if !seen {
			index[k] = len(rep.Cases)
			rep.Cases = append(rep.Cases, rc.Case)
			uncounted = append(uncounted, rc.uncounted)
			continue
		}
		prev := rep.Cases[i]
		runs := max(prev.Runs, 1) + 1
		next := rc.Case
		switch {
		case next.Outcome == Skipped && prev.Outcome != Skipped:
			// A skipped rerun establishes nothing: the earlier run's
			// outcome (a failure above all) stands.
			next.Outcome, next.Message = prev.Outcome, prev.Message
		case next.Outcome == Passed && prev.Outcome != Passed && prev.Outcome != Skipped:
			// Failed (or flaky) before, passed now: flaky, with the
			// failure's message.
			next.Outcome, next.Message = Flaky, prev.Message
		}
		next.Runs = runs
		rep.Cases[i] = next
		uncounted[i] = uncounted[i] && rc.uncounted
	}
	for i, c := range rep.Cases {
		rep.Counts.Total++
		switch {
		case uncounted[i] && c.Outcome == Passed:
			rep.Counts.Uncounted++
		case c.Outcome == Passed:
			rep.Counts.Passed++
		case c.Outcome == Failed:
			rep.Counts.Failed++
		case c.Outcome == Errored:
			rep.Counts.Errors++
		case c.Outcome == Skipped:
			rep.Counts.Skipped++
		case c.Outcome == Flaky:
			rep.Counts.Flaky++
		}
	}
	return rep
}

// firstLine is the message attribute's first non-empty line, else the
// element text's, trimmed and capped.
func firstLine(m xmlMessage) string {
	for _, s := range []string{m.Message, m.Text} {
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				return truncate(l, maxMessage)
			}
		}
	}
	return ""
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
