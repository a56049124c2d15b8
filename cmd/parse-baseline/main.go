// Command parse-baseline runs a checker over many files (or reads verdicts
// made elsewhere) and writes parse_baseline.json: how many files end with
// each status code, which files fail, how (category, line, first message
// line, fingerprint) and which failures are suppressed.
//
// Usage:
//
//	parse-baseline [flags] [PATH ...]          PATH: files or folders (default ".")
//	parse-baseline merge [flags] SHARD.json ...
//	parse-baseline suppressions [--top N] [BASELINE.json]
//	parse-baseline migrate --rules FILE --include GLOB (--dry-run | --apply) [flags] [PATH ...]
//
// suppressions prints, in the suppressions file format, entries for the N
// (default 10) most frequent fingerprints the baseline (default
// parse_baseline.json) does not suppress, with owner= and expires= to fill
// in: a run refuses the entries until they are.
//
// Flags (see docs/parse-baseline.md for the full manual):
//
//	--include GLOB        repeatable, ** spans folders (default: every file;
//	                      an Aetherra tree gives '**/*.aether')
//	--exclude GLOB        repeatable
//	--checker "CMD ARGS"  split like a shell, never run by one: {file} = one
//	                      process per file, {files} = one per batch, neither =
//	                      the path is appended (one process per file)
//	--exec-checker CMD    execute phase: a second checker, run only on the
//	                      files --checker passed (their phase: execute)
//	--statuses FILE       ingest JSON status lines or SARIF 2.1.0 instead; - = stdin
//	--jobs N              checker processes at once (default: CPUs)
//	--batch-size N        paths per {files} batch (default: up to 256)
//	--timeout DUR         per checker process (default 60s)
//	--code-prefix NAME    stderr status line NAME:<int> (default AETHER_ERROR_CODE)
//	--output FILE         default parse_baseline.json (- = stdout)
//	--markdown FILE       category table
//	--suppressions FILE   default .gonogo/suppressions.txt or
//	                      .aetherra/workflow_suppressions.txt, the one that
//	                      exists (both: an input error); stderr names it
//	--max-age AGE         entries with added= older than AGE (90d) expire
//	--history-dir DIR     timestamped snapshot + trends.json (default
//	                      .aetherra/workflow_history when it exists)
//	--history-from FILE   continue FILE's history (the branch's previous
//	                      baseline): its last 19 entries plus this one
//	--commit SHA          full commit id the entry records (default GITHUB_SHA)
//	--cache FILE          reuse the verdicts of unchanged files (same content,
//	                      same checker), then record this run's; not with
//	                      --statuses
//	--cache-key TEXT      added to the checker identity (interpreter modules…)
//	--limit N             a deterministic sample of N files (smallest SHA-256
//	                      of the path): the same files on every run
//	--classification FILE     workflow_failures.json: every file's category,
//	                          code, phase, fingerprint (and signature state)
//	--classification-md FILE  its category table
//	--signatures-key KEY      repeatable; with -revoked FILE, -allow-legacy,
//	                          -not-before DATE, -root DIR: record signature states
//	--shard K/N           only shard K of N
//	--fail-on CODE,...    exit 1 when an unsuppressed file ends with one of these
//	--list-all            list SUCCESS files too
//	--no-progress         no progress line on stderr
//	--version             print the version stamped at build time and exit
//
// migrate rewrites legacy forms by declarative rules (line-anchored regular
// expressions, whitespace clean-ups) in the files --include selects (it is
// required: a migration writes, so it has no every-file default):
// --dry-run prints unified diffs,
// --apply rewrites files atomically, --report writes migration_report.md,
// and --checker classifies before and after to report the change in
// failure rate.
//
// Exit codes: 0 ran (whatever the files' statuses), 1 --fail-on matched,
// 2 usage or input error, or an output file could not be written.
//
// SOURCE_DATE_EPOCH, when set, fixes the timestamp (and zeroes the
// duration) for reproducible output.
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
