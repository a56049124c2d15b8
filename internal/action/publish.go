package action

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/org/gonogo-action/internal/gate"
	"github.com/org/gonogo-action/internal/github"
	"github.com/org/gonogo-action/internal/githubactions"
)

// outputNames are the action's outputs (action.yml), each written on every
// run, empty when it does not apply.
var outputNames = []string{"all-passed", "failed-gates", "results", "sign-off", "comment-url", "reference-run-id", "upload-reference"}

// report writes the summary, outputs and annotations always, the comment
// when the run belongs to a pull request, and the statuses on headSHA: the
// pull request's head or the merge queue's commit.
func (r *runner) report(res *gate.Results, body string, fetch *referenceFetcher, prNum int, headSHA string) {
	if _, err := r.act.AppendSummary(body); err != nil {
		r.warn(err.Error())
	}
	r.annotate(res)
	outputs := map[string]string{
		"all-passed":       fmt.Sprint(res.Meta.AllPassed),
		"failed-gates":     strings.Join(res.Meta.Failed, ","),
		"results":          filepath.ToSlash(filepath.Join(r.rel, "gate_results.json")),
		"sign-off":         filepath.ToSlash(filepath.Join(r.rel, "gate_sign_off.md")),
		"upload-reference": fmt.Sprint(r.uploadReference),
	}
	if fetch != nil {
		outputs["reference-run-id"] = fetch.runID()
	}
	if url := r.comment(body, prNum); url != "" {
		outputs["comment-url"] = url
	}
	for _, k := range outputNames {
		if err := r.act.SetOutput(k, outputs[k]); err != nil {
			r.warn(err.Error())
		}
	}
	r.statuses(res, headSHA)
}

// annotate marks the new parse failures of parse-regression gates; the
// runner protocol caps them at 10 per level with a closing note.
func (r *runner) annotate(res *gate.Results) {
	for _, g := range res.Gates {
		reg := g.Regression
		if reg == nil {
			continue
		}
		level := githubactions.Warning
		if !g.OK {
			level = githubactions.Error
		}
		for _, f := range reg.NewFailures {
			_ = r.act.Annotate(githubactions.Annotation{
				Level: level, Title: "new " + f.CodeName, File: filepath.ToSlash(filepath.Join(r.rel, f.Path)),
				Line: f.Line, Message: f.Message,
			})
		}
	}
}

// comment writes the sticky comment and returns its URL.
func (r *runner) comment(body string, prNum int) string {
	if r.in.Comment == "never" || r.gh == nil {
		return ""
	}
	if prNum == 0 {
		if r.in.Comment == "always" {
			r.warn("comment: always, but this run has no pull request to comment on")
		}
		return ""
	}
	c, err := r.gh.UpsertComment(r.api, r.repo, prNum, r.in.CommentKey, r.in.CommentAuthor,
		github.StickyBody(r.in.CommentKey, body, r.runURL()))
	if err != nil {
		r.writeWarning("comment", err)
		return ""
	}
	return c.URL
}

// statuses posts gonogo (and gonogo/<id>) on the pull request's head SHA,
// or on a merge group's head_sha, the commit the merge queue waits on.
func (r *runner) statuses(res *gate.Results, sha string) {
	if r.in.Statuses == "none" || r.gh == nil || sha == "" || r.api.Err() != nil {
		return // (the phase's deadline passed: already said once)
	}
	state := "success"
	if !res.Meta.AllPassed {
		state = "failure"
	}
	desc := "GO: every mandatory gate passed"
	if !res.Meta.AllPassed {
		desc = "NO-GO: failed " + strings.Join(res.Meta.Failed, ", ")
	}
	sts := []github.Status{{Context: "gonogo", State: state, Description: desc, TargetURL: r.runURL()}}
	if r.in.Statuses == "per-gate" {
		for _, g := range res.Gates {
			st := "success"
			if !g.OK {
				st = "failure"
				if !g.Mandatory {
					st = "success" // optional gates inform, they do not block
				}
			}
			sts = append(sts, github.Status{Context: "gonogo/" + g.ID, State: st,
				Description: cmp.Or(g.Summary, g.Status()), TargetURL: r.runURL()})
		}
	}
	for _, st := range sts {
		if err := r.gh.SetStatus(r.api, r.repo, sha, st); err != nil {
			r.writeWarning("status "+st.Context, err)
			if errors.Is(err, github.ErrNotAccessible) || r.api.Err() != nil {
				return // the rest would fail the same way
			}
		}
	}
}

func (r *runner) writeWarning(what string, err error) {
	if r.pastDeadline(err) {
		r.warn(fmt.Sprintf("%s not written: %s", what, r.deadlineNote(err)))
		return
	}
	if errors.Is(err, github.ErrNotAccessible) {
		r.warn(fmt.Sprintf("%s not written: %v. A pull request from a fork gets a read-only token; see the two-phase setup (mode: report). The job summary has the table.", what, err))
		return
	}
	r.warn(fmt.Sprintf("%s not written: %v", what, err))
}

// pastDeadline tells whether err comes from the API phase's deadline.
func (r *runner) pastDeadline(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || r.api.Err() != nil
}

func (r *runner) deadlineNote(err error) string {
	return fmt.Sprintf("the GitHub API did not finish within report-timeout (%s): %v. The results, outputs and job summary are written; what was left is skipped.",
		r.in.ReportTimeout, err)
}
