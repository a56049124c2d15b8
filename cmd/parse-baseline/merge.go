package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/scan"
)

// runMerge joins shard baselines into the baseline of the whole run.
func runMerge(args []string, stdout, stderr io.Writer, env func(string) string) (int, error) {
	fs := flag.NewFlagSet(name+" merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	output := fs.String("output", defaultOutput, "merged baseline `FILE` (- = stdout)")
	markdown := fs.String("markdown", "", "markdown summary `FILE`")
	historyDir := fs.String("history-dir", "", "`DIR` for timestamped snapshots and trends.json")
	failOnFlag := fs.String("fail-on", "", "exit 1 when an unsuppressed file ends with one of these `CODES`")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s merge [flags] SHARD.json ...\n\nflags:\n", name)
		fs.PrintDefaults()
	}
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return 0, err
	}
	if len(files) == 0 {
		return 0, errors.New("merge: name the shard baselines to merge, e.g. merge shard-*.json")
	}
	failOn, err := parseCodes(*failOnFlag)
	if err != nil {
		return 0, err
	}
	now, err := clock(env)
	if err != nil {
		return 0, err
	}
	parts := make([]*baseline.Baseline, 0, len(files))
	for _, f := range files {
		b, err := baseline.Read(f)
		if err != nil {
			return 0, err
		}
		parts = append(parts, b)
	}
	merged, err := scan.Merge(parts)
	if err != nil {
		return 0, err
	}
	return finish(merged, *output, *markdown, *historyDir, failOn, now(), stdout, stderr)
}
