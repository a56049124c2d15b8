package gate

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"
)

type outcomeCheck Outcome

func (c outcomeCheck) Run(context.Context, *RunContext) Outcome { return Outcome(c) }

// A figure that is not a number fails its gate, and the results (with
// the other gates) are still written: json.Marshal refuses NaN and ±Inf,
// which once lost gate_results.json altogether.
func TestNonFiniteDetailFailsGateAndKeepsRecord(t *testing.T) {
	t.Parallel()
	cfg := mustConfig(t, `version: 1
gates:
  - id: nan
    run: "true"
  - id: inf
    run: "true"
    manual: true
  - id: fine
    run: "true"
`)
	cfg.Gates[0].Check = outcomeCheck{OK: true, Summary: "0/0 lines", Details: map[string]any{
		"figures": map[string]any{"lines": 0, "percent": math.NaN()}}}
	cfg.Gates[1].Check = outcomeCheck{OK: true, Details: map[string]any{
		"per_file": []any{1.0, math.Inf(-1)}, "delta": float32(math.Inf(1))}}
	cfg.Gates[2].Check = outcomeCheck{OK: true, Details: map[string]any{"percent": 81.5}}
	dir := t.TempDir()
	res, err := Run(t.Context(), cfg, Options{Dir: dir, Environ: []string{"PATH=" + os.Getenv("PATH")}})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{
		"nan": "details.figures.percent is NaN, not a finite number",
		"inf": "details.delta is +Inf, not a finite number (and 1 more)",
	} {
		g := res.Gate(id)
		if g.OK || g.Status() != StatusError || g.Summary != want || g.ManualFollowup() {
			t.Errorf("%s: ok=%v status=%q manual_followup=%v summary=%q, want a failed error gate with %q",
				id, g.OK, g.Status(), g.ManualFollowup(), g.Summary, want)
		}
	}
	if g := res.Gate("fine"); !g.OK {
		t.Errorf("fine: %+v", g)
	}
	if res.Meta.AllPassed {
		t.Error("all_passed with a NaN figure")
	}
	path := filepath.Join(dir, "gate_results.json")
	if err := WriteResults(path, res); err != nil {
		t.Fatalf("results not written: %v", err)
	}
	back, err := ReadResults(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Gate("nan").Details["figures"].(map[string]any)["percent"]; got != "NaN" {
		t.Errorf("recorded percent = %v, want the string NaN", got)
	}
	if got := back.Gate("inf").Details["per_file"].([]any)[1]; got != "-Inf" {
		t.Errorf("recorded per_file[1] = %v, want -Inf", got)
	}
	if got := back.Gate("fine").Details["percent"]; got == nil {
		t.Errorf("fine gate lost: %+v", back.Gate("fine"))
	}
}

// Inside a multi-check gate's checks and an http gate's steps, the field
// is named and the other details are kept.
func TestNonFiniteInsideChecksIsNamed(t *testing.T) {
	t.Parallel()
	var bad []string
	d := map[string]any{
		"checks": []CheckResult{{Kind: "run", OK: true, Details: map[string]any{"coherence": math.NaN(), "exit_code": 0}}},
		"steps":  []map[string]any{{"status": 200, "latency": math.Inf(1)}},
	}
	finiteValue("details", d, &bad)
	want := []string{"details.checks[0].details.coherence is NaN, not a finite number", "details.steps[0].latency is +Inf, not a finite number"}
	if len(bad) != 2 || bad[0] != want[0] || bad[1] != want[1] {
		t.Errorf("bad = %q, want %q", bad, want)
	}
	if c := d["checks"].([]CheckResult)[0].Details; c["coherence"] != "NaN" || c["exit_code"] != 0 {
		t.Errorf("check details = %v", c)
	}
}
