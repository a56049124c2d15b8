package gate

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/baseline"
)

// TestParseRegressionSuppressionAge: suppressions_max_age expires entries
// by their added= day, and the sign-off line and details name the expired
// and unused entries with their owners. The clock is 2026-12-01.
func TestParseRegressionSuppressionAge(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "statuses.jsonl", `{"ok": false, "code_name": "PARSE_ERROR", "file": "old.aether", "line": 1, "message": "old"}
{"ok": false, "code_name": "PARSE_ERROR", "file": "young.aether", "line": 2, "message": "young"}
`)
	writeFile(t, dir, "ref.json", refBaseline(0))
	old, young := baseline.Fingerprint("PARSE_ERROR", 1, "old"), baseline.Fingerprint("PARSE_ERROR", 2, "young")
	writeFile(t, dir, "supp.txt", old+" # owner=@a added=2026-09-01 first=old.aether\n"+
		young+" # owner=@b added=2026-09-02 first=young.aether\n"+
		"fedcba9876543210 # gone owner=@c added=2026-11-01\n")
	writeFile(t, dir, "future.txt", old+" # added=2026-12-02\n")
	now := func() time.Time { return time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) }
	tests := []struct {
		name, spec      string
		ok              bool
		summary         string
		expired, unused []string
		owners          map[string][]string
	}{
		{"no limit", "suppressions: supp.txt", true,
			"PARSE_ERROR 0→0, VALIDATION_ERROR 0→0, INTERNAL_ERROR 0→0; suppression entries 1 unused (fedcba9876543210 (owner @c))", nil, []string{"fedcba9876543210"},
			map[string][]string{"fedcba9876543210": {"@c"}}},
		{"90 days", "suppressions: supp.txt, suppressions_max_age: 90d, abs_threshold: 0, rel_threshold: 0", false,
			"regression: PARSE_ERROR +1 (PARSE_ERROR 0→1, VALIDATION_ERROR 0→0, INTERNAL_ERROR 0→0); suppression entries 1 expired (" + old + " (owner @a)), 1 unused (fedcba9876543210 (owner @c))",
			[]string{old}, []string{"fedcba9876543210"}, map[string][]string{old: {"@a"}, "fedcba9876543210": {"@c"}}},
		{"future added=", "suppressions: future.txt", false, "future.txt:1: added=2026-12-02 is after today (2026-12-01 UTC)", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runConfig(t, "version: 1\ngates:\n  - id: pr\n    parse-regression: {statuses: statuses.jsonl, reference: {file: ref.json}, "+tt.spec+"}\n",
				Options{Dir: dir, Now: now})
			g := res.Gate("pr")
			if g.OK != tt.ok || !strings.Contains(g.Summary, tt.summary) {
				t.Fatalf("ok %v summary %q; want %v, containing %q", g.OK, g.Summary, tt.ok, tt.summary)
			}
			if got, _ := g.Details["expired_suppressions"].([]string); !cmp.Equal(got, tt.expired) {
				t.Errorf("details.expired_suppressions = %v, want %v", got, tt.expired)
			}
			if got, _ := g.Details["unused_suppressions"].([]string); !cmp.Equal(got, tt.unused) {
				t.Errorf("details.unused_suppressions = %v, want %v", got, tt.unused)
			}
			if got, _ := g.Details["stale_suppression_owners"].(map[string][]string); !cmp.Equal(got, tt.owners) {
				t.Errorf("details.stale_suppression_owners = %v, want %v", got, tt.owners)
			}
		})
	}
}

func TestParseRegressionMaxAgeValues(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ value, want string }{
		{"90", `"suppressions_max_age": want a number of days such as 90d, got 90`},
		{"0d", `"suppressions_max_age": want a number of days such as 90d, 1d or more, got 0d`},
		{"90days", `"suppressions_max_age": want a number of days such as 90d, got "90days"`},
		{"[90d]", `"suppressions_max_age": want a number of days such as 90d, got a list`},
	} {
		_, err := ParseConfig("gonogo.yml", []byte("version: 1\ngates:\n  - id: pr\n    parse-regression:\n      statuses: s.jsonl\n      reference: {file: r.json}\n      suppressions_max_age: "+tt.value+"\n"))
		if err == nil || !strings.Contains(err.Error(), "gonogo.yml:7") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("suppressions_max_age: %s: error = %v, want one at gonogo.yml:7 containing %q", tt.value, err, tt.want)
		}
	}
}

// TestParseRegressionDefaultSuppressions: with no suppressions: key the
// gate reads the default location that exists and says so in details;
// suppressions: "" reads none; both defaults at once is an error.
func TestParseRegressionDefaultSuppressions(t *testing.T) {
	t.Parallel()
	fp := baseline.Fingerprint("PARSE_ERROR", 1, "old")
	const statuses = `{"ok": false, "code_name": "PARSE_ERROR", "file": "old.aether", "line": 1, "message": "old"}` + "\n"
	spec := func(extra string) string {
		return "version: 1\ngates:\n  - id: pr\n    parse-regression: {statuses: statuses.jsonl, reference: {file: ref.json}, abs_threshold: 0, rel_threshold: 0" + extra + "}\n"
	}
	t.Run("specification's file", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeFile(t, dir, "statuses.jsonl", statuses)
		writeFile(t, dir, "ref.json", refBaseline(0))
		writeFile(t, dir, ".aetherra/workflow_suppressions.txt", fp+" # first=old.aether\n")
		g := runConfig(t, spec(""), Options{Dir: dir}).Gate("pr")
		if !g.OK || g.Details["suppressions"] != ".aetherra/workflow_suppressions.txt" || g.Details["suppressions_default"] != true {
			t.Errorf("ok %v, details %v; want a pass reading the default file", g.OK, g.Details)
		}
		g = runConfig(t, spec(`, suppressions: ""`), Options{Dir: dir}).Gate("pr")
		if g.OK || g.Details["suppressions"] != nil {
			t.Errorf("suppressions: \"\": ok %v, details %v; want a failure, no file read", g.OK, g.Details)
		}
	})
	t.Run("both", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeFile(t, dir, "statuses.jsonl", statuses)
		writeFile(t, dir, "ref.json", refBaseline(0))
		writeFile(t, dir, ".aetherra/workflow_suppressions.txt", fp+"\n")
		writeFile(t, dir, ".gonogo/suppressions.txt", fp+"\n")
		g := runConfig(t, spec(""), Options{Dir: dir}).Gate("pr")
		if g.OK || g.Status() != StatusError || !strings.Contains(g.Summary, "suppressions: both ") {
			t.Errorf("ok %v status %s summary %q; want an error naming both files", g.OK, g.Status(), g.Summary)
		}
	})
}
