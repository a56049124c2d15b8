package gate

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func mustConfig(t *testing.T, y string) *Config {
	t.Helper()
	cfg, err := ParseConfig("test.yml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func runConfig(t *testing.T, y string, opt Options) *Results {
	t.Helper()
	if opt.Dir == "" {
		opt.Dir = t.TempDir()
	}
	if opt.Environ == nil {
		opt.Environ = []string{"PATH=" + os.Getenv("PATH")}
	}
	res, err := Run(t.Context(), mustConfig(t, y), opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func statuses(r *Results) map[string]string {
	m := map[string]string{}
	for _, g := range r.Gates {
		m[g.ID] = strconv.FormatBool(g.OK) + " " + g.Status()
	}
	return m
}

func TestRunNeedsAndStatuses(t *testing.T) {
	t.Parallel()
	res := runConfig(t, `version: 1
profile: ci
gates:
  - id: make
    run: echo made > made.txt
  - id: use
    run: test -f made.txt
    needs: [make]
  - id: broken
    run: echo oops >&2; exit 3
  - id: after_broken
    run: "true"
    needs: [broken]
  - id: optional
    run: exit 1
    mandatory: false
  - id: evidence
    run: "true"
    evidence: logs/none.log
`, Options{})
	want := map[string]string{
		"make": "true pass", "use": "true pass", "broken": "false fail", "after_broken": "false missing",
		"optional": "false fail", "evidence": "false missing",
	}
	if d := cmp.Diff(want, statuses(res)); d != "" {
		t.Errorf("statuses (-want +got):\n%s", d)
	}
	if res.Meta.AllPassed || res.Meta.Profile != "ci" {
		t.Errorf("meta %+v", res.Meta)
	}
	if d := cmp.Diff([]string{"broken", "after_broken", "evidence"}, res.Meta.Failed); d != "" {
		t.Errorf("failed (-want +got):\n%s", d)
	}
	if got := res.Gate("broken").Details["stderr_tail"]; got != "oops" {
		t.Errorf("stderr_tail = %q", got)
	}
}

func TestRunManual(t *testing.T) {
	t.Parallel()
	const y = `version: 1
gates:
  - id: hmr
    manual: true
  - id: checked
    manual: true
    run: exit 1
`
	tests := []struct {
		name string
		opt  Options
		want map[string]string
	}{
		{"followup", Options{}, map[string]string{"hmr": "true manual", "checked": "false fail"}},
		{"strict", Options{StrictManual: true}, map[string]string{"hmr": "false fail", "checked": "false fail"}},
		{"approved", Options{StrictManual: true, Approvals: map[string]Approval{"hmr": {By: "ana", SHA: "abc"}}},
			map[string]string{"hmr": "true approved", "checked": "false fail"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runConfig(t, y, tt.opt)
			if d := cmp.Diff(tt.want, statuses(res)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			hmr := res.Gate("hmr")
			if tt.name == "followup" && !hmr.ManualFollowup() {
				t.Errorf("manual_followup missing: %v", hmr.Details)
			}
			if tt.name == "approved" && hmr.Details["approved_by"] != "ana" {
				t.Errorf("approved_by: %v", hmr.Details)
			}
		})
	}
}

func TestRunEnvironmentHasNoTokens(t *testing.T) {
	t.Parallel()
	res := runConfig(t, `version: 1
profile: test
env: {FROM_CONFIG: "1"}
gates:
  - id: env
    run: env | sort
    env: {FROM_GATE: "2"}
`, Options{Environ: []string{"PATH=" + os.Getenv("PATH"), "HOME=/h", "GITHUB_TOKEN=secret1",
		"ACTIONS_RUNTIME_TOKEN=secret2", "INPUT_GITHUB-TOKEN=secret3", "NPM_TOKEN=secret4", "GOPRIVATE_AUTH=secret5",
		"AWS_SECRET_ACCESS_KEY=secret6", "RANDOM=dropped", "GOFLAGS=-mod=mod", "LC_ALL=C"}})
	out := res.Gate("env").Details["stdout_tail"].(string)
	for _, want := range []string{"FROM_CONFIG=1", "FROM_GATE=2", "GONOGO_PROFILE=test", "HOME=/h", "GOFLAGS=-mod=mod", "LC_ALL=C"} {
		if !strings.Contains(out, want) {
			t.Errorf("env lacks %s:\n%s", want, out)
		}
	}
	for _, bad := range []string{"secret", "RANDOM"} {
		if strings.Contains(out, bad) {
			t.Errorf("env leaks %s:\n%s", bad, out)
		}
	}
}

func TestRunOutputCapKeepsTail(t *testing.T) {
	t.Parallel()
	res := runConfig(t, `version: 1
gates:
  - id: chatty
    run: "i=0; while [ $i -lt 5000 ]; do echo line $i; i=$((i+1)); done; echo THE END"
`, Options{OutputCap: 1000})
	d := res.Gate("chatty").Details
	if d["output_truncated"] != true || !strings.HasSuffix(d["stdout_tail"].(string), "THE END") {
		t.Errorf("details %v", d)
	}
}

// TestTimeoutKillsGrandchildren: a gate whose shell backgrounds a long
// sleep must leave nothing running once its timeout kills the group. The
// timeout leaves the two shells time to start and write the pid on a busy
// runner (with 500ms a slow start meant no pid file and a failed test).
func TestTimeoutKillsGrandchildren(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	res := runConfig(t, `version: 1
gates:
  - id: hang
    run: "sh -c 'sleep 60 & echo $! > grandchild.pid; wait' ; sleep 60"
    timeout: 2s
`, Options{Dir: dir})
	g := res.Gate("hang")
	if g.OK || g.Status() != StatusTimeout {
		t.Fatalf("gate %+v", g)
	}
	if g.DurationSec > 5 {
		t.Errorf("timeout took %.2fs: pipes held open?", g.DurationSec)
	}
	data, err := os.ReadFile(filepath.Join(dir, "grandchild.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	waitDead(t, "grandchild", pid)
}

// TestRunGateLeavesBackgroundJob: a passing script that leaves a job holding
// its stdout (`server & …`) passes as soon as it exits, keeps its output,
// and the job is killed with its group. Waiting for the job's pipes once
// reported it as an error after 2 s (exec: WaitDelay expired).
func TestRunGateLeavesBackgroundJob(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	res := runConfig(t, `version: 1
gates:
  - id: bg
    run: "sleep 30 & echo $! > job.pid; echo ok"
    expect: {stdout_contains: [ok]}
    timeout: 20s
`, Options{Dir: dir})
	g := res.Gate("bg")
	if !g.OK || g.Status() != StatusPass {
		t.Fatalf("gate %s: %s %v", g.Status(), g.Summary, g.Details)
	}
	if g.DurationSec >= 2 {
		t.Errorf("the gate took %.2fs: it waited for its background job", g.DurationSec)
	}
	data, err := os.ReadFile(filepath.Join(dir, "job.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	waitDead(t, "background job", pid)
}

// waitDead waits until pid is gone. SIGKILL is delivered before Run
// returns, but the init process may not have reaped the zombie yet, so a
// zombie counts as dead.
func waitDead(t *testing.T, what string, pid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("%s %d survived the run", what, pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(f) > 0 && f[0] != "Z"
}

// TestInterruptStillReports: cancelling the run (Ctrl-C) returns results
// with the running gate cancelled and the waiting ones not run.
func TestInterruptStillReports(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cancel()
		<-r.Context().Done()
	}))
	defer srv.Close()
	cfg := mustConfig(t, `version: 1
gates:
  - id: slow
    http:
      - request: {url: `+srv.URL+`}
  - id: later
    run: "true"
    needs: [slow]
`)
	res, err := Run(ctx, cfg, Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"slow": "false cancelled", "later": "false not_run"}
	if d := cmp.Diff(want, statuses(res)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if !res.Meta.Interrupted || res.Meta.AllPassed {
		t.Errorf("meta %+v", res.Meta)
	}
}

func TestServiceThatDiesFailsEveryGate(t *testing.T) {
	t.Parallel()
	res := runConfig(t, `version: 1
services:
  - name: api
    run: echo cannot bind >&2; exit 3
    ready: http://127.0.0.1:9/healthz
gates:
  - id: a
    run: "true"
`, Options{})
	g := res.Gate("a")
	if g.OK || g.Status() != StatusError || !strings.Contains(g.Summary, "cannot bind") {
		t.Errorf("gate %+v", g)
	}
}

func TestSelect(t *testing.T) {
	t.Parallel()
	cfg := mustConfig(t, `version: 1
gates:
  - {id: a, run: "true"}
  - {id: b, run: "true", needs: [a]}
  - {id: c, run: "true"}
`)
	got, err := Select(cfg, []string{"b"})
	if err != nil || !cmp.Equal(got, []string{"a", "b"}) {
		t.Errorf("Select(b) = %v, %v", got, err)
	}
	if _, err := Select(cfg, []string{"zz"}); err == nil || !strings.Contains(err.Error(), `unknown gate "zz"`) {
		t.Errorf("Select(zz) err = %v", err)
	}
}

func TestResultsJSONRoundTrip(t *testing.T) {
	t.Parallel()
	r := &Results{Meta: Meta{Profile: "test", TS: 1730000000.123, AllPassed: true}, Gates: []GateResult{
		{ID: "z_first", OK: true, Mandatory: true, DurationSec: 2.51, Details: map[string]any{"status": "pass"}},
		{ID: "a_second", OK: true, Manual: true, Details: map[string]any{"manual_followup": true}},
	}}
	data, err := r.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if i, j := strings.Index(string(data), "z_first"), strings.Index(string(data), "a_second"); i > j || !strings.HasPrefix(string(data), "{\n  \"_meta\"") {
		t.Errorf("order not kept:\n%s", data)
	}
	var back Results
	if err := back.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(r, &back, cmp.AllowUnexported(GateResult{})); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
}

func TestLogLinesAreSingleLines(t *testing.T) {
	t.Parallel()
	var log strings.Builder
	runConfig(t, `version: 1
gates:
  - id: evil
    run: printf 'x\r\n::set-output name=a::b\n' >&2; exit 1
`, Options{Log: &log})
	if strings.Count(log.String(), "\n") != 1 || strings.Contains(log.String(), "\n::") {
		t.Errorf("log %q", log.String())
	}
}

// The runner also takes "##[name]data" as a command anywhere in a line: a
// gate's output quoted in the log must not carry one (the CLI's log goes
// straight to a step's stderr when it runs on the host).
func TestLogLinesCarryNoOldStyleCommands(t *testing.T) {
	t.Parallel()
	var log strings.Builder
	runConfig(t, `version: 1
gates:
  - id: evil
    run: echo '##[set-output name=a;]b' >&2; exit 1
`, Options{Log: &log})
	if strings.Contains(log.String(), "##[") || !strings.Contains(log.String(), "set-output") {
		t.Errorf("log %q", log.String())
	}
}

// TestServiceLifecycle: a service is started, polled until ready, and
// stopped with its whole group after the gates.
func TestServiceLifecycle(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// Ready once the service has written its pid: the probe is polled.
	ready := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if data, err := os.ReadFile(filepath.Join(dir, "svc.pid")); err != nil || len(data) == 0 {
			http.Error(w, "starting", http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(ready.Close)
	res := runConfig(t, `version: 1
env: {FROM_CONFIG: "yes"}
services:
  - name: api
    run: "echo $FROM_CONFIG $SVC > svc.env; sleep 300 & echo $! > svc.tmp; mv svc.tmp svc.pid; wait"
    ready: `+ready.URL+`
    env: {SVC: "1"}
gates:
  - id: running
    run: test -s svc.pid && grep -q 'yes 1' svc.env
`, Options{Dir: dir})
	if g := res.Gate("running"); !g.OK {
		t.Fatalf("gate %+v", g)
	}
	data, err := os.ReadFile(filepath.Join(dir, "svc.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	waitDead(t, "service child", pid)
}

// TestServiceAddressTaken: a ready URL that answers before the service
// starts belongs to another process; the gates must not judge it.
func TestServiceAddressTaken(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(other.Close)
	res := runConfig(t, `version: 1
services:
  - name: api
    run: touch started; sleep 300
    ready: `+other.URL+`
gates:
  - id: a
    run: "true"
`, Options{Dir: dir})
	g := res.Gate("a")
	if g.OK || g.Status() != StatusError || !strings.Contains(g.Summary, "already answers before the service started") {
		t.Errorf("gate %+v", g)
	}
	if _, err := os.Stat(filepath.Join(dir, "started")); err == nil {
		t.Error("the service was started although its address was taken")
	}
}

func TestServiceNotReady(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "starting", http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	res := runConfig(t, `version: 1
services:
  - name: api
    run: sleep 300
    ready: `+srv.URL+`
    ready_timeout: 300ms
gates:
  - id: a
    run: "true"
`, Options{})
	g := res.Gate("a")
	if g.OK || g.Status() != StatusError || !strings.Contains(g.Summary, "not ready") || !strings.Contains(g.Summary, "503") {
		t.Errorf("gate %+v", g)
	}
}
