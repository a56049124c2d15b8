package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/scan"
)

// runMerge joins shard baselines into the baseline of the whole run.
func runMerge(args []string, stdio cli.Stdio, getenv func(string) string) error {
	fs := flag.NewFlagSet(name+" merge", flag.ContinueOnError)
	output := fs.String("output", defaultOutput, "merged baseline `FILE` (- = stdout)")
	markdown := fs.String("markdown", "", "markdown summary `FILE`")
	historyDir := fs.String("history-dir", "", "`DIR` for timestamped snapshots and trends.json")
	historyFrom := fs.String("history-from", "", "continue the history of the reference baseline `FILE` (the branch's previous one)")
	commit := fs.String("commit", "", "full commit `SHA` the history records (default $GITHUB_SHA)")
	failOnFlag := fs.String("fail-on", "", "exit 1 when an unsuppressed file ends with one of these `CODES`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s merge [flags] SHARD.json ...\n\nflags:\n", name)
		fs.PrintDefaults()
	}
	files, err := cli.Parse(fs, args, stdio)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return errors.New("merge: name the shard baselines to merge, e.g. merge shard-*.json")
	}
	failOn, err := cli.Codes("--fail-on", *failOnFlag)
	if err != nil {
		return err
	}
	hist, err := historyFlags(*historyFrom, *commit, getenv, stdio.Err)
	if err != nil {
		return err
	}
	now, err := cli.Clock(getenv)
	if err != nil {
		return err
	}
	parts := make([]*baseline.Baseline, 0, len(files))
	for _, f := range files {
		b, err := baseline.Read(f)
		if err != nil {
			return err
		}
		parts = append(parts, b)
	}
	merged, err := scan.Merge(parts)
	if err != nil {
		return err
	}
	return finish(merged, nil, "", *output, *markdown, *historyDir, hist, failOn, now(), stdio)
}
