package gate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestChecksGate: a gate of several checks passes only when every check
// passes; details.checks lists each check's outcome in order.
func TestChecksGate(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, checks, status, summary string
		oks                           []bool
		statuses                      []string
	}{
		{"all pass", "- {title: first, run: exit 0}\n      - run: exit 2\n        ok_exit: [2]",
			StatusPass, "2/2 checks passed: first: exit 0; run: exit 2", []bool{true, true}, []string{StatusPass, StatusPass}},
		{"one fails", "- {title: first, run: exit 0}\n      - {title: second, run: exit 1}\n      - {title: third, run: exit 0}",
			StatusFail, "1/3 checks failed: second: exit 1", []bool{true, false, true}, []string{StatusPass, StatusFail, StatusPass}},
		{"missing evidence is the gate's status", "- {title: cov, coverage: {profile: absent.out, min: 1}}\n      - {title: ok, run: exit 0}",
			StatusMissing, "1/2 checks failed: cov: ", []bool{false, true}, []string{StatusMissing, StatusPass}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runConfig(t, "version: 1\ngates:\n  - id: g\n    title: Several\n    checks:\n      "+tt.checks+"\n", Options{Dir: t.TempDir()})
			g := res.Gate("g")
			if g.Status() != tt.status || !strings.HasPrefix(g.Summary, tt.summary) || g.Kind != ChecksKind {
				t.Fatalf("status %s kind %s summary %q; want %s %q…", g.Status(), g.Kind, g.Summary, tt.status, tt.summary)
			}
			if g.OK != (tt.status == StatusPass) || res.Meta.AllPassed != g.OK {
				t.Errorf("ok %v, all passed %v", g.OK, res.Meta.AllPassed)
			}
			checks := g.Details["checks"].([]CheckResult)
			var oks []bool
			var statuses []string
			for _, c := range checks {
				oks = append(oks, c.OK)
				statuses = append(statuses, c.Status)
			}
			if diff := cmp.Diff(tt.oks, oks); diff != "" {
				t.Errorf("ok (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.statuses, statuses); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
		})
	}
}

// TestChecksGateJSON: gate_results.json carries each check's kind, title,
// ok, status, summary and details, and a tests check's typed details come
// back when the file is read.
func TestChecksGateJSON(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	junit := `<testsuite name="s" tests="1" failures="0" errors="0"><testcase classname="c" name="t"/></testsuite>`
	if err := os.WriteFile(filepath.Join(dir, "report.xml"), []byte(junit), 0o644); err != nil {
		t.Fatal(err)
	}
	res := runConfig(t, "version: 1\ngates:\n  - id: g\n    checks:\n      - {title: shell, run: echo hi}\n      - {title: unit tests, tests: {reports: [report.xml]}}\n", Options{Dir: dir})
	data, err := res.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]struct {
		Kind    string `json:"kind"`
		Details struct {
			Checks []struct {
				Kind, Title, Status, Summary string
				OK                           bool
				Details                      map[string]any
			} `json:"checks"`
			Tests map[string]any `json:"tests"`
		} `json:"details"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	g := raw["g"]
	if g.Kind != "checks" || len(g.Details.Checks) != 2 || g.Details.Tests == nil {
		t.Fatalf("gate: %s", data)
	}
	c0, c1 := g.Details.Checks[0], g.Details.Checks[1]
	if c0.Kind != "run" || c0.Title != "shell" || !c0.OK || c0.Status != StatusPass || c0.Details["exit_code"] == nil {
		t.Errorf("check 0: %+v", c0)
	}
	if c1.Kind != "tests" || c1.Title != "unit tests" || !c1.OK {
		t.Errorf("check 1: %+v", c1)
	}
	var back Results
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if bg := back.Gate("g"); bg.Tests == nil || bg.Tests.Counts.Total != 1 {
		t.Errorf("read back: %+v", bg)
	}
}

// TestChecksRefused: every mistake in checks is a config error at its line.
func TestChecksRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, gate, want string }{
		{"kind and checks", "run: \"true\"\n    checks:\n      - run: \"true\"", `t.yml:4: gate a declares checks and the key "run"`},
		{"sibling and checks", "expect: {}\n    checks:\n      - run: \"true\"", `t.yml:4: gate a declares checks and the key "expect"`},
		{"empty", "checks: []", "t.yml:4: gate a: checks must be a non-empty list"},
		{"not a list", "checks: {run: \"true\"}", "t.yml:4: gate a: checks must be a non-empty list"},
		{"scalar item", "checks:\n      - run", "t.yml:5: gate a: check 1 must be a mapping"},
		{"no kind", "checks:\n      - title: x", "t.yml:5: gate a: check 1 declares no kind"},
		{"two kinds", "checks:\n      - run: \"true\"\n        quiet: {file: x}", "t.yml:6: gate a: check 1 declares two kinds (run, quiet)"},
		{"unknown key", "checks:\n      - run: \"true\"\n        timeout: 3s", `t.yml:6: gate a: check 1: unknown key "timeout"`},
		{"foreign sibling", "checks:\n      - quiet: {file: x}\n        expect: {}", `t.yml:6: key "expect" is not valid for a quiet check`},
		{"kind's own error", "checks:\n      - run: \"true\"\n        ok_exit: []", "t.yml:6: ok_exit must be a non-empty list"},
		{"title not a string", "checks:\n      - {title: [x], run: \"true\"}", "t.yml:5: gate a: check 1: title must be a string"},
		{"two tests checks", "checks:\n      - tests: {reports: [a.xml]}\n      - tests: {reports: [b.xml]}", "t.yml:6: gate a: check 2: a gate holds at most one tests check"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseConfig("t.yml", []byte("version: 1\ngates:\n  - id: a\n    "+tt.gate+"\n"))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q…", err, tt.want)
			}
		})
	}
}

// TestManualReason: a manual follow-up always carries details.reason: the
// configured one, or one derived from the gate; reason on a gate that is
// not manual is refused.
func TestManualReason(t *testing.T) {
	t.Parallel()
	res := runConfig(t, "version: 1\ngates:\n  - id: a\n    manual: true\n    reason: needs eyes on the dashboard\n    run: \"true\"\n"+
		"  - id: b\n    title: Bee\n    manual: true\n", Options{})
	for id, want := range map[string]string{"a": "needs eyes on the dashboard", "b": "Bee: no automated check; a person validates it"} {
		if g := res.Gate(id); !g.ManualFollowup() || g.Details["reason"] != want {
			t.Errorf("%s: details %v, want reason %q", id, g.Details, want)
		}
	}
	_, err := ParseConfig("t.yml", []byte("version: 1\ngates:\n  - id: a\n    reason: x\n    run: \"true\"\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "t.yml:4: gate a: reason is for manual gates") {
		t.Errorf("reason on an automated gate: %v", err)
	}
}
