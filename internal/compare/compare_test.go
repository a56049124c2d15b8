package compare_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/compare"
)

func counts(byCode map[string]int) *baseline.Baseline {
	return &baseline.Baseline{ByCode: byCode}
}

func ptr(f float64) *float64 { return &f }

func TestCompareThresholds(t *testing.T) {
	t.Parallel()
	def := compare.DefaultPolicy()
	tests := []struct {
		name     string
		ref, new map[string]int
		policy   compare.Policy
		want     []compare.Regression
	}{
		{
			name: "specification example",
			ref:  map[string]int{"PARSE_ERROR": 1800, "VALIDATION_ERROR": 30},
			new:  map[string]int{"PARSE_ERROR": 1810, "VALIDATION_ERROR": 42},
			want: []compare.Regression{{Code: "VALIDATION_ERROR", Old: 30, New: 42, Delta: 12, RelativeIncrease: ptr(0.4), Rule: "threshold"}},
		},
		{
			name: "delta equal to the absolute threshold passes",
			ref:  map[string]int{"PARSE_ERROR": 10}, new: map[string]int{"PARSE_ERROR": 15},
		},
		{
			name: "one above the absolute threshold fails when relative is exceeded too",
			ref:  map[string]int{"PARSE_ERROR": 10}, new: map[string]int{"PARSE_ERROR": 16},
			want: []compare.Regression{{Code: "PARSE_ERROR", Old: 10, New: 16, Delta: 6, RelativeIncrease: ptr(0.6), Rule: "threshold"}},
		},
		{
			name: "relative equal to the threshold passes",
			ref:  map[string]int{"PARSE_ERROR": 100}, new: map[string]int{"PARSE_ERROR": 110},
		},
		{
			name: "relative just above the threshold fails",
			ref:  map[string]int{"PARSE_ERROR": 100}, new: map[string]int{"PARSE_ERROR": 111},
			want: []compare.Regression{{Code: "PARSE_ERROR", Old: 100, New: 111, Delta: 11, RelativeIncrease: ptr(0.11), Rule: "threshold"}},
		},
		{
			name: "large absolute but small relative passes",
			ref:  map[string]int{"PARSE_ERROR": 1000}, new: map[string]int{"PARSE_ERROR": 1090},
		},
		{
			name: "old zero uses only the absolute test",
			ref:  map[string]int{}, new: map[string]int{"VALIDATION_ERROR": 6},
			want: []compare.Regression{{Code: "VALIDATION_ERROR", Old: 0, New: 6, Delta: 6, RelativeIncrease: nil, Rule: "threshold"}},
		},
		{
			name: "old zero within the absolute threshold passes",
			ref:  map[string]int{}, new: map[string]int{"VALIDATION_ERROR": 5},
		},
		{
			name: "improvements pass",
			ref:  map[string]int{"PARSE_ERROR": 1800, "VALIDATION_ERROR": 30}, new: map[string]int{"PARSE_ERROR": 100},
		},
		{
			name: "untargeted codes never fail",
			ref:  map[string]int{"RUNTIME_ERROR": 1}, new: map[string]int{"RUNTIME_ERROR": 500},
		},
		{
			name: "codes option targets other codes",
			ref:  map[string]int{"RUNTIME_ERROR": 1, "PARSE_ERROR": 1}, new: map[string]int{"RUNTIME_ERROR": 500, "PARSE_ERROR": 500},
			policy: compare.Policy{AbsThreshold: 5, RelThreshold: 0.1, Codes: []string{"RUNTIME_ERROR"}},
			want:   []compare.Regression{{Code: "RUNTIME_ERROR", Old: 1, New: 500, Delta: 499, RelativeIncrease: ptr(499), Rule: "threshold"}},
		},
		{
			name: "fail-on-new fails on any increase",
			ref:  map[string]int{"INTERNAL_ERROR": 3}, new: map[string]int{"INTERNAL_ERROR": 4},
			policy: compare.Policy{AbsThreshold: 5, RelThreshold: 0.1, Codes: def.Codes, FailOnNew: []string{"INTERNAL_ERROR"}},
			want:   []compare.Regression{{Code: "INTERNAL_ERROR", Old: 3, New: 4, Delta: 1, RelativeIncrease: ptr(1.0 / 3), Rule: "fail_on_new"}},
		},
		{
			name: "fail-on-new passes when steady",
			ref:  map[string]int{"INTERNAL_ERROR": 3}, new: map[string]int{"INTERNAL_ERROR": 3},
			policy: compare.Policy{AbsThreshold: 5, RelThreshold: 0.1, Codes: def.Codes, FailOnNew: []string{"INTERNAL_ERROR"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := tt.policy
			if p.Codes == nil {
				p = def
			}
			got := compare.Compare(counts(tt.ref), counts(tt.new), p)
			want := tt.want
			if want == nil {
				want = []compare.Regression{}
			}
			if diff := cmp.Diff(want, got.Regressions); diff != "" {
				t.Errorf("regressions (-want +got):\n%s", diff)
			}
			if got.OK != (len(want) == 0) {
				t.Errorf("OK = %v with %d regressions", got.OK, len(want))
			}
		})
	}
}

func TestCompareReportsTargetedCountsAndAllRows(t *testing.T) {
	t.Parallel()
	ref := counts(map[string]int{"SUCCESS": 5, "PARSE_ERROR": 2, "RUNTIME_ERROR": 1})
	next := counts(map[string]int{"SUCCESS": 4, "PARSE_ERROR": 2, "RUNTIME_ERROR": 2})
	got := compare.Compare(ref, next, compare.DefaultPolicy())
	if diff := cmp.Diff(map[string]int{"PARSE_ERROR": 2, "VALIDATION_ERROR": 0}, got.NewCounts); diff != "" {
		t.Errorf("new_counts (-want +got):\n%s", diff)
	}
	var codes []string
	for _, r := range got.Codes {
		codes = append(codes, r.Code)
		if r.Code == "RUNTIME_ERROR" && r.Gated {
			t.Error("RUNTIME_ERROR is not gated by default")
		}
	}
	// INTERNAL_ERROR is gated by default (fail_on_new), so it has a row.
	if diff := cmp.Diff([]string{"PARSE_ERROR", "RUNTIME_ERROR", "VALIDATION_ERROR", "INTERNAL_ERROR"}, codes); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestCompareSuppressed(t *testing.T) {
	t.Parallel()
	ref := &baseline.Baseline{ByCode: map[string]int{"PARSE_ERROR": 10}}
	next := &baseline.Baseline{ByCode: map[string]int{"PARSE_ERROR": 30}, SuppressedByCode: map[string]int{"PARSE_ERROR": 18}}
	p := compare.DefaultPolicy()
	if got := compare.Compare(ref, next, p); !got.OK || got.NewCounts["PARSE_ERROR"] != 12 {
		t.Errorf("suppressed excluded: ok=%v new=%d, want ok and 12", got.OK, got.NewCounts["PARSE_ERROR"])
	}
	p.IncludeSuppressed = true
	if got := compare.Compare(ref, next, p); got.OK || got.NewCounts["PARSE_ERROR"] != 30 {
		t.Errorf("suppressed included: ok=%v new=%d, want a regression at 30", got.OK, got.NewCounts["PARSE_ERROR"])
	}
}

// TestCompareNewSuppressed: the case. A suppression written for
// one file ("SyntaxError: invalid syntax" at line 1, a message any broken
// Python file gives) also hides a new file: still suppressed, but reported
// because the reference did not fail with that fingerprint there.
func TestCompareNewSuppressed(t *testing.T) {
	t.Parallel()
	const msg = "SyntaxError: invalid syntax"
	fp := baseline.Fingerprint("PARSE_ERROR", 1, msg)
	hidden := func(path string, unscoped bool) baseline.File {
		return baseline.File{Path: path, CodeName: "PARSE_ERROR", Line: 1, Message: msg, Fingerprint: fp, Suppressed: true, UnscopedSuppression: unscoped}
	}
	tests := []struct {
		name    string
		refFile baseline.File
		next    []baseline.File
		want    []string
	}{
		{"new file hidden", hidden("tools/old.py", false), []baseline.File{hidden("app/new.py", true), hidden("tools/old.py", true)}, []string{"app/new.py"}},
		// The original tool's reference has no fingerprint field: it is computed.
		{"reference without fingerprints", baseline.File{Path: "tools/old.py", CodeName: "PARSE_ERROR", Line: 1, Message: msg},
			[]baseline.File{hidden("app/new.py", true), hidden("tools/old.py", true)}, []string{"app/new.py"}},
		// first= or path= names the file: written for it, not reported.
		{"scoped", hidden("tools/old.py", false), []baseline.File{hidden("app/new.py", false), hidden("tools/old.py", false)}, nil},
		{"same file, other fingerprint in ref", baseline.File{Path: "app/new.py", CodeName: "PARSE_ERROR", Line: 2, Message: msg},
			[]baseline.File{hidden("app/new.py", true)}, []string{"app/new.py"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ref := &baseline.Baseline{ByCode: map[string]int{"PARSE_ERROR": 1}, Files: []baseline.File{tt.refFile}}
			next := &baseline.Baseline{ByCode: map[string]int{"PARSE_ERROR": len(tt.next)}, SuppressedByCode: map[string]int{"PARSE_ERROR": len(tt.next)}, Files: tt.next}
			got := compare.Compare(ref, next, compare.DefaultPolicy())
			var paths []string
			for _, f := range got.NewSuppressed {
				paths = append(paths, f.Path)
			}
			if diff := cmp.Diff(tt.want, paths); diff != "" {
				t.Errorf("new_suppressed (-want +got):\n%s", diff)
			}
			if !got.OK {
				t.Error("a suppressed file regressed: suppressions are reported, not gated")
			}
		})
	}
}

func TestCompareFiles(t *testing.T) {
	t.Parallel()
	f := func(path, code string, line int) baseline.File {
		return baseline.File{Path: path, CodeName: code, Line: line}
	}
	ref := &baseline.Baseline{ByCode: map[string]int{}, Files: []baseline.File{
		f("moved.aether", "PARSE_ERROR", 3),
		f("fixed.aether", "PARSE_ERROR", 1),
		f("changed.aether", "VALIDATION_ERROR", 9),
		f("gone.aether", "RUNTIME_ERROR", 1),
	}}
	next := &baseline.Baseline{ByCode: map[string]int{}, Files: []baseline.File{
		f("moved.aether", "PARSE_ERROR", 40), // same path and code, other line: not new
		f("changed.aether", "PARSE_ERROR", 9),
		f("brand_new.aether", "PARSE_ERROR", 2),
	}}
	got := compare.Compare(ref, next, compare.DefaultPolicy())
	paths := func(fs []baseline.File) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Path+":"+f.CodeName)
		}
		return out
	}
	if diff := cmp.Diff([]string{"brand_new.aether:PARSE_ERROR", "changed.aether:PARSE_ERROR"}, paths(got.NewFailures)); diff != "" {
		t.Errorf("new failures (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"changed.aether:VALIDATION_ERROR", "fixed.aether:PARSE_ERROR", "gone.aether:RUNTIME_ERROR"}, paths(got.Fixed)); diff != "" {
		t.Errorf("fixed (-want +got):\n%s", diff)
	}
	// Neither baseline records the files it checked: a file one of them
	// does not list may have passed there or not existed.
	want := map[string]int{
		"UNKNOWN→PARSE_ERROR":          1,
		"VALIDATION_ERROR→PARSE_ERROR": 1,
		"RUNTIME_ERROR→UNKNOWN":        1,
		"PARSE_ERROR→UNKNOWN":          1,
	}
	if diff := cmp.Diff(want, got.Transitions); diff != "" {
		t.Errorf("transitions, nothing recorded (-want +got):\n%s", diff)
	}

	// Both record them: brand_new.aether did not exist in ref, gone.aether
	// is not in next, fixed.aether passes in next.
	ref.Passed, next.Passed = []string{"other.aether"}, []string{"fixed.aether", "other.aether"}
	got = compare.Compare(ref, next, compare.DefaultPolicy())
	want = map[string]int{
		"NEW→PARSE_ERROR":              1,
		"VALIDATION_ERROR→PARSE_ERROR": 1,
		"RUNTIME_ERROR→REMOVED":        1,
		"PARSE_ERROR→SUCCESS":          1,
	}
	if diff := cmp.Diff(want, got.Transitions); diff != "" {
		t.Errorf("transitions, recorded (-want +got):\n%s", diff)
	}

	// brand_new.aether passed in ref: it started failing.
	ref.Passed = []string{"brand_new.aether", "other.aether"}
	if got := compare.Compare(ref, next, compare.DefaultPolicy()); got.Transitions["SUCCESS→PARSE_ERROR"] != 1 || got.Transitions["NEW→PARSE_ERROR"] != 0 {
		t.Errorf("transitions, passed before: %v", got.Transitions)
	}
}

// withFiles is a baseline listing its failing files (path:CODE, a "~"
// prefix marks a suppressed one), counted by code.
func withFiles(entries ...string) *baseline.Baseline {
	b := &baseline.Baseline{ByCode: map[string]int{}, SuppressedByCode: map[string]int{}}
	for _, e := range entries {
		path, code, _ := strings.Cut(e, ":")
		f := baseline.File{Path: strings.TrimPrefix(path, "~"), CodeName: code}
		if strings.HasPrefix(path, "~") {
			f.Suppressed = true
			b.SuppressedByCode[code]++
		}
		b.Files = append(b.Files, f)
		b.ByCode[code]++
	}
	baseline.SortFiles(b.Files)
	return b
}

// TestFailOnNewPerFile: fail_on_new compares files, not counts. The
// boundary cases of the policy.
func TestFailOnNewPerFile(t *testing.T) {
	t.Parallel()
	def := compare.DefaultPolicy()
	off := compare.DefaultPolicy()
	off.FailOnNew = nil
	supp := compare.DefaultPolicy()
	supp.IncludeSuppressed = true
	tests := []struct {
		name     string
		ref, new *baseline.Baseline
		policy   compare.Policy
		want     []compare.Regression
	}{
		{
			name: "one crash fixed, another introduced: fails though the count is steady",
			ref:  withFiles("a:INTERNAL_ERROR"), new: withFiles("b:INTERNAL_ERROR"), policy: def,
			want: []compare.Regression{{Code: "INTERNAL_ERROR", Old: 1, New: 1, Rule: "fail_on_new", RelativeIncrease: ptr(0), NewFiles: 1}},
		},
		{
			name: "same files crashing: passes",
			ref:  withFiles("a:INTERNAL_ERROR", "b:INTERNAL_ERROR"), new: withFiles("a:INTERNAL_ERROR", "b:INTERNAL_ERROR"), policy: def,
		},
		{
			name: "crashes fixed: passes",
			ref:  withFiles("a:INTERNAL_ERROR", "b:INTERNAL_ERROR"), new: withFiles("a:INTERNAL_ERROR"), policy: def,
		},
		{
			name: "a file moving to INTERNAL_ERROR from another code is new",
			ref:  withFiles("a:PARSE_ERROR"), new: withFiles("a:INTERNAL_ERROR"), policy: def,
			want: []compare.Regression{{Code: "INTERNAL_ERROR", Old: 0, New: 1, Delta: 1, Rule: "fail_on_new", NewFiles: 1}},
		},
		{
			name: "a file moving from INTERNAL_ERROR to another code is not",
			ref:  withFiles("a:INTERNAL_ERROR"), new: withFiles("a:PARSE_ERROR"), policy: def,
		},
		{
			name: "on by default, off with an empty list",
			ref:  withFiles(), new: withFiles("a:INTERNAL_ERROR"), policy: off,
		},
		{
			name: "a suppressed new crash is not gated",
			ref:  withFiles(), new: withFiles("~a:INTERNAL_ERROR"), policy: def,
		},
		{
			name: "… unless suppressed failures are included",
			ref:  withFiles(), new: withFiles("~a:INTERNAL_ERROR"), policy: supp,
			want: []compare.Regression{{Code: "INTERNAL_ERROR", Old: 0, New: 1, Delta: 1, Rule: "fail_on_new", NewFiles: 1}},
		},
		{
			name: "fail_on_new wins over the thresholds of a gated code",
			ref:  withFiles("a:PARSE_ERROR"), new: withFiles("b:PARSE_ERROR"),
			policy: compare.Policy{AbsThreshold: 5, RelThreshold: 0.1, Codes: def.Codes, FailOnNew: []string{"PARSE_ERROR"}},
			want:   []compare.Regression{{Code: "PARSE_ERROR", Old: 1, New: 1, Rule: "fail_on_new", RelativeIncrease: ptr(0), NewFiles: 1}},
		},
		{
			name: "counts-only baselines: an increase regresses",
			ref:  counts(map[string]int{"INTERNAL_ERROR": 1}), new: counts(map[string]int{"INTERNAL_ERROR": 2}), policy: def,
			want: []compare.Regression{{Code: "INTERNAL_ERROR", Old: 1, New: 2, Delta: 1, Rule: "fail_on_new", RelativeIncrease: ptr(1)}},
		},
		{
			name: "counts-only baselines: a steady count passes (files cannot be told apart)",
			ref:  counts(map[string]int{"INTERNAL_ERROR": 1}), new: counts(map[string]int{"INTERNAL_ERROR": 1}), policy: def,
		},
		{
			name: "a reference that does not list its files: an increase regresses",
			ref:  counts(map[string]int{"INTERNAL_ERROR": 1}), new: withFiles("a:INTERNAL_ERROR", "b:INTERNAL_ERROR"), policy: def,
			want: []compare.Regression{{Code: "INTERNAL_ERROR", Old: 1, New: 2, Delta: 1, Rule: "fail_on_new", RelativeIncrease: ptr(1)}},
		},
		{
			name: "a reference that does not list its files: a steady count passes",
			ref:  counts(map[string]int{"INTERNAL_ERROR": 2}), new: withFiles("a:INTERNAL_ERROR", "b:INTERNAL_ERROR"), policy: def,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := compare.Compare(tt.ref, tt.new, tt.policy)
			want := tt.want
			if want == nil {
				want = []compare.Regression{}
			}
			if diff := cmp.Diff(want, got.Regressions); diff != "" {
				t.Errorf("regressions (-want +got):\n%s", diff)
			}
			if got.OK != (len(want) == 0) {
				t.Errorf("OK = %v with %d regressions", got.OK, len(want))
			}
		})
	}
}
