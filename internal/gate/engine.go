package gate

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/org/gonogo-action/internal/proc"
	"github.com/org/gonogo-action/internal/safetext"
)

// Options tune a run. The zero value runs every gate.
type Options struct {
	// Gates selects gates by id (their needs are added); empty means all.
	Gates []string
	// StrictManual fails manual gates that were not approved.
	StrictManual bool
	// Profile overrides the configuration's profile.
	Profile string
	// Jobs bounds the gates run at once; 0 means DefaultJobs.
	Jobs int
	// Approvals validate manual gates, keyed by gate id. The CLI fills it
	// from --approve and --approvals; the action from the pull request.
	Approvals map[string]Approval
	// Environ is the parent environment (os.Environ() or
	// proc.InheritedEnv); only its allow-listed part reaches gate and
	// service processes (proc.ChildEnv).
	Environ []string
	// User, when set, is who gate, service and checker processes run as
	// (proc.As): the action sets an unprivileged one. nil runs them as
	// the caller.
	User *proc.User
	// Dir is the working directory; "" means the current one.
	Dir string
	// Root, when set, confines the files gates write (a parse-regression
	// output): they are created under Root without following symbolic
	// links, and a path leaving Root is refused. The action sets the
	// workspace, which the pull request controls.
	Root string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// HTTP is the client for http, sse and readiness probes.
	HTTP *http.Client
	// Reference fetches parse-regression references given as artifacts.
	Reference ReferenceFetcher
	// MissingReference (pass, warn, fail) applies to parse-regression gates
	// that set no missing_reference; "" means warn.
	MissingReference string
	// Commit is the commit the run is for (a full commit id, GITHUB_SHA),
	// recorded in the history of the baselines parse-regression gates
	// write; "" when unknown.
	Commit string
	// OutputCap bounds captured output per stream (proc.DefaultOutputCap).
	OutputCap int
	// NoServices skips starting the configured services (they are run
	// elsewhere, or the caller's tests provide them).
	NoServices bool
	// Log receives one line per finished gate; nil discards.
	Log io.Writer
}

// Approval validates a manual gate.
type Approval struct {
	By  string `json:"by"`
	SHA string `json:"sha,omitempty"`
	// Source says where it came from ("--approve", a file, a PR checkbox).
	Source string `json:"source,omitempty"`
}

// DefaultJobs is enough for a handful of gates to run at once.
func DefaultJobs() int { return max(8, runtime.NumCPU()) }

// Select returns the ids to run: the requested ones plus, transitively,
// the gates they need, in configuration order. An unknown id is an error
// (the commands exit 2 on it).
func Select(cfg *Config, ids []string) ([]string, error) {
	if len(ids) == 0 {
		out := make([]string, len(cfg.Gates))
		for i, g := range cfg.Gates {
			out[i] = g.ID
		}
		return out, nil
	}
	want := map[string]bool{}
	var add func(id string)
	add = func(id string) {
		if want[id] {
			return
		}
		want[id] = true
		for _, n := range cfg.Gate(id).Needs {
			add(n)
		}
	}
	for _, id := range ids {
		if cfg.Gate(id) == nil {
			known := make([]string, len(cfg.Gates))
			for i, g := range cfg.Gates {
				known[i] = g.ID
			}
			return nil, fmt.Errorf("unknown gate %q (declared: %s)", id, strings.Join(known, ", "))
		}
		add(id)
	}
	var out []string
	for _, g := range cfg.Gates {
		if want[g.ID] {
			out = append(out, g.ID)
		}
	}
	return out, nil
}

// Run starts the services, runs the selected gates (in parallel, needs
// first, each within its timeout) and stops the services. It returns an
// error only for a usage problem (an unknown gate id); every gate problem
// is a failing result.
// When ctx is cancelled (Ctrl-C) it still returns results: running gates
// are marked cancelled, the others not_run, and Meta.Interrupted is set.
func Run(ctx context.Context, cfg *Config, opt Options) (*Results, error) {
	ids, err := Select(cfg, opt.Gates)
	if err != nil {
		return nil, err
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	client := opt.HTTP
	if client == nil {
		client = &http.Client{}
	}
	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = DefaultJobs()
	}
	profile := cmp.Or(opt.Profile, cfg.Profile)
	dir := cmp.Or(opt.Dir, ".")
	started := now()
	base := &RunContext{Dir: dir, Root: opt.Root, Env: opt.Environ, User: opt.User, Started: started, Now: now, HTTP: client,
		Reference: opt.Reference, OutputCap: opt.OutputCap, MissingReference: opt.MissingReference, Commit: opt.Commit,
		StrictManual: opt.StrictManual, Approvals: opt.Approvals}
	runEnv := map[string]string{"GONOGO_PROFILE": profile}

	e := &engine{cfg: cfg, opt: opt, base: base, runEnv: runEnv, results: map[string]*GateResult{},
		done: map[string]chan struct{}{}, sem: make(chan struct{}, jobs)}
	for _, id := range ids {
		e.done[id] = make(chan struct{})
	}

	var serviceErr error
	var running []*runningService
	if !opt.NoServices && len(cfg.Services) > 0 {
		svcCtx := *base
		svcCtx.Env = proc.ChildEnv(opt.Environ, runEnv)
		running, serviceErr = startServices(ctx, cfg.Services, &svcCtx, cfg.Env)
	}
	e.serviceErr = serviceErr

	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() { e.runGate(ctx, cfg.Gate(id)) })
	}
	wg.Wait()
	stopServices(running)

	res := &Results{Meta: Meta{Profile: profile, TS: unixSeconds(started), Interrupted: ctx.Err() != nil, Risks: cfg.Risks}}
	seen := map[string]bool{}
	for _, id := range ids {
		r := *e.results[id]
		r.imported = nil
		res.Gates = append(res.Gates, r)
		seen[id] = true
	}
	// Imported gates (results kind) follow, unless a configured gate has
	// the same id: the local verdict wins.
	for _, id := range ids {
		for _, imp := range e.results[id].imported {
			if seen[imp.ID] {
				continue
			}
			seen[imp.ID] = true
			res.Gates = append(res.Gates, imp)
		}
	}
	res.finish()
	return res, nil
}

type engine struct {
	cfg        *Config
	opt        Options
	base       *RunContext
	runEnv     map[string]string
	serviceErr error
	sem        chan struct{}

	mu      sync.Mutex
	results map[string]*GateResult
	done    map[string]chan struct{}
}

func (e *engine) record(g *Gate, r GateResult, imported []GateResult) {
	for i := range imported {
		// Imported gates weigh what the gate importing them weighs.
		imported[i].Mandatory = imported[i].Mandatory && g.Mandatory
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	r.imported = imported
	e.results[g.ID] = &r
	close(e.done[g.ID])
	if e.opt.Log != nil {
		mark := "FAIL"
		switch {
		case r.ManualFollowup():
			mark = "MANUAL"
		case r.OK:
			mark = "PASS"
		}
		fmt.Fprintf(e.opt.Log, "%-6s %s (%.2fs) %s\n", mark, g.ID, r.DurationSec, logSafe(r.Summary))
	}
}

func (e *engine) runGate(ctx context.Context, g *Gate) {
	base := GateResult{ID: g.ID, Title: g.Title, Manual: g.Manual, Mandatory: g.Mandatory, Kind: g.Kind, Evidence: g.Evidence}
	// Wait for needs; a failed need makes this gate missing, never a pass.
	for _, n := range g.Needs {
		select {
		case <-e.done[n]:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			e.record(g, notRun(base), nil)
			return
		}
		e.mu.Lock()
		nr := e.results[n]
		e.mu.Unlock()
		if !nr.OK {
			e.record(g, e.finalize(g, base, Outcome{Status: StatusMissing,
				Summary: "needs " + n + ", which did not pass",
				Details: map[string]any{"reason": "needed gate " + n + " did not pass", "needs": n}}, 0), nil)
			return
		}
	}
	select {
	case e.sem <- struct{}{}:
	case <-ctx.Done():
		e.record(g, notRun(base), nil)
		return
	}
	defer func() { <-e.sem }()
	if ctx.Err() != nil {
		e.record(g, notRun(base), nil)
		return
	}
	if e.serviceErr != nil {
		e.record(g, e.finalize(g, base, Outcome{Status: StatusError, Summary: e.serviceErr.Error(),
			Details: map[string]any{"reason": e.serviceErr.Error()}}, 0), nil)
		return
	}

	start := e.base.Now()
	out := Outcome{OK: true, Details: map[string]any{}}
	if g.Check != nil {
		rc := *e.base
		rc.GateID = g.ID
		rc.Env = proc.ChildEnv(e.opt.Environ, e.cfg.Env, g.Env, e.runEnv)
		gctx, cancel := context.WithTimeout(ctx, g.Timeout)
		out = g.Check.Run(gctx, &rc)
		switch {
		case ctx.Err() != nil:
			out.OK, out.Status = false, StatusCancelled
			out.Summary = "interrupted before the gate finished"
		case gctx.Err() == context.DeadlineExceeded:
			out.OK, out.Status = false, StatusTimeout
			out.Summary = fmt.Sprintf("timed out after %s", g.Timeout)
		}
		cancel()
	}
	if out.OK && g.Evidence != "" && !isURL(g.Evidence) {
		if _, err := os.Stat(e.base.Path(g.Evidence)); err != nil {
			out = Outcome{Status: StatusMissing, Summary: "evidence " + g.Evidence + " is missing",
				Details:    mergeDetails(out.Details, map[string]any{"reason": "evidence file " + g.Evidence + " is missing"}),
				Regression: out.Regression, Reference: out.Reference, Trend: out.Trend, Tests: out.Tests, Cache: out.Cache}
		}
	}
	dur := e.base.Now().Sub(start)
	e.record(g, e.finalize(g, base, out, dur), out.Imported)
}

func notRun(r GateResult) GateResult {
	r.OK = false
	r.Summary = "not run: interrupted"
	r.Details = map[string]any{"status": StatusNotRun, "reason": "the run was interrupted before this gate started"}
	return r
}

// finalize applies the manual rules and fills the common fields.
func (e *engine) finalize(g *Gate, r GateResult, out Outcome, dur time.Duration) GateResult {
	r.DurationSec = math.Round(dur.Seconds()*100) / 100
	r.Details = maps.Clone(out.Details)
	if r.Details == nil {
		r.Details = map[string]any{}
	}
	r.OK = out.OK
	r.Summary = out.Summary
	r.Regression, r.Reference, r.Trend, r.Tests, r.Cache = out.Regression, out.Reference, out.Trend, out.Tests, out.Cache
	status := out.Status
	if status == "" {
		status = StatusFail
		if out.OK {
			status = StatusPass
		}
	}
	if out.Status != "" && out.Status != StatusPass {
		r.OK = false
	}
	if g.Manual && r.OK {
		if a, ok := e.opt.Approvals[g.ID]; ok {
			status = StatusApproved
			r.Details["approved_by"] = a.By
			if a.SHA != "" {
				r.Details["approved_sha"] = a.SHA
			}
			if a.Source != "" {
				r.Details["approval_source"] = a.Source
			}
		} else if e.opt.StrictManual {
			r.OK = false
			status = StatusFail
			r.Details["reason"] = "manual gate not validated: approve it (--approve " + g.ID + "=NAME or an approvals file)"
			r.Summary = "manual validation missing"
		} else {
			status = StatusManual
			r.Details["manual_followup"] = true
			r.Details["reason"] = g.ManualReason()
			if r.Summary == "" {
				r.Summary = "manual follow-up"
			}
		}
	}
	r.Details["status"] = status
	if g.Evidence != "" {
		r.Details["evidence"] = g.Evidence
	}
	failNonFinite(&r)
	return r
}

// logSafe makes a summary (which may quote gate output) one short line that
// a CI runner cannot take for a workflow command (safetext.LogLine).
func logSafe(s string) string { return truncate(safetext.LogLine(s), 200) }

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

func mergeDetails(a, b map[string]any) map[string]any {
	out := maps.Clone(a)
	if out == nil {
		out = map[string]any{}
	}
	maps.Copy(out, b)
	return out
}
