//go:build linux

package gate

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/org/gonogo-action/internal/proc"
)

// TestRunAsUser: with Options.User, every process the engine starts (a
// run gate, a service, a parse-regression checker) runs as that user and
// can still write into a directory it owns; nothing runs as the caller.
func TestRunAsUser(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("switching users needs root (as the action in its container)")
	}
	const uid = 1001 // the runner's user on GitHub's hosted runners
	// Reachable by that user: t.TempDir's parents are root's alone.
	dir, err := os.MkdirTemp("", "gate-user-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "wf"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "wf/a.aether"), []byte("ok\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "ref.json"), []byte(refBaseline(0)), 0o644))
	must(os.Chown(dir, uid, uid))
	ready := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if data, err := os.ReadFile(filepath.Join(dir, "svc.id")); err != nil || len(data) == 0 {
			http.Error(w, "starting", http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(ready.Close)
	res := runConfig(t, `version: 1
services:
  - name: svc
    run: "id -u > svc.tmp && mv svc.tmp svc.id && exec sleep 300"
    ready: `+ready.URL+`
gates:
  - id: gate
    run: 'test "$(id -u):$(id -g):$(id -G)" = 1001:1001:1001 && echo evidence > gate.txt'
  - id: service
    run: 'test "$(cat svc.id)" = 1001'
  - id: checker
    parse-regression: {checker: "sh -c 'id -u > `+filepath.Join(dir, "checker.id")+`' _ {file}", paths: [wf], include: ["*.aether"], reference: {file: ref.json}}
`, Options{Dir: dir, User: &proc.User{UID: uid, GID: uid}})
	for _, id := range []string{"gate", "service", "checker"} {
		if g := res.Gate(id); !g.OK {
			t.Errorf("gate %s: %s %v", id, g.Summary, g.Details)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "gate.txt")); err != nil {
		t.Errorf("the gate could not write its evidence: %v", err)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "checker.id")); err != nil || string(data) != "1001\n" {
		t.Errorf("the checker ran as %q (%v), want uid 1001", data, err)
	}
}
