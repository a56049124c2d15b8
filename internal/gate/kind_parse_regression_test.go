package gate

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/artifact"
	"github.com/org/gonogo-action/internal/baseline"
)

func statusLines(n int, code string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"ok": false, "code_name": %q, "file": "wf/f%03d.aether", "line": %d, "message": "Parse error line %d"}`+"\n", code, i, i+1, i+1)
	}
	fmt.Fprintf(&b, `{"ok": true, "code_name": "SUCCESS", "file": "wf/good.aether"}`+"\n")
	return b.String()
}

func refBaseline(parseErrors int) string {
	return fmt.Sprintf(`{"timestamp": "2025-09-13T10:15:22Z", "total": %d, "by_code": {"SUCCESS": 1, "PARSE_ERROR": %d}, "failure_rate": 0.5, "files": []}`, parseErrors+1, parseErrors)
}

type fakeFetcher struct {
	data  []byte
	found artifact.Provenance
	err   error
	got   *artifact.Ref
}

func (f *fakeFetcher) FetchReference(_ context.Context, ref artifact.Ref) ([]byte, artifact.Provenance, error) {
	f.got = &ref
	return f.data, f.found, f.err
}

var _ ReferenceFetcher = (*fakeFetcher)(nil)

func TestParseRegressionGate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "new20.jsonl", statusLines(20, "PARSE_ERROR"))
	writeFile(t, dir, "new11.jsonl", statusLines(11, "PARSE_ERROR"))
	writeFile(t, dir, "ref10.json", refBaseline(10))
	writeFile(t, dir, "crash.jsonl", statusLines(1, "INTERNAL_ERROR"))
	const crashed = `{"total": 2, "by_code": {"SUCCESS": 1, "INTERNAL_ERROR": 1}, "files": [{"path": %q, "code_name": "INTERNAL_ERROR", "line": 1, "message": "panic"}]}`
	writeFile(t, dir, "refcrash.json", fmt.Sprintf(crashed, "wf/old.aether"))
	writeFile(t, dir, "refsame.json", fmt.Sprintf(crashed, "wf/f000.aether"))
	writeFile(t, dir, "wf/a.aether", "fine\n")
	writeFile(t, dir, "wf/b.aether", "bad\n")
	tests := []struct {
		name, spec string
		fetch      ReferenceFetcher
		ok         bool
		status     string
		summary    string
	}{
		{"regression", "{statuses: new20.jsonl, reference: {file: ref10.json}}", nil, false, "fail", "regression: PARSE_ERROR +10 (PARSE_ERROR 10→20, VALIDATION_ERROR 0→0, INTERNAL_ERROR 0→0)"},
		// fail_on_new (default INTERNAL_ERROR) judges files: wf/f000 crashes
		// now, wf/old crashed before; the count is steady, the gate fails.
		{"new crash in another file", "{statuses: crash.jsonl, reference: {file: refcrash.json}}", nil, false, "fail", "regression: INTERNAL_ERROR in 1 new file(s) (PARSE_ERROR 0→0, VALIDATION_ERROR 0→0, INTERNAL_ERROR 1→1)"},
		{"fail_on_new off", "{statuses: crash.jsonl, reference: {file: refcrash.json}, fail_on_new: []}", nil, true, "pass", "PARSE_ERROR 0→0"},
		{"same crash", "{statuses: crash.jsonl, reference: {file: refsame.json}}", nil, true, "pass", "INTERNAL_ERROR 1→1"},
		{"within thresholds", "{statuses: new11.jsonl, reference: {file: ref10.json}}", nil, true, "pass", "PARSE_ERROR 10→11"},
		{"custom threshold", "{statuses: new11.jsonl, reference: {file: ref10.json}, abs_threshold: 0, rel_threshold: 0}", nil, false, "fail", "regression: PARSE_ERROR +1"},
		{"missing ref warn", "{statuses: new11.jsonl, reference: {file: none.json}}", nil, true, "pass", "not compared (warning)"},
		{"missing ref pass", "{statuses: new11.jsonl, reference: {file: none.json}, missing_reference: pass}", nil, true, "pass", "missing_reference: pass"},
		{"missing ref fail", "{statuses: new11.jsonl, reference: {file: none.json}, missing_reference: fail}", nil, false, "missing", "no reference baseline"},
		{"missing statuses", "{statuses: none.jsonl, reference: {file: ref10.json}}", nil, false, "missing", "statuses file none.jsonl is missing"},
		{"artifact", "{statuses: new20.jsonl, reference: {artifact: parse-baseline}}", &fakeFetcher{data: []byte(refBaseline(19))}, true, "pass", "PARSE_ERROR 19→20"},
		{"artifact not found", "{statuses: new20.jsonl, reference: {artifact: pb}, missing_reference: fail}", &fakeFetcher{err: fmt.Errorf("run 42: %w", ErrReferenceNotFound)}, false, "missing", "run 42"},
		{"artifact without fetcher", "{statuses: new20.jsonl, reference: {artifact: pb}, missing_reference: fail}", nil, false, "missing", "fetched by the action"},
		{"artifact error", "{statuses: new20.jsonl, reference: {artifact: pb}}", &fakeFetcher{err: fmt.Errorf("403 forbidden")}, false, "error", "403 forbidden"},
		{"bad reference", "{statuses: new20.jsonl, reference: {file: new11.jsonl}}", nil, false, "error", "reference new11.jsonl"},
		// The execute phase runs on the files the checker passed; its
		// RUNTIME_ERROR is gated like any code.
		{"exec checker", `{checker: "true", exec_checker: "sh -c 'grep -q bad \"$1\" && exit 21; echo AETHER_ERROR_CODE:0 >&2' _ {file}", paths: [wf], include: ["*.aether"], reference: {file: ref10.json}, codes: [RUNTIME_ERROR], abs_threshold: 0, rel_threshold: 0}`, nil, false, "fail", "regression: RUNTIME_ERROR +1 (RUNTIME_ERROR 0→1"},
		{"exec checker silent", `{checker: "true", exec_checker: "true", paths: [wf], include: ["*.aether"], reference: {file: ref10.json}, codes: [INTERNAL_ERROR], abs_threshold: 1, rel_threshold: 0}`, nil, false, "fail", "regression: INTERNAL_ERROR in 2 new file(s) (INTERNAL_ERROR 0→2)"},
		{"checker", `{checker: "sh -c 'grep -q bad \"$1\" && exit 20 || exit 0' _ {file}", paths: [wf], include: ["*.aether"], reference: {file: ref10.json}}`, nil, true, "pass", "PARSE_ERROR 10→1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runConfig(t, "version: 1\ngates:\n  - id: pr\n    parse-regression: "+tt.spec+"\n", Options{Dir: dir, Reference: tt.fetch})
			g := res.Gate("pr")
			if g.OK != tt.ok || g.Status() != tt.status || !strings.Contains(g.Summary, tt.summary) {
				t.Fatalf("ok %v status %s summary %q; want %v %s %q\n%v", g.OK, g.Status(), g.Summary, tt.ok, tt.status, tt.summary, g.Details)
			}
		})
	}
}

func TestParseRegressionWritesOutputAndReport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "new.jsonl", statusLines(60, "VALIDATION_ERROR"))
	now := time.Date(2026, 11, 26, 12, 0, 0, 123456789, time.UTC)
	found := artifact.Provenance{
		Branch: "main", SHA: strings.Repeat("ab", 20), RunID: 20, RunURL: "https://github.com/o/r/actions/runs/20",
		ArtifactID: 205, CreatedAt: now.Add(-50 * time.Hour).Truncate(time.Second),
		Why: artifact.ByFallback, Wanted: "release/2.x",
	}
	f := &fakeFetcher{data: []byte(refBaseline(0)), found: found}
	res := runConfig(t, `version: 1
gates:
  - id: pr
    parse-regression:
      statuses: new.jsonl
      reference: {artifact: pb}
      output: out/parse_baseline.json
      codes: [VALIDATION_ERROR]
`, Options{Dir: dir, Reference: f, Now: func() time.Time { return now }})
	g := res.Gate("pr")
	if g.OK || g.Regression == nil || g.Reference == nil {
		t.Fatalf("want a regression with its reference: %s %+v", g.Summary, g)
	}
	// No branch given: the fetcher chooses it.
	if *f.got != (artifact.Ref{Name: "pb", File: "parse_baseline.json"}) {
		t.Errorf("fetched %+v", *f.got)
	}
	if r := g.Regression; len(r.Regressions) != 1 || r.Regressions[0].Code != "VALIDATION_ERROR" ||
		r.Timestamp != "2026-11-26T12:00:00.123456+00:00" || len(r.NewFailures) != maxListedFiles ||
		r.NewFailuresTotal <= maxListedFiles || !r.Truncated || r.ListLimit != maxListedFiles {
		t.Errorf("regression %+v", r)
	}
	want := ReferenceSource{Name: "artifact pb on the reference branch (parse_baseline.json)", Found: &found, AgeHours: 50}
	if d := cmp.Diff(want, *g.Reference); d != "" {
		t.Errorf("reference (-want +got):\n%s", d)
	}
	if _, err := os.Stat(filepath.Join(dir, "out/parse_baseline.json")); err != nil {
		t.Errorf("output not written: %v", err)
	}

	// gate_results.json folds the typed fields into details, and reading
	// it back gives them again, with nothing left over in details.
	data, err := res.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	details := doc["pr"]["details"].(map[string]any)
	report := details["report"].(map[string]any)
	prov := details["reference_provenance"].(map[string]any)
	// A capped list says so in gate_results.json: its total and truncated.
	if report["new_failures_total"] != float64(g.Regression.NewFailuresTotal) || report["truncated"] != true ||
		report["list_limit"] != float64(maxListedFiles) || len(report["new_failures"].([]any)) != maxListedFiles {
		t.Errorf("report lists %d of %v new failures, truncated %v, limit %v", len(report["new_failures"].([]any)),
			report["new_failures_total"], report["truncated"], report["list_limit"])
	}
	if report["timestamp"] != "2026-11-26T12:00:00.123456+00:00" || report["ok"] != false ||
		details["reference"] != want.Name || prov["run_id"] != 20.0 || prov["age_hours"] != 50.0 ||
		prov["created_at"] != "2026-11-24T10:00:00Z" || prov["sha"] != found.SHA ||
		prov["branch_reason"] != "fallback" || prov["branch_wanted"] != "release/2.x" {
		t.Errorf("details %s", data)
	}
	var back Results
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	bg := back.Gate("pr")
	if d := cmp.Diff(g.Regression, bg.Regression); d != "" {
		t.Errorf("regression read back (-want +got):\n%s", d)
	}
	if d := cmp.Diff(g.Reference, bg.Reference); d != "" {
		t.Errorf("reference read back (-want +got):\n%s", d)
	}
	for _, k := range []string{"report", "reference", "reference_provenance"} {
		if _, ok := bg.Details[k]; ok {
			t.Errorf("details.%s read back untyped too", k)
		}
	}
	again, err := back.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(data), string(again)); d != "" {
		t.Errorf("gate_results.json changed through a read and a write (-first +second):\n%s", d)
	}
}

// A parse-regression gate whose details.report is not a report is refused
// when gate_results.json is read back, not rendered as nothing.
func TestReadResultsRefusesMalformedReport(t *testing.T) {
	t.Parallel()
	for name, details := range map[string]string{
		"report":     `{"report": {"ok": "yes"}}`,
		"reference":  `{"reference": 7}`,
		"provenance": `{"reference": "x", "reference_provenance": {"created_at": "yesterday"}}`,
		"reason":     `{"reference": "x", "reference_provenance": {"created_at": "2026-11-24T10:00:00Z", "branch_reason": "because"}}`,
	} {
		data := `{"_meta": {"profile": "", "ts": 0, "all_passed": false}, "pr": {"ok": false, "manual": false, "duration_sec": 0, "kind": "parse-regression", "details": ` + details + `}}`
		var r Results
		if err := json.Unmarshal([]byte(data), &r); err == nil || !strings.Contains(err.Error(), "gate pr") {
			t.Errorf("%s: err %v, want one naming the gate", name, err)
		}
	}
}

func TestParseRegressionConfigErrors(t *testing.T) {
	t.Parallel()
	for spec, want := range map[string]string{
		"{reference: {file: r}}":                                        "give statuses: FILE or checker: CMD",
		"{statuses: s, checker: c, reference: {file: r}}":               "give statuses: FILE or checker: CMD",
		"{statuses: s}":                                                 "reference needs file",
		"{checker: \"lint {file}\"}":                                    "reference needs file",
		"{checker: \"lint {file}\", reference: {}}":                     "reference needs file",
		"{statuses: s, reference: {file: r}, missing_reference: maybe}": `g.yml:4: "missing_reference": want pass, warn or fail, got "maybe"`,
		"{statuses: s, reference: {file: r}, codes: [PARSE_ERRORS]}":    `g.yml:4: "codes": PARSE_ERRORS: unknown code (known: SUCCESS, `,
		"{statuses: s, reference: {file: r}, fail_on_new: [nope]}":      `g.yml:4: "fail_on_new": nope: unknown code (known: `,
		"{statuses: s, reference: {file: r}, codes: [success]}":         `g.yml:4: "codes": SUCCESS is not a failure and never regresses`,
		"{statuses: s, reference: {file: r}, fail_on_new: [SUCCESS]}":   `g.yml:4: "fail_on_new": SUCCESS is not a failure and never regresses`,
		"{statuses: s, reference: {file: r, artefact: x}}":              "unknown key \"artefact\"",
		"{statuses: s, exec_checker: x, reference: {file: r}}":          `g.yml:4: "exec_checker": runs on the files checker passed`,
		"{checker: c, exec_checker: \"x 'y\", reference: {file: r}}":    `g.yml:4: "exec_checker": `,
	} {
		_, err := ParseConfig("g.yml", []byte("version: 1\ngates:\n  - id: pr\n    parse-regression: "+spec+"\n"))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want %q", spec, err, want)
		}
	}
}

// lintSARIF is a linter's SARIF log over total files of which the first
// failing have one error-level finding each, with no code of our table.
func lintSARIF(total, failing int) string {
	var arts, results []string
	for i := range total {
		uri := fmt.Sprintf("src/f%02d.js", i)
		arts = append(arts, fmt.Sprintf(`{"location": {"uri": %q}}`, uri))
		if i < failing {
			results = append(results, fmt.Sprintf(`{"level": "error", "ruleId": "no-undef", "message": {"text": "'x%d' is not defined."},
			  "locations": [{"physicalLocation": {"artifactLocation": {"uri": %q}, "region": {"startLine": 3}}}]}`, i, uri))
		}
	}
	return `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "ESLint"}}, "artifacts": [` + strings.Join(arts, ",") +
		`], "results": [` + strings.Join(results, ",") + `]}]}`
}

// TestParseRegressionGatesLinterFindingsByDefault: a pull request that
// adds 8 failing files to 29 fails without any codes: setting.
func TestParseRegressionGatesLinterFindingsByDefault(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "ref.sarif", lintSARIF(60, 29))
	writeFile(t, dir, "new.sarif", lintSARIF(60, 37))
	res := runConfig(t, "version: 1\ngates:\n  - id: ref\n    parse-regression: {statuses: ref.sarif, output: ref.json, reference: {file: none.json}, missing_reference: pass}\n", Options{Dir: dir})
	if g := res.Gate("ref"); !g.OK {
		t.Fatalf("reference run: %s %v", g.Summary, g.Details)
	}
	res = runConfig(t, "version: 1\ngates:\n  - id: pr\n    parse-regression: {statuses: new.sarif, reference: {file: ref.json}}\n", Options{Dir: dir})
	g := res.Gate("pr")
	if g.OK || !strings.Contains(g.Summary, "regression: VALIDATION_ERROR +8") {
		t.Errorf("ok %v summary %q; want a VALIDATION_ERROR regression", g.OK, g.Summary)
	}
}

// TestParseRegressionNothingMatchedFails: a gate whose include matches no
// file fails naming it, and writes no baseline that could become the next
// reference.
func TestParseRegressionNothingMatchedFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "src/app.py", "print(1)\n")
	writeFile(t, dir, "ref.json", refBaseline(1))
	res := runConfig(t, `version: 1
gates:
  - id: pr
    parse-regression: {checker: "true", paths: [src], include: ["**/*.aether"], reference: {file: ref.json}, output: out.json}
`, Options{Dir: dir})
	g := res.Gate("pr")
	if g.OK || !strings.Contains(g.Summary, "no file to check under") || !strings.Contains(g.Summary, "include **/*.aether") {
		t.Errorf("ok %v summary %q; want a failure naming the include", g.OK, g.Summary)
	}
	if _, err := os.Stat(filepath.Join(dir, "out.json")); err == nil {
		t.Error("a 0-file baseline was written")
	}
}

// TestParseRegressionNewSuppressed: the case through the gate. The
// suppressions file has a plain entry (no path=, no first=), written when
// tools/old.py failed with "SyntaxError: invalid syntax" at line 1; a pull
// request adds app/new.py failing the same way. The entry still hides it,
// but the sign-off line and details.report name it.
func TestParseRegressionNewSuppressed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "statuses.jsonl", `{"ok": false, "code_name": "PARSE_ERROR", "file": "tools/old.py", "line": 1, "message": "SyntaxError: invalid syntax"}
{"ok": false, "code_name": "PARSE_ERROR", "file": "app/new.py", "line": 1, "message": "SyntaxError: invalid syntax"}
`)
	writeFile(t, dir, "ref.json", `{"timestamp": "2025-09-13T10:15:22Z", "total": 1, "by_code": {"PARSE_ERROR": 1}, "failure_rate": 1,
"files": [{"path": "tools/old.py", "code_name": "PARSE_ERROR", "line": 1, "message": "SyntaxError: invalid syntax", "suppressed": true}],
"suppressed_failures": 1, "suppressed_by_code": {"PARSE_ERROR": 1}}`)
	fp := baseline.Fingerprint("PARSE_ERROR", 1, "SyntaxError: invalid syntax")
	writeFile(t, dir, "supp.txt", fp+" # py2 leftovers, owner: tools team\n")
	writeFile(t, dir, "scoped.txt", fp+" # py2 leftovers path=tools/**\n")
	tests := []struct {
		name, supp string
		ok         bool
		summary    string
		newSupp    []string
	}{
		{"unscoped entry", "supp.txt", true, "PARSE_ERROR 0→0, VALIDATION_ERROR 0→0, INTERNAL_ERROR 0→0; 1 file(s) newly hidden by a suppression not written for them (first: app/new.py)", []string{"app/new.py"}},
		{"path= entry", "scoped.txt", true, "PARSE_ERROR 0→1, VALIDATION_ERROR 0→0, INTERNAL_ERROR 0→0", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runConfig(t, "version: 1\ngates:\n  - id: pr\n    parse-regression: {statuses: statuses.jsonl, suppressions: "+tt.supp+", reference: {file: ref.json}}\n", Options{Dir: dir})
			g := res.Gate("pr")
			if g.OK != tt.ok || g.Summary != tt.summary {
				t.Fatalf("ok %v summary %q; want %v %q", g.OK, g.Summary, tt.ok, tt.summary)
			}
			var got []string
			for _, f := range g.Regression.NewSuppressed {
				got = append(got, f.Path)
			}
			if diff := cmp.Diff(tt.newSupp, got); diff != "" {
				t.Errorf("new_suppressed (-want +got):\n%s", diff)
			}
			data, err := res.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if listed := strings.Contains(string(data), `"new_suppressed"`); listed != (tt.newSupp != nil) {
				t.Errorf("gate_results.json lists new_suppressed: %v", listed)
			}
		})
	}
}
