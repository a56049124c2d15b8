package classify_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/classify"
	"github.com/org/gonogo-action/internal/golden"
	"github.com/org/gonogo-action/internal/signing"
)

// sampleBaseline is a two-phase run over five files: a parse error, a
// suppressed runtime error, a timeout from the execute phase, and two
// files that passed both phases.
func sampleBaseline() *baseline.Baseline {
	b := &baseline.Baseline{
		Timestamp: "2026-11-30T10:00:00Z",
		ByCode:    map[string]int{"SUCCESS": 2, "PARSE_ERROR": 1, "RUNTIME_ERROR": 1, "TIMEOUT_ERROR": 1},
		Files: []baseline.File{
			{Path: "flows/a.aether", CodeName: "PARSE_ERROR", Line: 2, Message: "Parse error line 2: legacy intent:", Category: "ParseError", Phase: "parse",
				Fingerprint: baseline.Fingerprint("PARSE_ERROR", 2, "Parse error line 2: legacy intent:")},
			{Path: "flows/b.aether", CodeName: "RUNTIME_ERROR", Line: 4, Message: "service planner missing | <b>", Category: "Suppressed-RuntimeError", Phase: "execute",
				Fingerprint: baseline.Fingerprint("RUNTIME_ERROR", 4, "service planner missing | <b>"), Suppressed: true},
			{Path: "flows/c.aether", CodeName: "TIMEOUT_ERROR", Message: "step exceeded its budget", Category: "Timeout", Phase: "execute",
				Fingerprint: baseline.Fingerprint("TIMEOUT_ERROR", 0, "step exceeded its budget")},
		},
		SuppressedFailures: 1, Checker: "aether --check {file}", ExecChecker: "aether --run {files}",
		Passed: []string{"flows/d.aether", "flows/e.aether"},
	}
	b.Normalize()
	return b
}

func TestGolden(t *testing.T) {
	t.Parallel()
	sigs := map[string]signing.FileResult{
		"flows/a.aether": {Path: "flows/a.aether", Status: signing.Signed, KeyID: "699C7BDECCA1A7DA"},
		"flows/b.aether": {Path: "flows/b.aether", Status: signing.Unsigned, Reason: "no b.aether.minisig"},
		"flows/c.aether": {Path: "flows/c.aether", Status: signing.Invalid, Reason: "signature does not match the file (changed after signing?)"},
		"flows/d.aether": {Path: "flows/d.aether", Status: signing.Revoked, Reason: "key 699C7BDECCA1A7DA revoked"},
		// e.aether was not judged (unreadable): unchecked.
	}
	for name, o := range map[string]classify.Options{
		"plain":      {PassPhase: "execute"},
		"signatures": {PassPhase: "execute", Limit: 300, Signatures: sigs},
	} {
		d, err := classify.Build(sampleBaseline(), o)
		if err != nil {
			t.Fatal(err)
		}
		data, err := classify.Encode(d)
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", "golden", name+".json"), data)
		golden.Check(t, filepath.Join("testdata", "golden", name+".md"), []byte(classify.Markdown(d)))
	}
}

// TestBuildRefuses: a category, phase or signature state the package does
// not know is an error, never counted as Other.
func TestBuildRefuses(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		edit func(*baseline.Baseline, *classify.Options)
		want string
	}{
		"unknown category":  {func(b *baseline.Baseline, _ *classify.Options) { b.Files[0].Category = "Syntax" }, `unknown category "Syntax"`},
		"missing category":  {func(b *baseline.Baseline, _ *classify.Options) { b.Files[0].Category = "" }, `unknown category ""`},
		"unknown phase":     {func(b *baseline.Baseline, _ *classify.Options) { b.Files[1].Phase = "run" }, `unknown phase "run"`},
		"unknown passphase": {func(_ *baseline.Baseline, o *classify.Options) { o.PassPhase = "both" }, `unknown phase "both"`},
		"unknown signature": {func(_ *baseline.Baseline, o *classify.Options) {
			o.Signatures = map[string]signing.FileResult{"flows/a.aether": {Status: "trusted"}}
		}, `unknown signature state "trusted"`},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b, o := sampleBaseline(), classify.Options{}
			tt.edit(b, &o)
			_, err := classify.Build(b, o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Build error = %v, want %q", err, tt.want)
			}
		})
	}
}
