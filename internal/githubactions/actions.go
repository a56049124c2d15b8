// Package githubactions speaks the GitHub Actions runner protocol: inputs, outputs,
// the job summary, annotations, masks and stop-commands around relayed
// output. Outside Actions (GITHUB_ACTIONS unset) every call is a no-op, so the
// CLIs can use it unconditionally.
//
// It uses the standard library only, not go-githubactions v1.3.1: that
// library writes outputs with a fixed heredoc delimiter (an untrusted value
// can forge it), panics when GITHUB_OUTPUT is unset or a write fails,
// HTML-escapes markdown in AddStepSummaryTemplate and has no stop-commands
// helper, so all we would keep is two escaping functions.
//
// Protocol: https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
package githubactions

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Action is the runner protocol for one step. It is safe for concurrent use.
type Action struct {
	getenv func(string) string
	out    io.Writer // where workflow commands go (the step's stdout)
	random io.Reader

	mu                    sync.Mutex
	errors, warnings      int // annotations issued
	moreErrs, moreWarns   int // annotations dropped past the limit
	maxErrors, maxWarning int
}

// New returns the protocol for the step whose environment getenv reads;
// workflow commands are written to stdout.
func New(getenv func(string) string, stdout io.Writer) *Action {
	return &Action{getenv: getenv, out: stdout, random: rand.Reader, maxErrors: 10, maxWarning: 10}
}

// Enabled reports whether the process runs as a GitHub Actions step.
func (a *Action) Enabled() bool { return a.getenv("GITHUB_ACTIONS") == "true" }

// Input returns the action input name, trimmed, as the runner passes it:
// INPUT_<NAME> upper-cased, spaces turned into underscores, hyphens kept.
func (a *Action) Input(name string) string {
	key := "INPUT_" + strings.ToUpper(strings.ReplaceAll(name, " ", "_"))
	return strings.TrimSpace(a.getenv(key))
}

// InputOr is Input with a default for an empty or missing value.
func (a *Action) InputOr(name, def string) string {
	if v := a.Input(name); v != "" {
		return v
	}
	return def
}

// AddMask asks the runner to mask secret in every later log line. Each line
// of a multi-line secret is masked on its own, as the runner matches lines.
func (a *Action) AddMask(secret string) error {
	if !a.Enabled() {
		return nil
	}
	for line := range strings.Lines(secret) {
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if err := a.command("add-mask", nil, line); err != nil {
			return err
		}
	}
	return nil
}

// command writes ::name k=v,...::message with the runner's escaping, so an
// untrusted message or property can never end the line and start a command
// of its own.
func (a *Action) command(name string, props []prop, msg string) error {
	var b strings.Builder
	b.WriteString("::")
	b.WriteString(name)
	sep := " "
	for _, p := range props {
		if p.value == "" {
			continue
		}
		b.WriteString(sep + p.key + "=" + escapeProperty(p.value))
		sep = ","
	}
	b.WriteString("::" + escapeData(msg) + "\n")
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, err := io.WriteString(a.out, b.String()); err != nil {
		return fmt.Errorf("write workflow command: %w", err)
	}
	return nil
}

type prop struct{ key, value string }

// escapeData and escapeProperty follow actions/toolkit core/src/command.ts:
// the runner decodes %25, %0D, %0A (and %3A, %2C in properties).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// token returns a fresh random token (128 bits, hex) that does not occur in
// any of avoid; the check makes forgery impossible, not merely unlikely. It
// ignores case, as the runner does when it compares a stop-commands token
// (ActionCommandManager uses OrdinalIgnoreCase).
func (a *Action) token(prefix string, avoid ...string) (string, error) {
	buf := make([]byte, 16)
	for range 8 {
		if _, err := io.ReadFull(a.random, buf); err != nil {
			return "", fmt.Errorf("random token: %w", err)
		}
		tok := prefix + hex.EncodeToString(buf)
		clash := false
		for _, s := range avoid {
			clash = clash || strings.Contains(strings.ToLower(s), tok)
		}
		if !clash {
			return tok, nil
		}
	}
	return "", fmt.Errorf("random token: every candidate occurs in the value")
}
