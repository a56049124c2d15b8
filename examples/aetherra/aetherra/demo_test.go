package aetherra_test

import (
	"cmp"
	"fmt"
	"html"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/examples/aetherra/aetherra"
	"github.com/org/gonogo-action/internal/gate"
	"github.com/org/gonogo-action/internal/proc"
	"github.com/org/gonogo-action/internal/report/signoff"
)

// demo runs gates of examples/aetherra/gonogo.yml against in-process
// instances of the service with the given faults (the configured services
// are replaced by httptest servers on loopback).
func demo(t *testing.T, faults []string, baselinePct string, ids ...string) *gate.Results {
	t.Helper()
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../gonogo.yml")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	plain := aetherra.New(aetherra.Options{Faults: faults, NetAllow: []string{"127.0.0.1"}})
	if err := plain.HMRReload(filepath.Join(tmp, "hmr_audit.jsonl"), "engine", time.Now); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(plain)
	t.Cleanup(srv.Close)
	agents := httptest.NewServer(aetherra.New(aetherra.Options{Faults: faults, AgentsEnabled: true, AgentsToken: "dev"}))
	t.Cleanup(agents.Close)
	y := string(data)
	y = strings.ReplaceAll(y, "http://127.0.0.1:3012", srv.URL)
	y = strings.ReplaceAll(y, "http://127.0.0.1:3013", agents.URL)
	y = strings.ReplaceAll(y, "examples/aetherra/.aetherra", tmp)
	if baselinePct != "" {
		p := filepath.Join(tmp, "baseline.txt")
		if err := os.WriteFile(p, []byte(baselinePct), 0o644); err != nil {
			t.Fatal(err)
		}
		y = strings.ReplaceAll(y, "examples/aetherra/evidence/coverage_baseline.txt", p)
	}
	return runExample(t, "gonogo.yml", y, root, ids...)
}

// runExample validates y, an example configuration rewritten for the test,
// and runs its gates (ids, or all) in dir without starting its services.
func runExample(t *testing.T, name, y, dir string, ids ...string) *gate.Results {
	t.Helper()
	cfg, err := gate.ParseConfig(name, []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	res, err := gate.Run(t.Context(), cfg, gate.Options{Gates: ids, Dir: dir, NoServices: true,
		Environ: proc.InheritedEnv(os.Getenv)})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// The healthy demo passes with the HMR gate as manual follow-up. The
// launcher smoke gate compiles the service client, so it runs here once.
func TestDemoHealthy(t *testing.T) {
	t.Parallel()
	res := demo(t, nil, "")
	var titles []string
	for _, g := range res.Gates {
		titles = append(titles, g.Title)
	}
	// The specification's eight gates, in its order, with its titles.
	want := []string{"Launcher smoke", "Chat SSE v2 + resume", "Security strict (scripts/plugins/net)",
		"Memory (core + QFAC fallback)", "HMR swap + audit", "Agents API posture", "Spec→Tests & coverage no-drop",
		"Policy/DP surfaced to clients"}
	if diff := gocmp.Diff(want, titles); diff != "" {
		t.Fatalf("gates (-want +got):\n%s", diff)
	}
	// Every endpoint of the table is served: the spec gate exits 0, not 2.
	if spec := res.Gate("spec_tests_coverage").Details["checks"].([]gate.CheckResult)[2]; spec.Details["exit_code"] != 0 {
		t.Errorf("spec gate: %+v", spec)
	}
	smoke := res.Gate("launcher_smoke").Details
	if diff := gocmp.Diff([]any{"memory_system", "plugin_manager", "aetherra_engine"}, smoke["services"]); diff != "" || fmt.Sprint(smoke["missing"]) != "[]" {
		t.Errorf("launcher_smoke details: services (-want +got):\n%s missing %v", diff, smoke["missing"])
	}
	for id, kinds := range map[string][]string{
		"security_strict":     {"signatures", "http"},
		"spec_tests_coverage": {"coverage", "tests", "run", "http", "metrics", "http"},
	} {
		var got []string
		for _, c := range res.Gate(id).Details["checks"].([]gate.CheckResult) {
			got = append(got, c.Kind)
		}
		if diff := gocmp.Diff(kinds, got); diff != "" {
			t.Errorf("%s checks (-want +got):\n%s", id, diff)
		}
	}
	compareWithTemplate(t, signoff.SummaryLines(res))
	for _, g := range res.Gates {
		if !g.OK {
			t.Errorf("%s failed: %s %v", g.ID, g.Summary, g.Details)
		}
	}
	if !res.Meta.AllPassed || !res.Gate("hmr_quiesce").ManualFollowup() {
		t.Errorf("meta %+v, hmr %+v", res.Meta, res.Gate("hmr_quiesce"))
	}
}

// Each of the eight gates fails when the service misbehaves in its area.
func TestDemoEachGateCatchesItsFault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		gate, fault, baseline, want string
	}{
		{"launcher_smoke", aetherra.FaultNoEngine, "", "exit 1"},
		{"chat_sse_resume", aetherra.FaultSSEOrder, "", "event order status→usage→token→policy→final"},
		{"chat_sse_resume", aetherra.FaultSSERestart, "", "resume: first id after Last-Event-ID 3 is 1, want 4"},
		{"security_strict", aetherra.FaultNetOpen, "", "1/2 checks failed: network policy: step 1 (GET "},
		{"security_strict", aetherra.FaultNetOpen, "", "json net_strict: got false, want true"},
		// security_strict's signed scripts failing on a modified workflow:
		// internal/gate TestDemoSignatures, which may modify a copy.
		{"memory", aetherra.FaultMemoryDown, "", "status 503, want [200]"},
		{"hmr_quiesce", aetherra.FaultHMRNoSwap, "", "no HMR_SWAP or HMR_ROLLBACK event after the previous step"},
		{"spec_tests_coverage", aetherra.FaultHMRNoSwap, "", "kernel metrics: aetherra_hmr_swaps_total: got 0, want ge 1"},
		{"agents_api", aetherra.FaultAgentsOpen, "", "step 1"},
		{"spec_tests_coverage", "", "99.5", "1/6 checks failed: coverage no-drop:"},
		{"spec_tests_coverage", "", "99.5", "below the baseline 99.50%"},
		{"spec_tests_coverage", aetherra.FaultNoEditPlan, "", "1/6 checks failed: Lyrixa bridge: step 1 (POST "},
		// An endpoint of the table answering 503 fails the spec gate (exit 1).
		{"spec_tests_coverage", aetherra.FaultMemoryDown, "", "1/6 checks failed: spec gate: exit 1"},
		{"policy_dp", aetherra.FaultNoPolicy, "", "header X-Aetherra-Policy: absent"},
		{"spec_tests_coverage", aetherra.FaultKernelBacklog, "", "1/6 checks failed: kernel metrics: aetherra_kernel_inflight: got 25, want le 10"},
		{"spec_tests_coverage", aetherra.FaultQueueBacklog, "", "1/6 checks failed: kernel status: step 1 (GET "},
		{"spec_tests_coverage", aetherra.FaultQueueBacklog, "", "json queues.pending: got 250, want ge 0 le 100"},
	}
	for _, tt := range tests {
		t.Run(tt.gate+"/"+cmp.Or(tt.fault, "coverage-drop")+"/"+tt.want, func(t *testing.T) {
			t.Parallel()
			var faults []string
			if tt.fault != "" {
				faults = []string{tt.fault}
			}
			g := demo(t, faults, tt.baseline, tt.gate).Gate(tt.gate)
			if g.OK || !strings.Contains(g.Summary, tt.want) {
				t.Fatalf("%s with %s: ok=%v summary %q, want a failure with %q", tt.gate, tt.fault, g.OK, g.Summary, tt.want)
			}
		})
	}
}

// The post-release watch's faults (watch_test.go) are the watch's
// business: the eight go/no-go gates still pass with all of them.
func TestDemoIgnoresWatchFaults(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the service's clients")
	}
	res := demo(t, []string{aetherra.FaultSecurityAlert, aetherra.FaultDLQFlood, aetherra.FaultAuditUnbounded, aetherra.FaultCoherenceDrift}, "")
	for _, g := range res.Gates {
		if !g.OK {
			t.Errorf("%s failed: %s", g.ID, g.Summary)
		}
	}
}

func TestParseFaults(t *testing.T) {
	t.Parallel()
	if f, err := aetherra.ParseFaults(" no-engine, ,sse-order"); err != nil || len(f) != 2 {
		t.Errorf("ParseFaults = %v, %v", f, err)
	}
	if _, err := aetherra.ParseFaults("nope"); err == nil {
		t.Error("unknown fault accepted")
	}
}

// The specification's sign-off template, line by line ("Copy into PR /
// Release notes"): each gate's title, a mark, and in parentheses what its
// evidence should be; evidence is what the demo's line must show for it.
var template = []struct{ line, evidence string }{
	{"Launcher smoke: ✅/❌ (log path/link)", `^exit 0$`},
	{"Chat SSE v2 + resume: ✅/❌ (last_event_id tested)", `resumed at \d+$`},
	{"Security strict (scripts/plugins/net): ✅/❌ (report link)", `signed scripts: \d+ files: \d+ signed, 0 unsigned`},
	{"Memory (core + QFAC fallback): ✅/❌ (status snapshot)", `status 200`},
	{"HMR swap + audit: ✅/❌ (audit excerpt)", `hmr_audit\.jsonl$`},
	{"Agents API posture: ✅/❌ (off by default; enabled w/ token OK)", `status 501, 401, 200`},
	{"Spec→Tests & coverage no\u2011drop: ✅/❌ (coverage % vs baseline)", `^6/6 checks passed: coverage no-drop: \d+\.\d+% vs baseline \d+\.\d+%`},
	{"Policy/DP surfaced to clients: ✅/❌ (captured policy event)", `order status→policy→`},
}

// compareWithTemplate checks the demo's summary lines against the template:
// same gates, same order, same titles (the template's non-breaking hyphen
// aside), a mark (🔧 for the manual HMR gate) and the evidence it names.
func compareWithTemplate(t *testing.T, lines string) {
	t.Helper()
	// The lines are markdown: undo its escapes to compare the text.
	plain := regexp.MustCompile(`\\([[:punct:]])`).ReplaceAllString(html.UnescapeString(lines), "$1")
	got := strings.Split(strings.TrimSuffix(plain, "\n"), "\n")
	if len(got) != len(template) {
		t.Fatalf("%d summary lines, the template has %d:\n%s", len(got), len(template), plain)
	}
	for i, tt := range template {
		title, _, _ := strings.Cut(tt.line, ": ✅/❌")
		title = strings.ReplaceAll(title, "\u2011", "-")
		line, ok := strings.CutPrefix(got[i], "- "+title+": ")
		if !ok {
			t.Errorf("line %d: %q, want the template's %q", i+1, got[i], tt.line)
			continue
		}
		mark, note, ok := strings.Cut(line, " (")
		if want := map[bool]string{true: "🔧", false: "✅"}[title == "HMR swap + audit"]; mark != want || !ok {
			t.Errorf("%s: mark %q, want %s and evidence in parentheses", title, mark, want)
			continue
		}
		note = strings.TrimSuffix(note, ")")
		if !regexp.MustCompile(tt.evidence).MatchString(note) {
			t.Errorf("%s: evidence %q, want it to match %s (the template asks for %s)", title, note, tt.evidence, tt.line[strings.Index(tt.line, "("):])
		}
	}
}
