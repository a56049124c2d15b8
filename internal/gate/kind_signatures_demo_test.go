package gate

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// demoSecurityGate is the demo's "Security strict" gate, used until
// examples/aetherra/gonogo.yml declares a signatures gate (then that one is
// tested), so this test always follows the demo.
const demoSecurityGate = `version: 1
gates:
  - id: security_strict
    title: Security strict
    signatures:
      include: ["examples/aetherra/workflows/**/*.aether"]
      keys: [examples/aetherra/keys/release.pub]
      revoked: examples/aetherra/keys/revoked.txt
      strict: true
`

// TestDemoSignatures: the demo's signed workflows pass its security gate as
// committed, and fail it once a workflow is modified after signing.
func TestDemoSignatures(t *testing.T) {
	t.Parallel()
	demo := filepath.Join("..", "..", "examples", "aetherra")
	cfg := mustConfig(t, demoSecurityGate)
	if _, err := os.Stat(filepath.Join(demo, "gonogo.yml")); err == nil {
		if cfg, err = LoadConfig(t.Context(), filepath.Join(demo, "gonogo.yml")); err != nil {
			t.Fatal(err)
		}
	}
	// The signatures check: a gate of its own or one of a gate's checks.
	var id string
	var check Check
	for _, c := range cfg.Gates {
		switch c.Kind {
		case "signatures":
			id, check = c.ID, c.Check
		case ChecksKind:
			for _, it := range c.Check.(*checksCheck).items {
				if it.Kind == "signatures" {
					id, check = c.ID, it.Check
				}
			}
		}
	}
	if check == nil {
		t.Fatal("the demo declares no signatures check")
	}
	// The gate's paths are relative to the repository root: rebuild that
	// layout in a scratch directory so the test can modify a workflow.
	root := t.TempDir()
	if err := os.CopyFS(filepath.Join(root, "examples", "aetherra"), os.DirFS(demo)); err != nil {
		t.Fatal(err)
	}
	rc := &RunContext{GateID: id, Dir: root, Now: time.Now}
	if out := check.Run(t.Context(), rc); !out.OK {
		t.Fatalf("demo signatures as committed: %s (re-sign the workflows: docs/signing.md)", out.Summary)
	}
	var victim string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && victim == "" && strings.HasSuffix(p, ".minisig") {
			victim = strings.TrimSuffix(p, ".minisig")
		}
		return err
	})
	if err != nil || victim == "" {
		t.Fatalf("no signed file in the demo: %v", err)
	}
	f, err := os.OpenFile(victim, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("# added after signing\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	out := check.Run(t.Context(), rc)
	rel, _ := filepath.Rel(root, victim)
	if out.OK || !strings.Contains(out.Summary, "1 invalid") || !strings.Contains(out.Summary, filepath.ToSlash(rel)) {
		t.Fatalf("modified workflow: OK=%v %q, want a failure naming %s", out.OK, out.Summary, rel)
	}
}
