// Command regression is the parse ratchet: it compares a new parse baseline
// with a reference (main's) and fails when a gated status code grew by more
// than an absolute AND a relative threshold.
//
//	regression --new FILE --ref FILE [--abs-threshold 5] [--rel-threshold 0.10]
//	           [--codes PARSE_ERROR,VALIDATION_ERROR] [--fail-on-new INTERNAL_ERROR]
//	           [--include-suppressed] [--output FILE] [--markdown FILE] [--full]
//	regression --version
//
// A code regresses when delta = new - old > abs-threshold and
// delta/old > rel-threshold; with old = 0 only the absolute test applies.
// --fail-on-new codes (default INTERNAL_ERROR; empty for none) fail as soon
// as one file newly fails with them, compared file by file (by count where a
// baseline lists no files), whatever else was fixed. Suppressed failures are left out
// of the counts unless --include-suppressed. The JSON report goes to stdout
// (and --output); --markdown writes a table for a PR comment, then the
// trend of the gated codes when the reference carries its branch's history.
// The report lists the first 1000 new, fixed and newly suppressed files
// and their totals (new_failures_total, ..., "truncated": true when a list
// is cut); --full lists them all, writing the files past the first ten of
// each list to unnamed temporary files as they are found and copying them
// into the report where their list goes, so memory does not grow with the
// lists.
//
// Both baselines are read as streams, one goroutine each, and joined file
// by file in path order, so memory holds the listed paths, not the file
// records (56 MiB for two 200,000-file baselines, 50 MiB with --full);
// a baseline not sorted by path (not written by this project) is read
// whole and sorted instead.
//
// Exit codes: 0 no regression, 1 regression, 2 usage or input error, or an
// output file could not be written. SOURCE_DATE_EPOCH, when set, fixes the
// report's timestamp; a value that is not a number is refused.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/org/gonogo-action/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Getenv)
	stop()
	os.Exit(code)
}
