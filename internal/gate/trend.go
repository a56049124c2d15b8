package gate

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/compare"
)

// Trend is the reference branch's recent baselines as a parse-regression
// gate's reference carried them (baseline.Baseline.History), kept for the
// sign-off's chart: the pull request downloads one reference and sees the
// trend, with no further API call. In gate_results.json it is
// details.trend.
//
// It is informational: no verdict reads it. A history the reference
// carried but that is malformed is dropped and Refused says why; the gate
// passes or fails as it would without it.
type Trend struct {
	// Codes are the gated codes (thresholds and fail_on_new), in the
	// code table's order: one chart each.
	Codes []string `json:"codes"`
	// IncludeSuppressed: the counts include suppressed failures, as the
	// gate compared them (include_suppressed).
	IncludeSuppressed bool `json:"include_suppressed"`
	// Points are the reference's history, oldest first, the reference
	// itself last; a reference without a history is its one point.
	Points []baseline.Point `json:"points"`
	// Refused says why the reference's history was not used.
	Refused string `json:"refused,omitempty"`
}

// trendOf is the trend of ref for a gate judging under p
// (baseline.TrendOf, as `regression --markdown` charts it).
func trendOf(ref *baseline.Baseline, p compare.Policy) *Trend {
	t := &Trend{Codes: p.GatedCodes(), IncludeSuppressed: p.IncludeSuppressed}
	t.Points, t.Refused = baseline.TrendOf(ref)
	return t
}

// decodeTrend reads details.trend back. It comes from a results file a
// pull request may have written (the two-phase setup), so it is checked
// as the baseline's history is; a malformed one becomes a refused trend,
// never an error: the results' verdict does not depend on it.
func decodeTrend(raw json.RawMessage) *Trend {
	var t struct {
		Codes             []string        `json:"codes"`
		IncludeSuppressed bool            `json:"include_suppressed"`
		Points            json.RawMessage `json:"points"`
		Refused           string          `json:"refused"`
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return &Trend{Refused: fmt.Sprintf("details.trend: %v", err)}
	}
	// Known codes, each once: a chart per code, so the list is bounded
	// by the code table.
	for i, c := range t.Codes {
		if _, ok := baseline.CodeByName(c); !ok {
			return &Trend{Refused: fmt.Sprintf("details.trend.codes: unknown code %q", c)}
		}
		if slices.Contains(t.Codes[:i], c) {
			return &Trend{Refused: fmt.Sprintf("details.trend.codes: %s listed twice", c)}
		}
	}
	out := &Trend{Codes: t.Codes, IncludeSuppressed: t.IncludeSuppressed, Refused: t.Refused}
	if len(t.Points) == 0 || string(t.Points) == "null" {
		return out
	}
	points, err := baseline.DecodeHistory(t.Points)
	if err != nil {
		return &Trend{Codes: t.Codes, Refused: "details.trend.points: " + err.Error()}
	}
	out.Points = points
	return out
}
