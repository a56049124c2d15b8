// Package cli is the scaffold every command shares (gate and its
// subcommands, parse-baseline, regression): the exit codes and the one
// place errors become them, flag parsing with one-line errors, repeatable
// flags, --version, the SOURCE_DATE_EPOCH clock and lists of status codes.
// Commands differ in what they do, never in how they are called or how they
// fail.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/org/gonogo-action/internal/safetext"
)

// Exit codes are API (README, "Exit codes are the same contract for all
// three").
const (
	ExitPass  = 0 // every mandatory gate passed, no regression, the run finished
	ExitFail  = 1 // the verdict is no-go: a gate failed, a code regressed, --fail-on matched
	ExitError = 2 // no verdict: a usage or input error, or an output file could not be written
)

// Stdio are a command's standard streams.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// Func is every command's and subcommand's entry point: main hands it the
// signal context, the arguments after the program name, the streams and
// os.Getenv, and exits with what it returns.
type Func func(ctx context.Context, args []string, stdio Stdio, getenv func(string) string) int

// UsageError is a command line the command cannot run: a bad or missing
// flag, an unexpected argument, a flag value out of range.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef returns a *UsageError; %w wraps as in fmt.Errorf.
func Usagef(format string, a ...any) error { return &UsageError{fmt.Errorf(format, a...)} }

// FailError is a no-go verdict (exit 1). Err, when set, is the line that
// says why; when nil the command has already reported what failed.
type FailError struct{ Err error }

func (e *FailError) Error() string {
	if e.Err == nil {
		return "no-go"
	}
	return e.Err.Error()
}
func (e *FailError) Unwrap() error { return e.Err }

// ErrFailed is a no-go verdict the command has already reported.
var ErrFailed error = &FailError{}

// Failf returns a no-go verdict with one line that says why.
func Failf(format string, a ...any) error { return &FailError{fmt.Errorf(format, a...)} }

// ErrVersion is returned by Parse after it printed the version: the
// command stops and exits 0, as after --help (flag.ErrHelp).
var ErrVersion = errors.New("version printed")

// Exit is the one place an outcome becomes an exit code:
//
//	nil, flag.ErrHelp, ErrVersion   0 ExitPass
//	*FailError                      1 ExitFail (its line, if any, on stderr)
//	*UsageError                     2 ExitError
//	any other error                 2 ExitError: unreadable or invalid input,
//	                                  an output file that could not be written
//
// Every error is written to stderr as one line prefixed with prog. The
// error may quote untrusted input (a pull request's baseline, a checker's
// SARIF, a file name) and a CI runner reads workflow commands on stderr:
// the line is made safe first.
func Exit(stderr io.Writer, prog string, err error) int {
	var fail *FailError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp), errors.Is(err, ErrVersion):
		return ExitPass
	case errors.As(err, &fail):
		if fail.Err != nil {
			Errorf(stderr, prog, "%s", fail.Err)
		}
		return ExitFail
	}
	Errorf(stderr, prog, "%s", err)
	return ExitError
}

// Errorf writes one safe line prefixed with prog to w: a warning, a
// progress note, or (through Exit) an error.
func Errorf(w io.Writer, prog, format string, a ...any) {
	fmt.Fprintf(w, "%s: %s\n", prog, OneLine(fmt.Sprintf(format, a...)))
}

// OneLine makes text one safe log line: runs of white space (line breaks
// included) become one space, and nothing in it can be taken for a workflow
// command.
func OneLine(s string) string {
	return safetext.LogLine(strings.Join(strings.Fields(s), " "))
}
