package migrate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/scan"
)

func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for n, c := range files {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRunApplyKeepsModes: an executable stays executable, a private file
// private.
func TestRunApplyKeepsModes(t *testing.T) {
	t.Parallel()
	dir := tree(t, map[string]string{"run.sh": "intent: x\n", "secret": "intent: y\n"})
	if err := os.Chmod(filepath.Join(dir, "run.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), Options{Rules: allRules(t), Paths: []string{dir}, Apply: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Changed) != 2 {
		t.Fatalf("changed %v", rep.Changed)
	}
	for n, want := range map[string]os.FileMode{"run.sh": 0o755, "secret": 0o600} {
		fi, err := os.Stat(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", n, fi.Mode().Perm(), want)
		}
	}
	if got := read(t, filepath.Join(dir, "run.sh")); got != "goal: x\n" {
		t.Errorf("run.sh = %q", got)
	}
}

// TestRunStopsBeforeWriting: a file that cannot be read stops the run
// before any file is written.
func TestRunStopsBeforeWriting(t *testing.T) {
	t.Parallel()
	dir := tree(t, map[string]string{"a.aether": "intent: x\n"})
	if err := os.Symlink("missing", filepath.Join(dir, "z.aether")); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), Options{Rules: allRules(t), Paths: []string{dir}, Apply: true})
	if err == nil || !strings.Contains(err.Error(), "z.aether") || !strings.HasSuffix(err.Error(), "nothing was changed") {
		t.Fatalf("err = %v, want the unreadable file named and nothing changed", err)
	}
	if got := read(t, filepath.Join(dir, "a.aether")); got != "intent: x\n" {
		t.Errorf("a.aether was rewritten: %q", got)
	}
}

// TestRunDryRunClassifiesACopy: a dry run with a checker classifies the new
// content in a temporary copy, removes it, and leaves the tree alone; a
// file given as a PATH keeps its name in the after-classification.
func TestRunDryRunClassifiesACopy(t *testing.T) {
	t.Parallel()
	dir := tree(t, map[string]string{"d/a.aether": "intent: a\n", "d/b.aether": "goal: b\n", "d/c.aether": "other\n", "f.aether": "intent: f\n"})
	tmp := t.TempDir()
	var diffs strings.Builder
	paths := []string{filepath.Join(dir, "d"), filepath.Join(dir, "f.aether")}
	rep, err := Run(context.Background(), Options{
		Rules: allRules(t), Paths: paths, Diffs: &diffs, TempDir: tmp,
		Check: &scan.Options{Checker: "grep -q goal", Jobs: 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dir, "d/a.aether")); got != "intent: a\n" {
		t.Errorf("the dry run rewrote a.aether: %q", got)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("the copy was left behind: %v", ents)
	}
	if rep.Before.FailureRate != 0.75 || rep.After.FailureRate != 0.25 {
		t.Errorf("failure rate %v → %v, want 0.75 → 0.25", rep.Before.FailureRate, rep.After.FailureRate)
	}
	fp := filepath.ToSlash(filepath.Join(dir, "f.aether"))
	if diff := cmp.Diff(failingFiles(rep.Before), map[string]string{"a.aether": "GENERIC_FAILURE", "c.aether": "GENERIC_FAILURE", fp: "GENERIC_FAILURE"}); diff != "" {
		t.Errorf("before (-got +want):\n%s", diff)
	}
	if diff := cmp.Diff(failingFiles(rep.After), map[string]string{"c.aether": "GENERIC_FAILURE"}); diff != "" {
		t.Errorf("after (-got +want):\n%s", diff)
	}
	if !strings.Contains(diffs.String(), "+goal: f\n") || !strings.Contains(diffs.String(), "+goal: a\n") {
		t.Errorf("diffs:\n%s", diffs.String())
	}
	md := rep.Markdown()
	for _, want := range []string{"| **Failure rate** | 75.00% | 25.00% | **−50.00 points** |", "Passing after the migration (2):"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}
