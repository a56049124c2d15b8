package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/classify"
	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/outfile"
	"github.com/org/gonogo-action/internal/safetext"
	"github.com/org/gonogo-action/internal/scan"
	"github.com/org/gonogo-action/internal/setting"
)

const name = "parse-baseline"

const defaultOutput = "parse_baseline.json"

// run is the whole command. The checker's base environment is this
// process's (scrubbed of credentials before use, see scan.Options.Env);
// getenv is what the command itself reads (SOURCE_DATE_EPOCH, CI).
func run(ctx context.Context, args []string, stdio cli.Stdio, getenv func(string) string) int {
	var err error
	switch {
	case len(args) > 0 && args[0] == "merge":
		err = runMerge(args[1:], stdio, getenv)
	case len(args) > 0 && args[0] == "suppressions":
		err = runSuppressions(args[1:], stdio, getenv)
	case len(args) > 0 && args[0] == "migrate":
		err = runMigrate(ctx, args[1:], stdio, getenv)
	default:
		err = runScan(ctx, args, stdio, getenv)
	}
	return cli.Exit(stdio.Err, name, err)
}

// scanFlags are the flags of a run.
type scanFlags struct {
	include, exclude                cli.List
	checker, statuses, codePrefix   string
	execChecker                     string
	classify                        classifyFlags
	output, markdown, suppressions  string
	historyDir, shard, failOn       string
	historyFrom, commit             string
	cache, cacheKey                 string
	jobs, batchSize, limit, maxAge  int
	timeout                         time.Duration
	listAll, noProgress, allowEmpty bool
}

func runScan(ctx context.Context, args []string, stdio cli.Stdio, getenv func(string) string) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var f scanFlags
	fs.Var(&f.include, "include", "glob of files to check, repeatable; ** spans folders (default: every file but version-control, dependency and cache folders)")
	fs.Var(&f.exclude, "exclude", "glob of files to skip, repeatable")
	fs.StringVar(&f.checker, "checker", "", "checker command: {file}, {files} or the path appended")
	fs.StringVar(&f.execChecker, "exec-checker", "", "execute-phase checker `CMD`, run only on the files --checker passed")
	fs.StringVar(&f.statuses, "statuses", "", "ingest JSON status lines or SARIF 2.1.0 from `FILE` (- = stdin) instead of running a checker")
	cli.IntVar(fs, &f.jobs, "jobs", runtime.NumCPU(), "checker processes at once (1 or more)", setting.Jobs)
	cli.IntVar(fs, &f.batchSize, "batch-size", 0, "paths per {files} batch (0 = up to 256, under the argument limit)", setting.Count)
	cli.DurationVar(fs, &f.timeout, "timeout", scan.DefaultTimeout, "per checker process, a `duration` such as 60s")
	fs.StringVar(&f.codePrefix, "code-prefix", scan.DefaultCodePrefix, "stderr status line `NAME`:<int>")
	fs.StringVar(&f.output, "output", defaultOutput, "baseline `FILE` (- = stdout)")
	fs.StringVar(&f.markdown, "markdown", "", "markdown summary `FILE`")
	fs.StringVar(&f.suppressions, "suppressions", "", "suppressions `FILE` (default "+scan.SuppressionsFile+" or "+scan.SpecSuppressionsFile+", the one that exists)")
	cli.DaysVar(fs, &f.maxAge, "max-age", "suppression entries added (added=) longer ago than this `age`, such as 90d, are expired")
	fs.StringVar(&f.historyDir, "history-dir", "", "`DIR` for timestamped snapshots and trends.json (default "+scan.SpecHistoryDir+" when it exists)")
	fs.StringVar(&f.historyFrom, "history-from", "", "continue the history of the reference baseline `FILE` (the branch's previous one)")
	fs.StringVar(&f.commit, "commit", "", "full commit `SHA` the history records (default $GITHUB_SHA)")
	cli.StringVar(fs, &f.cache, "cache", "", "checker cache `FILE`: reuse the verdicts of files whose content and checker are unchanged, then record this run's", setting.CacheFile)
	cli.StringVar(fs, &f.cacheKey, "cache-key", "", "`TEXT` added to the checker identity for what the tool cannot see (interpreter modules, plugins)", setting.CacheKey)
	cli.IntVar(fs, &f.limit, "limit", 0, "check a deterministic sample of `N` files, the same on every run (0 = all)", setting.Count)
	fs.StringVar(&f.shard, "shard", "", "only shard `K/N`")
	fs.StringVar(&f.failOn, "fail-on", "", "exit 1 when an unsuppressed file ends with one of these `CODES` (comma-separated)")
	cli.BoolVar(fs, &f.listAll, "list-all", false, "list SUCCESS files too")
	cli.BoolVar(fs, &f.noProgress, "no-progress", false, "no progress line on stderr")
	cli.BoolVar(fs, &f.allowEmpty, "allow-empty", false, "exit 0 when no file matched (no baseline is written)")
	f.classify.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s [flags] [PATH ...]\n       %s merge [--output FILE] [--markdown FILE] SHARD.json ...\n       %s suppressions [--top N] [BASELINE.json]\n       %s migrate --rules FILE --include GLOB (--dry-run | --apply) [flags] [PATH ...]\n\nflags:\n", name, name, name, name)
		fs.PrintDefaults()
	}
	paths, err := cli.Parse(fs, args, stdio)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })

	o := scan.Options{
		Paths: paths, Include: f.include, Exclude: f.exclude, Checker: f.checker, ExecChecker: f.execChecker, Statuses: f.statuses,
		Stdin: stdio.In, Jobs: f.jobs, BatchSize: f.batchSize, Timeout: f.timeout, CodePrefix: f.codePrefix,
		Limit: f.limit, ListAll: f.listAll, Suppressions: f.suppressions, AllowEmpty: f.allowEmpty, MaxAgeDays: f.maxAge,
	}
	switch {
	case f.checker == "" && f.statuses == "":
		return cli.Usagef("give --checker \"CMD ARGS\" to run a checker, or --statuses FILE to read its verdicts")
	case f.checker != "" && f.statuses != "":
		return cli.Usagef("--checker and --statuses exclude each other; give one")
	case set["exec-checker"] && f.execChecker == "":
		return cli.Usagef("--exec-checker '': give the execute-phase checker command")
	case f.execChecker != "" && f.checker == "":
		return cli.Usagef("--exec-checker runs on the files --checker passed: give --checker too (ingested --statuses have no execute phase)")
	case f.cache != "" && f.statuses != "":
		return cli.Usagef("--cache keeps a checker's verdicts, and --statuses runs no checker; drop --cache")
	case f.cacheKey != "" && f.cache == "":
		return cli.Usagef("--cache-key needs --cache FILE")
	case f.cache != "" && (samePath(f.cache, f.output) || samePath(f.cache, f.markdown) || samePath(f.cache, f.historyFrom) ||
		samePath(f.cache, f.classify.json) || samePath(f.cache, f.classify.markdown)):
		return cli.Usagef("--cache %s would overwrite another file of the run; give the cache its own file (default name %s)", f.cache, scan.DefaultCacheFile)
	}
	if f.cache != "" {
		var closeSource func()
		o.Cache, closeSource = openCache(f.cache, f.cacheKey, stdio.Err)
		defer closeSource()
		defer o.Cache.Close()
	}
	if err := f.classify.validate(fs); err != nil {
		return err
	}
	if err := f.classify.trust(); err != nil {
		return err
	}
	if f.shard != "" {
		if o.ShardK, o.ShardN, err = parseShard(f.shard); err != nil {
			return err
		}
	}
	failOn, err := cli.Codes("--fail-on", f.failOn)
	if err != nil {
		return err
	}
	hist, err := historyFlags(f.historyFrom, f.commit, getenv, stdio.Err)
	if err != nil {
		return err
	}
	if !set["suppressions"] {
		if o.Suppressions, err = defaultSuppressions(stdio.Err); err != nil {
			return err
		}
	}
	if !set["history-dir"] {
		if f.historyDir, err = defaultHistoryDir(stdio.Err); err != nil {
			return err
		}
	}
	o.Now, err = cli.Clock(getenv)
	if err != nil {
		return err
	}
	if !f.noProgress {
		o.Progress, o.ProgressLive = stdio.Err, isTerminal(stdio.Err) && getenv("CI") == ""
	}

	// The passed list goes to a temporary file, streamed into the
	// output: memory grows with the failures, not the files checked.
	o.Spill = true
	b, err := scan.Build(ctx, o)
	if errors.Is(err, scan.ErrNoFiles) {
		return fmt.Errorf("%w (--allow-empty accepts that)", err)
	}
	if err != nil {
		return err
	}
	defer b.Close()
	if b.Total == 0 && o.ShardN <= 1 {
		// --allow-empty: fine, but a 0-file baseline must never become a
		// reference that makes every later failure look new.
		fmt.Fprintf(stdio.Err, "%s: 0 files checked (--allow-empty); no baseline written\n", name)
		return nil
	}
	if f.classify.wanted() {
		co := classify.Options{Limit: f.limit}
		switch {
		case f.execChecker != "":
			co.PassPhase = baseline.PhaseExecute
		case f.checker != "":
			co.PassPhase = baseline.PhaseParse
		}
		if err := f.classify.write(ctx, b, o.Paths, co); err != nil {
			return err
		}
	}
	return finish(b, o.Cache, f.cache, f.output, f.markdown, f.historyDir, hist, failOn, o.Now(), stdio)
}

// history is what --history-from and --commit ask for.
type history struct {
	from   string // the reference baseline whose history continues; "" for none
	commit string
}

// historyFlags validates --history-from and --commit (or GITHUB_SHA),
// before the run, so that a typo never costs a whole checker pass.
func historyFlags(from, commit string, getenv func(string) string, stderr io.Writer) (history, error) {
	if from == "" {
		if commit != "" {
			return history{}, cli.Usagef("--commit is recorded in the history: give --history-from FILE too")
		}
		return history{}, nil
	}
	c, err := cli.Commit(commit, getenv, stderr, name)
	return history{from: from, commit: c}, err
}

// continueHistory gives b the history of the reference baseline h.from
// plus its own entry. The history is informational: a reference that
// does not exist yet (the branch's first run) or whose history is refused
// starts it afresh, and a baseline older than the reference's last entry
// (clocks that disagree) is written without one, each with a warning; only
// a file that exists and is not a baseline is an error, as any input named
// on the command line.
func continueHistory(b *baseline.Baseline, h history, stderr io.Writer) error {
	var prev []baseline.Point
	ref, err := baseline.Read(h.from)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		cli.Errorf(stderr, name, "warning: --history-from %s does not exist: the history starts with this baseline", h.from)
	case err != nil:
		return fmt.Errorf("--history-from: %w", err)
	default:
		if ref.HistoryRefused != "" {
			cli.Errorf(stderr, name, "warning: --history-from %s: history refused (%s): it restarts from that baseline", h.from, ref.HistoryRefused)
		}
		// A reference written without a history (by an older version or
		// another tool) is still one point of it.
		if prev, err = baseline.HistoryOf(ref); err != nil {
			cli.Errorf(stderr, name, "warning: --history-from %s: %v: the history starts with this baseline", h.from, err)
		}
	}
	if err := b.ContinueHistory(prev, h.commit); err != nil {
		cli.Errorf(stderr, name, "warning: --history-from %s: %v: this baseline is written without a history", h.from, err)
	}
	return nil
}

// openCache opens the cache file as the run's one source, read as the
// run goes (never whole in memory); the function returned closes it. None
// yet is the first run; one that cannot be read is a full run, said on
// stderr.
func openCache(path, key string, stderr io.Writer) (*scan.Cache, func()) {
	c := &scan.Cache{Key: key, Log: func(s string) { cli.Errorf(stderr, name, "warning: %s", s) }}
	f, err := os.Open(path)
	var st fs.FileInfo
	if err == nil {
		if st, err = f.Stat(); err == nil && !st.Mode().IsRegular() {
			err = errors.New("not a regular file")
		}
		if err != nil {
			f.Close()
		}
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return c, func() {}
	case err != nil:
		c.Log(fmt.Sprintf("cache %s ignored: %v", path, unwrap(err)))
		return c, func() {}
	}
	c.Sources = []scan.CacheSource{{Name: path, Content: f, Size: st.Size()}}
	return c, func() { f.Close() }
}

func unwrap(err error) error {
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// samePath reports whether two output flags name one file.
func samePath(a, b string) bool {
	return b != "" && b != "-" && filepath.Clean(a) == filepath.Clean(b)
}

// finish writes the outputs and applies --fail-on.
func finish(b *baseline.Baseline, cache *scan.Cache, cacheFile, output, markdown, historyDir string, hist history, failOn []string, now time.Time, stdio cli.Stdio) error {
	if hist.from != "" {
		if err := continueHistory(b, hist, stdio.Err); err != nil {
			return err
		}
	}
	summary := stdio.Out
	if output == "-" {
		if err := baseline.EncodeTo(stdio.Out, b); err != nil {
			return fmt.Errorf("write baseline: %w", err)
		}
		summary = stdio.Err
	} else if err := baseline.Write(output, b); err != nil {
		return err
	}
	if markdown != "" {
		if err := outfile.Write(markdown, []byte(scan.Markdown(b))); err != nil {
			return err
		}
	}
	if historyDir != "" {
		if _, err := scan.WriteHistory(historyDir, b, now); err != nil {
			return err
		}
	}
	if cache != nil {
		if err := outfile.WriteFunc(cacheFile, func(w io.Writer) error {
			_, err := cache.WriteTo(w)
			return err
		}); err != nil {
			return err
		}
	}
	failed := b.Total - b.ByCode[baseline.Success]
	fmt.Fprintf(summary, "%s: %d files, %d failing (%.2f%%), %d suppressed", name, b.Total, failed, b.FailureRate*100, b.SuppressedFailures)
	if output != "-" {
		fmt.Fprintf(summary, "; wrote %s", output)
	}
	if cache != nil {
		st := cache.Stats()
		fmt.Fprintf(summary, "; cache %s: %d re-checked, %d reused", cacheFile, st.Rechecked, st.Reused)
	}
	fmt.Fprintln(summary)
	reportUnscoped(b, stdio.Err)
	reportStale(b, stdio.Err)
	gated := b.GatedCounts()
	var hits []string
	for _, c := range failOn {
		if gated[c] > 0 {
			hits = append(hits, fmt.Sprintf("%d %s", gated[c], c))
		}
	}
	if len(hits) > 0 {
		return cli.Failf("--fail-on matched: %s (unsuppressed files); fix them or suppress their fingerprints", strings.Join(hits, ", "))
	}
	return nil
}

func parseShard(s string) (int, int, error) {
	k, n, ok := strings.Cut(s, "/")
	ki, err1 := strconv.Atoi(strings.TrimSpace(k))
	ni, err2 := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err1 != nil || err2 != nil || ni < 1 || ki < 1 || ki > ni {
		return 0, 0, cli.Usagef("--shard %q: want K/N with 1 ≤ K ≤ N, e.g. 2/4", s)
	}
	return ki, ni, nil
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

// maxUnscopedListed bounds the files named on the unscoped-suppression
// line; the baseline and the markdown list them all.
const maxUnscopedListed = 5

// reportUnscoped names the files hidden by a suppression entry that was
// not written for them: still suppressed (fingerprints are path-free, as
// the specification wants), never silently.
func reportUnscoped(b *baseline.Baseline, stderr io.Writer) {
	files := scan.Unscoped(b)
	if len(files) == 0 {
		return
	}
	var names []string
	for _, f := range files[:min(maxUnscopedListed, len(files))] {
		names = append(names, fmt.Sprintf("%s (%s)", safetext.Inline(f.Path, 120), safetext.Inline(f.Fingerprint, 40)))
	}
	if len(files) > maxUnscopedListed {
		names = append(names, fmt.Sprintf("and %d more", len(files)-maxUnscopedListed))
	}
	cli.Errorf(stderr, name, "warning: %d file(s) hidden by a suppression not written for them: %s; add first=PATH or path=GLOB to the entry, or fix the file",
		len(files), strings.Join(names, ", "))
}
