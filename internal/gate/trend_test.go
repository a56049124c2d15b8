package gate

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/baseline"
)

const (
	trendShaA = "0123456789abcdef0123456789abcdef01234567"
	trendShaB = "89abcdef0123456789abcdef0123456789abcdef"
	trendShaC = "fedcba9876543210fedcba9876543210fedcba98"
)

// refWithHistory is a reference of 10 PARSE_ERROR whose history has two
// points, itself last; history replaces it when not empty.
func refWithHistory(history string) string {
	if history == "" {
		history = `[
		  {"timestamp": "2025-09-12T10:15:22Z", "commit": "` + trendShaA + `", "total": 9, "by_code": {"SUCCESS": 1, "PARSE_ERROR": 8}},
		  {"timestamp": "2025-09-13T10:15:22Z", "commit": "` + trendShaB + `", "total": 11, "by_code": {"SUCCESS": 1, "PARSE_ERROR": 10}}
		]`
	}
	return strings.Replace(refBaseline(10), `"files": []`, `"files": [], "history": `+history, 1)
}

func trendGate(t *testing.T, dir, ref string) GateResult {
	t.Helper()
	now := time.Date(2025, 9, 14, 10, 0, 0, 0, time.UTC)
	res := runConfig(t, `version: 1
gates:
  - id: pr
    parse-regression:
      statuses: new.jsonl
      reference: {file: `+ref+`}
      output: out.json
`, Options{Dir: dir, Commit: trendShaC, Now: func() time.Time { return now }})
	return *res.Gate("pr")
}

// A parse-regression gate writes its output continuing the reference's
// history, and carries that history for the sign-off's chart.
func TestParseRegressionTrend(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "new.jsonl", statusLines(11, "PARSE_ERROR"))
	writeFile(t, dir, "ref.json", refWithHistory(""))
	g := trendGate(t, dir, "ref.json")
	if !g.OK || g.Trend == nil {
		t.Fatalf("ok %v trend %v: %s", g.OK, g.Trend, g.Summary)
	}
	ref, err := baseline.Read(filepath.Join(dir, "ref.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := &Trend{Codes: []string{"PARSE_ERROR", "VALIDATION_ERROR", "INTERNAL_ERROR"}, Points: ref.History}
	if d := cmp.Diff(want, g.Trend); d != "" {
		t.Errorf("trend (-want +got):\n%s", d)
	}
	out, err := baseline.Read(filepath.Join(dir, "out.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(out.History) != 3 {
		t.Fatalf("output history %+v, want the reference's two points and its own", out.History)
	}
	if d := cmp.Diff(ref.History, out.History[:2]); d != "" {
		t.Errorf("output history (-reference's +output's):\n%s", d)
	}
	own := out.History[2]
	if own.Commit != trendShaC || own.Total != 12 || own.ByCode["PARSE_ERROR"] != 11 || own.Timestamp != out.Timestamp {
		t.Errorf("own entry %+v (baseline at %s)", own, out.Timestamp)
	}

	// gate_results.json carries it as details.trend and gives it back.
	r := &Results{Gates: []GateResult{g}}
	data, err := r.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"trend": {`) {
		t.Errorf("no details.trend in\n%s", data)
	}
	var back Results
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(g.Trend, back.Gates[0].Trend); d != "" {
		t.Errorf("trend read back (-want +got):\n%s", d)
	}
	if _, ok := back.Gates[0].Details["trend"]; ok {
		t.Error("details.trend read back untyped too")
	}
}

// A reference whose history is malformed is judged exactly as one
// without: the history is dropped, the gate says why, and the output
// starts a new history from the reference's own counts.
func TestParseRegressionTrendRefused(t *testing.T) {
	t.Parallel()
	long := make([]string, baseline.HistoryKeep+1)
	for i := range long {
		long[i] = fmt.Sprintf(`{"timestamp": "2025-09-12T10:%02d:00Z", "total": 0, "by_code": {}}`, i)
	}
	for name, history := range map[string]string{
		"too long":      "[" + strings.Join(long, ",") + "]",
		"bad commit":    `[{"timestamp": "2025-09-12T10:15:22Z", "commit": "\"]\n` + "```" + `", "total": 0, "by_code": {}}]`,
		"negative":      `[{"timestamp": "2025-09-12T10:15:22Z", "total": 0, "by_code": {"SUCCESS": 1, "PARSE_ERROR": -1}}]`,
		"repeated key":  `[{"timestamp": "2025-09-12T10:15:22Z", "total": 0, "total": 1, "by_code": {}}]`,
		"wrong type":    `[{"timestamp": "2025-09-12T10:15:22Z", "total": "0", "by_code": {}}]`,
		"not a list":    `"yesterday"`,
		"entry is null": `[null]`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sub := t.TempDir()
			writeFile(t, sub, "new.jsonl", statusLines(20, "PARSE_ERROR"))
			writeFile(t, sub, "ref.json", refWithHistory(history))
			writeFile(t, sub, "plain.json", refBaseline(10))
			g := trendGate(t, sub, "ref.json")
			plain := trendGate(t, sub, "plain.json")
			if g.OK != plain.OK || g.Summary != plain.Summary || g.Status() != plain.Status() || g.OK {
				t.Errorf("verdict %v %q, without history %v %q: the history changed it", g.OK, g.Summary, plain.OK, plain.Summary)
			}
			if g.Trend == nil || g.Trend.Refused == "" || g.Trend.Points != nil {
				t.Fatalf("trend %+v, want refused without points", g.Trend)
			}
			if w, _ := g.Details["history_warning"].(string); !strings.Contains(w, "history") {
				t.Errorf("details.history_warning %q", w)
			}
			out, err := baseline.Read(filepath.Join(sub, "out.json"))
			if err != nil {
				t.Fatal(err)
			}
			if len(out.History) != 2 || out.History[0].Timestamp != "2025-09-13T10:15:22Z" || out.History[0].Commit != "" || out.History[1].Commit != trendShaC {
				t.Errorf("output history %+v, want the reference's own point then this one", out.History)
			}
		})
	}
}

// No reference yet (a branch's first run): the output's history starts
// with its own entry, and there is no trend to show.
func TestParseRegressionTrendFirstRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "new.jsonl", statusLines(3, "PARSE_ERROR"))
	g := trendGate(t, dir, "none.json")
	if !g.OK || g.Trend != nil {
		t.Fatalf("ok %v trend %+v", g.OK, g.Trend)
	}
	out, err := baseline.Read(filepath.Join(dir, "out.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(out.History) != 1 || out.History[0].Commit != trendShaC || out.History[0].ByCode["PARSE_ERROR"] != 3 {
		t.Errorf("output history %+v", out.History)
	}
}

// details.trend comes from a file a pull request may write: a malformed
// one is a refused trend, and the results are still read.
func TestReadResultsRefusesMalformedTrend(t *testing.T) {
	t.Parallel()
	for name, trend := range map[string]string{
		"points not a list": `{"codes": ["PARSE_ERROR"], "points": {"a": 1}}`,
		"bad commit":        `{"codes": ["PARSE_ERROR"], "points": [{"timestamp": "2025-09-12T10:15:22Z", "commit": "x` + "`" + `", "total": 0, "by_code": {}}]}`,
		"unknown code":      `{"codes": ["\"]\nline [1]"], "points": []}`,
		"codes not strings": `{"codes": [1], "points": []}`,
		"code twice":        `{"codes": ["PARSE_ERROR", "PARSE_ERROR"], "points": []}`,
		"out of order": `{"codes": ["PARSE_ERROR"], "points": [{"timestamp": "2025-09-12T10:15:22Z", "total": 0, "by_code": {}},
			{"timestamp": "2025-09-11T10:15:22Z", "total": 0, "by_code": {}}]}`,
	} {
		data := `{"_meta": {"profile": "", "ts": 0, "all_passed": true}, "pr": {"ok": true, "manual": false, "duration_sec": 0, "kind": "parse-regression", "details": {"trend": ` + trend + `}}}`
		var r Results
		if err := json.Unmarshal([]byte(data), &r); err != nil {
			t.Errorf("%s: %v: a malformed trend failed the results", name, err)
			continue
		}
		g := r.Gate("pr")
		if g.Trend == nil || g.Trend.Refused == "" || g.Trend.Points != nil || !g.OK {
			t.Errorf("%s: trend %+v ok %v, want refused", name, g.Trend, g.OK)
		}
	}
	// A repeated key is no malformed trend but a file gate never writes:
	// the whole file is refused (TestReadResultsRefusesRepeatedKeys).
	trend := `{"codes": ["PARSE_ERROR"], "points": [{"timestamp": "2025-09-12T10:15:22Z", "total": 0, "by_code": {}, "by_code": {}}]}`
	data := `{"pr": {"ok": true, "manual": false, "duration_sec": 0, "kind": "parse-regression", "details": {"trend": ` + trend + `}}}`
	var r Results
	if err := json.Unmarshal([]byte(data), &r); err == nil || !strings.Contains(err.Error(), `pr.details.trend.points[0]: repeated key "by_code"`) {
		t.Errorf("repeated key in a trend: err = %v, want the file refused naming the key", err)
	}
}

// A reference without a history (an older version, another tool) is its
// one point, as `regression --markdown` charts it (baseline.TrendOf).
func TestParseRegressionTrendNoHistory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "new.jsonl", statusLines(11, "PARSE_ERROR"))
	writeFile(t, dir, "ref.json", refBaseline(10))
	g := trendGate(t, dir, "ref.json")
	if !g.OK || g.Trend == nil {
		t.Fatalf("ok %v trend %v: %s", g.OK, g.Trend, g.Summary)
	}
	want := []baseline.Point{{Timestamp: "2025-09-13T10:15:22Z", Total: 11, ByCode: map[string]int{"SUCCESS": 1, "PARSE_ERROR": 10}}}
	if d := cmp.Diff(want, g.Trend.Points); d != "" || g.Trend.Refused != "" {
		t.Errorf("trend points (-want +got):\n%s\nrefused %q", d, g.Trend.Refused)
	}
}
