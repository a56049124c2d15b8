package gate

import (
	"path/filepath"
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
