package gate

import (
	"fmt"
	"testing"
)

// Options.MissingReference is the default for gates that set no
// missing_reference; a gate's own setting wins.
func TestMissingReferenceDefault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		own, def string
		ok       bool
		policy   string
	}{
		{"", "", true, MissingWarn},
		{"", MissingFail, false, MissingFail},
		{"", MissingPass, true, MissingPass},
		{MissingPass, MissingFail, true, MissingPass},
		{MissingFail, MissingPass, false, MissingFail},
	}
	for _, tt := range tests {
		t.Run(tt.own+"/"+tt.def, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFile(t, dir, "new.jsonl", statusLines(1, "PARSE_ERROR"))
			own := ""
			if tt.own != "" {
				own = fmt.Sprintf(", missing_reference: %s", tt.own)
			}
			f := &fakeFetcher{err: fmt.Errorf("%w: none yet", ErrReferenceNotFound)}
			res := runConfig(t, "version: 1\ngates:\n  - id: pr\n    parse-regression: {statuses: new.jsonl, reference: {artifact: pb}"+own+"}\n",
				Options{Dir: dir, Reference: f, MissingReference: tt.def})
			g := res.Gate("pr")
			if g.OK != tt.ok || g.Details["missing_reference"] != tt.policy {
				t.Errorf("ok %v policy %v; want %v %v (%s)", g.OK, g.Details["missing_reference"], tt.ok, tt.policy, g.Summary)
			}
		})
	}
}
