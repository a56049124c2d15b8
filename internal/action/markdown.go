package action

import (
	"cmp"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/org/gonogo-action/internal/artifact"
	"github.com/org/gonogo-action/internal/gate"
	"github.com/org/gonogo-action/internal/report"
	"github.com/org/gonogo-action/internal/report/signoff"
	"github.com/org/gonogo-action/internal/safetext"
)

// render is the body shared by the comment and the job summary: a one-line
// verdict, the sign-off table, each parse-regression gate's table with new
// failures, transitions and the trend its reference carried, the
// references' provenance and a link to the run. Everything from the results is escaped (safetext).
//
// For a pull request, head is the commit the results are for; the sign-off
// section names it so a tick is only ever recorded for the commit shown.
func render(res *gate.Results, runURL string, now time.Time, pr bool, approvals map[string]gate.Approval, head string) string {
	var b strings.Builder
	mark := signoff.MarkPass + " GO"
	if !res.Meta.AllPassed {
		mark = signoff.MarkFail + " NO-GO"
	}
	fmt.Fprintf(&b, "## Go / no-go: %s\n\n%s\n\n", mark, signoff.Verdict(res))
	b.WriteString(signoff.Table(res))
	b.WriteString(signoff.FailedTests(res))
	b.WriteString(signoff.Risks(res))
	if pr {
		b.WriteString(signoffSection(res, approvals, head))
	}
	for _, g := range res.Gates {
		r := g.Regression
		if r == nil {
			continue
		}
		fmt.Fprintf(&b, "\n#### %s\n\n", safetext.Inline(cmp.Or(g.Title, g.ID), 80))
		b.WriteString(report.RegressionMarkdown(*r))
		if len(r.Transitions) > 0 {
			b.WriteString("\n**Transitions:** ")
			for i, k := range slices.Sorted(maps.Keys(r.Transitions)) {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "%s: %d", safetext.Inline(k, 60), r.Transitions[k])
			}
			b.WriteString("\n")
		}
		if s := signoff.Trend(g); s != "" {
			b.WriteString("\n" + s)
		}
	}
	for _, g := range res.Gates {
		if g.Cache != nil {
			b.WriteString("\n" + cacheLine(cmp.Or(g.Title, g.ID), *g.Cache) + "\n")
		}
	}
	for _, g := range res.Gates {
		if g.Reference != nil && g.Reference.Found != nil {
			b.WriteString("\n" + provenance(*g.Reference.Found, now) + "\n")
		}
	}
	if runURL != "" {
		fmt.Fprintf(&b, "\n[Run and full report](%s)\n", runURL)
	}
	return b.String()
}

// cacheLine says what a gate's checker cache saved: the files re-checked,
// the files reused and where the cache came from, or why none was used.
func cacheLine(gate string, c gate.CacheUse) string {
	line := fmt.Sprintf("**Checker cache** (%s): %d file(s) re-checked, %d reused", safetext.Inline(gate, 80), c.Rechecked, c.Reused)
	switch {
	case len(c.Sources) > 0:
		line += " — from " + safetext.Inline(c.Sources[0], 160)
	case len(c.Warnings) > 0:
		line += " — " + safetext.Inline(c.Warnings[0], 200)
	}
	return line
}

var hexSHA = regexp.MustCompile(`^[0-9a-f]{7,64}$`)

// provenance is one line: branch, commit, run (linked), age, and why that
// branch.
func provenance(r artifact.Provenance, now time.Time) string {
	var b strings.Builder
	b.WriteString("**Reference:** " + safetext.Inline(r.Branch, 80))
	if hexSHA.MatchString(r.SHA) {
		b.WriteString(" at `" + r.SHA[:7] + "`")
	}
	run := fmt.Sprintf("run %d", r.RunID)
	if u, err := url.Parse(r.RunURL); err == nil && u.Scheme == "https" && !strings.ContainsAny(r.RunURL, " ()<>") {
		run = "[" + run + "](" + r.RunURL + ")"
	}
	b.WriteString(", " + run)
	if !r.CreatedAt.IsZero() {
		b.WriteString(", " + age(now.Sub(r.CreatedAt)) + " old")
	}
	if why := branchReason(r); why != "" {
		b.WriteString(" — " + why)
	}
	return b.String()
}

// branchReason says why the reference's branch was taken. Wanted comes
// from the event (a pull request's base) or, in the report phase, from
// results a pull request handed over: it is escaped.
func branchReason(r artifact.Provenance) string {
	wanted := safetext.Inline(r.Wanted, 80)
	switch r.Why {
	case artifact.ByInput:
		return "set by the `reference-branch` input"
	case artifact.ByConfig:
		return "set by the gate's `reference: {branch}`"
	case artifact.ByBase:
		return "the base branch"
	case artifact.ByPush:
		return "this branch's previous baseline"
	case artifact.ByFallback:
		return "the default branch, since " + wanted + " has no baseline yet"
	case artifact.ByNotReference:
		return "the default branch, since " + wanted + " is not a reference branch (`reference.branches`)"
	case artifact.ByDefault:
		return "the default branch"
	}
	return ""
}

func age(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}
