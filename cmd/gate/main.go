// Command gate runs a release's go/no-go gates and writes one verdict.
//
// Usage:
//
//	gate [--config F] [--all] [--gates ID ...] [--strict-manual] [--profile P]
//	     [--jobs N] [--results F] [--sign-off F] [--approve ID=NAME ...]
//	     [--approvals F] [--list] [--validate]
//	gate sign|verify ...
//	gate init [--dir DIR] [--force]
//	gate action
//	gate --version
//
// The gates are declared in .github/gonogo.yml (see docs/gate.md): services
// to start, then gates of kinds run, http, sse, metrics, coverage, tests (JUnit XML),
// audit, quiet, signatures, parse-regression and results, or of several checks;
// any gate may compare a figure with an earlier run's (previous:).
// Independent gates run in parallel, each
// within its timeout; the results go to gate_results.json and
// gate_sign_off.md (a table plus summary lines for a release note).
//
// --gates takes ids separated by spaces or commas; gates they need run too.
// Manual gates run their check (if any) and pass as 🔧 follow-up, unless
// --strict-manual: then they pass only when approved with --approve ID=NAME
// or an approvals file (lines "ID NAME [SHA]").
//
// gate init writes a commented starter .github/gonogo.yml and
// .github/workflows/gonogo.yml for the Go module, Python project or Node
// package it finds (init.go, internal/starter); it never overwrites a file
// unless --force.
//
// Every command and subcommand answers --version with the version stamped
// at build time (internal/version).
//
// Exit status: 0 every mandatory gate passed, 1 a mandatory gate failed
// (or the run was interrupted), 2 configuration or usage error, or an
// output file could not be written.
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
	go func() {
		// After the first signal the run winds down and writes results; a
		// second one gets the default behaviour (exit at once).
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Getenv)
	stop()
	os.Exit(code)
}
