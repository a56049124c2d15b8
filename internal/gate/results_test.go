package gate

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/org/gonogo-action/internal/golden"
)

// TestResultsGolden pins gate_results.json: a run with a fixed clock over
// kinds whose details do not depend on the machine.
func TestResultsGolden(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "audit.jsonl", `{"event":"HMR_PREPARE"}`+"\n"+`{"event":"HMR_SWAP"}`+"\n")
	// 6 of 9 lines; the coverage package reads the format, this is its gate.
	writeFile(t, dir, "testdata/coverage/lcov.info", "SF:a.js\nDA:1,1\nDA:2,1\nDA:3,1\nDA:4,1\nDA:5,1\nDA:6,1\nDA:7,0\nDA:8,0\nDA:9,0\nLF:9\nLH:6\nend_of_record\n")
	writeFile(t, dir, "base.txt", "70\n")
	clock := time.Date(2024, 10, 27, 3, 33, 20, 123e6, time.UTC)
	res := runConfig(t, `version: 1
profile: test
gates:
  - id: launcher_smoke
    title: Launcher smoke
    run: |
      echo '{"services": ["aetherra_engine"], "missing": []}'
    expect: {stdout_json: {missing: []}}
  - id: hmr_quiesce
    title: HMR swap + audit
    manual: true
    audit: {file: audit.jsonl, sequence: [HMR_PREPARE, [HMR_SWAP, HMR_ROLLBACK]]}
  - id: spec_tests_coverage
    coverage: {profile: testdata/coverage/lcov.info, baseline: base.txt, max_drop: 1}
  - id: optional
    mandatory: false
    run: exit 3
  - id: after
    needs: [optional]
    run: "true"
`, Options{Dir: dir, Now: func() time.Time { return clock }})
	data, err := res.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "golden", "results.json"), data)
}

// TestReadResultsRefusesRepeatedKeys: a gate_results.json may come from a
// pull request; a key named twice would be read as its last value here and
// its first elsewhere, so the file is refused, naming the key.
func TestReadResultsRefusesRepeatedKeys(t *testing.T) {
	t.Parallel()
	gate := `{"ok": true, "manual": false, "duration_sec": 0.1, "details": {"status": "pass"}}`
	for name, tt := range map[string]struct{ data, want string }{
		"gate id":    {`{"a": ` + gate + `, "a": ` + gate + `}`, `repeated key "a"`},
		"ok":         {`{"a": {"ok": false, "ok": true, "manual": false, "duration_sec": 0.1, "details": {}}}`, `a: repeated key "ok"`},
		"in details": {`{"a": {"ok": true, "manual": false, "duration_sec": 0.1, "details": {"status": "pass", "status": "fail"}}}`, `a.details: repeated key "status"`},
		"in _meta":   {`{"_meta": {"all_passed": false, "all_passed": true}, "a": ` + gate + `}`, `_meta: repeated key "all_passed"`},
		"in a list":  {`{"a": {"ok": true, "manual": false, "duration_sec": 0.1, "details": {"status": "pass", "checks": [{"id": 1, "id": 2}]}}}`, `a.details.checks[0]: repeated key "id"`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "gate_results.json")
			writeFile(t, filepath.Dir(path), filepath.Base(path), tt.data)
			_, err := ReadResults(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to name %s", err, tt.want)
			}
			if !strings.Contains(err.Error(), "read results "+path+": ") {
				t.Errorf("err = %v, want it to name the file", err)
			}
		})
	}
	// The same document without the repetition is read.
	path := filepath.Join(t.TempDir(), "gate_results.json")
	writeFile(t, filepath.Dir(path), filepath.Base(path), `{"a": `+gate+`}`)
	if r, err := ReadResults(path); err != nil || r.Gate("a") == nil || !r.Gate("a").OK {
		t.Fatalf("ReadResults = %+v, %v", r, err)
	}
}

// TestReadResultsRefusesUnknownTestOutcome: details.tests.failed lists failed
// and errored tests; any other outcome in a handed-over file (the report
// mode, a results gate) is refused, naming the field, rather than rendered.
func TestReadResultsRefusesUnknownTestOutcome(t *testing.T) {
	t.Parallel()
	tests := func(outcome string) string {
		return `{"unit": {"ok": false, "manual": false, "duration_sec": 1, "kind": "tests", "details": {"status": "fail", "tests": ` +
			`{"files": [], "counts": {"total": 1, "passed": 0, "failed": 1, "errors": 0, "skipped": 0, "flaky": 0}, ` +
			`"failed": [{"name": "t", "outcome": ` + outcome + `}], "failing": ["t"], "max_test_drop": 0}}}}`
	}
	dir := t.TempDir()
	writeFile(t, dir, "bad.json", tests(`"failed\n\n# heading @org/team"`))
	_, err := ReadResults(filepath.Join(dir, "bad.json"))
	if err == nil || !strings.Contains(err.Error(), "details.tests.failed[0].outcome") {
		t.Fatalf("err = %v, want it to name details.tests.failed[0].outcome", err)
	}
	for _, ok := range []string{`"failed"`, `"error"`} {
		writeFile(t, dir, "good.json", tests(ok))
		if _, err := ReadResults(filepath.Join(dir, "good.json")); err != nil {
			t.Errorf("outcome %s: %v", ok, err)
		}
	}
}
