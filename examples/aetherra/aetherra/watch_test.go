package aetherra_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/examples/aetherra/aetherra"
	"github.com/org/gonogo-action/internal/gate"
)

// watchGates are the gates of watch.yml: the specification's post-release
// watch, in its order.
var watchGates = []string{"security_alerts", "kernel_dlq", "hmr_audit_rotation", "memory_coherence"}

// watch runs examples/aetherra/watch.yml against an in-process instance of
// the service with the given faults, in a working directory laid out as
// the repository: the service's audit log and alert sink, and the previous
// run's results (the committed evidence, or previous when not "").
func watch(t *testing.T, faults []string, previous string) *gate.Results {
	t.Helper()
	data, err := os.ReadFile("../watch.yml")
	if err != nil {
		t.Fatal(err)
	}
	if previous == "" {
		b, err := os.ReadFile("../evidence/watch_gate_results.json")
		if err != nil {
			t.Fatal(err)
		}
		previous = string(b)
	}
	dir := t.TempDir()
	state := filepath.Join(dir, "examples", "aetherra", ".aetherra")
	srv := aetherra.New(aetherra.Options{Faults: faults})
	if err := srv.HMRReload(filepath.Join(state, "hmr_audit.jsonl"), "engine", time.Now); err != nil {
		t.Fatal(err)
	}
	if err := srv.WriteAlerts(filepath.Join(state, "security", "alerts.jsonl"), time.Now); err != nil {
		t.Fatal(err)
	}
	if previous != "-" { // "-": no previous results
		evidence := filepath.Join(dir, "examples", "aetherra", "evidence")
		if err := os.MkdirAll(evidence, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(evidence, "watch_gate_results.json"), []byte(previous), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return runExample(t, "watch.yml", strings.ReplaceAll(string(data), "http://127.0.0.1:3012", hs.URL), dir)
}

// The healthy service passes the watch: the specification's four items,
// one gate each; coherence is compared with the committed earlier run's.
func TestWatchHealthy(t *testing.T) {
	t.Parallel()
	res := watch(t, nil, "")
	var ids, titles []string
	for _, g := range res.Gates {
		ids, titles = append(ids, g.ID), append(titles, g.Title)
		if !g.OK || g.Status() != gate.StatusPass {
			t.Errorf("%s: %s %s %v", g.ID, g.Status(), g.Summary, g.Details)
		}
	}
	if diff := gocmp.Diff(watchGates, ids); diff != "" {
		t.Errorf("gates (-want +got):\n%s", diff)
	}
	want := []string{"Security alerts quiet", "Kernel DLQ minimal", "HMR audit rotation within caps", "Memory coherence/drift stable"}
	if diff := gocmp.Diff(want, titles); diff != "" {
		t.Errorf("titles (-want +got):\n%s", diff)
	}
	prev, _ := res.Gate("memory_coherence").Details["previous"].(map[string]any)
	if prev["current"] != 0.98 || prev["previous"] != 0.98 || prev["change"] != 0.0 {
		t.Errorf("details.previous: %v", prev)
	}
}

// Each watch item fails when the service misbehaves in its area, and only
// that item: the other three still pass.
func TestWatchEachGateCatchesItsFault(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ gate, fault, want string }{
		{"security_alerts", aetherra.FaultSecurityAlert, "1 alert(s) since"},
		{"kernel_dlq", aetherra.FaultDLQFlood, `aetherra_kernel_dlq_tasks{reason="expired"}: got 40, want le 5`},
		{"hmr_audit_rotation", aetherra.FaultAuditUnbounded, "no AUDIT_ROTATE event meeting its json expectations in examples/aetherra/.aetherra/hmr_audit.jsonl (line 1: json kept: got 12, want ge 0 le 5)"},
		{"memory_coherence", aetherra.FaultCoherenceDrift, "coherence 0.61 vs previous 0.98 (change -0.37, tolerance ±0.05): |change| 0.37 exceeds abs 0.05"},
	} {
		t.Run(tt.fault, func(t *testing.T) {
			t.Parallel()
			res := watch(t, []string{tt.fault}, "")
			for _, id := range watchGates {
				g := res.Gate(id)
				if id != tt.gate {
					if !g.OK {
						t.Errorf("%s fails too: %s", id, g.Summary)
					}
					continue
				}
				if g.OK || !strings.Contains(g.Summary, tt.want) {
					t.Errorf("%s with %s: ok=%v summary %q, want a failure with %q", id, tt.fault, g.OK, g.Summary, tt.want)
				}
			}
		})
	}
}

// Coherence is judged against the previous run's value: the same healthy
// service fails against results whose coherence was far higher, and the
// watch fails closed without them.
func TestWatchPrevious(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../evidence/watch_gate_results.json")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), `"coherence": 0.98`); n != 1 {
		t.Fatalf("the evidence holds %d coherence figures; update this test", n)
	}
	farOff := strings.Replace(string(b), `"coherence": 0.98`, `"coherence": 0.5`, 1)
	g := watch(t, nil, farOff).Gate("memory_coherence")
	if g.OK || !strings.Contains(g.Summary, "coherence 0.98 vs previous 0.5 (change +0.48, tolerance ±0.05)") {
		t.Errorf("far off: ok=%v %s", g.OK, g.Summary)
	}
	g = watch(t, nil, "-").Gate("memory_coherence")
	if g.OK || g.Status() != gate.StatusMissing || !strings.Contains(g.Summary, "examples/aetherra/evidence/watch_gate_results.json does not exist") {
		t.Errorf("no previous results: ok=%v %s %s", g.OK, g.Status(), g.Summary)
	}
}

// docs/gate.md lists every fault, so a reader can see each gate fail.
func TestDocsListEveryFault(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../../docs/gate.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range aetherra.Faults {
		if !strings.Contains(string(doc), "`"+f+"`") {
			t.Errorf("docs/gate.md does not list the fault %s", f)
		}
	}
}
