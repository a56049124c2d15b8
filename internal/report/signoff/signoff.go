// Package signoff renders gate results as the specification's sign-off: a
// verdict line, a table with ✅ ❌ 🔧 marks and the summary lines ready to
// paste into a release note. It is apart from package report so that the
// commands that only compare baselines do not link the gate engine.
package signoff

import (
	"cmp"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/org/gonogo-action/internal/gate"
	"github.com/org/gonogo-action/internal/safetext"
)

// Marks of the sign-off, as in the specification.
const (
	MarkPass   = "✅"
	MarkFail   = "❌"
	MarkManual = "🔧"
)

// Cell budgets keep one gate's row readable.
const (
	titleRunes   = 80
	detailRunes  = 300
	summaryRunes = 160
)

// GateMark is a gate's mark: 🔧 for a manual follow-up, ✅ or ❌.
func Mark(g gate.GateResult) string {
	switch {
	case g.ManualFollowup():
		return MarkManual
	case g.OK:
		return MarkPass
	}
	return MarkFail
}

// gateResult is the Result column: the mark and a word.
func gateResult(g gate.GateResult) string {
	word := g.Status()
	switch {
	case g.ManualFollowup():
		word = "manual follow-up"
	case word == gate.StatusApproved:
		word = "approved by " + safetext.Inline(fmt.Sprint(g.Details["approved_by"]), 40)
	case word == "" && g.OK:
		word = "pass"
	case word == "":
		word = "fail"
	default:
		// details.status is the results' text, which a pull request
		// writes in the two-phase setup: escaped like every other field.
		word = safetext.Inline(strings.ReplaceAll(word, "_", " "), 40)
	}
	if !g.Mandatory && !g.OK {
		word += " (optional)"
	}
	return Mark(g) + " " + word
}

// SignOff renders gate_sign_off.md: a heading with the verdict, the table
// (Gate | Result | Duration | Details / evidence) and the specification's
// summary lines, ready to paste into a release note. All text from the
// results (titles, summaries, evidence) is escaped.
func Markdown(r *gate.Results) string {
	var b strings.Builder
	b.WriteString("# Go / no-go sign-off\n\n")
	b.WriteString(Verdict(r))
	b.WriteString("\n\n")
	b.WriteString(Table(r))
	b.WriteString(FailedTests(r))
	b.WriteString(Risks(r))
	b.WriteString(Trends(r))
	b.WriteString("\n## Summary\n\n")
	b.WriteString(SummaryLines(r))
	return b.String()
}

// Verdict is one line: GO or NO-GO, the profile and the time.
func Verdict(r *gate.Results) string {
	var b strings.Builder
	if r.Meta.AllPassed {
		b.WriteString("**GO**: every mandatory gate passed")
	} else {
		b.WriteString("**NO-GO**: ")
		switch n := len(r.Meta.Failed); {
		case n == 0:
			b.WriteString("the run did not pass")
		default:
			ids := make([]string, n)
			for i, id := range r.Meta.Failed {
				ids[i] = safetext.Inline(id, 60)
			}
			fmt.Fprintf(&b, "%d mandatory gate(s) failed (%s)", n, strings.Join(ids, ", "))
		}
	}
	if r.Meta.Interrupted {
		b.WriteString("; the run was interrupted")
	}
	manual := 0
	for _, g := range r.Gates {
		if g.ManualFollowup() {
			manual++
		}
	}
	if manual > 0 {
		fmt.Fprintf(&b, "; %d manual follow-up(s) %s", manual, MarkManual)
	}
	b.WriteString(".")
	if r.Meta.Profile != "" {
		b.WriteString(" Profile " + safetext.Inline(r.Meta.Profile, 40) + ",")
	}
	sec, frac := math.Modf(r.Meta.TS)
	ts := time.Unix(int64(sec), int64(frac*1e9)).UTC().Format("2006-01-02 15:04:05 UTC")
	b.WriteString(" " + ts + ".")
	return b.String()
}

// SignOffTable is the markdown table alone.
func Table(r *gate.Results) string {
	var b strings.Builder
	b.WriteString("| Gate | Result | Duration | Details / evidence |\n")
	b.WriteString("|---|---|---:|---|\n")
	for _, g := range r.Gates {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", safetext.Cell(title(g), titleRunes), gateResult(g), duration(g), details(g))
	}
	return b.String()
}

// SummaryLines are the specification's lines, one per gate:
// "Launcher smoke: ✅ (logs/smoke.log)".
func SummaryLines(r *gate.Results) string {
	var b strings.Builder
	for _, g := range r.Gates {
		fmt.Fprintf(&b, "- %s: %s", safetext.Inline(title(g), titleRunes), Mark(g))
		if note := cmp.Or(g.Evidence, g.Summary); note != "" {
			fmt.Fprintf(&b, " (%s)", safetext.Inline(note, summaryRunes))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func title(g gate.GateResult) string { return cmp.Or(g.Title, g.ID) }

func duration(g gate.GateResult) string {
	if g.DurationSec == 0 && g.Status() != gate.StatusPass && g.Status() != gate.StatusFail {
		return "–"
	}
	return fmt.Sprintf("%.2f s", g.DurationSec)
}

func details(g gate.GateResult) string {
	parts := []string{}
	if g.Summary != "" {
		parts = append(parts, safetext.Cell(g.Summary, detailRunes))
	}
	if g.Evidence != "" {
		parts = append(parts, "evidence: "+safetext.Inline(g.Evidence, 120))
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, " · ")
}
