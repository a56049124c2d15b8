// Package action is the Docker action: it reads the inputs and the event,
// runs the gate engine (mode run) or loads results computed earlier (mode
// report), and reports them as the job summary, outputs, annotations, the
// sticky pull request comment and commit statuses. Reporting problems are
// warnings: the exit code depends on the gates alone.
package action

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/gate"
	"github.com/org/gonogo-action/internal/github"
	"github.com/org/gonogo-action/internal/githubactions"
	"github.com/org/gonogo-action/internal/outfile"
	"github.com/org/gonogo-action/internal/proc"
	"github.com/org/gonogo-action/internal/report/signoff"
	"github.com/org/gonogo-action/internal/safetext"
)

const prog = "gate action"

// Deps are the outside world; zero values are the real one.
type Deps struct {
	Now    func() time.Time
	HTTP   *http.Client   // probes of http and sse gates
	GitHub github.Options // Token and APIURL are filled from the inputs and env
	// GateUser picks who gate, service and checker processes run as,
	// given the workspace (proc.Unprivileged: its owner, when the action
	// is root). `gate action` sets it; nil runs them as the action.
	GateUser func(workspace string) (*proc.User, error)
}

// runner carries one run's state.
type runner struct {
	ctx    context.Context
	api    context.Context // the current API phase's (apiPhase)
	act    *githubactions.Action
	getenv func(string) string
	stderr io.Writer
	in     Inputs
	ev     *event
	gh     *github.Client
	repo   github.Repo
	root   string // absolute workspace: every file written stays in it
	dir    string // absolute working directory
	rel    string // working directory relative to the workspace
	now    func() time.Time
	// approvals are the sign-offs read from the sticky comment for the
	// head commit (the only trusted source).
	approvals map[string]gate.Approval
	writers   map[string]bool // logins checked for write access
	// uploadReference is true on a push to a reference branch: its
	// baseline and results are the next reference (output upload-reference).
	uploadReference bool
}

// Run is `gate action`: the action's entry point.
func Run(ctx context.Context, stdout, stderr io.Writer, getenv func(string) string, deps Deps) int {
	act := githubactions.New(getenv, stdout)
	defer act.Close()
	in, err := readInputs(act)
	if err != nil {
		return fail(act, stderr, err)
	}
	if err := act.AddMask(in.Token); err != nil {
		return fail(act, stderr, err)
	}
	ev, err := readEvent(getenv)
	if err != nil {
		return fail(act, stderr, err)
	}
	r := &runner{ctx: ctx, api: ctx, act: act, getenv: getenv, stderr: stderr, in: in, ev: ev, now: deps.Now}
	if r.now == nil {
		r.now = time.Now
	}
	r.rel = in.WorkingDirectory
	if r.root, err = filepath.Abs(cmp.Or(getenv("GITHUB_WORKSPACE"), ".")); err != nil {
		return fail(act, stderr, err)
	}
	r.dir = filepath.Join(r.root, in.WorkingDirectory)
	if repo := getenv("GITHUB_REPOSITORY"); repo != "" && in.Token != "" {
		if r.repo, err = github.ParseRepo(repo); err != nil {
			return fail(act, stderr, err)
		}
		o := deps.GitHub
		o.Token, o.APIURL = in.Token, getenv("GITHUB_API_URL")
		if o.Log == nil {
			o.Log = func(msg string) { fmt.Fprintf(stderr, "%s: %s\n", prog, safetext.LogLine(msg)) }
		}
		if r.gh, err = github.New(o); err != nil {
			return fail(act, stderr, err)
		}
	}

	if ev.Name == "issue_comment" {
		defer r.apiPhase()()
		r.onCommentEdited()
		return cli.ExitPass // a sign-off is recorded; the next run applies it
	}

	var res *gate.Results
	var fetch *referenceFetcher
	var prNum int
	var headSHA string
	endRead := r.apiPhase() // sign-offs, the pull request's head
	switch in.Mode {
	case "run":
		switch {
		case ev.isPullRequest():
			prNum, headSHA = ev.PullRequest.Number, ev.PullRequest.Head.SHA
		case ev.isMergeGroup():
			// The queue's commit: statuses go on it, and there is no
			// pull request to comment on (nor sign-offs to read).
			headSHA = ev.MergeGroup.HeadSHA
		}
		res, fetch, err = r.evaluate(deps, prNum, headSHA)
		endRead()
		// The reporting phase has its own deadline: a slow or hostile API
		// costs a warning, never the results already written.
		defer r.apiPhase()()
		if err == nil && r.approvals != nil {
			// The gates may have run for minutes, and a box ticked
			// meanwhile is already recorded in the comment this run is
			// about to rewrite: render the sign-offs as they are now so
			// none is erased. The verdict used those of the start; the
			// next run applies the new ones.
			if now := r.commentApprovals(prNum, headSHA); now != nil {
				r.approvals = now
			}
		}
	case "report":
		res, prNum, headSHA, err = r.load()
		endRead()
		defer r.apiPhase()()
	}
	if err != nil { // configuration, usage or file problems: gate.Run fails no other way
		return fail(act, stderr, err)
	}
	if fetch != nil {
		for _, w := range fetch.warns {
			r.warn(w)
		}
	}
	body := render(res, r.runURL(), r.now(), prNum > 0, r.approvals, headSHA)
	r.report(res, body, fetch, prNum, headSHA)
	if !res.Meta.AllPassed {
		return cli.ExitFail
	}
	return cli.ExitPass
}

// fail reports a usage, input or configuration error: one stderr line and,
// in Actions, an error annotation so it shows on the run's page. The error
// may quote untrusted text (a gate id of a pull request's results in the
// report phase), and the runner reads commands on stderr too: the line is
// made safe, the annotation escaped.
func fail(act *githubactions.Action, stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "%s: %s\n", prog, safetext.LogLine(err.Error()))
	_ = act.Annotate(githubactions.Annotation{Level: githubactions.Error, Title: "gonogo", Message: err.Error()})
	return cli.ExitError
}

// dropPrivileges sets the user the gates run as (see Deps.GateUser), with
// a HOME of its own that the returned cleanup removes. The gates then
// cannot read the token in PID 1's or the action's /proc/<pid>/environ.
func (r *runner) dropPrivileges(pick func(string) (*proc.User, error), opt *gate.Options) (func(), error) {
	u, err := pick(r.root)
	if err != nil {
		return nil, fmt.Errorf("gate user: %w", err)
	}
	if u == nil {
		return func() {}, nil // not root: the gates run as the action
	}
	home, err := u.NewHome()
	if err != nil {
		return nil, err
	}
	opt.User = u
	opt.Environ = withHome(opt.Environ, home)
	fmt.Fprintf(r.stderr, "%s: gates, services and checkers run as uid %d, gid %d\n", prog, u.UID, u.GID)
	if u.UID == proc.Nobody {
		fmt.Fprintf(r.stderr, "%s: gates run as nobody: a workspace that root owns is not theirs to write in (chown what they must write in an earlier step)\n", prog)
	}
	return func() { os.RemoveAll(home) }, nil
}

// withHome is env with HOME set to home.
func withHome(env []string, home string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, "HOME=") {
			out = append(out, kv)
		}
	}
	return append(out, "HOME="+home)
}

// evaluate runs the gates (mode run) and writes gate_results.json and
// gate_sign_off.md into the working directory.
func (r *runner) evaluate(deps Deps, prNum int, headSHA string) (*gate.Results, *referenceFetcher, error) {
	cfg, err := gate.LoadConfig(r.ctx, filepath.Join(r.dir, r.in.Config))
	if err != nil {
		return nil, nil, err
	}
	opt := gate.Options{
		Gates: r.in.Gates, StrictManual: r.in.StrictManual, Profile: r.in.Profile,
		Environ: proc.InheritedEnv(r.getenv), Dir: r.dir, Root: r.root, Now: r.now, HTTP: deps.HTTP,
		MissingReference: r.in.MissingReference,
		Log:              &relayWriter{act: r.act, w: r.stderr},
	}
	// The commit a parse-regression gate's output records in its history:
	// the one the run checked out, when it is a full commit id.
	if sha := r.getenv("GITHUB_SHA"); sha != "" {
		if err := baseline.CheckCommit(sha); err != nil {
			r.warn(fmt.Sprintf("GITHUB_SHA: %v: the baseline's history records no commit", err))
		} else {
			opt.Commit = sha
		}
	}
	if deps.GateUser != nil {
		cleanup, err := r.dropPrivileges(deps.GateUser, &opt)
		if err != nil {
			return nil, nil, err
		}
		defer cleanup()
	}
	if prNum > 0 && r.gh != nil && hasManual(cfg) {
		r.approvals = r.commentApprovals(prNum, headSHA)
		opt.Approvals = r.approvals
	}
	var fetch *referenceFetcher
	if r.gh != nil {
		fetch = &referenceFetcher{client: r.gh, repo: r.repo, branch: r.in.ReferenceBranch,
			plan: referencePlan(r.ev, cfg.ReferenceBranches), timeout: r.in.ReportTimeout}
		opt.Reference = fetch
	}
	pinned := cfg.PinnedReferenceBranches()
	if r.in.ReferenceBranch != "" {
		pinned = append(pinned, r.in.ReferenceBranch)
	}
	r.uploadReference = uploadsReference(r.ev, cfg.ReferenceBranches, pinned)
	res, err := gate.Run(r.ctx, cfg, opt)
	if err != nil {
		return nil, nil, err
	}
	// The workspace is the pull request's: a committed link named like an
	// output must not carry it into the runner's files (GITHUB_ENV).
	data, err := res.MarshalJSON()
	if err != nil {
		return nil, nil, fmt.Errorf("encode results: %w", err)
	}
	if err := outfile.WriteIn(r.root, filepath.Join(r.rel, "gate_results.json"), data); err != nil {
		return nil, nil, err
	}
	if err := outfile.WriteIn(r.root, filepath.Join(r.rel, "gate_sign_off.md"), []byte(signoff.Markdown(res))); err != nil {
		return nil, nil, err
	}
	return res, fetch, nil
}

// load reads the results a pull request run handed over (mode report). They
// are untrusted: they must belong to the workflow run's head SHA, which must
// still be the pull request's head, or nothing is posted.
func (r *runner) load() (*gate.Results, int, string, error) {
	res, err := gate.ReadResults(filepath.Join(r.dir, "gate_results.json"))
	if err != nil {
		return nil, 0, "", err
	}
	data, err := os.ReadFile(filepath.Join(r.dir, "gonogo_pr.json"))
	if err != nil {
		r.warn("no gonogo_pr.json with the results: nothing is posted to a pull request")
		return res, 0, "", nil
	}
	var pr prRecord
	if err := json.Unmarshal(data, &pr); err != nil || pr.Number <= 0 {
		r.warn("gonogo_pr.json is not {\"number\", \"head_sha\"}: nothing is posted to a pull request")
		return res, 0, "", nil
	}
	if r.ev.WorkflowRun == nil || r.ev.WorkflowRun.HeadSHA != pr.HeadSHA {
		r.warn("the results do not belong to the triggering run's head commit: nothing is posted")
		return res, 0, "", nil
	}
	if r.gh != nil {
		head, open, err := r.gh.PullHead(r.api, r.repo, pr.Number)
		if err != nil {
			r.warn(err.Error())
			return res, 0, "", nil
		}
		if !open || head != pr.HeadSHA {
			r.warn(fmt.Sprintf("pull request %d moved on from %.7s: these results are stale and not posted", pr.Number, pr.HeadSHA))
			return res, 0, "", nil
		}
	}
	if hasManualResults(res) {
		r.approvals = r.commentApprovals(pr.Number, pr.HeadSHA)
	}
	return res, pr.Number, pr.HeadSHA, nil
}

func (r *runner) runURL() string {
	server, repo, id := r.getenv("GITHUB_SERVER_URL"), r.getenv("GITHUB_REPOSITORY"), r.getenv("GITHUB_RUN_ID")
	if server == "" || repo == "" || id == "" {
		return ""
	}
	return fmt.Sprintf("%s/%s/actions/runs/%s", server, repo, id)
}

// apiPhase starts a phase of calls to the GitHub API under report-timeout
// and returns its end.
func (r *runner) apiPhase() context.CancelFunc {
	ctx, cancel := context.WithTimeout(r.ctx, r.in.ReportTimeout)
	r.api = ctx
	return func() {
		cancel()
		r.api = r.ctx
	}
}

// warn shows a problem without changing the verdict.
func (r *runner) warn(msg string) {
	_ = r.act.Annotate(githubactions.Annotation{Level: githubactions.Warning, Title: "gonogo", Message: msg})
	if !r.act.Enabled() {
		fmt.Fprintf(r.stderr, "%s: warning: %s\n", prog, safetext.LogLine(msg))
	}
}

// relayWriter passes the engine's log lines (which quote gate output)
// through stop-commands, so they cannot issue workflow commands.
type relayWriter struct {
	act *githubactions.Action
	w   io.Writer
}

func (rw *relayWriter) Write(p []byte) (int, error) {
	if err := rw.act.Relay(rw.w, p); err != nil {
		return 0, err
	}
	return len(p), nil
}
