package gate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCompareFigure(t *testing.T) {
	t.Parallel()
	f := func(v float64) *float64 { return &v }
	for _, tt := range []struct {
		name           string
		now, prev      float64
		abs, rel       *float64
		change         float64
		wantRel        *float64
		problemContain string
	}{
		{"unchanged", 0.98, 0.98, f(0), nil, 0, f(0), ""},
		{"at abs, rounding forgiven", 0.93, 0.98, f(0.05), nil, -0.05, f(0.0510204081633), ""},
		{"beyond abs", 0.92, 0.98, f(0.05), nil, -0.06, f(0.0612244897959), "|change| 0.06 exceeds abs 0.05"},
		{"upwards too", 1.04, 0.98, f(0.05), nil, 0.06, f(0.0612244897959), "exceeds abs 0.05"},
		{"within rel", 105, 100, nil, f(0.05), 5, f(0.05), ""},
		{"beyond rel", 106, 100, nil, f(0.05), 6, f(0.06), "relative change 0.06 exceeds rel 0.05"},
		{"both given, either exceeding fails", 106, 100, f(10), f(0.05), 6, f(0.06), "relative change 0.06 exceeds rel 0.05"},
		{"negative previous", -0.9, -1, nil, f(0.05), 0.1, f(0.1), "exceeds rel"},
		{"from 0 under rel", 0.1, 0, nil, f(0.5), 0.1, nil, "a change from a previous 0 has no relative size"},
		{"0 to 0 under rel", 0, 0, nil, f(0), 0, nil, ""},
		{"from 0 under abs", 0.1, 0, f(0.1), nil, 0.1, nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := compareFigure(tt.now, tt.prev, tt.abs, tt.rel)
			if d.Change != tt.change {
				t.Errorf("change %v, want %v", d.Change, tt.change)
			}
			if diff := cmp.Diff(tt.wantRel, d.Rel); diff != "" {
				t.Errorf("rel (-want +got):\n%s", diff)
			}
			if tt.problemContain == "" && d.Problem != "" || !strings.Contains(d.Problem, tt.problemContain) {
				t.Errorf("problem %q, want %q", d.Problem, tt.problemContain)
			}
		})
	}
}

// previousResults is an earlier gate_results.json: gate "m" captured
// coherence 0.98; "c" holds it only inside its checks; "bad" holds a
// figure that was NaN.
const previousResults = `{
  "_meta": {"profile": "watch", "ts": 1730000000.123, "all_passed": true},
  "m": {"ok": true, "manual": false, "duration_sec": 0.1, "kind": "run",
    "details": {"status": "pass", "exit_code": 0, "coherence": 0.98}},
  "c": {"ok": true, "manual": false, "duration_sec": 0.1, "kind": "checks",
    "details": {"status": "pass", "checks": [{"kind": "run", "title": "run", "ok": true, "status": "pass", "details": {"coherence": 0.5}}]}},
  "bad": {"ok": true, "manual": false, "duration_sec": 0.1, "kind": "run",
    "details": {"status": "pass", "coherence": "NaN"}},
  "drifted": {"ok": false, "manual": false, "duration_sec": 0.1, "kind": "run",
    "details": {"status": "fail", "exit_code": 0, "coherence": 0.61}}
}
`

// TestPrevious: a figure of this run's details against the same figure in
// an earlier gate_results.json.
func TestPrevious(t *testing.T) {
	t.Parallel()
	echo := func(v string) string {
		return "run: " + quote(`echo '{"coherence": `+v+`}'`) + "\n    capture: {coherence: $.coherence}"
	}
	for _, tt := range []struct {
		name, gate, previous, status, summary string
		want                                  map[string]any // details.previous
	}{
		{"within", echo("0.97"), "{file: prev.json, value: coherence, tolerance: {abs: 0.05}}", StatusPass,
			"exit 0; coherence 0.97 vs previous 0.98 (change -0.01, tolerance ±0.05)",
			map[string]any{"file": "prev.json", "gate": "m", "value": "coherence", "current": 0.97, "previous": 0.98,
				"change": -0.01, "rel_change": 0.0102040816327, "tolerance": map[string]any{"abs": 0.05}}},
		{"far off", echo("0.61"), "{file: prev.json, value: coherence, tolerance: {abs: 0.05, rel: 0.1}}", StatusFail,
			"coherence 0.61 vs previous 0.98 (change -0.37, tolerance ±0.05 and ±10 %): |change| 0.37 exceeds abs 0.05; relative change 0.377551020408 exceeds rel 0.1",
			map[string]any{"file": "prev.json", "gate": "m", "value": "coherence", "current": 0.61, "previous": 0.98,
				"change": -0.37, "rel_change": 0.377551020408, "tolerance": map[string]any{"abs": 0.05, "rel": 0.1}}},
		{"missing file fails by default", echo("0.97"), "{file: nope.json, value: coherence, tolerance: {abs: 0.05}}", StatusMissing,
			"previous: nothing to compare with, nope.json does not exist (missing_reference: fail)", nil},
		{"missing file, warn", echo("0.97"), "{file: nope.json, value: coherence, tolerance: {abs: 0.05}, missing_reference: warn}", StatusPass,
			"exit 0; previous: not compared, nope.json does not exist (missing_reference: warn)", nil},
		{"gate not in the file", echo("0.97"), "{file: prev.json, gate: gone, value: coherence, tolerance: {abs: 0.05}}", StatusMissing,
			"previous: nothing to compare with, gate gone is not in prev.json (missing_reference: fail)", nil},
		// The earlier run failed at 0.61: comparing with it would pass 0.61 now.
		{"the earlier gate failed", echo("0.61"), "{file: prev.json, gate: drifted, value: coherence, tolerance: {abs: 0.05}}", StatusMissing,
			"previous: nothing to compare with, gate drifted did not pass in prev.json (fail) (missing_reference: fail)", nil},
		{"absent now", echo("0.97"), "{file: prev.json, value: drift, tolerance: {abs: 0.05}}", StatusError,
			"previous: this run's details.drift is absent", nil},
		{"not a number now", "run: " + quote(`echo '{"coherence": "high"}'`) + "\n    capture: {coherence: $.coherence}",
			"{file: prev.json, value: coherence, tolerance: {abs: 0.05}}", StatusError,
			`previous: this run's details.coherence is "high", not a number`, nil},
		{"absent before", echo("0.97"), "{file: prev.json, gate: c, value: coherence, tolerance: {abs: 0.05}}", StatusError,
			"previous: gate c in prev.json: details.coherence is absent", nil},
		{"NaN before", echo("0.97"), "{file: prev.json, gate: bad, value: coherence, tolerance: {abs: 0.05}}", StatusError,
			`previous: gate bad in prev.json: details.coherence is "NaN", not a number`, nil},
		{"the check's failure comes first", "run: " + quote(`echo '{"coherence": 0.1}'; exit 1`) + "\n    capture: {coherence: $.coherence}",
			"{file: prev.json, value: coherence, tolerance: {abs: 0.05}}", StatusFail, "exit 1", nil},
		{"malformed file", echo("0.97"), "{file: broken.json, value: coherence, tolerance: {abs: 0.05}}", StatusError,
			"previous: read results broken.json:", nil},
		// The same reading as ReadResults: a repeated key is refused.
		{"repeated key", echo("0.97"), "{file: twice.json, value: coherence, tolerance: {abs: 0.05}}", StatusError,
			`previous: read results twice.json: m.details: repeated key "coherence"`, nil},
		{"a link out of the working directory", echo("0.97"), "{file: out.json, value: coherence, tolerance: {abs: 0.05}}", StatusError,
			"previous: read out.json: openat out.json: path escapes from parent", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFile(t, dir, "prev.json", previousResults)
			writeFile(t, dir, "broken.json", `{"m": `)
			writeFile(t, dir, "twice.json", `{"m": {"ok": true, "manual": false, "duration_sec": 0.1, "kind": "run",
  "details": {"status": "pass", "coherence": 0.5, "coherence": 0.97}}}`)
			outsideDir := t.TempDir()
			writeFile(t, outsideDir, "prev.json", previousResults)
			outside := filepath.Join(outsideDir, "prev.json")
			if err := os.Symlink(outside, filepath.Join(dir, "out.json")); err != nil {
				t.Fatal(err)
			}
			g := runConfig(t, "version: 1\ngates:\n  - id: m\n    "+tt.gate+"\n    previous: "+tt.previous+"\n", Options{Dir: dir}).Gate("m")
			if g.Status() != tt.status || !strings.HasPrefix(g.Summary, tt.summary) || g.OK != (tt.status == StatusPass) {
				t.Fatalf("ok %v status %s summary %q; want %s %q…", g.OK, g.Status(), g.Summary, tt.status, tt.summary)
			}
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, g.Details["previous"]); diff != "" {
					t.Errorf("details.previous (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestPreviousRoundTrip: the file is what gate wrote on an earlier run, and
// a path into a multi-check gate's details means the same in both.
func TestPreviousRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := func(v string) string {
		return `version: 1
gates:
  - id: watch
    checks:
      - run: "echo '{\"coherence\": ` + v + `}'"
        capture: {coherence: $.coherence}
      - run: "true"
    previous: {file: results/gate_results.json, value: checks.0.details.coherence, tolerance: {rel: 0.05}, missing_reference: pass}
`
	}
	first := runConfig(t, config("0.98"), Options{Dir: dir})
	if g := first.Gate("watch"); !g.OK || g.Details["missing_reference"] != MissingPass {
		t.Fatalf("first run: %s %v", g.Summary, g.Details)
	}
	if err := os.Mkdir(filepath.Join(dir, "results"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteResults(filepath.Join(dir, "results", "gate_results.json"), first); err != nil {
		t.Fatal(err)
	}
	if g := runConfig(t, config("0.96"), Options{Dir: dir}).Gate("watch"); !g.OK {
		t.Errorf("0.96 after 0.98 is within 5 %%: %s", g.Summary)
	}
	g := runConfig(t, config("0.90"), Options{Dir: dir}).Gate("watch")
	if g.OK || !strings.Contains(g.Summary, "checks.0.details.coherence 0.9 vs previous 0.98 (change -0.08, tolerance ±5 %): relative change") {
		t.Errorf("0.90 after 0.98: ok %v %s", g.OK, g.Summary)
	}
}

func TestPreviousConfig(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ gate, want string }{
		{"run: 'true'\n    previous: prev.json", `g.yml:5: gate m: previous: want a mapping {file: F, value: PATH, tolerance: {abs: N, rel: F}}`},
		{"run: 'true'\n    previous: {value: x, tolerance: {abs: 1}}", `g.yml:5: gate m: previous: want a mapping {file: F, value: PATH, tolerance: {abs: N, rel: F}}: file is required`},
		{"run: 'true'\n    previous: {file: /tmp/prev.json, value: x, tolerance: {abs: 1}}", `g.yml:5: "file": want a path inside the working directory (relative, without ..), got "/tmp/prev.json"`},
		{"run: 'true'\n    previous: {file: ../prev.json, value: x, tolerance: {abs: 1}}", `g.yml:5: "file": want a path inside the working directory (relative, without ..), got "../prev.json"`},
		{"run: 'true'\n    previous: {file: p.json, tolerance: {abs: 1}}", `g.yml:5: gate m: previous: want a mapping {file: F, value: PATH, tolerance: {abs: N, rel: F}}: value is required`},
		{"run: 'true'\n    previous: {file: p.json, value: $.x, tolerance: {abs: 1}}", `g.yml:5: "value": want a dotted path in the gate's details such as coherence or checks.1.details.percent, got "$.x"`},
		{"run: 'true'\n    previous: {file: p.json, value: a..b, tolerance: {abs: 1}}", `"value": want a dotted path`},
		{"run: 'true'\n    previous: {file: p.json, value: x}", `g.yml:5: "tolerance": want abs: N (|now − previous| ≤ N) and/or rel: F (a fraction of the previous value, 0 to 1)`},
		{"run: 'true'\n    previous: {file: p.json, value: x, tolerance: {}}", `"tolerance": want abs: N`},
		{"run: 'true'\n    previous: {file: p.json, value: x, tolerance: {abs: -1}}", `g.yml:5: "abs": want 0 or more, got -1`},
		{"run: 'true'\n    previous: {file: p.json, value: x, tolerance: {abs: .nan}}", `g.yml:5: "abs": want a finite number, got .nan`},
		{"run: 'true'\n    previous: {file: p.json, value: x, tolerance: {rel: 5}}", `g.yml:5: "rel": want a fraction between 0 and 1, got 5: write 0.10 for 10 %`},
		{"run: 'true'\n    previous: {file: p.json, value: x, tolerance: {abs: 1, pct: 5}}", `g.yml:5: unknown key "pct" (expected one of: abs, rel)`},
		{"run: 'true'\n    previous: {file: p.json, value: x, tolerance: {abs: 1}, missing_reference: ignore}", `g.yml:5: "missing_reference": want pass, warn or fail, got "ignore"`},
		{"run: 'true'\n    previous: {file: p.json, gate: A, value: x, tolerance: {abs: 1}}", `g.yml:5: "gate": want a gate id matching [a-z0-9_]+, got "A"`},
		{"run: 'true'\n    previous: {file: p.json, value: x, tolerance: {abs: 1}, since: 1h}", `g.yml:5: unknown key "since" (expected one of: file, gate, missing_reference, tolerance, value)`},
		{"manual: true\n    previous: {file: p.json, value: x, tolerance: {abs: 1}}", `g.yml:5: gate m: previous compares a figure of the gate's details, and a manual gate without a check has none; add a check`},
	} {
		_, err := ParseConfig("g.yml", []byte("version: 1\ngates:\n  - id: m\n    "+tt.gate+"\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s:\nerror %v\nwant  %s", tt.gate, err, tt.want)
		}
	}
	// Valid: relative paths below the working directory, either bound.
	for _, prev := range []string{"{file: a/b.json, value: x, tolerance: {rel: 0.1}}", "{file: ./b.json, value: x.0.y, tolerance: {abs: 0}, missing_reference: warn, gate: other}"} {
		if _, err := ParseConfig("g.yml", []byte("version: 1\ngates:\n  - id: m\n    run: 'true'\n    previous: "+prev+"\n")); err != nil {
			t.Errorf("%s: %v", prev, err)
		}
	}
}
