package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/compare"
	"github.com/org/gonogo-action/internal/outfile"
	"github.com/org/gonogo-action/internal/report"
	"github.com/org/gonogo-action/internal/setting"
)

const prog = "regression"

type options struct {
	newPath, refPath string
	output, markdown string
	full             bool
	policy           compare.Policy
}

func run(ctx context.Context, args []string, stdio cli.Stdio, getenv func(string) string) int {
	return cli.Exit(stdio.Err, prog, runRegression(ctx, args, stdio, getenv))
}

func runRegression(ctx context.Context, args []string, stdio cli.Stdio, getenv func(string) string) error {
	o, err := parseFlags(args, stdio)
	if err != nil {
		return err
	}
	now, err := cli.Clock(getenv)
	if err != nil {
		return err
	}
	res, err := regression(ctx, o, stdio, now())
	if err != nil {
		return err
	}
	for _, r := range res.Regressions {
		if r.NewFiles > 0 {
			cli.Errorf(stdio.Err, prog, "%s in %d file(s) that did not have it (%d → %d; --fail-on-new)", r.Code, r.NewFiles, r.Old, r.New)
			continue
		}
		cli.Errorf(stdio.Err, prog, "%s grew %d → %d (%+d, %s)", r.Code, r.Old, r.New, r.Delta, report.Relative(r.RelativeIncrease, r.Delta))
	}
	if !res.OK {
		return cli.ErrFailed
	}
	return nil
}

func parseFlags(args []string, stdio cli.Stdio) (options, error) {
	fs := flag.NewFlagSet(prog, flag.ContinueOnError)
	var o options
	p := compare.DefaultPolicy()
	codes := strings.Join(p.Codes, ",")
	failOnNew := strings.Join(p.FailOnNew, ",")
	fs.StringVar(&o.newPath, "new", "", "new baseline `FILE` (required)")
	fs.StringVar(&o.refPath, "ref", "", "reference baseline `FILE`, e.g. main's (required)")
	cli.IntVar(fs, &p.AbsThreshold, "abs-threshold", p.AbsThreshold, "a code regresses only if it grows by more than `N` files", setting.AbsThreshold)
	cli.NumberVar(fs, &p.RelThreshold, "rel-threshold", p.RelThreshold, "... and by more than this `FRACTION` (0 to 1) of its reference count", setting.RelThreshold)
	fs.StringVar(&codes, "codes", codes, "comma-separated `CODES` gated by the thresholds")
	fs.StringVar(&failOnNew, "fail-on-new", failOnNew, "comma-separated `CODES` that fail on any newly failing file; empty for none")
	cli.BoolVar(fs, &p.IncludeSuppressed, "include-suppressed", false, "gate on raw counts, suppressed failures included")
	fs.StringVar(&o.output, "output", "", "also write the JSON report to `FILE`")
	fs.StringVar(&o.markdown, "markdown", "", "write a markdown table for a PR comment to `FILE`")
	cli.BoolVar(fs, &o.full, "full", false, fmt.Sprintf("list every new, fixed and newly suppressed file in the report (default: the first %d of each, with totals)", listed))
	rest, err := cli.Parse(fs, args, stdio)
	if err != nil {
		return o, err
	}
	if len(rest) > 0 {
		return o, cli.Usagef("unexpected argument %q (baselines go in --new and --ref)", rest[0])
	}
	if o.newPath == "" || o.refPath == "" {
		return o, cli.Usagef("--new and --ref are required (see --help)")
	}
	if p.Codes, err = cli.Codes("--codes", codes); err != nil {
		return o, err
	}
	if len(p.Codes) == 0 {
		// An unset variable ("--codes $CODES") must not turn the
		// thresholds off.
		return o, cli.Usagef("--codes %q: want at least one code, such as PARSE_ERROR,VALIDATION_ERROR (the default)", codes)
	}
	if p.FailOnNew, err = cli.Codes("--fail-on-new", failOnNew); err != nil {
		return o, err
	}
	for _, f := range []struct {
		flag  string
		codes []string
	}{{"--codes", p.Codes}, {"--fail-on-new", p.FailOnNew}} {
		if err := compare.CheckGated(f.codes); err != nil {
			return o, cli.Usagef("%s: %w", f.flag, err)
		}
	}
	o.policy = p
	return o, nil
}

// listed is how many new, fixed and newly suppressed files the report
// lists without --full; it says how many there are in all.
const listed = 1000

func regression(ctx context.Context, o options, stdio cli.Stdio, now time.Time) (compare.Result, error) {
	res, ref, rest, err := stream(ctx, o)
	if errors.Is(err, compare.ErrUnsorted) {
		// Not written by this project: read both whole, sorted in memory.
		res, ref, rest, err = inMemory(o)
	}
	defer rest.close()
	if err != nil {
		return res, err
	}
	if err := ctx.Err(); err != nil {
		return compare.Result{}, err
	}
	res.Timestamp = compare.Stamp(now)
	doc, err := encodeReport(res)
	if err != nil {
		return res, err
	}
	write := func(w io.Writer) error { return writeReport(w, doc, rest) }
	if o.output != "" {
		if err := outfile.WriteFunc(o.output, write); err != nil {
			return res, fmt.Errorf("--output: %w", err)
		}
	}
	if o.markdown != "" {
		if err := outfile.Write(o.markdown, []byte(markdown(ref, o.refPath, res, o.policy, stdio.Err))); err != nil {
			return res, fmt.Errorf("--markdown: %w", err)
		}
	}
	if err := write(stdio.Out); err != nil {
		return res, fmt.Errorf("write report: %w", err)
	}
	return res, nil
}

// judge compares two baselines as o asks: at most listed files of each
// list, or with --full every file, those past the head in spills.
func judge(o options, ref, next compare.Source) (compare.Result, *spills, error) {
	if !o.full {
		res, err := compare.Stream(ref, next, o.policy, listed)
		return res, nil, err
	}
	rest, err := newSpills()
	if err != nil {
		return compare.Result{}, nil, err
	}
	res, err := compare.StreamFull(ref, next, o.policy, fullHead, rest.add)
	if err != nil {
		rest.close()
		return compare.Result{}, nil, err
	}
	return res, rest, nil
}

// markdown is the comparison's table, then the trend the reference
// carries (report.TrendOf), as a regression gate's sign-off shows it: its
// history, or the reference alone when it has none. The history is
// informational: a refused one is said in place of the trend, and warned
// of.
func markdown(ref *baseline.Baseline, refPath string, res compare.Result, p compare.Policy, stderr io.Writer) string {
	t := report.TrendOf(ref, p, res)
	if t.Refused != "" {
		cli.Errorf(stderr, prog, "warning: --ref %s: its history was refused, no trend in --markdown: %s", refPath, t.Refused)
	}
	md := report.RegressionMarkdown(res)
	if trend := report.TrendMarkdown(t); trend != "" {
		md += "\n" + trend
	}
	return md
}

// stream compares the two baselines as they are read, each on its own
// core, holding neither whole; it returns the reference without its
// files, for its history.
func stream(ctx context.Context, o options) (compare.Result, *baseline.Baseline, *spills, error) {
	ref, err := openBaseline(ctx, "--ref", o.refPath)
	if err != nil {
		return compare.Result{}, nil, nil, err
	}
	defer ref.close()
	next, err := openBaseline(ctx, "--new", o.newPath)
	if err != nil {
		return compare.Result{}, nil, nil, err
	}
	defer next.close()
	res, rest, err := judge(o, ref, next)
	if err == nil {
		err = checkedSome(next.Baseline())
	}
	return res, ref.Baseline(), rest, err
}

// checkedSome refuses a new baseline of 0 files: parse-baseline never
// writes one ("a run that checked nothing proves nothing"), and compared
// with a reference it would read as every failure fixed. (A gate's
// allow_empty compares an empty run on purpose; this command has no such
// switch.)
func checkedSome(next *baseline.Baseline) error {
	if next != nil && next.Total == 0 {
		return errors.New("--new: the baseline checked no file (total 0): a run that checked nothing proves nothing, and would pass as every failure fixed")
	}
	return nil
}

// inMemory reads both baselines whole (one core each) and compares them
// sorted: for baselines whose files are not in the order this project
// writes.
func inMemory(o options) (compare.Result, *baseline.Baseline, *spills, error) {
	var ref *baseline.Baseline
	var refErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		ref, refErr = baseline.Read(o.refPath)
	}()
	next, err := baseline.Read(o.newPath)
	<-done
	if refErr != nil {
		return compare.Result{}, nil, nil, fmt.Errorf("--ref: %w", refErr)
	}
	if err != nil {
		return compare.Result{}, nil, nil, fmt.Errorf("--new: %w", err)
	}
	res, rest, err := judge(o, compare.Files(ref), compare.Files(next))
	if err == nil {
		err = checkedSome(next)
	}
	return res, ref, rest, err
}
