package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/gate"
	"github.com/org/gonogo-action/internal/outfile"
	"github.com/org/gonogo-action/internal/proc"
	"github.com/org/gonogo-action/internal/report/signoff"
	"github.com/org/gonogo-action/internal/safetext"
	"github.com/org/gonogo-action/internal/setting"
)

const prog = "gate"

// subcommands are dispatched on the first argument ("gate sign ...").
var subcommands = map[string]cli.Func{
	"action": runAction, // the Docker action's entry point (action.go)
	"init":   runInit,   // a starter gonogo.yml and workflow (init.go)
	"sign":   runSign,   // sign scripts (sign.go, docs/signing.md)
	"verify": runVerify, // check their signatures (sign.go)
}

type options struct {
	config, profile, results, signOff, approvals string
	gates, approve                               []string
	all, strictManual, list, validate            bool
	jobs                                         int
}

func run(ctx context.Context, args []string, stdio cli.Stdio, getenv func(string) string) int {
	if len(args) > 0 {
		if sub, ok := subcommands[args[0]]; ok {
			return sub(ctx, args[1:], stdio, getenv)
		}
	}
	return cli.Exit(stdio.Err, prog, runGates(ctx, args, stdio, getenv))
}

// runGates is gate without a subcommand: run the gates, write the results.
func runGates(ctx context.Context, args []string, stdio cli.Stdio, getenv func(string) string) error {
	opt, err := parseFlags(args, stdio)
	if err != nil {
		return err
	}
	cfg, err := gate.LoadConfig(ctx, opt.config)
	if err != nil && ctx.Err() != nil {
		// Interrupted before any gate ran: nothing to report, nothing
		// written; exit 1 as for any interrupted run.
		return cli.Failf("interrupted while validating %s", opt.config)
	}
	if err != nil {
		return err
	}
	// An unknown --gates id is a usage error for --validate and --list
	// too: a CI step checking its gate list must hear about a typo.
	if _, err := gate.Select(cfg, opt.gates); err != nil {
		return cli.Usagef("%w", err)
	}
	if opt.validate {
		if err := cfg.CheckPrograms(); err != nil {
			return err
		}
		fmt.Fprintf(stdio.Out, "%s: valid, %d gate(s), %d service(s)\n", opt.config, len(cfg.Gates), len(cfg.Services))
		return nil
	}
	if opt.list {
		list(stdio.Out, cfg)
		return nil
	}
	approvals, err := loadApprovals(opt)
	if err != nil {
		return err
	}
	for id := range approvals {
		if cfg.Gate(id) == nil {
			return cli.Usagef("approval for unknown gate %q", id)
		}
	}
	// The commit a parse-regression gate's output records in its history.
	commit, err := cli.Commit("", getenv, stdio.Err, prog)
	if err != nil {
		return err
	}
	gates := opt.gates
	if opt.all {
		gates = nil
	}
	res, err := gate.Run(ctx, cfg, gate.Options{
		Gates: gates, StrictManual: opt.strictManual, Profile: opt.profile, Jobs: opt.jobs,
		Approvals: approvals, Environ: proc.InheritedEnv(getenv), Log: stdio.Err, Commit: commit,
	})
	if err != nil {
		return err
	}
	// A verdict without its record is no verdict: a write failure exits 2
	// even when every gate passed.
	if err := writeOutputs(opt, res); err != nil {
		return err
	}
	passed, manual := 0, 0
	for _, g := range res.Gates {
		if g.OK {
			passed++
		}
		if g.ManualFollowup() {
			manual++
		}
	}
	verdict := "GO"
	if !res.Meta.AllPassed {
		verdict = "NO-GO: failed " + strings.Join(res.Meta.Failed, ", ")
	}
	followups := ""
	switch {
	case manual == 1:
		followups = ", 1 manual follow-up"
	case manual > 1:
		followups = fmt.Sprintf(", %d manual follow-ups", manual)
	}
	// The ids may come from an imported gate_results.json: one line, no
	// workflow command (safetext.LogLine).
	fmt.Fprintf(stdio.Out, "%s (%d/%d gates passed%s)\n", safetext.LogLine(verdict), passed, len(res.Gates), followups)
	if res.Meta.Interrupted {
		fmt.Fprintf(stdio.Err, "%s: interrupted; results written with unfinished gates marked\n", prog)
	}
	if !res.Meta.AllPassed {
		return cli.ErrFailed
	}
	return nil
}

func parseFlags(args []string, stdio cli.Stdio) (*options, error) {
	opt := &options{}
	fs := flag.NewFlagSet(prog, flag.ContinueOnError)
	fs.StringVar(&opt.config, "config", gate.DefaultConfigPath, "gates configuration `file`")
	cli.BoolVar(fs, &opt.all, "all", false, "run every gate (the default)")
	fs.Func("gates", "run only these gate `ids` (space or comma separated) and what they need", func(s string) error {
		ids := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
		if len(ids) == 0 {
			return errors.New("--gates needs at least one gate id")
		}
		opt.gates = append(opt.gates, ids...)
		return nil
	})
	cli.BoolVar(fs, &opt.strictManual, "strict-manual", false, "fail manual gates that are not approved")
	fs.StringVar(&opt.profile, "profile", "", "profile recorded in _meta and exported as GONOGO_PROFILE (overrides the config)")
	cli.IntVar(fs, &opt.jobs, "jobs", 0, "gates run at once, 1 or more (default max(8, CPUs))", setting.Jobs)
	fs.StringVar(&opt.results, "results", "gate_results.json", "write the JSON results to `file` (empty: do not)")
	fs.StringVar(&opt.signOff, "sign-off", "gate_sign_off.md", "write the markdown sign-off to `file` (empty: do not)")
	fs.Var((*cli.List)(&opt.approve), "approve", "approve a manual gate: `ID=NAME` (repeatable)")
	fs.StringVar(&opt.approvals, "approvals", "", "approvals `file`: lines \"ID NAME [SHA]\"")
	cli.BoolVar(fs, &opt.list, "list", false, "list the gates and exit")
	cli.BoolVar(fs, &opt.validate, "validate", false, "validate the configuration (and that its checker programs exist) and exit")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: gate [flags]   (gate init|sign|verify|action ... for the subcommands; see docs/gate.md)")
		fs.PrintDefaults()
	}
	rest, err := cli.Parse(fs, spreadGates(args), stdio)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, cli.Usagef("unexpected argument %q", rest[0])
	}
	if opt.all && len(opt.gates) > 0 {
		return nil, cli.Usagef("--all and --gates exclude each other")
	}
	return opt, nil
}

// spreadGates joins the space-separated ids after --gates (the original
// tool's form: --gates launcher_smoke chat_sse_resume) into one value.
func spreadGates(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if a != "--gates" && a != "-gates" {
			out = append(out, a)
			continue
		}
		var ids []string
		for i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			i++
			ids = append(ids, args[i])
		}
		out = append(out, "--gates="+strings.Join(ids, ","))
	}
	return out
}

func loadApprovals(opt *options) (map[string]gate.Approval, error) {
	out := map[string]gate.Approval{}
	for _, a := range opt.approve {
		id, name, ok := strings.Cut(a, "=")
		if !ok || id == "" || name == "" {
			return nil, cli.Usagef("--approve %q: want ID=NAME", a)
		}
		out[id] = gate.Approval{By: name, Source: "--approve"}
	}
	if opt.approvals == "" {
		return out, nil
	}
	f, err := os.Open(opt.approvals)
	if err != nil {
		return nil, fmt.Errorf("read approvals: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if len(fields) < 2 || len(fields) > 3 {
			return nil, fmt.Errorf("%s:%d: want \"ID NAME [SHA]\"", opt.approvals, n)
		}
		a := gate.Approval{By: fields[1], Source: opt.approvals}
		if len(fields) == 3 {
			a.SHA = fields[2]
		}
		out[fields[0]] = a
	}
	return out, sc.Err()
}

func writeOutputs(opt *options, res *gate.Results) error {
	if opt.results != "" {
		if err := gate.WriteResults(opt.results, res); err != nil {
			return err
		}
	}
	if opt.signOff != "" {
		if err := outfile.Write(opt.signOff, []byte(signoff.Markdown(res))); err != nil {
			return err
		}
	}
	return nil
}

func list(w io.Writer, cfg *gate.Config) {
	for _, g := range cfg.Gates {
		var flags []string
		if g.Manual {
			flags = append(flags, "manual")
		}
		if !g.Mandatory {
			flags = append(flags, "optional")
		}
		if len(g.Needs) > 0 {
			flags = append(flags, "needs "+strings.Join(g.Needs, ","))
		}
		kind := g.Kind
		if kind == "" {
			kind = "-"
		}
		fmt.Fprintf(w, "%-24s %-16s %s", g.ID, kind, g.Title)
		if len(flags) > 0 {
			fmt.Fprintf(w, " (%s)", strings.Join(flags, "; "))
		}
		fmt.Fprintln(w)
	}
}
