package action

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/org/gonogo-action/internal/github"
	"github.com/org/gonogo-action/internal/githubactions"
	"github.com/org/gonogo-action/internal/setting"
)

// Inputs are the action's inputs (action.yml), validated.
type Inputs struct {
	Config           string
	Gates            []string
	StrictManual     bool
	Profile          string
	Token            string
	Comment          string // auto, always, never
	CommentKey       string
	CommentAuthor    string
	ReferenceBranch  string
	MissingReference string // pass, warn, fail
	Statuses         string // none, summary, per-gate
	Mode             string // run, report
	WorkingDirectory string
	// ReportTimeout bounds each phase that talks to the GitHub API: reading
	// sign-offs, each reference download, and the reporting (comment,
	// statuses).
	ReportTimeout time.Duration
}

// DefaultReportTimeout is report-timeout's default.
const DefaultReportTimeout = 3 * time.Minute

func oneOf(name, v string, allowed ...string) error {
	if !slices.Contains(allowed, v) {
		return fmt.Errorf("input %s: %q is not one of %s", name, v, strings.Join(allowed, ", "))
	}
	return nil
}

// readInputs reads and checks the inputs; an error is a usage error.
func readInputs(act *githubactions.Action) (Inputs, error) {
	in := Inputs{
		Config:           act.InputOr("config", ".github/gonogo.yml"),
		Profile:          act.Input("profile"),
		Token:            act.Input("github-token"),
		Comment:          act.InputOr("comment", "auto"),
		CommentKey:       act.InputOr("comment-key", "gonogo"),
		CommentAuthor:    act.InputOr("comment-author", github.DefaultBot),
		ReferenceBranch:  act.Input("reference-branch"),
		MissingReference: act.InputOr("missing-reference", "warn"),
		Statuses:         act.InputOr("statuses", "none"),
		Mode:             act.InputOr("mode", "run"),
		WorkingDirectory: act.InputOr("working-directory", "."),
	}
	in.Gates = strings.FieldsFunc(act.Input("gates"), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' })
	// The same functions as gate's --strict-manual flag and the durations
	// of gonogo.yml: one reading of a value everywhere.
	var err error
	if in.StrictManual, err = setting.Bool(act.InputOr("strict-manual", "false")); err != nil {
		return in, fmt.Errorf("input strict-manual: %w", err)
	}
	if in.ReportTimeout, err = setting.Duration(act.InputOr("report-timeout", DefaultReportTimeout.String())); err != nil {
		return in, fmt.Errorf("input report-timeout: %w", err)
	}
	for _, err := range []error{
		oneOf("comment", in.Comment, "auto", "always", "never"),
		oneOf("missing-reference", in.MissingReference, "pass", "warn", "fail"),
		oneOf("statuses", in.Statuses, "none", "summary", "per-gate"),
		oneOf("mode", in.Mode, "run", "report"),
	} {
		if err != nil {
			return in, err
		}
	}
	wd := filepath.Clean(in.WorkingDirectory)
	if filepath.IsAbs(wd) || wd == ".." || strings.HasPrefix(wd, ".."+string(filepath.Separator)) {
		return in, fmt.Errorf("input working-directory: %q must stay inside the workspace", in.WorkingDirectory)
	}
	in.WorkingDirectory = wd
	return in, nil
}
