package checker

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/proc"
)

// Runner runs one checker command. It is safe for concurrent use.
type Runner struct {
	Command Command
	// Env is the checker's whole environment; NewRunner scrubs it.
	Env []string
	// Timeout is per process; 0 means none.
	Timeout time.Duration
	// CodePrefix names the stderr status line, e.g. AETHER_ERROR_CODE.
	CodePrefix string
	// OutputCap is the free text kept per stream; 0 = DefaultOutputCap.
	OutputCap int
	// WaitDelay bounds the waits after a timeout and for the output pipes
	// once the checker exited (proc.DefaultWaitDelay); 0 = the default.
	WaitDelay time.Duration
	// User, when set, is who the checker runs as (proc.As); nil: the
	// caller.
	User *proc.User
	// RequireStatus makes a success need words: a JSON status line or a
	// code-prefix line. Exit 0 alone is then INTERNAL_ERROR "checker
	// reported no status for this file": an executor that ignores the
	// status flags, or a wrapper that drops the exit status, exits 0 too.
	// The execute phase sets it. Failures are judged as ever.
	RequireStatus bool

	path string
}

// NewRunner resolves the checker program once (so that thousands of runs
// do not search PATH thousands of times) and scrubs env.
func NewRunner(c Command, env []string, timeout time.Duration, codePrefix string) (*Runner, error) {
	if len(c.Argv) == 0 {
		return nil, errors.New("checker command is empty")
	}
	path, err := c.LookPath()
	if err != nil {
		return nil, fmt.Errorf("checker %w", err)
	}
	return &Runner{Command: c, Env: proc.ScrubEnv(env), Timeout: timeout, CodePrefix: codePrefix, path: path}, nil
}

// Program is the absolute path of the program the runner starts.
func (r *Runner) Program() string { return r.path }

// LookPath finds the checker's program as NewRunner will: a name without
// a slash through PATH, anything else as a path from the working
// directory. The path it returns is absolute.
func (c Command) LookPath() (string, error) {
	if len(c.Argv) == 0 {
		return "", errors.New("checker command is empty")
	}
	path, err := exec.LookPath(c.Argv[0])
	if ee := (*exec.Error)(nil); errors.As(err, &ee) {
		err = ee.Err // without exec's own "exec: NAME:" prefix
	}
	switch {
	case errors.Is(err, exec.ErrNotFound):
		return "", fmt.Errorf("program %q: not found in PATH (install it, or give its path)", c.Argv[0])
	case err != nil:
		return "", fmt.Errorf("program %q: %w", c.Argv[0], err)
	}
	if !filepath.IsAbs(path) {
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
	}
	return path, nil
}

// Run checks paths and returns one status per path, in order. In batch mode
// all paths go to one process; otherwise each path gets its own. It stops
// early only when ctx is cancelled, returning what it has (the rest as
// INTERNAL_ERROR) and ctx's error.
func (r *Runner) Run(ctx context.Context, paths []string) ([]Status, error) {
	if r.Command.Mode == Batch {
		return r.run(ctx, paths), ctx.Err()
	}
	out := make([]Status, 0, len(paths))
	for _, p := range paths {
		out = append(out, r.run(ctx, []string{p})...)
	}
	return out, ctx.Err()
}

// result is what one process left behind.
type result struct {
	stdout, stderr *stream
	json           map[int]Status // by index into paths
	// Per-file: mine is the verdict of the lines that name the file (or
	// name none), other of those that name another file.
	mine, other *Status
	prefixCode  string
	exitCode    int
	signal      string
	timedOut    bool
	startErr    error
}

func (r *Runner) run(ctx context.Context, paths []string) []Status {
	res := r.exec(ctx, paths)
	out := make([]Status, len(paths))
	for i, p := range paths {
		out[i] = r.judge(res, p, i)
	}
	return out
}

func (r *Runner) exec(ctx context.Context, paths []string) *result {
	res := &result{json: map[int]Status{}}
	// index maps each spelling of each path to its index; per file it
	// tells a line that names the file from one that names another.
	index := map[string]int{}
	for i, p := range paths {
		for _, k := range pathKeys(p) {
			if _, dup := index[k]; !dup {
				index[k] = i
			}
		}
	}
	names := func(file string) (int, bool) {
		for _, k := range pathKeys(file) {
			if i, ok := index[k]; ok {
				return i, true
			}
		}
		return 0, false
	}
	res.stdout = newStream(r.OutputCap, func(line []byte) bool {
		s, ok, err := ParseStatusLine(line)
		if err != nil {
			// A malformed verdict is no verdict, and never a pass.
			var se *StatusLineError
			errors.As(err, &se)
			s = Status{File: se.File, CodeName: baseline.InternalError, Evidence: FromJSON,
				Message: Clean("checker printed a malformed status line: "+err.Error(), MaxMessage)}
		}
		if !ok {
			return false
		}
		if r.Command.Mode != Batch {
			if _, ok := names(s.File); ok || s.File == "" {
				res.mine = later(res.mine, s)
			} else {
				res.other = later(res.other, s)
			}
			return true
		}
		if i, ok := names(s.File); ok {
			prev, seen := res.json[i]
			if !seen {
				res.json[i] = s
			} else {
				res.json[i] = *later(&prev, s)
			}
		}
		return true
	})
	res.stderr = newStream(r.OutputCap, func(line []byte) bool {
		if code, ok := ParsePrefixLine(line, r.CodePrefix); ok {
			res.prefixCode = code
			return true
		}
		return false
	})

	pctx, cancel := ctx, context.CancelFunc(func() {})
	if r.Timeout > 0 {
		pctx, cancel = context.WithTimeout(ctx, r.Timeout)
	}
	defer cancel()
	// Own process group, so a timeout kills the checker's children too;
	// whatever the checker leaves running when it exits goes with it.
	cmd := proc.Command(pctx, r.path, r.Command.Args(paths)...)
	cmd.Args[0] = r.Command.Argv[0]
	cmd.Env = r.Env
	if cmd.Env == nil {
		cmd.Env = []string{} // nil would mean "inherit everything"
	}
	if r.WaitDelay > 0 {
		cmd.WaitDelay = r.WaitDelay
	}
	err := proc.As(cmd, r.User)
	if err == nil {
		err = proc.Run(cmd, res.stdout, res.stderr)
	}
	res.stdout.flush()
	res.stderr.flush()
	res.timedOut = r.Timeout > 0 && errors.Is(pctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
	if cmd.ProcessState == nil {
		res.startErr = err
		return res
	}
	res.exitCode = cmd.ProcessState.ExitCode()
	res.signal = proc.ExitSignal(cmd.ProcessState)
	return res
}

// later is the verdict of a file's status lines once s follows prev: the
// later line, unless it says SUCCESS after a failure. A checker that says
// both (a failure, then ok for the same file: two passes of a wrapper, or
// a file's own text echoed back) has not passed it: a failure never
// passes.
func later(prev *Status, s Status) *Status {
	if prev != nil && !prev.OK() && s.OK() {
		return prev
	}
	return &s
}

// pathKeys are the spellings under which a checker may echo a path back.
func pathKeys(p string) []string {
	keys := []string{p}
	if c := filepath.Clean(p); c != p {
		keys = append(keys, c)
	}
	if abs, err := filepath.Abs(p); err == nil && abs != p {
		keys = append(keys, abs)
	}
	return keys
}

// judge decides one file's status from a process's evidence, strongest
// first: JSON status line, timeout, <prefix>:<int> line, exit code of the
// table, heuristics, then a fallback.
func (r *Runner) judge(res *result, path string, i int) Status {
	st := Status{File: path}
	if s, ok := res.json[i]; ok {
		s.File = path
		return s
	}
	// Per file, a verdict given before a hang or a crash still stands, as
	// in a batch. A failure stands whichever file its line names (a path
	// spelled otherwise, such as through a symbolic link, or a file the
	// checker read for this one); a success of a line naming another file
	// only when the process agrees: a line about another file cannot
	// overrule this file's own exit status.
	mine, other := res.mine, res.other
	switch {
	case mine != nil && !mine.OK():
	case other != nil && (!other.OK() || mine == nil && res.clean()):
		mine = other
	}
	if mine != nil && mine.OK() && res.failureCode() {
		// The process says otherwise in its own words: an exit status
		// of the table's failures (20–27) or a failing code-prefix
		// line. A success line it contradicts (a file's own text echoed
		// back by a checker that prints none) does not pass the file;
		// the evidence below decides.
		mine = nil
	}
	if mine != nil {
		s := *mine
		s.File = path
		return s
	}
	switch {
	case res.timedOut:
		st.CodeName, st.Evidence = baseline.TimeoutError, FromTimeout
		st.Message = fmt.Sprintf("checker killed after the %s timeout", r.Timeout)
		return st
	case res.startErr != nil:
		st.CodeName, st.Evidence = baseline.InternalError, FromFallback
		st.Message = Clean("checker did not start: "+res.startErr.Error(), MaxMessage)
		return st
	case r.Command.Mode == Batch:
		// One status line per file is the batch contract; silence is
		// never a success.
		st.CodeName, st.Evidence = baseline.InternalError, FromMissing
		// The message leaves out the exit status: it depends on the
		// batch, and the fingerprint must not.
		st.Message = "checker reported no status for this file"
		return st
	}
	text := res.stderr.text() + "\n" + res.stdout.text()
	hCode, hMsg, hLine, hOK := Heuristic(text)
	msg, line := hMsg, hLine
	if !hOK {
		msg = Clean(firstLine(text), MaxMessage)
		line = LineNumber(msg)
	}
	if res.prefixCode != "" {
		st.CodeName, st.Evidence = res.prefixCode, FromPrefix
		if st.CodeName != baseline.Success {
			st.Message, st.Line = msg, line
		}
		return st
	}
	if res.signal == "" {
		if name, ok := ExitCodeName(res.exitCode); ok {
			if name == baseline.Success && r.RequireStatus {
				st.CodeName, st.Evidence = baseline.InternalError, FromMissing
				st.Message = "checker reported no status for this file (exit status 0 without a status line)"
				return st
			}
			st.CodeName, st.Evidence = name, FromExit
			if name != baseline.Success {
				st.Message, st.Line = cmp.Or(msg, res.exitText()), line
			}
			return st
		}
	}
	if hOK {
		st.CodeName, st.Evidence, st.Message, st.Line = hCode, FromHeuristic, msg, line
		return st
	}
	st.Evidence, st.Line = FromFallback, line
	if res.signal != "" {
		st.CodeName = baseline.InternalError
		st.Message = "checker crashed (" + res.exitText() + ")"
		if msg != "" {
			st.Message += ": " + msg
		}
		st.Message = Clean(st.Message, MaxMessage)
		return st
	}
	st.CodeName, st.Message = baseline.GenericFailure, cmp.Or(msg, res.exitText())
	return st
}

// clean reports whether the process finished as a success would: started,
// not timed out or killed, exit status 0, no failing code-prefix line.
func (res *result) clean() bool {
	return res.startErr == nil && !res.timedOut && res.signal == "" && res.exitCode == 0 &&
		(res.prefixCode == "" || res.prefixCode == baseline.Success)
}

// failureCode reports whether the process ended with a failure code of
// its own: a code-prefix line other than SUCCESS, or an exit status the
// code table reads as a failure (20–27; 1 and the rest are no code).
func (res *result) failureCode() bool {
	if res.startErr != nil || res.timedOut || res.signal != "" {
		return false
	}
	if res.prefixCode != "" {
		return res.prefixCode != baseline.Success
	}
	name, ok := ExitCodeName(res.exitCode)
	return ok && name != baseline.Success
}

func (res *result) exitText() string {
	if res.signal != "" {
		return res.signal
	}
	return fmt.Sprintf("exit status %d", res.exitCode)
}
