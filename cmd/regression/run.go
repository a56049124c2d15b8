package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/compare"
	"github.com/org/gonogo-action/internal/outfile"
	"github.com/org/gonogo-action/internal/report"
	"github.com/org/gonogo-action/internal/safetext"
)

// Exit codes are part of the command's contract.
const (
	exitOK         = 0
	exitRegression = 1
	exitUsage      = 2
)

// usageError is a bad flag or input; it exits 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

type options struct {
	newPath, refPath string
	output, markdown string
	policy           compare.Policy
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err == nil {
		var res compare.Result
		res, err = regression(ctx, o, stdout, clock(getenv))
		if err == nil {
			for _, r := range res.Regressions {
				fmt.Fprintf(stderr, "regression: %s grew %d → %d (%+d, %s)\n", r.Code, r.Old, r.New, r.Delta, report.Relative(r.RelativeIncrease, r.Delta))
			}
			if !res.OK {
				return exitRegression
			}
			return exitOK
		}
	}
	// The error may quote a baseline (a pull request's), and a CI runner
	// acts on "##[name]data" anywhere in a line: LogLine breaks that up.
	fmt.Fprintf(stderr, "regression: %s\n", safetext.LogLine(err.Error()))
	return exitUsage
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("regression", flag.ContinueOnError)
	var o options
	p := compare.DefaultPolicy()
	codes := strings.Join(p.Codes, ",")
	var failOnNew string
	fs.StringVar(&o.newPath, "new", "", "new baseline `FILE` (required)")
	fs.StringVar(&o.refPath, "ref", "", "reference baseline `FILE`, e.g. main's (required)")
	fs.IntVar(&p.AbsThreshold, "abs-threshold", p.AbsThreshold, "a code regresses only if it grows by more than `N` files")
	fs.Float64Var(&p.RelThreshold, "rel-threshold", p.RelThreshold, "... and by more than this `FRACTION` of its reference count")
	fs.StringVar(&codes, "codes", codes, "comma-separated `CODES` gated by the thresholds")
	fs.StringVar(&failOnNew, "fail-on-new", "", "comma-separated `CODES` that fail on any increase")
	fs.BoolVar(&p.IncludeSuppressed, "include-suppressed", false, "gate on raw counts, suppressed failures included")
	fs.StringVar(&o.output, "output", "", "also write the JSON report to `FILE`")
	fs.StringVar(&o.markdown, "markdown", "", "write a markdown table for a PR comment to `FILE`")
	// A bad flag is one error line (run prints it); the flag list goes to
	// stderr only on -h.
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fs.Usage()
			return o, err
		}
		return o, usagef("%w (see --help)", err)
	}
	if fs.NArg() > 0 {
		return o, usagef("unexpected argument %q (baselines go in --new and --ref)", fs.Arg(0))
	}
	if o.newPath == "" || o.refPath == "" {
		return o, usagef("--new and --ref are required (see --help)")
	}
	if p.AbsThreshold < 0 {
		return o, usagef("--abs-threshold must be 0 or more, got %d", p.AbsThreshold)
	}
	if p.RelThreshold < 0 || p.RelThreshold != p.RelThreshold {
		return o, usagef("--rel-threshold must be 0 or more (0.10 is 10%%), got %v", p.RelThreshold)
	}
	var err error
	if p.Codes, err = codeList("--codes", codes); err != nil {
		return o, err
	}
	if p.FailOnNew, err = codeList("--fail-on-new", failOnNew); err != nil {
		return o, err
	}
	o.policy = p
	return o, nil
}

// codeList parses a comma- or space-separated list of known code names.
func codeList(flagName, s string) ([]string, error) {
	var out []string
	for _, c := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		c = strings.ToUpper(c)
		if _, ok := baseline.CodeByName(c); !ok {
			return nil, usagef("%s: unknown code %q", flagName, c)
		}
		out = append(out, c)
	}
	return out, nil
}

func regression(ctx context.Context, o options, stdout io.Writer, now time.Time) (compare.Result, error) {
	// The two reads are independent and dominate the run: one core each.
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
		return compare.Result{}, usagef("--ref: %w", refErr)
	}
	if err != nil {
		return compare.Result{}, usagef("--new: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return compare.Result{}, err
	}
	res := compare.Compare(ref, next, o.policy)
	res.Timestamp = compare.Stamp(now)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		return res, fmt.Errorf("encode report: %w", err)
	}
	if o.output != "" {
		if err := outfile.Write(o.output, buf.Bytes()); err != nil {
			return res, usagef("--output: %w", err)
		}
	}
	if o.markdown != "" {
		if err := outfile.Write(o.markdown, []byte(report.RegressionMarkdown(res))); err != nil {
			return res, usagef("--markdown: %w", err)
		}
	}
	if _, err := stdout.Write(buf.Bytes()); err != nil {
		return res, fmt.Errorf("write report: %w", err)
	}
	return res, nil
}

// clock returns the report time: SOURCE_DATE_EPOCH when set (reproducible
// reports, golden tests), else now.
func clock(getenv func(string) string) time.Time {
	if s := getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0)
		}
	}
	return time.Now()
}
