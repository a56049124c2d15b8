package report_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/compare"
	"github.com/org/gonogo-action/internal/report"
)

func trendPoints() []baseline.Point {
	return []baseline.Point{
		{Timestamp: "2025-09-11T10:15:00Z", Commit: "0123456789abcdef0123456789abcdef01234567", Total: 2700,
			ByCode: map[string]int{"SUCCESS": 850, "PARSE_ERROR": 1840, "VALIDATION_ERROR": 10}, SuppressedByCode: map[string]int{"PARSE_ERROR": 40}},
		// Two baselines on one day: the axis must keep both.
		{Timestamp: "2025-09-12T09:00:00+02:00", Total: 2700, ByCode: map[string]int{"SUCCESS": 880, "PARSE_ERROR": 1812, "VALIDATION_ERROR": 8}},
		{Timestamp: "2025-09-12T18:30:00Z", Commit: "89abcdef0123456789abcdef0123456789abcdef", Total: 2700,
			ByCode: map[string]int{"SUCCESS": 900, "PARSE_ERROR": 1795, "VALIDATION_ERROR": 5}, SuppressedByCode: map[string]int{"PARSE_ERROR": 5}},
	}
}

func TestTrendMarkdownGolden(t *testing.T) {
	t.Parallel()
	codes := []string{"PARSE_ERROR", "VALIDATION_ERROR"}
	tests := []struct {
		name  string
		trend report.Trend
	}{
		{"trend_pr.md", report.Trend{Codes: codes, Points: trendPoints(), Current: map[string]int{"PARSE_ERROR": 1801, "VALIDATION_ERROR": 7}}},
		{"trend_include_suppressed.md", report.Trend{Codes: codes, IncludeSuppressed: true, Points: trendPoints()}},
		// A reference without a history and no comparison: one point, a
		// table and no chart.
		{"trend_one_point.md", report.Trend{Codes: codes, Points: trendPoints()[:1]}},
		// Codes are validated before they get here; were one not, it
		// still could not leave its string or its cell.
		{"trend_hostile.md", report.Trend{Codes: []string{"X\"]\n```\n%%{init: {}}%%\nline [9] | <b>"}, Points: trendPoints()[1:], Current: map[string]int{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			goldenFile(t, tt.name, report.TrendMarkdown(tt.trend))
		})
	}
}

func TestTrendMarkdownEmpty(t *testing.T) {
	t.Parallel()
	if got := report.TrendMarkdown(report.Trend{Codes: []string{"PARSE_ERROR"}}); got != "" {
		t.Errorf("no points, no run: got %q", got)
	}
	if got := report.TrendMarkdown(report.Trend{Points: trendPoints()}); got != "" {
		t.Errorf("no codes: got %q", got)
	}
	// This run alone is no trend ("last 0 baselines").
	if got := report.TrendMarkdown(report.Trend{Codes: []string{"PARSE_ERROR"}, Current: map[string]int{"PARSE_ERROR": 3}}); got != "" {
		t.Errorf("no point of the reference: got %q", got)
	}
}

// The chart and the table say the same: every series value is in the
// table's row for that point.
func TestTrendMarkdownChartMatchesTable(t *testing.T) {
	t.Parallel()
	got := report.TrendMarkdown(report.Trend{Codes: []string{"PARSE_ERROR"}, Points: trendPoints(), Current: map[string]int{"PARSE_ERROR": 1801}})
	if !strings.Contains(got, "line [1800, 1812, 1790, 1801]") {
		t.Errorf("series not the gated counts:\n%s", got)
	}
	for _, row := range []string{"| 2025-09-11 10:15 UTC | `0123456` | 2700 | 1800 |", "| 2025-09-12 07:00 UTC | – | 2700 | 1812 |",
		"| 2025-09-12 18:30 UTC | `89abcde` | 2700 | 1790 |", "| this run | – | – | 1801 |"} {
		if !strings.Contains(got, row) {
			t.Errorf("no row %q in\n%s", row, got)
		}
	}
	if !strings.Contains(got, `x-axis ["Sep 11", "Sep 12", "Sep 12 #2", "this run"]`) {
		t.Errorf("labels:\n%s", got)
	}
}

// TrendOf charts a reference's history, the reference alone when it has
// none, or the reason its history was refused, which TrendMarkdown says
// in place of a chart, made safe for markdown.
func TestTrendOf(t *testing.T) {
	t.Parallel()
	p := compare.DefaultPolicy()
	res := compare.Result{Codes: []compare.CodeRow{{Code: "PARSE_ERROR", New: 1801}}}
	ref := &baseline.Baseline{Timestamp: "2025-09-13T10:15:00Z", Total: 2700, ByCode: map[string]int{"SUCCESS": 900, "PARSE_ERROR": 1800}}
	own, err := baseline.PointOf(ref, "")
	if err != nil {
		t.Fatal(err)
	}
	want := report.Trend{Codes: p.GatedCodes(), Points: []baseline.Point{own}, Current: map[string]int{"PARSE_ERROR": 1801}}
	if d := cmp.Diff(want, report.TrendOf(ref, p, res)); d != "" {
		t.Errorf("no history (-want +got):\n%s", d)
	}
	ref.History = trendPoints()
	want.Points = ref.History
	if d := cmp.Diff(want, report.TrendOf(ref, p, res)); d != "" {
		t.Errorf("history (-want +got):\n%s", d)
	}
	ref.History, ref.HistoryRefused = nil, "field history[0].commit: want a full commit id, got \"`@org <b>\""
	got := report.TrendOf(ref, p, res)
	if got.Points != nil || got.Refused != ref.HistoryRefused {
		t.Fatalf("refused: %+v", got)
	}
	md := report.TrendMarkdown(got) // as signoff_trend.md has it
	if want := "_No trend: the reference's history was refused (field history\\[0\\].commit\\: want a full commit id, got \"\\`@&#8203;org &lt;b&gt;\")._\n"; md != want {
		t.Errorf("refused:\n%s\nwant\n%s", md, want)
	}
}
