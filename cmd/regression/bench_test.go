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
// reports) over the baselines of scripts/bench-regression.sh: 200,000
// failing files each, most of them changed (120,000 new failures, 120,000
// fixed). The goal is twice as fast as Python's json module loading both
// and under 100 MiB; the script measures the binary's peak memory and
// times the Python beside it.
func BenchmarkRegression200k(b *testing.B) {
	dir := b.TempDir()
	ref, next := filepath.Join(dir, "ref.json"), filepath.Join(dir, "new.json")
	for _, f := range []struct {
		path   string
		offset int
		counts map[string]int
	}{
		{ref, 0, map[string]int{baseline.ParseError: 180_000, baseline.ValidationError: 20_000}},
		{next, 100_000, map[string]int{baseline.ParseError: 100_000, baseline.ValidationError: 100_000}},
	} {
		bl, err := baselinetest.Synth(baselinetest.Spec{Total: 250_000, Offset: f.offset, Counts: f.counts})
		if err != nil {
			b.Fatal(err)
		}
		if err := baseline.Write(f.path, bl); err != nil {
			b.Fatal(err)
		}
	}
	for _, bb := range []struct {
		name  string
		extra []string
	}{{"default", nil}, {"full", []string{"--full"}}} {
		b.Run(bb.name, func(b *testing.B) {
			args := append([]string{"--new", next, "--ref", ref, "--output", filepath.Join(dir, "report.json"),
				"--markdown", filepath.Join(dir, "report.md")}, bb.extra...)
			b.ReportAllocs()
			for b.Loop() {
				if code := run(context.Background(), args, cli.Stdio{Out: io.Discard, Err: io.Discard}, func(string) string { return "" }); code != cli.ExitFail {
					b.Fatalf("exit code %d, want %d", code, cli.ExitFail)
				}
			}
		})
	}
}
