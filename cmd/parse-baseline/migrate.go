package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/migrate"
	"github.com/org/gonogo-action/internal/outfile"
	"github.com/org/gonogo-action/internal/scan"
	"github.com/org/gonogo-action/internal/setting"
)

// maxRulesFile bounds what is read of a rules file; ParseRules refuses
// more than 1 MiB.
const maxRulesFile = 1<<20 + 1

// runMigrate rewrites legacy forms by the rules of a YAML file: the
// specification's migrate_legacy_aether.py. --dry-run prints unified
// diffs, --apply rewrites the files in place; with --checker the files are
// classified before and after and the report gives the change in failure
// rate.
func runMigrate(ctx context.Context, args []string, stdio cli.Stdio, getenv func(string) string) error {
	fs := flag.NewFlagSet(name+" migrate", flag.ContinueOnError)
	var include, exclude cli.List
	var dryRun, apply bool
	var jobs, batchSize int
	timeout := scan.DefaultTimeout
	fs.Var(&include, "include", "glob of files to migrate, repeatable, required; ** spans folders (e.g. '**/*.aether')")
	fs.Var(&exclude, "exclude", "glob of files to leave alone, repeatable")
	rulesFile := fs.String("rules", "", "rules `FILE` (YAML; see docs/parse-baseline.md#migrate)")
	cli.BoolVar(fs, &dryRun, "dry-run", false, "print unified diffs on stdout and change nothing")
	cli.BoolVar(fs, &apply, "apply", false, "rewrite the files in place")
	report := fs.String("report", migrate.DefaultReport, "markdown report `FILE` ('' = none)")
	checkerCmd := fs.String("checker", "", "classify before and after with this checker (as parse-baseline --checker)")
	execCmd := fs.String("exec-checker", "", "and with this execute-phase checker `CMD` on the files --checker passed (as parse-baseline --exec-checker)")
	cli.IntVar(fs, &jobs, "jobs", runtime.NumCPU(), "checker processes at once (1 or more)", setting.Jobs)
	cli.IntVar(fs, &batchSize, "batch-size", 0, "paths per {files} batch (0 = auto)", setting.Count)
	cli.DurationVar(fs, &timeout, "timeout", scan.DefaultTimeout, "per checker process, a `duration` such as 60s")
	codePrefix := fs.String("code-prefix", scan.DefaultCodePrefix, "stderr status line `NAME`:<int>")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s migrate --rules FILE --include GLOB (--dry-run | --apply) [flags] [PATH ...]\n\nflags:\n", name)
		fs.PrintDefaults()
	}
	paths, err := cli.Parse(fs, args, stdio)
	if err != nil {
		return err
	}
	switch {
	case *rulesFile == "":
		return cli.Usagef("migrate: give --rules FILE")
	case dryRun == apply:
		return cli.Usagef("migrate: give exactly one of --dry-run (print diffs, change nothing) and --apply (rewrite the files)")
	case *execCmd != "" && *checkerCmd == "":
		return cli.Usagef("migrate: --exec-checker runs on the files --checker passed: give --checker too")
	case len(include) == 0:
		// Unlike a check, a migration writes: line-anchored rules applied to
		// every file under PATH would rewrite READMEs and code too.
		return cli.Usagef("migrate: give --include GLOB, the files to rewrite, such as --include '**/*.aether' (repeatable; migrate selects no file by default)")
	}
	rules, err := readRules(*rulesFile)
	if err != nil {
		return err
	}
	o := migrate.Options{
		Rules: rules, Paths: paths, Include: include, Exclude: exclude, Apply: apply,
		Diffs: stdio.Out, Leave: []string{*rulesFile},
	}
	if *report != "" {
		o.Leave = append(o.Leave, *report)
	}
	if *checkerCmd != "" {
		now, err := cli.Clock(getenv)
		if err != nil {
			return err
		}
		o.Check = &scan.Options{Checker: *checkerCmd, ExecChecker: *execCmd, Jobs: jobs, BatchSize: batchSize, Timeout: timeout,
			CodePrefix: *codePrefix, Now: now}
	}
	rep, err := migrate.Run(ctx, o)
	if errors.Is(err, migrate.ErrNoFiles) {
		return fmt.Errorf("migrate: %w", err)
	}
	if err != nil {
		return err
	}
	summary := stdio.Out
	if dryRun {
		summary = stdio.Err // stdout is the patch
	}
	if *report != "" {
		if err := outfile.Write(*report, []byte(rep.Markdown())); err != nil {
			return fmt.Errorf("--report: %w", err)
		}
	}
	writeSummary(summary, rep, *report)
	return nil
}

func readRules(path string) (*migrate.Rules, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRulesFile))
	if err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	return migrate.ParseRules(path, data)
}

func writeSummary(w io.Writer, rep *migrate.Report, report string) {
	verb := "would change"
	if rep.Applied {
		verb = "rewrote"
	}
	line := fmt.Sprintf("migrate: %d files, %s %d", rep.Selected, verb, len(rep.Changed))
	if len(rep.Skipped) > 0 {
		line += fmt.Sprintf(", left %d alone", len(rep.Skipped))
	}
	if rep.Before != nil && rep.After != nil {
		line += fmt.Sprintf("; failure rate %.2f%% → %.2f%% (%+.2f points)", rep.Before.FailureRate*100, rep.After.FailureRate*100, migrate.Delta(rep.Before, rep.After))
	}
	if !rep.Applied {
		line += "; nothing written"
	}
	if report != "" {
		line += "; report " + report
	}
	cli.Errorf(w, name, "%s", line)
}
