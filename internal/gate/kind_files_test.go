package gate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestAuditGate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "swap.jsonl", `{"event":"HMR_PREPARE","ts":1}
{"event":"HMR_DRAIN"}

{"event":"HMR_SWAP"}
`)
	writeFile(t, dir, "rollback.jsonl", `{"kind":"HMR_PREPARE"}`+"\n"+`{"kind":"HMR_ROLLBACK"}`+"\n")
	writeFile(t, dir, "backwards.jsonl", `{"event":"HMR_SWAP"}`+"\n"+`{"event":"HMR_PREPARE"}`+"\n")
	writeFile(t, dir, "rot.jsonl", `{"event":"ROTATE","size":90,"kept":3}`+"\n"+`{"event":"ROTATE","size":80,"kept":2}`+"\n")
	writeFile(t, dir, "bad.jsonl", "{\"event\":\"HMR_PREPARE\"}\nnot json\n")
	tests := []struct {
		name, spec, want string
	}{
		{"swap", "{file: swap.jsonl, sequence: [HMR_PREPARE, [HMR_SWAP, HMR_ROLLBACK]]}", ""},
		{"rollback by field", "{file: rollback.jsonl, field: kind, sequence: [HMR_PREPARE, [HMR_SWAP, HMR_ROLLBACK]]}", ""},
		{"out of order", "{file: backwards.jsonl, sequence: [HMR_PREPARE, [HMR_SWAP, HMR_ROLLBACK]]}", "no HMR_SWAP or HMR_ROLLBACK event after the previous step"},
		{"absent event", "{file: swap.jsonl, sequence: [HMR_ABORT]}", "no HMR_ABORT event in swap.jsonl"},
		{"missing file", "{file: none.jsonl, sequence: [A]}", "audit log none.jsonl is missing"},
		{"bad line", "{file: bad.jsonl, sequence: [A]}", "bad.jsonl:2: not a JSON object"},
		{"record matched", "{file: rot.jsonl, sequence: [{event: ROTATE, json: {size: {le: 100}, kept: {lt: 4}}}]}", ""},
		{"record over its cap", "{file: rot.jsonl, sequence: [{event: ROTATE, json: {size: {le: 50}}}]}",
			"no ROTATE event meeting its json expectations in rot.jsonl (line 1: json size: got 90, want le 50)"},
		{"record after the previous step", "{file: rot.jsonl, sequence: [ROTATE, {event: [ROTATE], json: {kept: 3}}]}",
			"no ROTATE event meeting its json expectations after the previous step (line 2: json kept: got 2, want 3)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := runConfig(t, "version: 1\ngates:\n  - id: a\n    audit: "+tt.spec+"\n", Options{Dir: dir}).Gate("a")
			if tt.want == "" {
				if !g.OK {
					t.Fatalf("want pass: %s", g.Summary)
				}
				return
			}
			if g.OK || !strings.Contains(g.Summary, tt.want) {
				t.Fatalf("summary %q, want %q", g.Summary, tt.want)
			}
		})
	}
}

func TestQuietGate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	start := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	writeFile(t, dir, "alerts.jsonl", `{"ts": 1767340000, "msg": "old"}
{"timestamp": "2026-01-02T10:00:05Z", "msg": "during the run"}
{"msg": "no time"}
`)
	tests := []struct {
		name, spec string
		ok         bool
		alerts     int
	}{
		{"since run", "{file: alerts.jsonl, max: 2}", true, 2},
		{"since run strict", "{file: alerts.jsonl}", false, 2},
		{"window", "{file: alerts.jsonl, since: 48h, max: 2}", false, 3},
		{"absent file allowed", "{file: none.jsonl, allow_empty: true}", true, 0},
		{"absent file", "{file: none.jsonl}", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			now := func() time.Time { return start }
			g := runConfig(t, "version: 1\ngates:\n  - id: q\n    quiet: "+tt.spec+"\n", Options{Dir: dir, Now: now}).Gate("q")
			if g.OK != tt.ok || g.Details["alerts"] != tt.alerts {
				t.Fatalf("ok %v alerts %v (%s), want %v %d", g.OK, g.Details["alerts"], g.Summary, tt.ok, tt.alerts)
			}
		})
	}
}

// TestQuietGateUnreadableTimes: a time that is not one (NaN, an infinity,
// a figure out of range) is no reason to skip an alert: it counts, as an
// entry without a time does. Converted, they read as dates before 1970.
func TestQuietGateUnreadableTimes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	start := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	writeFile(t, dir, "alerts.jsonl", `{"ts": "NaN", "msg": "a"}
{"ts": "Infinity", "msg": "b"}
{"ts": "-Inf", "msg": "c"}
{"ts": -1e300, "msg": "d"}
{"ts": 1e300, "msg": "e"}
{"ts": "1e19", "msg": "f"}
{"ts": 1767340000, "msg": "before the run"}
`)
	g := runConfig(t, "version: 1\ngates:\n  - id: q\n    quiet: {file: alerts.jsonl}\n", Options{Dir: dir, Now: func() time.Time { return start }}).Gate("q")
	if g.OK || g.Details["alerts"] != 6 {
		t.Fatalf("ok %v alerts %v (%s), want a failure with 6 alerts", g.OK, g.Details["alerts"], g.Summary)
	}
}

func TestResultsGate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "host.json", `{
"_meta": {"profile": "test", "ts": 1730000000.123, "all_passed": false},
"launcher_smoke": {"ok": true, "manual": false, "duration_sec": 2.51, "details": {"services": ["aetherra_engine"], "missing": []}},
"hmr_quiesce": {"ok": true, "manual": true, "details": {"manual_followup": true, "reason": "hmr_controller not registered"}},
"memory": {"ok": false, "manual": false, "duration_sec": 1, "details": {}}
}`)
	cfg := "version: 1\ngates:\n  - id: host\n    results: %s\n  - id: memory\n    run: \"true\"\n"
	res := runConfig(t, strings.Replace(cfg, "%s", "{file: host.json, gates: [launcher_smoke, hmr_quiesce]}", 1), Options{Dir: dir})
	want := map[string]string{"host": "true pass", "memory": "true pass", "launcher_smoke": "true ", "hmr_quiesce": "true "}
	got := statuses(res)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q (all %v)", k, got[k], v, got)
		}
	}
	if len(res.Gates) != 4 || !res.Gate("hmr_quiesce").Manual {
		t.Errorf("gates %+v", res.Gates)
	}
	// Importing everything brings in the failed memory gate: the local
	// memory gate keeps its id, the import fails the results gate.
	res = runConfig(t, strings.Replace(cfg, "%s", "host.json", 1), Options{Dir: dir})
	if g := res.Gate("host"); g.OK || g.Summary != "failed: memory" {
		t.Errorf("host %+v", g)
	}
	// An optional results gate makes its imports optional too.
	res = runConfig(t, "version: 1\ngates:\n  - id: host\n    mandatory: false\n    results: host.json\n", Options{Dir: dir})
	if !res.Meta.AllPassed || res.Gate("memory").Mandatory {
		t.Errorf("optional import: meta %+v", res.Meta)
	}
	res = runConfig(t, strings.Replace(cfg, "%s", "none.json", 1), Options{Dir: dir})
	if g := res.Gate("host"); g.OK || g.Status() != StatusMissing {
		t.Errorf("host %+v", g)
	}
}

// TestResultsGateStrictManual: a manual gate imported as a follow-up (the
// run that wrote the file was not strict) is no pass under --strict-manual:
// it fails, saying where to approve it, and so does the results gate; an
// approved one is imported as passed.
func TestResultsGateStrictManual(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "host.json", `{
"_meta": {"profile": "test", "ts": 1730000000.123, "all_passed": true},
"hmr": {"ok": true, "manual": true, "mandatory": true, "summary": "manual follow-up", "details": {"status": "manual", "manual_followup": true}},
"signed": {"ok": true, "manual": true, "mandatory": true, "details": {"status": "approved", "approved_by": "alice"}}
}`)
	cfg := "version: 1\ngates:\n  - id: host\n    results: host.json\n"
	res := runConfig(t, cfg, Options{Dir: dir, StrictManual: true})
	if res.Meta.AllPassed {
		t.Fatalf("an unapproved imported manual gate passed under --strict-manual: %+v", res.Meta)
	}
	if g := res.Gate("hmr"); g.OK || g.Status() != StatusFail || g.ManualFollowup() ||
		g.Summary != "manual validation missing (imported from host.json)" {
		t.Errorf("hmr: ok=%v status=%s %q", g.OK, g.Status(), g.Summary)
	}
	if g := res.Gate("host"); g.OK || g.Summary != "failed: hmr" {
		t.Errorf("host: ok=%v %q", g.OK, g.Summary)
	}
	if g := res.Gate("signed"); !g.OK || g.Status() != StatusApproved {
		t.Errorf("signed: ok=%v status=%s", g.OK, g.Status())
	}
	// Without --strict-manual the follow-up is imported as one.
	res = runConfig(t, cfg, Options{Dir: dir})
	if g := res.Gate("hmr"); !res.Meta.AllPassed || !g.OK || !g.ManualFollowup() {
		t.Errorf("not strict: meta %+v, hmr ok=%v followup=%v", res.Meta, g.OK, g.ManualFollowup())
	}
}

// TestResultsGateRefusesContradictions: an imported gate whose ok
// contradicts its status (a file edited by hand) is an error, never taken
// at its ok.
func TestResultsGateRefusesContradictions(t *testing.T) {
	t.Parallel()
	for name, tt := range map[string]struct{ gate, want string }{
		"ok but failed":    {`{"ok": true, "manual": false, "details": {"status": "fail"}}`, `host.json: gate unit: ok is true but details.status is "fail": the file contradicts itself`},
		"ok but missing":   {`{"ok": true, "manual": false, "details": {"status": "missing"}}`, `ok is true but details.status is "missing"`},
		"ok, odd status":   {`{"ok": true, "manual": false, "details": {"status": 1}}`, `ok is true but details.status is "1"`},
		"failed but pass":  {`{"ok": false, "manual": false, "details": {"status": "pass"}}`, `ok is false but details.status is "pass"`},
		"follow-up passed": {`{"ok": true, "manual": true, "details": {"status": "pass", "manual_followup": true}}`, `details.manual_followup is true but details.status is "pass"`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFile(t, dir, "host.json", `{"_meta": {"profile": "", "ts": 1, "all_passed": true}, "unit": `+tt.gate+`}`)
			res := runConfig(t, "version: 1\ngates:\n  - id: host\n    results: host.json\n", Options{Dir: dir})
			if g := res.Gate("host"); g.OK || g.Status() != StatusError || g.Summary != tt.want && !strings.Contains(g.Summary, tt.want) {
				t.Errorf("ok=%v status=%s %q, want error %q", g.OK, g.Status(), g.Summary, tt.want)
			}
			if res.Meta.AllPassed {
				t.Errorf("passed: %+v", res.Meta)
			}
		})
	}
}
