package signoff

import (
	"fmt"
	"strings"

	"github.com/org/gonogo-action/internal/gate"
	"github.com/org/gonogo-action/internal/safetext"
)

// Risks renders the residual-risk watchlist under the sign-off table: the
// specification's columns plus a status from the mitigating gates' results
// (✅ mitigated, ❌ **failing** with the gates that did not pass, open).
// "" when the configuration declares no risks.
func Risks(r *gate.Results) string {
	if len(r.Meta.Risks) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n### Residual risks\n\n")
	b.WriteString("| Area | Impact | Mitigation | Priority | Status |\n")
	b.WriteString("|---|---|---|---|---|\n")
	for _, k := range r.Meta.Risks {
		state, failed := r.RiskState(k)
		var status string
		switch state {
		case gate.RiskMitigated:
			status = MarkPass + " mitigated (" + ids(k.MitigatedBy) + ")"
		case gate.RiskFailing:
			status = MarkFail + " **failing: " + ids(failed) + "**"
		default:
			status = "open"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", safetext.Cell(k.Area, 80), safetext.Cell(k.Impact, 80),
			safetext.Cell(k.Mitigation, 120), safetext.Cell(k.Priority, 20), status)
	}
	return b.String()
}

// ids joins gate ids, escaped: a results file read back may carry any text.
func ids(list []string) string {
	out := make([]string, len(list))
	for i, id := range list {
		out[i] = safetext.Inline(id, 60)
	}
	return strings.Join(out, ", ")
}
