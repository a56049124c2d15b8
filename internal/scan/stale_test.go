package scan

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOwnedBy(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 45)
	for _, tt := range []struct {
		owners []string
		want   string
	}{
		{nil, ""},
		{[]string{"@a"}, " (owner @a)"},
		{[]string{"@a", "@b"}, " (owners @a, @b)"},
		{[]string{"@a", "@b", "@c", "@d", "@e"}, " (owners @a, @b, @c, and 2 more)"},
		{[]string{long}, " (owner " + long[:40] + "…)"},
	} {
		if got := ownedBy(tt.owners); got != tt.want {
			t.Errorf("ownedBy(%q) = %q, want %q", tt.owners, got, tt.want)
		}
	}
}

// TestStaleNames: at most max fingerprints, each with its owners, then
// how many more.
func TestStaleNames(t *testing.T) {
	t.Parallel()
	owners := map[string][]string{"aaaaaaaaaaaaaaaa": {"@a"}, "cccccccccccccccc": {"@b", "@c"}}
	fps := []string{"aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc"}
	for _, tt := range []struct {
		max  int
		want []string
	}{
		{3, []string{"aaaaaaaaaaaaaaaa (owner @a)", "bbbbbbbbbbbbbbbb", "cccccccccccccccc (owners @b, @c)"}},
		{2, []string{"aaaaaaaaaaaaaaaa (owner @a)", "bbbbbbbbbbbbbbbb", "and 1 more"}},
	} {
		if diff := cmp.Diff(tt.want, StaleNames(fps, owners, tt.max)); diff != "" {
			t.Errorf("max %d (-want +got):\n%s", tt.max, diff)
		}
	}
	if got := StaleNames(nil, nil, 5); len(got) != 0 {
		t.Errorf("no fingerprints: %q, want none", got)
	}
}
