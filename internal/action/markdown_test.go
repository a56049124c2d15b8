package action

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/artifact"
	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/compare"
	"github.com/org/gonogo-action/internal/gate"
)

// The comment of mode: report, rendered from a gate_results.json read back,
// is the comment of the run that wrote it: the regression table, its
// transitions, the trend, the reference's provenance and the risk
// watchlist travel through the file.
func TestRenderFromResultsReadBack(t *testing.T) {
	t.Parallel()
	ref := &baseline.Baseline{ByCode: map[string]int{"PARSE_ERROR": 1}, Files: []baseline.File{{Path: "a.aether", CodeName: "PARSE_ERROR", Line: 2}}}
	next := &baseline.Baseline{ByCode: map[string]int{"VALIDATION_ERROR": 9}, Files: []baseline.File{{Path: "a.aether", CodeName: "VALIDATION_ERROR", Line: 2, Message: "unknown `f` @x"}}}
	reg := compare.Compare(ref, next, compare.DefaultPolicy())
	reg.Timestamp = compare.Stamp(now)
	res := &gate.Results{Meta: gate.Meta{Profile: "ci", Risks: []gate.Risk{
		{Area: "Parse health", Impact: "broken workflows", Mitigation: "gate on regressions", Priority: "High", MitigatedBy: []string{"parse"}},
	}}, Gates: []gate.GateResult{{
		ID: "parse", Title: "Parse", Kind: "parse-regression", Mandatory: true, Details: map[string]any{"status": "fail"},
		Regression: &reg,
		Trend: &gate.Trend{Codes: []string{"PARSE_ERROR", "VALIDATION_ERROR"}, Points: []baseline.Point{
			{Timestamp: "2026-11-20T10:00:00Z", Commit: strings.Repeat("1", 40), Total: 3, ByCode: map[string]int{"SUCCESS": 1, "PARSE_ERROR": 2}},
			{Timestamp: "2026-11-21T10:00:00Z", Commit: strings.Repeat("0", 40), Total: 3, ByCode: map[string]int{"SUCCESS": 2, "PARSE_ERROR": 1}},
		}},
		Cache: &gate.CacheUse{File: "parse_baseline.cache", Rechecked: 10, Reused: 2690,
			Sources: []string{"artifact pb on main (parse_baseline.cache), run 20"}},
		Reference: &gate.ReferenceSource{Name: "artifact pb on main (parse_baseline.json)", AgeHours: 120, Found: &artifact.Provenance{
			Branch: "main", SHA: strings.Repeat("0", 40), RunID: 20, RunURL: "https://github.com/o/r/actions/runs/20",
			ArtifactID: 11, CreatedAt: now.Add(-120 * time.Hour), Why: artifact.ByFallback, Wanted: "release/*2*",
		}},
	}}}
	want := render(res, "", now, false, nil, "")
	for _, s := range []string{"#### Parse", "**Transitions:** PARSE\\_ERROR→VALIDATION\\_ERROR: 1", "**Reference:** main at `0000000`, [run 20](https://github.com/o/r/actions/runs/20), 5 days old — the default branch, since release/\\*2\\* has no baseline yet\n",
		"```mermaid\nxychart-beta\n    title \"VALIDATION_ERROR\"\n    x-axis [\"Nov 20\", \"Nov 21\", \"this run\"]\n    y-axis \"files\" 0 --> 9\n    line [0, 0, 9]\n```",
		"| 2026-11-21 10:00 UTC | `0000000` | 3 | 1 | 0 |\n| this run | – | – | 0 | 9 |",
		"**Checker cache** (Parse): 10 file(s) re-checked, 2690 reused — from artifact pb on main (parse\\_baseline.cache), run 20\n",
		"### Residual risks", "| Parse health | broken workflows | gate on regressions | High | ❌ **failing: parse** |"} {
		if !strings.Contains(want, s) {
			t.Errorf("run comment lacks %q:\n%s", s, want)
		}
	}
	data, err := res.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back gate.Results
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, render(&back, "", now, false, nil, "")); d != "" {
		t.Errorf("report comment differs from the run's (-run +report):\n%s", d)
	}
}
