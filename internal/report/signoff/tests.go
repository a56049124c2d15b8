package signoff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/org/gonogo-action/internal/gate"
	"github.com/org/gonogo-action/internal/safetext"
)

// FailedTests lists, under a heading per tests gate, the failed tests it
// recorded (20 at most, then how many more), each marked new or already
// failing when the gate compared with a reference. "" when no tests gate
// recorded a failure.
func FailedTests(r *gate.Results) string {
	var b strings.Builder
	for _, g := range r.Gates {
		t := g.Tests
		if t == nil || len(t.Failed) == 0 {
			continue
		}
		total := t.Counts.Failed + t.Counts.Errors
		fmt.Fprintf(&b, "\n### Failed tests: %s (%d of %d)\n\n", safetext.Inline(title(g), titleRunes), total, t.Counts.Total)
		for _, c := range t.Failed {
			// The outcome is the file's text in the report mode (a
			// gate_results.json handed over): escaped like the rest.
			fmt.Fprintf(&b, "- %s %s", safetext.Inline(c.ID(), 160), safetext.Inline(string(c.Outcome), 20))
			switch {
			case slices.Contains(t.AlreadyFailing, c.ID()):
				b.WriteString(" (already failing)")
			case t.NewFailures != nil:
				b.WriteString(" (**new**)")
			}
			if c.Message != "" {
				b.WriteString(": " + safetext.Inline(c.Message, 200))
			}
			b.WriteByte('\n')
		}
		if more := total - len(t.Failed); more > 0 {
			fmt.Fprintf(&b, "- … and %d more (details.tests in gate_results.json)\n", more)
		}
		if n := len(t.Flaky); n > 0 {
			fmt.Fprintf(&b, "\nFlaky (failed, then passed on a rerun): %s\n", safetext.Inline(strings.Join(t.Flaky[:min(n, 10)], ", "), 400))
		}
	}
	return b.String()
}
