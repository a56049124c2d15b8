package signoff

import (
	"fmt"
	"strings"

	"github.com/org/gonogo-action/internal/gate"
	"github.com/org/gonogo-action/internal/report"
	"github.com/org/gonogo-action/internal/safetext"
)

// Trends renders, under a heading per parse-regression gate whose
// reference carried a history, the trend of its gated codes (Trend). ""
// when no gate has one.
func Trends(r *gate.Results) string {
	var b strings.Builder
	for _, g := range r.Gates {
		if s := Trend(g); s != "" {
			fmt.Fprintf(&b, "\n### Trend: %s\n\n%s", safetext.Inline(title(g), titleRunes), s)
		}
	}
	return b.String()
}

// Trend is one gate's trend, drawn from its reference's history alone:
// the charts and the table (report.TrendMarkdown), this run last when the
// gate compared; or one line saying why the reference's history was
// refused. The trend is informational: it never changes a mark. For the
// same reference and comparison it is `regression --markdown`'s trend
// (report.TrendOf).
func Trend(g gate.GateResult) string {
	t := g.Trend
	if t == nil {
		return ""
	}
	var current map[string]int
	if g.Regression != nil {
		current = report.CurrentCounts(*g.Regression)
	}
	return report.TrendMarkdown(report.Trend{Codes: t.Codes, IncludeSuppressed: t.IncludeSuppressed, Points: t.Points, Current: current,
		Refused: t.Refused})
}
