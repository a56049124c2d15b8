package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/scan"
)

// lintSARIF is a linter's SARIF log over total files of which the first
// failing have one error-level finding each, with no code of our table:
// what ESLint, staticcheck or gosec write.
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

// TestLinterFindingsGatedByDefault: two baselines ingested from SARIF, 29
// files failing on main and 37 on the pull request, regress with the
// default options (no --codes).
func TestLinterFindingsGatedByDefault(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, failing := range map[string]int{"ref.json": 29, "new.json": 37} {
		b, err := scan.Build(context.Background(), scan.Options{Statuses: "-", Stdin: strings.NewReader(lintSARIF(60, failing))})
		if err != nil {
			t.Fatal(err)
		}
		if err := baseline.Write(filepath.Join(dir, name), b); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--ref", filepath.Join(dir, "ref.json"), "--new", filepath.Join(dir, "new.json")}, cli.Stdio{Out: &stdout, Err: &stderr}, func(string) string { return "" })
	if code != cli.ExitFail || !strings.Contains(stderr.String(), "regression: VALIDATION_ERROR grew 29 → 37 (+8") {
		t.Errorf("exit %d, stderr %q; want %d and a VALIDATION_ERROR regression", code, stderr.String(), cli.ExitFail)
	}
}
