package gate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/proc"
)

// runCheck runs a POSIX shell script; it passes on an exit status in
// ok_exit (default 0) and when its stdout meets the optional expectations.
type runCheck struct {
	Script string
	Expect runExpect
	OKExit []int
	// Capture names values of the JSON on stdout to copy into details
	// (the specification's {"services": [...], "missing": []}): name →
	// dotted path from the root, as written after "$.".
	Capture map[string]string
}

// engineDetailKeys are the details the engine adds to any gate's, and
// runDetailKeys those of a run check too: a capture may not take their
// names.
var (
	engineDetailKeys = []string{"reason", "problems", "status", "evidence", "manual_followup", "approved_by",
		"approved_sha", "approval_source", "needs", "previous"}
	runDetailKeys = append([]string{"exit_code", "stdout_tail", "stderr_tail", "output_truncated", "ok_exit"}, engineDetailKeys...)
)

type runExpect struct {
	StdoutContains []string   `yaml:"stdout_contains"`
	StdoutJSON     jsonExpect `yaml:"stdout_json"`
}

func decodeRun(d *Decoder, value *yaml.Node, siblings map[string]*yaml.Node) (Check, error) {
	c := &runCheck{OKExit: []int{0}}
	if err := d.Decode(value, &c.Script); err != nil {
		return nil, err
	}
	if strings.TrimSpace(c.Script) == "" {
		return nil, d.Errorf(value, "run: the command is empty")
	}
	if n := siblings["expect"]; n != nil {
		if err := d.Decode(n, &c.Expect); err != nil {
			return nil, err
		}
		// An expectation that expects nothing is a mistake that would
		// pass on the exit status alone: "" is in every output.
		switch {
		case n.Kind == yaml.MappingNode && len(n.Content) == 0:
			return nil, d.Errorf(n, "expect: an empty mapping expects nothing: give stdout_contains or stdout_json, or leave expect out")
		case c.Expect.StdoutContains != nil && len(c.Expect.StdoutContains) == 0:
			return nil, d.Errorf(n, "expect: stdout_contains: an empty list expects nothing: name the substrings, or leave the key out")
		case slices.Contains(c.Expect.StdoutContains, ""):
			return nil, d.Errorf(n, "expect: stdout_contains: an empty string is in every output")
		case c.Expect.StdoutJSON != nil && len(c.Expect.StdoutJSON) == 0:
			return nil, d.Errorf(n, "expect: stdout_json: an empty mapping expects nothing: name a path, or leave the key out")
		}
	}
	if n := siblings["ok_exit"]; n != nil {
		codes, err := decodeOKExit(d, n)
		if err != nil {
			return nil, err
		}
		c.OKExit = codes
	}
	if n := siblings["capture"]; n != nil {
		capture, err := decodeCapture(d, n, runDetailKeys)
		if err != nil {
			return nil, err
		}
		c.Capture = capture
	}
	return c, nil
}

// decodeCapture validates capture: a non-empty mapping of names
// ([a-z0-9_]+, not one of reserved, the keys the gate writes itself) to
// paths "$" or "$.a.b.0".
func decodeCapture(d *Decoder, n *yaml.Node, reserved []string) (map[string]string, error) {
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		return nil, d.Errorf(n, "capture must be a mapping of names to JSON paths, e.g. {services: $.services}")
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case !idPattern.MatchString(k.Value):
			return nil, d.Errorf(k, "capture: name %q must match [a-z0-9_]+", k.Value)
		case slices.Contains(reserved, k.Value):
			return nil, d.Errorf(k, "capture: %q is a detail the gate writes itself; choose another name", k.Value)
		case out[k.Value] != "":
			return nil, d.Errorf(k, "capture: %q is declared twice", k.Value)
		case v.Kind != yaml.ScalarNode || (v.Value != "$" && (!strings.HasPrefix(v.Value, "$.") || len(v.Value) == 2)):
			return nil, d.Errorf(v, "capture %s: %q is not a JSON path: write $.field or $.a.b.0 ($ for the whole document)", k.Value, v.Value)
		}
		out[k.Value] = v.Value
	}
	return out, nil
}

// capture copies the captured values of stdout's JSON into details and
// returns a problem per value it could not find: a capture never passes
// empty-handed.
func (c *runCheck) capture(stdout string, details map[string]any) []string {
	if len(c.Capture) == 0 {
		return nil
	}
	doc, err := stdoutJSON(stdout)
	if err != nil {
		return []string{"capture: stdout is not JSON: " + err.Error()}
	}
	return captureValues(c.Capture, doc, "stdout's JSON", details)
}

// captureValues copies the values at capture's paths in doc into details
// and returns a problem per path absent from doc (named by from).
func captureValues(capture map[string]string, doc any, from string, details map[string]any) []string {
	var problems []string
	for _, name := range sortedKeys(capture) {
		path := capture[name]
		v, ok := doc, true
		if path != "$" {
			v, ok = lookup(doc, strings.TrimPrefix(path, "$."))
		}
		if !ok {
			problems = append(problems, fmt.Sprintf("capture %s: %s is absent from %s", name, path, from))
			continue
		}
		details[name] = v
	}
	return problems
}

// decodeOKExit validates ok_exit: a non-empty list of distinct exit
// statuses, integers 0 to 255 (what a process can exit with).
func decodeOKExit(d *Decoder, n *yaml.Node) ([]int, error) {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return nil, d.Errorf(n, "ok_exit must be a non-empty list of exit statuses, e.g. [0, 2]")
	}
	var codes []int
	for _, e := range n.Content {
		v, err := strconv.Atoi(e.Value)
		if e.Kind != yaml.ScalarNode || e.Tag != "!!int" || err != nil || v < 0 || v > 255 {
			return nil, d.Errorf(e, "ok_exit: %q is not an exit status (an integer from 0 to 255)", e.Value)
		}
		if slices.Contains(codes, v) {
			return nil, d.Errorf(e, "ok_exit: %d is listed twice", v)
		}
		codes = append(codes, v)
	}
	return codes, nil
}

func (c *runCheck) Run(ctx context.Context, rc *RunContext) Outcome {
	res := runShell(ctx, c.Script, rc.Dir, rc.Env, rc.User, rc.OutputCap)
	stdout := res.Stdout.String()
	details := map[string]any{
		"exit_code":   res.ExitCode,
		"stdout_tail": tail(stdout, 20),
		"stderr_tail": tail(res.Stderr.String(), 20),
	}
	if res.Stdout.Truncated() || res.Stderr.Truncated() {
		details["output_truncated"] = true
	}
	if res.Err != nil {
		if ctx.Err() != nil {
			return Failed("", details) // the engine names the timeout
		}
		details["reason"] = res.Err.Error()
		return Outcome{Status: StatusError, Summary: "could not run: " + res.Err.Error(), Details: details}
	}
	if len(c.OKExit) != 1 || c.OKExit[0] != 0 {
		details["ok_exit"] = c.OKExit
	}
	// Captured even from a failing exit: what was missing is the news.
	captureProblems := c.capture(stdout, details)
	if !slices.Contains(c.OKExit, res.ExitCode) {
		summary := fmt.Sprintf("exit %d", res.ExitCode)
		if l := lastLine(res.Stderr.String(), stdout); l != "" {
			summary += ": " + l
		}
		return Failed(summary, details)
	}
	problems := captureProblems
	for _, want := range c.Expect.StdoutContains {
		if !strings.Contains(stdout, want) {
			problems = append(problems, fmt.Sprintf("stdout lacks %q", want))
		}
	}
	if len(c.Expect.StdoutJSON) > 0 {
		doc, err := stdoutJSON(stdout)
		if err != nil {
			problems = append(problems, "stdout is not JSON: "+err.Error())
		} else {
			problems = append(problems, c.Expect.StdoutJSON.check(doc)...)
		}
	}
	if len(problems) > 0 {
		details["problems"] = problems
		return Failed(problems[0], details)
	}
	return Passed(fmt.Sprintf("exit %d", res.ExitCode), details)
}

// shellResult is a finished `run:` script.
type shellResult struct {
	ExitCode int
	Stdout   *proc.TailBuffer
	Stderr   *proc.TailBuffer
	Err      error // start or wait error other than a non-zero exit
}

// runShell runs script to its exit (or ctx's end) capturing capped output.
// Its result is the script's exit status: background jobs it leaves behind
// are killed with its process group when it exits, never waited for, and do
// not fail it (proc.Run).
func runShell(ctx context.Context, script, dir string, env []string, user *proc.User, capBytes int) shellResult {
	res := shellResult{ExitCode: -1, Stdout: proc.NewTailBuffer(capBytes), Stderr: proc.NewTailBuffer(capBytes)}
	cmd := proc.Shell(ctx, script, dir, env)
	err := proc.As(cmd, user)
	if err == nil {
		err = proc.Run(cmd, res.Stdout, res.Stderr)
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
		res.ExitCode = 0
	case errors.As(err, &exit) && ctx.Err() == nil:
		res.ExitCode = exit.ExitCode()
	default:
		res.Err = err
		if cmd.ProcessState != nil {
			res.ExitCode = cmd.ProcessState.ExitCode()
		}
	}
	return res
}

// stdoutJSON decodes stdout as one JSON document or, failing that, its last
// non-empty line (a script may log before printing its verdict).
func stdoutJSON(s string) (any, error) {
	var doc any
	if err := json.Unmarshal([]byte(s), &doc); err == nil {
		return doc, nil
	}
	line := lastLine(s, "")
	if err := json.Unmarshal([]byte(line), &doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// lastLine is the last non-empty line of the first non-empty text.
func lastLine(texts ...string) string {
	for _, t := range texts {
		lines := strings.Split(strings.TrimSpace(t), "\n")
		if l := strings.TrimSpace(lines[len(lines)-1]); l != "" {
			return truncate(l, 200)
		}
	}
	return ""
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	s = strings.TrimRight(s, "\n")
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
