package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/baseline/baselinetest"
	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/compare"
)

// writeSynth writes a synthetic baseline; shuffled writes its files out of
// order, as another tool might.
func writeSynth(t *testing.T, path string, s baselinetest.Spec, shuffled bool) {
	t.Helper()
	b, err := baselinetest.Synth(s)
	if err != nil {
		t.Fatal(err)
	}
	if shuffled {
		slices.Reverse(b.Files)
	}
	if err := baseline.Write(path, b); err != nil {
		t.Fatal(err)
	}
}

func runReport(t *testing.T, args ...string) compare.Result {
	t.Helper()
	var out bytes.Buffer
	if code := run(context.Background(), args, cli.Stdio{Out: &out, Err: io.Discard}, func(string) string { return "1757758522" }); code != cli.ExitFail {
		t.Fatalf("exit code %d, want %d", code, cli.ExitFail)
	}
	var r compare.Result
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestListsCappedUnlessFull: the default report lists the first 1000 files
// of each list and says how many there are; --full lists them all. Read
// as streams (sorted) or whole (not), the report is the same.
func TestListsCappedUnlessFull(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ref, next, shuffled := filepath.Join(dir, "ref.json"), filepath.Join(dir, "new.json"), filepath.Join(dir, "shuffled.json")
	writeSynth(t, ref, baselinetest.Spec{Total: 5000, Counts: map[string]int{baseline.ParseError: 3000}}, false)
	spec := baselinetest.Spec{Total: 5000, Offset: 1500, Counts: map[string]int{baseline.ParseError: 2000, baseline.ValidationError: 800}}
	writeSynth(t, next, spec, false)
	writeSynth(t, shuffled, spec, true)

	full := runReport(t, "--new", next, "--ref", ref, "--full")
	if full.NewFailuresTotal != 1300 || full.FixedTotal != 1500 || len(full.NewFailures) != 1300 || len(full.Fixed) != 1500 ||
		full.Truncated || full.ListLimit != 0 {
		t.Fatalf("--full: %d of %d new, %d of %d fixed, truncated %v, limit %d",
			len(full.NewFailures), full.NewFailuresTotal, len(full.Fixed), full.FixedTotal, full.Truncated, full.ListLimit)
	}
	capped := runReport(t, "--new", next, "--ref", ref)
	want := full
	want.NewFailures, want.Fixed, want.ListLimit, want.Truncated = full.NewFailures[:listed], full.Fixed[:listed], listed, true
	if diff := cmp.Diff(want, capped); diff != "" {
		t.Errorf("default report (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(capped, runReport(t, "--new", shuffled, "--ref", ref)); diff != "" {
		t.Errorf("unsorted baseline (-streamed +whole):\n%s", diff)
	}
}
