package gate

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/gonogo-action/internal/minisign"
)

// The empty-set rule (docs/gate.md, "Nothing matched is never a pass"):
// each kind that reads a set fails when the set is empty, naming what
// matched nothing, unless the gate says allow_empty: true. One test per
// kind.

// emptyCase is one configuration of a kind over an empty set.
type emptyCase struct {
	name, spec string
	ok         bool
	status     string
	summary    string // a substring of the summary
}

func runEmptyCases(t *testing.T, kind, dir string, tests []emptyCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := runConfig(t, "version: 1\ngates:\n  - id: g\n    "+kind+": "+tt.spec+"\n", Options{Dir: dir}).Gate("g")
			if g.OK != tt.ok || g.Status() != tt.status || !strings.Contains(g.Summary, tt.summary) {
				t.Fatalf("ok %v status %s summary %q; want %v %s %q", g.OK, g.Status(), g.Summary, tt.ok, tt.status, tt.summary)
			}
		})
	}
}

func TestAuditEmptyLog(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "empty.jsonl", "")
	writeFile(t, dir, "blank.jsonl", "\n\n")
	runEmptyCases(t, "audit", dir, []emptyCase{
		{"empty log", "{file: empty.jsonl, sequence: [HMR_PREPARE]}", false, StatusFail, "audit log empty.jsonl holds no event"},
		{"blank lines only", "{file: blank.jsonl, sequence: [HMR_PREPARE]}", false, StatusFail, "audit log blank.jsonl holds no event"},
		{"allowed", "{file: empty.jsonl, sequence: [HMR_PREPARE], allow_empty: true}", true, StatusPass, "holds no event (allow_empty)"},
		{"allowed yet missing", "{file: none.jsonl, sequence: [HMR_PREPARE], allow_empty: true}", false, StatusMissing, "audit log none.jsonl is missing"},
	})
}

func TestQuietAbsentFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "empty.jsonl", "")
	runEmptyCases(t, "quiet", dir, []emptyCase{
		{"absent file", "{file: alerts.jsonl}", false, StatusMissing, "alerts file alerts.jsonl is missing"},
		{"absent file allowed", "{file: alerts.jsonl, allow_empty: true}", true, StatusPass, "no alerts file alerts.jsonl (allow_empty)"},
		// The sink exists and holds nothing: that is what quiet means.
		{"empty file", "{file: empty.jsonl}", true, StatusPass, "0 alert(s)"},
	})
}

func TestResultsNoGates(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "none.json", `{"_meta": {"profile": "test", "ts": 1, "all_passed": true}}`)
	runEmptyCases(t, "results", dir, []emptyCase{
		{"no gates", "none.json", false, StatusMissing, "no gates in none.json"},
		{"allowed", "{file: none.json, allow_empty: true}", true, StatusPass, "no gates in none.json (allow_empty)"},
		{"allowed yet named gate absent", "{file: none.json, gates: [smoke], allow_empty: true}", false, StatusMissing, "gate smoke is not in none.json"},
	})
}

func TestSignaturesNothingMatched(t *testing.T) {
	t.Parallel()
	pk, _, err := minisign.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := pk.MarshalText()
	dir := t.TempDir()
	writeFile(t, dir, "keys/release.pub", string(pub))
	writeFile(t, dir, "scripts/a.py", "print(1)\n")
	runEmptyCases(t, "signatures", dir, []emptyCase{
		{"nothing matched", "{include: ['scripts/**/*.sh'], keys: [keys/release.pub], strict: true}", false, StatusFail, "no file matched include scripts/**/*.sh"},
		{"all excluded", "{include: ['scripts/*'], exclude: ['*.py'], keys: [keys/release.pub]}", false, StatusFail, "no file matched include scripts/* less exclude *.py"},
		{"allowed", "{include: ['scripts/**/*.sh'], keys: [keys/release.pub], allow_empty: true}", true, StatusPass, "(allow_empty)"},
	})
}

func TestSSEEmptyStream(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = w.Write([]byte(": comments only, no event\n\n"))
	}))
	t.Cleanup(srv.Close)
	url := srv.URL + "/stream"
	runEmptyCases(t, "sse", t.TempDir(), []emptyCase{
		{"default", "{url: " + url + "}", false, StatusFail, "no event from " + url},
		// min_events: 0 alone no longer lets an empty stream pass.
		{"min_events 0", "{url: " + url + ", expect: {min_events: 0}}", false, StatusFail, "no event from " + url},
		{"allowed", "{url: " + url + ", allow_empty: true, expect: {min_events: 0}}", true, StatusPass, "0 events"},
		// allow_empty does not lower min_events' default of 1.
		{"allowed, min 1", "{url: " + url + ", allow_empty: true}", false, StatusFail, "0 event(s), want at least 1"},
	})
}

// TestCoverageNoLines: a percentage of nothing cannot be computed, so
// coverage takes no allow_empty.
func TestCoverageNoLines(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "lcov.info", "SF:a.py\nLF:0\nLH:0\nend_of_record\n")
	writeFile(t, dir, "empty.out", "mode: set\n")
	runEmptyCases(t, "coverage", dir, []emptyCase{
		{"lcov of 0 lines", "{profile: lcov.info, min: 80}", false, StatusError, "lcov.info"},
		{"go profile of no block", "{profile: empty.out, min: 80}", false, StatusError, "empty.out"},
	})
	if _, err := ParseConfig("c.yml", []byte("version: 1\ngates:\n  - id: g\n    coverage: {profile: x, min: 1, allow_empty: true}\n")); err == nil {
		t.Error("coverage accepted allow_empty")
	}
}

func TestParseRegressionAllowEmpty(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "src/app.py", "print(1)\n")
	writeFile(t, dir, "ref.json", refBaseline(1))
	const spec = `{checker: "true", paths: [src], include: ["**/*.aether"], reference: {file: ref.json}, output: out.json`
	runEmptyCases(t, "parse-regression", dir, []emptyCase{
		{"nothing matched", spec + "}", false, StatusError, "no file to check under"},
		{"allowed", spec + ", allow_empty: true}", true, StatusPass, "PARSE_ERROR 1→0"},
	})
	// Even when allowed, 0 files never become a baseline on disk.
	if _, err := os.Stat(filepath.Join(dir, "out.json")); err == nil {
		t.Error("a 0-file baseline was written")
	}
}

// TestKindsWithoutSet: run and http judge a command or a response, not a
// set, and refuse allow_empty rather than ignore it.
func TestKindsWithoutSet(t *testing.T) {
	t.Parallel()
	for _, y := range []string{
		"run: {allow_empty: true}",
		"http: [{request: {url: 'http://x'}, allow_empty: true}]",
	} {
		if _, err := ParseConfig("c.yml", []byte("version: 1\ngates:\n  - id: g\n    "+y+"\n")); err == nil {
			t.Errorf("%s: accepted", y)
		}
	}
}

// TestMetricsEmptyExposition: an exposition of no series (an empty scrape,
// a file truncated to nothing) meets every {absent: true}; it fails unless
// allow_empty says that nothing is the news.
func TestMetricsEmptyExposition(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "empty.prom", "")
	writeFile(t, dir, "comments.prom", "# HELP dlq_depth Tasks in the dead-letter queue.\n# TYPE dlq_depth gauge\n")
	writeFile(t, dir, "one.prom", "up 1\n")
	absent := "expect: [{name: dlq_depth, value: {absent: true}}]"
	runEmptyCases(t, "metrics", dir, []emptyCase{
		{"empty", "{file: empty.prom, " + absent + "}", false, StatusFail, "no series in empty.prom: an empty exposition proves nothing"},
		{"comments only", "{file: comments.prom, " + absent + "}", false, StatusFail, "no series in comments.prom"},
		{"allowed", "{file: empty.prom, " + absent + ", allow_empty: true}", true, StatusPass, "dlq_depth absent"},
		{"a series read", "{file: one.prom, " + absent + "}", true, StatusPass, "dlq_depth absent"},
	})
}
