package classify

import (
	"fmt"
	"strings"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/safetext"
)

// Markdown renders workflow_failures.md: one line of counts, the category
// table (every category, by phase, then the suppressed ones that occur)
// and, under a signatures policy, the signature table. Text from outside
// (the checkers' command lines) goes through safetext.
func Markdown(d *Document) string {
	var sb strings.Builder
	sb.WriteString("## Workflow failures\n\n")
	fmt.Fprintf(&sb, "**%d** files checked", d.Total)
	if d.Limit > 0 {
		fmt.Fprintf(&sb, " (a deterministic sample: --limit %d)", d.Limit)
	}
	if d.Checker != "" {
		fmt.Fprintf(&sb, " by %s", safetext.Inline(d.Checker, 120))
	}
	if d.ExecChecker != "" {
		fmt.Fprintf(&sb, ", then executed by %s", safetext.Inline(d.ExecChecker, 120))
	}
	fmt.Fprintf(&sb, " · **%d** failing (%.2f%%) · **%d** suppressed", d.Failed, d.FailureRate*100, d.SuppressedFailures)
	if d.Timestamp != "" {
		fmt.Fprintf(&sb, " · %s", safetext.Inline(d.Timestamp, 40))
	}
	sb.WriteString("\n\n")

	perPhase := map[string]map[string]int{}
	for _, f := range d.Files {
		if f.Category == "" {
			continue
		}
		if perPhase[f.Category] == nil {
			perPhase[f.Category] = map[string]int{}
		}
		perPhase[f.Category][f.Phase]++
	}
	rows := append([]string(nil), baseline.Categories...)
	for _, c := range baseline.Categories {
		if d.ByCategory[baseline.SuppressedPrefix+c] > 0 {
			rows = append(rows, baseline.SuppressedPrefix+c)
		}
	}
	sb.WriteString("| Category | Parse | Execute | Files | Share of failures |\n|---|---:|---:|---:|---:|\n")
	for _, c := range rows {
		n := d.ByCategory[c]
		fmt.Fprintf(&sb, "| %s | %d | %d | %d | %.1f%% |\n", c, perPhase[c][baseline.PhaseParse], perPhase[c][baseline.PhaseExecute], n, share(n, d.Failed))
	}
	fmt.Fprintf(&sb, "| **Total** | %d | %d | %d | |\n", d.ByPhase[baseline.PhaseParse], d.ByPhase[baseline.PhaseExecute], d.Failed)

	if s := d.Signatures; s != nil {
		sb.WriteString("\n| Signature | Files |\n|---|---:|\n")
		fmt.Fprintf(&sb, "| signed | %d |\n| unsigned | %d |\n| invalid | %d |\n| revoked | %d |\n", s.Signed, s.Unsigned, s.Invalid, s.Revoked)
		if s.Unchecked > 0 {
			fmt.Fprintf(&sb, "| unchecked | %d |\n", s.Unchecked)
		}
	}
	if !d.Complete {
		sb.WriteString("\nThe statuses named only failing files: files that passed are not counted.\n")
	}
	return sb.String()
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) * 100 / float64(of)
}
