// Package report renders comparisons for people and tools: the regression
// table in markdown and the regression report's JSON. Everything that comes
// from outside (checker messages, file names) goes through safetext.Cell or
// safetext.Inline before it reaches markdown.
package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/org/gonogo-action/internal/compare"
	"github.com/org/gonogo-action/internal/safetext"
)

// MaxListedFailures is how many new failures a regression table lists.
const MaxListedFailures = 10

// RegressionMarkdown renders a comparison as markdown fit for a PR comment:
// a verdict line, a table per code, the rule, then the first new failures.
func RegressionMarkdown(r compare.Result) string {
	var b strings.Builder
	if r.OK {
		b.WriteString("### Parse regression: ✅ no regression\n\n")
	} else {
		fmt.Fprintf(&b, "### Parse regression: ❌ %d code%s regressed\n\n", len(r.Regressions), plural(len(r.Regressions)))
	}
	b.WriteString("| Code | Ref | New | Delta | Relative | Verdict |\n|---|--:|--:|--:|--:|:-:|\n")
	for _, c := range r.Codes {
		verdict := "✅"
		switch {
		case c.Regressed:
			verdict = "❌"
		case !c.Gated:
			verdict = "➖ not gated"
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %s | %s | %s |\n",
			safetext.Cell(c.Code, 40), c.Old, c.New, signed(c.Delta), Relative(c.RelativeIncrease, c.Delta), verdict)
	}
	fmt.Fprintf(&b, "\nA gated code fails when it grows by more than %d **and** by more than %s",
		r.AbsThreshold, strconv.FormatFloat(r.RelThreshold*100, 'f', -1, 64)+"%")
	if len(r.FailOnNew) > 0 {
		codes := make([]string, len(r.FailOnNew))
		for i, c := range r.FailOnNew {
			codes[i] = safetext.Inline(c, 40)
		}
		fmt.Fprintf(&b, "; %s fail%s as soon as one file newly fails with %s",
			strings.Join(codes, ", "), map[bool]string{true: "s", false: ""}[len(codes) == 1], map[bool]string{true: "it", false: "one of them"}[len(codes) == 1])
	}
	b.WriteString(".\n")
	if n := r.NewFailuresTotal; n > 0 {
		shown := min(len(r.NewFailures), MaxListedFailures)
		fmt.Fprintf(&b, "\n**New failures** (%d of %d)\n\n| File | Line | Code | Message |\n|---|--:|---|---|\n", shown, n)
		for _, f := range r.NewFailures[:shown] {
			code := safetext.Cell(f.CodeName, 40)
			if f.Suppressed {
				code += " (suppressed)"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", safetext.Cell(f.Path, 120), lineCell(f.Line), code, safetext.Cell(f.Message, 160))
		}
	}
	if n := r.NewSuppressedTotal; n > 0 {
		shown := min(len(r.NewSuppressed), MaxListedFailures)
		fmt.Fprintf(&b, "\n**Suppressions hiding files they were not first seen on** (%d of %d): the entry has no `path=` or `first=` for the file, "+
			"and the reference did not fail with that fingerprint there. Still suppressed; scope the entry or fix the file.\n\n"+
			"| File | Line | Code | Fingerprint | Message |\n|---|--:|---|---|---|\n", shown, n)
		for _, f := range r.NewSuppressed[:shown] {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", safetext.Cell(f.Path, 120), lineCell(f.Line),
				safetext.Cell(f.CodeName, 40), safetext.Cell(f.Fingerprint, 40), safetext.Cell(f.Message, 160))
		}
	}
	if n := r.FixedTotal; n > 0 {
		fmt.Fprintf(&b, "\n**Fixed:** %d failure%s of the reference no longer occur%s.\n",
			n, plural(n), map[bool]string{true: "s", false: ""}[n == 1])
	}
	return b.String()
}

// Relative formats a relative increase; nil (no reference failures) reads
// "new" when the count grew.
func Relative(rel *float64, delta int) string {
	if rel == nil {
		if delta > 0 {
			return "new"
		}
		return "–"
	}
	return strings.Replace(percent(*rel), "+-", "-", 1)
}

func percent(f float64) string {
	s := strconv.FormatFloat(f*100, 'f', 1, 64)
	if f > 0 {
		s = "+" + s
	}
	return s + "%"
}

func signed(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func lineCell(n int) string {
	if n <= 0 {
		return "–"
	}
	return strconv.Itoa(n)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
