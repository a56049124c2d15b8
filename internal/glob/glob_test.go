package glob

import (
	"errors"
	"path"
	"testing"
)

func TestMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, rel string
		want         bool
	}{
		{"**/*.aether", "a.aether", true},
		{"**/*.aether", "x/y/a.aether", true},
		{"**/*.aether", "x/y/a.aeth", false},
		{"*.aether", "x/y/a.aether", true},
		{"x/*.aether", "x/a.aether", true},
		{"x/*.aether", "x/y/a.aether", false},
		{"x/**", "x/y/a.aether", true},
		{"x/**/a.aether", "x/a.aether", true},
		{"x/**/a.aether", "x/p/q/a.aether", true},
		{"x/**/a.aether", "y/a.aether", false},
		{"**/legacy/**", "a/legacy/b/c.aether", true},
		{"**/legacy/**", "a/legacyx/c.aether", false},
		{"a b/*", "a b/c d.aether", true},
		{"*.sh", "d/a.sh", true},
		{"d/**", "e/a.sh", false},
		{"d/**/x/*.sh", "d/y/x/a.sh", true},
		{"d/**/x/*.sh", "d/y/a.sh", false},
		{"scripts/[ab].sh", "scripts/b.sh", true},
		{"scripts/[ab].sh", "scripts/c.sh", false},
	}
	for _, tt := range tests {
		if got := Match(tt.pattern, tt.rel); got != tt.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.pattern, tt.rel, got, tt.want)
		}
	}
	if !MatchAny([]string{"*.go", "*.sh"}, "d/a.sh") || MatchAny(nil, "a.sh") {
		t.Error("MatchAny: want any one pattern to match, and none of none")
	}
}

func TestMatchWhole(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"main", "main", true},
		{"main", "feature/main", false}, // no base-name rule for branches
		{"release/**", "release/1.x", true},
		{"release/**", "release/1/2", true},
		{"release/**", "release", true},
		{"release/**", "prerelease/1.x", false},
		{"release/*", "release/1/2", false},
		{"release/*", "release/1.2", true},
		{"v[0-9].x", "v1.x", true},
	}
	for _, tt := range tests {
		if got := MatchWhole(tt.pattern, tt.name); got != tt.want {
			t.Errorf("MatchWhole(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern string
		want    error
	}{
		{"**/*.aether", nil},
		{"d/**/x/[ab].sh", nil},
		{"a/[b", path.ErrBadPattern},
		{"[", path.ErrBadPattern},
		{"", ErrNotRelative},
		{"/etc/*.conf", ErrNotRelative},
	}
	for _, tt := range tests {
		if err := Validate(tt.pattern); !errors.Is(err, tt.want) {
			t.Errorf("Validate(%q) = %v, want %v", tt.pattern, err, tt.want)
		}
	}
}
