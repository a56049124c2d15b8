package signoff_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/compare"
	"github.com/org/gonogo-action/internal/gate"
	"github.com/org/gonogo-action/internal/golden"
	"github.com/org/gonogo-action/internal/junit"
	"github.com/org/gonogo-action/internal/report/signoff"
)

func signOffGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), []byte(got))
}

func signOffGate(id, title string, ok bool, status string, dur float64, summary string) gate.GateResult {
	return gate.GateResult{ID: id, Title: title, OK: ok, Mandatory: true, DurationSec: dur, Summary: summary,
		Details: map[string]any{"status": status}}
}

func TestSignOffGolden(t *testing.T) {
	t.Parallel()
	ts := 1730000000.123
	hmr := signOffGate("hmr_quiesce", "HMR swap + audit", true, gate.StatusManual, 0.01, "HMR_PREPARE → HMR_SWAP")
	hmr.Manual, hmr.Details["manual_followup"] = true, true
	approved := signOffGate("hmr_quiesce", "HMR swap + audit", true, gate.StatusApproved, 0.01, "HMR_PREPARE → HMR_SWAP")
	approved.Manual, approved.Details["approved_by"] = true, "@octocat"
	smoke := signOffGate("launcher_smoke", "Launcher smoke", true, gate.StatusPass, 2.51, "exit 0")
	smoke.Evidence = "logs/smoke.log"
	optional := signOffGate("quiet", "Security alerts quiet", false, gate.StatusFail, 0.02, "3 alert(s)")
	optional.Mandatory = false
	tests := []struct {
		name string
		r    *gate.Results
	}{
		{"signoff_go.md", &gate.Results{Meta: gate.Meta{Profile: "test", TS: ts, AllPassed: true}, Gates: []gate.GateResult{
			smoke,
			signOffGate("chat_sse_resume", "Chat SSE v2 + resume", true, gate.StatusPass, 0.31, "6 events, order status→policy→usage→final; resumed at 4"),
			hmr,
			signOffGate("spec_tests_coverage", "Spec→Tests & coverage no-drop", true, gate.StatusPass, 0.01, "82.50% vs baseline 81.00%"),
			optional,
		}}},
		{"signoff_nogo.md", &gate.Results{Meta: gate.Meta{Profile: "ci", TS: ts, Failed: []string{"chat_sse_resume", "memory", "agents_api"}, Interrupted: true}, Gates: []gate.GateResult{
			signOffGate("chat_sse_resume", "Chat SSE v2 + resume", false, gate.StatusFail, 0.5, "resume: first id after Last-Event-ID 3 is 1, want 4"),
			signOffGate("memory", "Memory", false, gate.StatusMissing, 0, "needs launcher_smoke, which did not pass"),
			signOffGate("agents_api", "Agents API posture", false, gate.StatusCancelled, 1.2, "interrupted before the gate finished"),
			approved,
		}}},
		{"signoff_tests.md", &gate.Results{Meta: gate.Meta{Profile: "ci", TS: ts, Failed: []string{"unit"}}, Gates: []gate.GateResult{
			testsGate(),
		}}},
		{"signoff_trend.md", &gate.Results{Meta: gate.Meta{Profile: "ci", TS: ts, AllPassed: true}, Gates: trendGates()}},
		{"signoff_hostile.md", &gate.Results{Meta: gate.Meta{Profile: "<b>x</b>", TS: ts, Failed: []string{"run"}}, Gates: []gate.GateResult{
			signOffGate("run", "Run | <script>alert(1)</script>", false, gate.StatusFail, 1, "exit 1: ping @org/team see #12 | `code` [link](http://evil)\n::set-output name=x::y\n<!-- marker -->"),
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			signOffGolden(t, tt.name, signoff.Markdown(tt.r))
		})
	}
}

func TestTableEscapesStatus(t *testing.T) {
	t.Parallel()
	g := signOffGate("x", "X", false, "bad | <b>\n- [x] <!-- m --> @org", 0, "")
	got := signoff.Table(&gate.Results{Gates: []gate.GateResult{g}})
	if strings.Count(got, "\n") != 3 || strings.Contains(got, "<b>") || strings.Contains(got, "@org") || strings.Contains(got, "bad |") {
		t.Errorf("status not escaped:\n%s", got)
	}
}

// testsGate failed 22 tests against a reference: 20 are listed, one of
// them already failing; a message carries markdown.
func testsGate() gate.GateResult {
	g := signOffGate("unit", "Unit tests", false, gate.StatusFail, 3.5, "22 of 140 tests failed: ...")
	g.Kind = "tests"
	t := &gate.TestsReport{Counts: junit.Counts{Total: 140, Passed: 117, Failed: 21, Errors: 1, Flaky: 1}, Flaky: []string{"m › flip"}}
	for i := range 20 {
		c := junit.Case{Classname: "pkg", Name: fmt.Sprintf("Test%02d", i), Outcome: junit.Failed, Message: "want 1, got 2"}
		if i == 1 {
			c.Outcome, c.Message = junit.Errored, "panic: <b>boom</b> | [x](http://evil)"
		}
		t.Failed = append(t.Failed, c)
		t.Failing = append(t.Failing, c.ID())
	}
	t.AlreadyFailing = []string{"pkg › Test00"}
	t.NewFailures = t.Failing[1:]
	g.Tests = t
	return g
}

// trendGates are two parse-regression gates: one whose reference carried
// a history of three baselines, one whose reference's history was refused
// (the reason is text a results file may carry: escaped).
func trendGates() []gate.GateResult {
	point := func(day, parse, validation int, commit string) baseline.Point {
		return baseline.Point{Timestamp: fmt.Sprintf("2025-09-%02dT10:15:00Z", day), Commit: commit, Total: 100,
			ByCode: map[string]int{"SUCCESS": 100 - parse - validation, "PARSE_ERROR": parse, "VALIDATION_ERROR": validation}}
	}
	ref := &baseline.Baseline{ByCode: map[string]int{"PARSE_ERROR": 40, "VALIDATION_ERROR": 3}}
	next := &baseline.Baseline{ByCode: map[string]int{"PARSE_ERROR": 38, "VALIDATION_ERROR": 4}}
	reg := compare.Compare(ref, next, compare.DefaultPolicy())
	parse := signOffGate("parse", "Parse health", true, gate.StatusPass, 1.5, "PARSE_ERROR 40→38, VALIDATION_ERROR 3→4")
	parse.Kind, parse.Regression = "parse-regression", &reg
	parse.Trend = &gate.Trend{Codes: []string{"PARSE_ERROR", "VALIDATION_ERROR"}, Points: []baseline.Point{
		point(10, 52, 5, "0123456789abcdef0123456789abcdef01234567"), point(11, 45, 3, ""), point(12, 40, 3, "89abcdef0123456789abcdef0123456789abcdef"),
	}}
	refused := signOffGate("release", "Release parse health", true, gate.StatusPass, 0.4, "PARSE_ERROR 1→1")
	refused.Kind = "parse-regression"
	refused.Trend = &gate.Trend{Refused: "field history[0].commit: want a full commit id, got \"`@org <b>\""}
	return []gate.GateResult{parse, refused}
}

// TestFailedTestsEscapesOutcome: a test's outcome is text of the results
// file in the report mode; it cannot start a heading, a table or a mention.
func TestFailedTestsEscapesOutcome(t *testing.T) {
	t.Parallel()
	g := signOffGate("unit", "Unit", false, gate.StatusFail, 1, "1 of 1 tests failed")
	g.Tests = &gate.TestsReport{Counts: junit.Counts{Total: 1, Failed: 1},
		Failed: []junit.Case{{Name: "t", Outcome: "failed\n\n# PWNED @org/team <img src=x>\n| a | b |"}}}
	got := signoff.FailedTests(&gate.Results{Gates: []gate.GateResult{g}})
	for _, bad := range []string{"\n# PWNED", "@org", "<img", "\n| a"} {
		if strings.Contains(got, bad) {
			t.Errorf("outcome not escaped (%q):\n%s", bad, got)
		}
	}
}
