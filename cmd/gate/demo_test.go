package main

import (
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/org/gonogo-action/internal/gate"
)

// TestDemoFromRepoRoot runs the README's first command as a user would:
// `go run ./cmd/gate --config examples/aetherra/gonogo.yml` from the
// repository root. It starts the demo services, passes with the HMR gate as
// manual follow-up and leaves no process.
//
// The demo's fixed ports (3012, 3013) are swapped for free ones: with them,
// a demo already running on the machine (a developer's, another checkout's
// tests) made the readiness probe answer for the wrong server, or the
// service fail to bind, and the test flake. The audit log goes to a
// temporary folder for the same reason.
func TestDemoFromRepoRoot(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and starts the demo services")
	}
	t.Parallel()
	out := t.TempDir()
	config := demoConfig(t, out)
	results, signOff := filepath.Join(out, "gate_results.json"), filepath.Join(out, "gate_sign_off.md")
	cmd := exec.CommandContext(t.Context(), "go", "run", "./cmd/gate", "--config", config,
		"--results", results, "--sign-off", signOff)
	cmd.Dir = "../.."
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, b)
	}
	if !strings.Contains(string(b), "GO (8/8 gates passed, 1 manual follow-up)") {
		t.Errorf("output:\n%s", b)
	}
	data, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	var res map[string]map[string]any
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if res["_meta"]["all_passed"] != true || len(res) != 9 {
		t.Errorf("results: %s", data)
	}
	hmr := res["hmr_quiesce"]
	if hmr["manual"] != true || hmr["details"].(map[string]any)["manual_followup"] != true ||
		!strings.HasPrefix(hmr["details"].(map[string]any)["reason"].(string), "HMR correctness") {
		t.Errorf("hmr: %v", hmr)
	}
	md, err := os.ReadFile(signOff)
	if err != nil {
		t.Fatal(err)
	}
	// The title's escaping is safetext.Cell's business; the mark is ours.
	if !regexp.MustCompile(`\| HMR swap \\?\+ audit \| 🔧 manual follow-up \|`).Match(md) {
		t.Errorf("sign-off:\n%s", md)
	}
	// The specification's eight risks; the network policy's mitigated by
	// the security gate that passed.
	if !strings.Contains(string(md), "| Network policy tuning | Surprising denies | Versioned allowlist tests | Med | ✅ mitigated (security\\_strict) |") ||
		strings.Count(string(md), " | open |") != 3 {
		t.Errorf("risks:\n%s", md)
	}
	// One row per gate of the specification, a multi-check gate included.
	table, _, _ := strings.Cut(string(md), "### Residual risks")
	if rows := regexp.MustCompile(`(?m)^\| .* \| (✅|❌|🔧) `).FindAllString(table, -1); len(rows) != 8 ||
		!regexp.MustCompile(`\| Security strict \\?\(scripts/plugins/net\\?\) \| ✅ pass \| [0-9.]+ s \| 2/2 checks passed`).Match(md) {
		t.Errorf("sign-off rows (%d):\n%s", len(rows), md)
	}
}

// demoConfig writes examples/aetherra/gonogo.yml to dir with free loopback
// ports instead of 3012 and 3013 and the audit log in dir, and returns its
// path. Every other path in it stays relative to the repository root.
func demoConfig(t *testing.T, dir string) string {
	t.Helper()
	return exampleConfig(t, dir, "gonogo.yml", "3012", "3013")
}

// exampleConfig writes examples/aetherra/NAME to dir with free loopback
// ports instead of ports and the service's files (.aetherra) in dir, and
// returns its path.
func exampleConfig(t *testing.T, dir, name string, ports ...string) string {
	t.Helper()
	data, err := os.ReadFile("../../examples/aetherra/" + name)
	if err != nil {
		t.Fatal(err)
	}
	y := string(data)
	for _, port := range ports {
		if !strings.Contains(y, "127.0.0.1:"+port) {
			t.Fatalf("the demo no longer uses port %s: update this test", port)
		}
		y = strings.ReplaceAll(y, "127.0.0.1:"+port, freeAddr(t))
	}
	y = strings.ReplaceAll(y, "examples/aetherra/.aetherra", filepath.Join(dir, ".aetherra"))
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestWatchFromRepoRoot runs docs/gate.md's post-release watch command,
// `go run ./cmd/gate --config examples/aetherra/watch.yml`, from the
// repository root: it starts the demo service and passes, its coherence
// compared with the committed earlier run's results.
func TestWatchFromRepoRoot(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and starts the demo service")
	}
	t.Parallel()
	out := t.TempDir()
	config := exampleConfig(t, out, "watch.yml", "3012")
	results := filepath.Join(out, "gate_results.json")
	cmd := exec.CommandContext(t.Context(), "go", "run", "./cmd/gate", "--config", config,
		"--results", results, "--sign-off", filepath.Join(out, "gate_sign_off.md"))
	cmd.Dir = "../.."
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("watch: %v\n%s", err, b)
	}
	if !strings.Contains(string(b), "GO (4/4 gates passed)") ||
		!strings.Contains(string(b), "coherence 0.98 vs previous 0.98 (change +0, tolerance ±0.05)") {
		t.Errorf("output:\n%s", b)
	}
	res, err := gate.ReadResults(results)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Meta.AllPassed || len(res.Gates) != 4 || res.Meta.Profile != "watch" {
		t.Errorf("results: %+v", res)
	}
}

// freeAddr returns a loopback address no one listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
