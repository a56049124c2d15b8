package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/outfile"
	"github.com/org/gonogo-action/internal/safetext"
	"github.com/org/gonogo-action/internal/scan"
)

const name = "parse-baseline"

// Exit codes are API.
const (
	exitOK     = 0 // ran, whatever the files' statuses
	exitFailOn = 1 // a file ended with a --fail-on code
	exitUsage  = 2 // usage or input error
)

const (
	defaultOutput       = "parse_baseline.json"
	defaultSuppressions = ".gonogo/suppressions.txt"
)

// run is the whole command; environ is the process environment (the
// checker's base environment, scrubbed of credentials before use).
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, environ []string) int {
	env := envLookup(environ)
	var (
		code int
		err  error
	)
	if len(args) > 0 && args[0] == "merge" {
		code, err = runMerge(args[1:], stdout, stderr, env)
	} else {
		code, err = runScan(ctx, args, stdin, stdout, stderr, environ, env)
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case err != nil:
		fmt.Fprintf(stderr, "%s: %s\n", name, oneLine(err.Error()))
		return exitUsage
	}
	return code
}

// scanFlags are the flags of a run.
type scanFlags struct {
	include, exclude                listFlag
	checker, statuses, codePrefix   string
	output, markdown, suppressions  string
	historyDir, shard, failOn       string
	jobs, batchSize, limit          int
	timeout                         time.Duration
	listAll, noProgress, allowEmpty bool
}

func runScan(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, environ []string, env func(string) string) (int, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f scanFlags
	fs.Var(&f.include, "include", "glob of files to check, repeatable; ** spans folders (default: every file but version-control, dependency and cache folders)")
	fs.Var(&f.exclude, "exclude", "glob of files to skip, repeatable")
	fs.StringVar(&f.checker, "checker", "", "checker command: {file}, {files} or the path appended")
	fs.StringVar(&f.statuses, "statuses", "", "ingest JSON status lines or SARIF 2.1.0 from `FILE` (- = stdin) instead of running a checker")
	fs.IntVar(&f.jobs, "jobs", runtime.NumCPU(), "checker processes at once")
	fs.IntVar(&f.batchSize, "batch-size", 0, "paths per {files} batch (0 = up to 256, under the argument limit)")
	fs.DurationVar(&f.timeout, "timeout", scan.DefaultTimeout, "per checker process")
	fs.StringVar(&f.codePrefix, "code-prefix", scan.DefaultCodePrefix, "stderr status line `NAME`:<int>")
	fs.StringVar(&f.output, "output", defaultOutput, "baseline `FILE` (- = stdout)")
	fs.StringVar(&f.markdown, "markdown", "", "markdown summary `FILE`")
	fs.StringVar(&f.suppressions, "suppressions", "", "suppressions `FILE` (default "+defaultSuppressions+" when it exists)")
	fs.StringVar(&f.historyDir, "history-dir", "", "`DIR` for timestamped snapshots and trends.json")
	fs.IntVar(&f.limit, "limit", 0, "only the first `N` files, sorted")
	fs.StringVar(&f.shard, "shard", "", "only shard `K/N`")
	fs.StringVar(&f.failOn, "fail-on", "", "exit 1 when an unsuppressed file ends with one of these `CODES` (comma-separated)")
	fs.BoolVar(&f.listAll, "list-all", false, "list SUCCESS files too")
	fs.BoolVar(&f.noProgress, "no-progress", false, "no progress line on stderr")
	fs.BoolVar(&f.allowEmpty, "allow-empty", false, "exit 0 when no file matched (no baseline is written)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s [flags] [PATH ...]\n       %s merge [--output FILE] [--markdown FILE] SHARD.json ...\n\nflags:\n", name, name)
		fs.PrintDefaults()
	}
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return 0, err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })

	o := scan.Options{
		Paths: paths, Include: f.include, Exclude: f.exclude, Checker: f.checker, Statuses: f.statuses,
		Stdin: stdin, Jobs: f.jobs, BatchSize: f.batchSize, Timeout: f.timeout, CodePrefix: f.codePrefix,
		Limit: f.limit, ListAll: f.listAll, Env: environ, Suppressions: f.suppressions, AllowEmpty: f.allowEmpty,
	}
	switch {
	case f.checker == "" && f.statuses == "":
		return 0, errors.New("give --checker \"CMD ARGS\" to run a checker, or --statuses FILE to read its verdicts")
	case f.checker != "" && f.statuses != "":
		return 0, errors.New("--checker and --statuses exclude each other; give one")
	case f.timeout <= 0:
		return 0, errors.New("--timeout must be positive, e.g. 60s")
	case f.jobs < 1:
		return 0, errors.New("--jobs must be at least 1")
	case f.batchSize < 0 || f.limit < 0:
		return 0, errors.New("--batch-size and --limit cannot be negative")
	}
	if f.shard != "" {
		if o.ShardK, o.ShardN, err = parseShard(f.shard); err != nil {
			return 0, err
		}
	}
	failOn, err := parseCodes(f.failOn)
	if err != nil {
		return 0, err
	}
	if !set["suppressions"] {
		if fi, err := os.Stat(defaultSuppressions); err == nil && fi.Mode().IsRegular() {
			o.Suppressions = defaultSuppressions
		}
	}
	o.Now, err = clock(env)
	if err != nil {
		return 0, err
	}
	if !f.noProgress {
		o.Progress, o.ProgressLive = stderr, isTerminal(stderr) && env("CI") == ""
	}

	b, err := scan.Build(ctx, o)
	if errors.Is(err, scan.ErrNoFiles) {
		return 0, fmt.Errorf("%w (--allow-empty accepts that)", err)
	}
	if err != nil {
		return 0, err
	}
	if b.Total == 0 && o.ShardN <= 1 {
		// --allow-empty: fine, but a 0-file baseline must never become a
		// reference that makes every later failure look new.
		fmt.Fprintf(stderr, "%s: 0 files checked (--allow-empty); no baseline written\n", name)
		return exitOK, nil
	}
	return finish(b, f.output, f.markdown, f.historyDir, failOn, o.Now(), stdout, stderr)
}

// finish writes the outputs and applies --fail-on.
func finish(b *baseline.Baseline, output, markdown, historyDir string, failOn []string, now time.Time, stdout, stderr io.Writer) (int, error) {
	summary := stdout
	if output == "-" {
		data, err := baseline.Encode(b)
		if err != nil {
			return 0, err
		}
		if _, err := stdout.Write(data); err != nil {
			return 0, fmt.Errorf("write baseline: %w", err)
		}
		summary = stderr
	} else if err := baseline.Write(output, b); err != nil {
		return 0, err
	}
	if markdown != "" {
		if err := outfile.Write(markdown, []byte(scan.Markdown(b))); err != nil {
			return 0, err
		}
	}
	if historyDir != "" {
		if _, err := scan.WriteHistory(historyDir, b, now); err != nil {
			return 0, err
		}
	}
	failed := b.Total - b.ByCode[baseline.Success]
	fmt.Fprintf(summary, "%s: %d files, %d failing (%.2f%%), %d suppressed", name, b.Total, failed, b.FailureRate*100, b.SuppressedFailures)
	if output != "-" {
		fmt.Fprintf(summary, "; wrote %s", output)
	}
	fmt.Fprintln(summary)
	gated := b.GatedCounts()
	var hits []string
	for _, c := range failOn {
		if gated[c] > 0 {
			hits = append(hits, fmt.Sprintf("%d %s", gated[c], c))
		}
	}
	if len(hits) > 0 {
		fmt.Fprintf(stderr, "%s: --fail-on matched: %s (unsuppressed files); fix them or suppress their fingerprints\n", name, strings.Join(hits, ", "))
		return exitFailOn, nil
	}
	return exitOK, nil
}

// parseInterleaved lets flags and paths mix ("parse-baseline src --limit 5"),
// as users type them; after "--" everything is a path. A bad flag is one
// error line (run prints it); the flag list goes to stderr only on -h.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	stderr := fs.Output()
	fs.SetOutput(io.Discard)
	defer fs.SetOutput(stderr)
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(stderr)
				fs.Usage()
				return nil, err
			}
			return nil, fmt.Errorf("%w (see --help)", err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return paths, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(paths, rest...), nil
		}
		paths = append(paths, rest[0])
		args = rest[1:]
	}
}

func parseShard(s string) (int, int, error) {
	k, n, ok := strings.Cut(s, "/")
	ki, err1 := strconv.Atoi(strings.TrimSpace(k))
	ni, err2 := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err1 != nil || err2 != nil || ni < 1 || ki < 1 || ki > ni {
		return 0, 0, fmt.Errorf("--shard %q: want K/N with 1 ≤ K ≤ N, e.g. 2/4", s)
	}
	return ki, ni, nil
}

func parseCodes(s string) ([]string, error) {
	var out []string
	for _, c := range strings.Split(s, ",") {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c == "" {
			continue
		}
		if _, ok := baseline.CodeByName(c); !ok {
			var known []string
			for _, k := range baseline.Codes {
				known = append(known, k.Name)
			}
			return nil, fmt.Errorf("--fail-on %s: unknown code (known: %s)", c, strings.Join(known, ", "))
		}
		out = append(out, c)
	}
	return out, nil
}

// clock is the real clock, or SOURCE_DATE_EPOCH's fixed instant for
// reproducible output (https://reproducible-builds.org/specs/source-date-epoch/).
func clock(env func(string) string) (func() time.Time, error) {
	s := env("SOURCE_DATE_EPOCH")
	if s == "" {
		return time.Now, nil
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("SOURCE_DATE_EPOCH=%q: want seconds since 1970", s)
	}
	t := time.Unix(sec, 0).UTC()
	return func() time.Time { return t }, nil
}

func envLookup(environ []string) func(string) string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return func(k string) string { return m[k] }
}

// isTerminal reports whether w is a character device (a terminal): only
// then is a self-rewriting progress line readable.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// oneLine makes an error one log line. It may quote input (a checker's
// SARIF, file names), and a CI runner acts on "##[name]data" anywhere in a
// line, so safetext.LogLine breaks that up too.
func oneLine(s string) string { return safetext.LogLine(strings.Join(strings.Fields(s), " ")) }

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ", ") }
func (l *listFlag) Set(s string) error {
	*l = append(*l, s)
	return nil
}
