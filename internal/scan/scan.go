// Package scan is the parse-baseline engine: it finds files, has a checker
// judge them (or ingests verdicts made elsewhere), classifies and
// fingerprints the failures, applies suppressions and returns the
// parse_baseline.json document. It also merges shard baselines and keeps
// the history. The CLI and the gate engine's parse-regression gate both
// call Build.
package scan

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/checker"
	"github.com/org/gonogo-action/internal/proc"
)

// Defaults of Options' zero values.
const (
	DefaultTimeout    = 60 * time.Second
	DefaultCodePrefix = "AETHER_ERROR_CODE"
	// maxBatch bounds a default batch: the timeout covers a whole batch,
	// so a batch must stay small enough for a slow checker to finish it.
	maxBatch = 256
	// argBudget keeps a batch's paths well under ARG_MAX (2 MiB on Linux
	// by default, shared with the environment).
	argBudget = 128 << 10
)

// Options says what to check and how. Exactly one of Checker and Statuses
// is set.
type Options struct {
	// Paths are files or folders; empty means "." (PathsOrDot).
	Paths []string
	// Include and Exclude are globs on the reported (relative) path; "**"
	// spans folders, a pattern without "/" matches the base name. An empty
	// Include selects every file (minus SkipDirs and SkipFiles when
	// walking).
	Include, Exclude []string
	// AllowEmpty lets a run match no file at all. Otherwise that is an
	// error: a baseline of 0 files reads as "nothing fails", and as a
	// reference it would make every later failure look new. (One shard
	// of a run that matched files may be empty.)
	AllowEmpty bool
	// Checker is the checker command line ({file}, {files} or appended).
	Checker string
	// ExecChecker, when set, is the execute phase: a second checker run
	// only on the files Checker passed, whose verdict replaces theirs.
	// Its files record phase "execute", Checker's "parse" (unless a
	// status line names the phase). A success in this phase needs a
	// status line or a code-prefix line: exit 0 alone is no verdict.
	// Only with Checker, never with Statuses.
	ExecChecker string
	// Statuses is a JSON status lines or SARIF 2.1.0 file to ingest
	// instead of running a checker; "-" reads Stdin.
	Statuses string
	Stdin    io.Reader
	// Jobs is how many checker processes run at once (0: CPUs).
	Jobs int
	// BatchSize is the paths per {files} batch (0: up to 256, fewer to
	// stay under the argument budget or to give every job work).
	BatchSize int
	// Timeout is per checker process (0: DefaultTimeout; <0: none).
	Timeout time.Duration
	// CodePrefix names the stderr status line (empty: DefaultCodePrefix).
	CodePrefix string
	// Suppressions is a suppressions file; empty means none.
	Suppressions string
	// MaxAgeDays, when more than 0, expires the suppression entries added
	// (added=) more than that many days ago.
	MaxAgeDays int
	// Limit keeps a deterministic sample of Limit files (0: all): the
	// first Limit in the order of the SHA-256 of their paths (see sample).
	Limit int
	// ShardK of ShardN (1-based) keeps only that shard; ShardN 0 or 1
	// means no sharding.
	ShardK, ShardN int
	// ListAll lists SUCCESS files too.
	ListAll bool
	// Env is the base environment of checker processes (nil: this
	// process's environment); it is scrubbed of credentials here whatever
	// the caller did.
	Env []string
	// User, when set, is who checker processes run as (proc.As); nil:
	// the caller.
	User *proc.User
	// Cache, when set, makes a checker run incremental (Cache); Build
	// fills its Stats and leaves it ready to Encode. A statuses run has
	// no checker to key verdicts on, and refuses it.
	Cache *Cache
	// Spill keeps the passed list in a temporary file rather than in
	// memory (baseline.PassedSpill), for a caller that writes the
	// baseline (baseline.Write, EncodeTo) and closes it: a run's memory
	// then grows with the failures listed, not the files checked.
	Spill bool
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Progress receives progress lines (nil: none). ProgressLive rewrites
	// one line (a terminal); otherwise a plain line every few seconds.
	Progress     io.Writer
	ProgressLive bool
}

// Build produces the baseline that Options describe. Problems with single
// files become statuses (IO_ERROR, TIMEOUT_ERROR, INTERNAL_ERROR…); an
// error means the run itself could not be done: bad options, a checker
// that cannot be found, an unreadable statuses or suppressions file, or a
// cancelled ctx.
func Build(ctx context.Context, o Options) (*baseline.Baseline, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	start := o.Now()
	supp, err := readSuppressions(o.Suppressions, start)
	if err != nil {
		return nil, err
	}
	t := newTally(supp, start, o.MaxAgeDays, o.ListAll)
	if o.Spill {
		if t.spill, err = baseline.NewPassedSpill(); err != nil {
			return nil, err
		}
	}
	if o.Statuses != "" {
		t.b.Checker, err = ingest(o, t)
	} else {
		t.b.Checker, t.b.ExecChecker = o.Checker, o.ExecChecker
		err = runChecker(ctx, o, t)
	}
	err = cmp.Or(err, t.err)
	if err == nil && t.matched == 0 && !o.AllowEmpty {
		err = emptyError(o)
	}
	if err != nil {
		t.spill.Close()
		return nil, err
	}
	b := t.finish()
	b.Suppressions = supp
	end := o.Now()
	b.Timestamp = start.UTC().Format(time.RFC3339)
	b.DurationSec = math.Round(end.Sub(start).Seconds()*1000) / 1000
	if o.ShardN > 1 {
		b.Shard = fmt.Sprintf("%d/%d", o.ShardK, o.ShardN)
	}
	if o.Limit > 0 && t.matched > o.Limit {
		b.Limit = o.Limit // a sample, not every file
	}
	return b, nil
}

// ErrNoFiles is a run that checked no file.
var ErrNoFiles = errors.New("no file to check")

// emptyError names what matched nothing.
func emptyError(o Options) error {
	what := "under " + strings.Join(o.Paths, ", ")
	if o.Statuses != "" {
		what = "in the statuses " + o.Statuses
	}
	var globs []string
	if len(o.Include) > 0 {
		globs = append(globs, "include "+strings.Join(o.Include, ", "))
	}
	if len(o.Exclude) > 0 {
		globs = append(globs, "exclude "+strings.Join(o.Exclude, ", "))
	}
	if len(globs) > 0 {
		what += " matching " + strings.Join(globs, "; ")
	}
	return fmt.Errorf("%w %s; a run that checked nothing proves nothing", ErrNoFiles, what)
}

func (o *Options) defaults() error {
	switch {
	case o.Checker == "" && o.Statuses == "":
		return errors.New("give a checker command or a statuses file")
	case o.Checker != "" && o.Statuses != "":
		return errors.New("give a checker command or a statuses file, not both")
	case o.ExecChecker != "" && o.Checker == "":
		return errors.New("an execute-phase checker runs after a checker: give both")
	case o.Cache != nil && o.Statuses != "":
		return errors.New("a cache keeps a checker's verdicts; a statuses file has no checker to key them on")
	case o.ShardN < 0 || (o.ShardN > 1 && (o.ShardK < 1 || o.ShardK > o.ShardN)):
		return fmt.Errorf("shard %d/%d: want K/N with 1 ≤ K ≤ N", o.ShardK, o.ShardN)
	case o.Limit < 0 || o.Jobs < 0 || o.BatchSize < 0 || o.MaxAgeDays < 0:
		return errors.New("limit, jobs, batch size and maximum age cannot be negative")
	}
	if err := validGlobs("include", o.Include); err != nil {
		return err
	}
	if err := validGlobs("exclude", o.Exclude); err != nil {
		return err
	}
	o.Paths = PathsOrDot(o.Paths)
	if o.Jobs == 0 {
		o.Jobs = runtime.NumCPU()
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Timeout < 0 {
		o.Timeout = 0
	}
	if o.CodePrefix == "" {
		o.CodePrefix = DefaultCodePrefix
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Env == nil {
		o.Env = os.Environ()
	}
	return nil
}

func readSuppressions(name string, now time.Time) ([]baseline.Suppression, error) {
	if name == "" {
		return nil, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("suppressions: %w", err)
	}
	defer f.Close()
	return baseline.ParseSuppressions(f, name, now)
}

// ingest reads verdicts made elsewhere into t and names their source.
func ingest(o Options, t *tally) (string, error) {
	r, name := o.Stdin, "stdin"
	if o.Statuses != "-" {
		f, err := os.Open(o.Statuses)
		if err != nil {
			return "", fmt.Errorf("statuses: %w", err)
		}
		defer f.Close()
		r, name = f, o.Statuses
	} else if r == nil {
		return "", errors.New("statuses: no standard input")
	}
	in, err := checker.Ingest(r)
	if err != nil {
		return "", fmt.Errorf("statuses %s: %w", name, err)
	}
	// A source that names only failing files cannot say which files
	// passed: the baseline then does not claim to know.
	t.partial = in.Partial
	roots, checkout := absRoots(o.Paths), checkoutDir(o.Env)
	type item struct {
		rel string
		st  checker.Status
	}
	seen := map[string]int{}
	var items []item
	for _, s := range in.Statuses {
		rel := relTo(roots, checkout, s.File)
		if !selected(o.Include, o.Exclude, rel) {
			continue
		}
		if i, dup := seen[rel]; dup {
			if s.NameLossy || items[i].st.NameLossy {
				return "", fmt.Errorf("statuses %s: %w", name, checker.ErrLossyNames(rel))
			}
			items[i].st = s // two spellings of one file: the later word wins
			continue
		}
		seen[rel] = len(items)
		items = append(items, item{rel, s})
	}
	sortBy(items, func(it item) string { return it.rel })
	t.matched = len(items)
	items = narrow(items, func(it item) string { return it.rel }, o.Limit, o.ShardK, o.ShardN)
	for _, it := range items {
		t.add(it.rel, it.st)
	}
	if in.Tool != "" {
		return in.Tool, nil
	}
	return in.Format + " " + filepath.Base(name), nil
}

func absRoots(paths []string) []string {
	var out []string
	for _, p := range paths {
		if abs, err := filepath.Abs(p); err == nil {
			out = append(out, abs)
		}
	}
	return out
}

// checkoutDir is where the repository is checked out for this process:
// GITHUB_WORKSPACE when the environment names it, else the working
// directory.
func checkoutDir(env []string) string {
	dir := "."
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "GITHUB_WORKSPACE="); ok && v != "" {
			dir = v
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}

// inCheckout returns the part of p below a GitHub Actions checkout as
// another step saw it: the container's /github/workspace, or the runner
// host's work folder {work}/R/R (/home/runner/work/R/R on Linux,
// /Users/runner/work/R/R on macOS, …/_work/R/R on a self-hosted runner,
// D:/a/R/R on Windows), so that a SARIF log written by a host step and
// one written in the container name the same file alike.
// https://docs.github.com/en/actions/reference/workflows-and-actions/variables
func inCheckout(p string) (string, bool) {
	if rest, ok := strings.CutPrefix(p, "/github/workspace/"); ok {
		return rest, true
	}
	segs := strings.Split(p, "/")
	for i := 1; i+3 < len(segs); i++ {
		work := segs[i] == "work" || segs[i] == "_work" || (segs[i] == "a" && i == 2 && len(segs[1]) == 2 && segs[1][1] == ':')
		if work && segs[i+1] != "" && segs[i+1] == segs[i+2] {
			return strings.Join(segs[i+3:], "/"), true
		}
	}
	return "", false
}

// relTo reports an ingested path relative to the first root that holds
// it, as a walk would have; else relative to the checkout when it lies
// there (here or, as another step saw it, on the runner host or in the
// container); paths outside all of them stay as written.
func relTo(roots []string, checkout, p string) string {
	slash := filepath.ToSlash(p)
	if rest, ok := inCheckout(slash); ok {
		p = filepath.Join(checkout, filepath.FromSlash(rest))
	}
	abs, err := filepath.Abs(filepath.FromSlash(p))
	if err == nil {
		for _, root := range append(roots, checkout) {
			if rel, err := filepath.Rel(root, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return filepath.ToSlash(rel)
			}
		}
	}
	return strings.TrimPrefix(filepath.ToSlash(filepath.Clean(p)), "./")
}

// phased gives s the phase of the pass that judged it, unless its status
// line named one.
func phased(s checker.Status, phase string) checker.Status {
	s.Phase = cmp.Or(s.Phase, phase)
	return s
}

func newRunner(o Options, command string) (*checker.Runner, error) {
	cmd, err := checker.ParseCommand(command)
	if err != nil {
		return nil, err
	}
	r, err := checker.NewRunner(cmd, o.Env, o.Timeout, o.CodePrefix)
	if err != nil {
		return nil, err
	}
	r.User = o.User
	return r, nil
}

func userString(u *proc.User) string {
	if u == nil {
		return ""
	}
	return fmt.Sprintf("%d:%d", u.UID, u.GID)
}

// check runs one unit. Files that cannot be opened are IO_ERRORs and never
// reach the checker.
func check(ctx context.Context, r *checker.Runner, unit []target) []checker.Status {
	out := make([]checker.Status, len(unit))
	var args []string
	var at []int
	for i, tg := range unit {
		err := tg.Err
		if err == nil {
			var f *os.File
			if f, err = os.Open(tg.Arg); err == nil {
				f.Close()
			}
			err = unwrapPath(err)
		}
		if err != nil {
			out[i] = checker.Status{File: tg.Arg, CodeName: baseline.IOError, Evidence: checker.FromIO,
				Message: checker.Clean("cannot read: "+err.Error(), checker.MaxMessage)}
			continue
		}
		args = append(args, tg.Arg)
		at = append(at, i)
	}
	if len(args) > 0 {
		sts, _ := r.Run(ctx, args) // a cancelled ctx is reported by the caller
		for j, s := range sts {
			out[at[j]] = s
		}
	}
	return out
}

// split groups targets into units as a run does (batcher): one file
// each, or batches.
func split(targets []target, batch bool, size, jobs int) [][]target {
	b := batcher{size: unitSize(batch, size, len(targets), jobs)}
	var units [][]target
	for _, tg := range targets {
		if u := b.add(tg); u != nil {
			units = append(units, u)
		}
		if b.full() {
			units = append(units, b.take())
		}
	}
	if u := b.take(); u != nil {
		units = append(units, u)
	}
	return units
}

// unitSize is the number of files per unit: 1 for a checker that takes
// one file, else size, or by default up to maxBatch, fewer to give every
// job work.
func unitSize(batch bool, size, files, jobs int) int {
	switch {
	case !batch:
		return 1
	case size > 0:
		return size
	}
	return min(maxBatch, max(1, (files+jobs-1)/max(1, jobs)))
}

// batcher fills units of up to size files whose paths stay within
// argBudget.
type batcher struct {
	size  int
	unit  []target
	bytes int
}

// add puts tg in the unit; it returns the unit before tg when tg would
// take it over argBudget (it then starts the next one).
func (b *batcher) add(tg target) []target {
	cost := len(tg.Arg) + 1 + 8 // the string, its NUL, its pointer
	var before []target
	if len(b.unit) > 0 && b.bytes+cost > argBudget {
		before = b.take()
	}
	b.unit = append(b.unit, tg)
	b.bytes += cost
	return before
}

// full reports whether the unit has its size.
func (b *batcher) full() bool { return len(b.unit) >= b.size }

// take returns the unit being filled (nil when empty) and starts anew.
func (b *batcher) take() []target {
	u := b.unit
	b.unit, b.bytes = nil, 0
	if len(u) == 0 {
		return nil
	}
	return u[:len(u):len(u)]
}
