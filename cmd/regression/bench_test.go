package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/baseline/baselinetest"
	"github.com/org/gonogo-action/internal/cli"
)

// BenchmarkRegression200k is a whole run (read both, compare, write the
// report) over two baselines listing 200,000 failing files each; the goal
// is under 1 s and 300 MiB (scripts/bench-regression.sh measures the
// binary's peak memory).
func BenchmarkRegression200k(b *testing.B) {
	dir := b.TempDir()
	ref, next := filepath.Join(dir, "ref.json"), filepath.Join(dir, "new.json")
	for _, f := range []struct {
		path   string
		offset int
		parse  int
	}{{ref, 0, 180_000}, {next, 1_000, 177_000}} {
		bl, err := baselinetest.Synth(baselinetest.Spec{
			Total: 250_000, Offset: f.offset,
			Counts: map[string]int{baseline.ParseError: f.parse, baseline.ValidationError: 200_000 - f.parse},
		})
		if err != nil {
			b.Fatal(err)
		}
		if err := baseline.Write(f.path, bl); err != nil {
			b.Fatal(err)
		}
	}
	args := []string{"--new", next, "--ref", ref, "--output", filepath.Join(dir, "report.json"), "--markdown", filepath.Join(dir, "report.md")}
	b.ReportAllocs()
	for b.Loop() {
		if code := run(context.Background(), args, cli.Stdio{Out: io.Discard, Err: io.Discard}, func(string) string { return "" }); code != cli.ExitFail {
			b.Fatalf("exit code %d, want %d", code, cli.ExitFail)
		}
	}
}
