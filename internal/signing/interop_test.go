package signing

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runMinisign runs the real minisign program in dir. These tests skip, loudly,
// only where it is not installed; CI installs it (apt-get install minisign).
func runMinisign(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	bin, err := exec.LookPath("minisign")
	if err != nil && os.Getenv("GONOGO_FULL_TESTS") != "" {
		t.Fatal("minisign not installed, and GONOGO_FULL_TESTS forbids skipping: apt-get install minisign")
	}
	if err != nil {
		t.Skip("minisign not installed (apt-get install minisign): interoperability not tested")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestInteropMinisignSignsGateVerifies: a team signing with minisign passes
// the gate, given a trusted comment that names the path.
func TestInteropMinisignSignsGateVerifies(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"deploy.sh": "#!/bin/sh\n", "scripts/a.sh": "#!/bin/sh\necho a\n", "scripts/b.sh": "b\n"})
	if out, err := runMinisign(t, dir, "-G", "-W", "-p", "k.pub", "-s", "k.key"); err != nil {
		t.Fatalf("minisign -G: %v\n%s", err, out)
	}
	// Top level: minisign's default comment "file:deploy.sh" is the path.
	for _, args := range [][]string{
		{"-S", "-s", "k.key", "-m", "deploy.sh"},
		{"-S", "-s", "k.key", "-m", "scripts/a.sh", "-t", "file:scripts/a.sh"},
		// Default comment "file:b.sh" does not name scripts/b.sh: invalid.
		{"-S", "-s", "k.key", "-m", "scripts/b.sh"},
	} {
		if out, err := runMinisign(t, dir, args...); err != nil {
			t.Fatalf("minisign %v: %v\n%s", args, err, out)
		}
	}
	rep, err := Check(context.Background(), dir, Spec{Include: []string{"**/*.sh"}, Keys: []string{"k.pub"}, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Status{}
	for _, r := range rep.Results {
		got[r.Path] = r.Status
	}
	want := map[string]Status{"deploy.sh": Signed, "scripts/a.sh": Signed, "scripts/b.sh": Invalid}
	for p, s := range want {
		if got[p] != s {
			t.Errorf("%s: %s, want %s (%+v)", p, got[p], s, rep.Results)
		}
	}
}

// TestInteropGateSignsMinisignVerifies: signatures from gate sign verify with
// minisign -V (and -H, prehashed only); a modified file does not.
func TestInteropGateSignsMinisignVerifies(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	k := newKey(t)
	pub, _ := k.pub.MarshalText()
	writeFiles(t, dir, map[string]string{"k.pub": string(pub), "scripts/a.sh": "#!/bin/sh\necho a\n"})
	sign(t, dir, k, "scripts/a.sh")
	out, err := runMinisign(t, dir, "-V", "-H", "-p", "k.pub", "-m", "scripts/a.sh")
	if err != nil {
		t.Fatalf("minisign -V: %v\n%s", err, out)
	}
	if !strings.Contains(out, "file:scripts/a.sh\tsha256:") {
		t.Errorf("minisign shows trusted comment %q, want the path and digest", out)
	}
	if err := os.WriteFile(filepath.Join(dir, "scripts/a.sh"), []byte("#!/bin/sh\necho b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := runMinisign(t, dir, "-V", "-p", "k.pub", "-m", "scripts/a.sh"); err == nil {
		t.Errorf("minisign verified a modified file:\n%s", out)
	}
}
