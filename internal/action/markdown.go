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
// failures and transitions, the references' provenance and a link to the
// run. Everything from the results is escaped (safetext).
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

var hexSHA = regexp.MustCompile(`^[0-9a-f]{7,64}$`)

// provenance is one line: branch, commit, run (linked) and age.
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
	return b.String()
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
