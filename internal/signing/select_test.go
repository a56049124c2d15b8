package signing

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSelect: what gate sign --include signs is what Check judges with the
// same globs: .minisig files and .git/ never, excluded files not.
func TestSelect(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for _, f := range []string{"a.aether", "a.aether.minisig", "x/b.aether", "x/y/c.aether", "drafts/d.aether", ".git/e.aether", "notes.txt"} {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inc, exc := []string{"**/*.aether*"}, []string{"drafts/**"}
	got, err := Select(context.Background(), root, inc, exc)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.aether", "x/b.aether", "x/y/c.aether"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Select (-want +got):\n%s", diff)
	}
	rep, err := Check(context.Background(), root, Spec{Keys: []string{newKey(t).inline}, Include: inc, Exclude: exc})
	if err != nil {
		t.Fatal(err)
	}
	var checked []string
	for _, r := range rep.Results {
		checked = append(checked, r.Path)
	}
	if diff := cmp.Diff(want, checked); diff != "" {
		t.Errorf("Check judged other files than Select chose (-select +check):\n%s", diff)
	}
	if _, err := Select(context.Background(), root, nil, nil); err == nil {
		t.Error("Select without include succeeded")
	}
	if _, err := Select(context.Background(), root, []string{"[x"}, nil); err == nil {
		t.Error("Select with a malformed glob succeeded")
	}
}
