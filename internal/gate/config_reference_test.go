package gate

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReferenceBranches(t *testing.T) {
	t.Parallel()
	const gates = "gates:\n  - id: a\n    run: 'true'\n"
	tests := []struct {
		name, yaml string
		want       []string
		err        string
	}{
		{"unset", "version: 1\n" + gates, []string{"release/**"}, ""},
		{"set", "version: 1\nreference:\n  branches: [release/**, stable/*]\n" + gates, []string{"release/**", "stable/*"}, ""},
		{"empty", "version: 1\nreference: {branches: []}\n" + gates, []string{}, ""},
		{"bad glob", "version: 1\nreference:\n  branches: ['rel[']\n" + gates, nil, `g.yml:3: "branches": "rel[": syntax error in pattern`},
		{"a ref", "version: 1\nreference:\n  branches: [refs/heads/main]\n" + gates, nil, `g.yml:3: "branches": "refs/heads/main": want a branch name pattern`},
		{"absolute", "version: 1\nreference:\n  branches: [/main]\n" + gates, nil, `"/main": want a relative path pattern`},
		{"unknown key", "version: 1\nreference:\n  branch: main\n" + gates, nil, `unknown key "branch"`},
		{"not a list", "version: 1\nreference:\n  branches: main\n" + gates, nil, `g.yml:3`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := ParseConfig("g.yml", []byte(tt.yaml))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, cfg.ReferenceBranches); d != "" {
				t.Errorf("branches (-want +got):\n%s", d)
			}
		})
	}
}
