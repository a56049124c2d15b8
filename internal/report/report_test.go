package report_test

import (
	"path/filepath"
	"testing"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/compare"
	"github.com/org/gonogo-action/internal/golden"
	"github.com/org/gonogo-action/internal/report"
)

// golden compares got with testdata/name, or rewrites it under -update.
func goldenFile(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), []byte(got))
}

func TestRegressionMarkdownGolden(t *testing.T) {
	t.Parallel()
	ref := &baseline.Baseline{ByCode: map[string]int{"PARSE_ERROR": 1800, "VALIDATION_ERROR": 30, "RUNTIME_ERROR": 2}}
	next := &baseline.Baseline{ByCode: map[string]int{"PARSE_ERROR": 1810, "VALIDATION_ERROR": 42, "RUNTIME_ERROR": 9, "INTERNAL_ERROR": 1}}
	for i := range 12 {
		next.Files = append(next.Files, baseline.File{
			Path: "workflows/n" + string(rune('a'+i)) + ".aether", CodeName: "VALIDATION_ERROR", Line: i + 1,
			Message: "Unknown function `pwn|x` @admin #1 <b>",
		})
	}
	next.Files[0].Suppressed = true
	// Hidden by a suppression not written for it, and new to the reference.
	next.Files[0].UnscopedSuppression, next.Files[0].Fingerprint = true, "0123456789abcdef"
	ref.Files = []baseline.File{{Path: "workflows/old.aether", CodeName: "PARSE_ERROR", Line: 3}}
	goldenFile(t, "regression_fail.md", report.RegressionMarkdown(compare.Compare(ref, next, compare.DefaultPolicy())))
	goldenFile(t, "regression_pass.md", report.RegressionMarkdown(compare.Compare(ref, ref, compare.DefaultPolicy())))
}
