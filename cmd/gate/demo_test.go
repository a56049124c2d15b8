package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDemoFromRepoRoot runs the README's first command as a user would:
// `go run ./cmd/gate --config examples/aetherra/gonogo.yml` from the
// repository root. It starts the demo services (ports 3012 and 3013),
// passes with the HMR gate as manual follow-up and leaves no process.
func TestDemoFromRepoRoot(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and starts the demo services")
	}
	t.Parallel()
	out := t.TempDir()
	results, signOff := filepath.Join(out, "gate_results.json"), filepath.Join(out, "gate_sign_off.md")
	cmd := exec.CommandContext(t.Context(), "go", "run", "./cmd/gate", "--config", "examples/aetherra/gonogo.yml",
		"--results", results, "--sign-off", signOff)
	cmd.Dir = "../.."
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, b)
	}
	if !strings.Contains(string(b), "GO (9/9 gates passed, 1 manual follow-up)") {
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
	if res["_meta"]["all_passed"] != true || len(res) != 10 {
		t.Errorf("results: %s", data)
	}
	hmr := res["hmr_quiesce"]
	if hmr["manual"] != true || hmr["details"].(map[string]any)["manual_followup"] != true {
		t.Errorf("hmr: %v", hmr)
	}
	md, err := os.ReadFile(signOff)
	if err != nil {
		t.Fatal(err)
	}
	// The title's escaping is report.Cell's business; the mark is ours.
	if !regexp.MustCompile(`\| HMR swap \\?\+ audit \| 🔧 manual follow-up \|`).Match(md) {
		t.Errorf("sign-off:\n%s", md)
	}
}
