package main

import (
	"strings"
	"testing"
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
