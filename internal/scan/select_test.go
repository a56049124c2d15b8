package scan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPathsOrDot: no PATH is the working directory; given PATHs are kept
// as given, in their order.
func TestPathsOrDot(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		in, want []string
	}{
		{"nil", nil, []string{"."}},
		{"empty", []string{}, []string{"."}},
		{"given", []string{"b", "a"}, []string{"b", "a"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, PathsOrDot(tt.in)); diff != "" {
				t.Errorf("PathsOrDot(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}
