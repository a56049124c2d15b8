package compare_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/baseline/baselinetest"
	"github.com/org/gonogo-action/internal/compare"
)

// mixed is a reference and a new baseline that differ in every way the
// report tells: files fixed, new, moved between codes, removed, added,
// suppressed (scoped and not), and passed lists on both sides.
func mixed(t *testing.T) (ref, next *baseline.Baseline) {
	t.Helper()
	ref, err := baselinetest.Synth(baselinetest.Spec{Total: 500, Counts: map[string]int{"PARSE_ERROR": 300, "VALIDATION_ERROR": 40, "INTERNAL_ERROR": 3}})
	if err != nil {
		t.Fatal(err)
	}
	next, err = baselinetest.Synth(baselinetest.Spec{Total: 500, Offset: 37, Counts: map[string]int{"PARSE_ERROR": 280, "VALIDATION_ERROR": 70, "INTERNAL_ERROR": 5}})
	if err != nil {
		t.Fatal(err)
	}
	next.SuppressedByCode = map[string]int{}
	for i := range next.Files {
		if f := &next.Files[i]; i%9 == 0 {
			f.Suppressed, f.UnscopedSuppression = true, i%2 == 0
			next.SuppressedByCode[f.CodeName]++
		}
	}
	// Both record what passed; each has files the other did not check.
	for _, b := range []*baseline.Baseline{ref, next} {
		listed := map[string]bool{}
		for _, f := range b.Files {
			listed[f.Path] = true
		}
		b.Passed = []string{}
		for i := range 500 {
			if p := fmt.Sprintf("workflows/wf_%05d.aether", i); !listed[p] && i%5 != 0 {
				b.Passed = append(b.Passed, p)
			}
		}
		b.ByCode["SUCCESS"] = len(b.Passed)
		b.Normalize()
	}
	return ref, next
}

func reader(t *testing.T, b *baseline.Baseline) compare.Source {
	t.Helper()
	doc, err := baseline.Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	return baseline.NewReader(bytes.NewReader(doc))
}

// TestStreamMatchesCompare: two documents read as streams are judged as in
// memory; a limit cuts the lists, never the totals, and says so.
func TestStreamMatchesCompare(t *testing.T) {
	t.Parallel()
	ref, next := mixed(t)
	for _, p := range []compare.Policy{compare.DefaultPolicy(), {AbsThreshold: 0, RelThreshold: 0, Codes: []string{"PARSE_ERROR"}, IncludeSuppressed: true}} {
		full := compare.Compare(ref, next, p)
		if full.NewFailuresTotal < 20 || full.FixedTotal < 20 || full.NewSuppressedTotal < 2 || full.Truncated || full.ListLimit != 0 {
			t.Fatalf("test data: %d new, %d fixed, %d spread, truncated %v", full.NewFailuresTotal, full.FixedTotal, full.NewSuppressedTotal, full.Truncated)
		}
		if len(full.NewFailures) != full.NewFailuresTotal || len(full.Fixed) != full.FixedTotal || len(full.NewSuppressed) != full.NewSuppressedTotal {
			t.Fatalf("Compare lists %d, %d, %d files", len(full.NewFailures), len(full.Fixed), len(full.NewSuppressed))
		}
		for _, limit := range []int{compare.All, 0, 1, 10, full.FixedTotal} {
			got, err := compare.Stream(reader(t, ref), reader(t, next), p, limit)
			if err != nil {
				t.Fatal(err)
			}
			want := full
			if limit != compare.All {
				want.ListLimit = limit
				want.NewFailures, want.Fixed, want.NewSuppressed = head(full.NewFailures, limit), head(full.Fixed, limit), head(full.NewSuppressed, limit)
				want.Truncated = limit < max(full.NewFailuresTotal, full.FixedTotal, full.NewSuppressedTotal)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("limit %d: Stream (-Compare +Stream):\n%s", limit, diff)
			}
		}
	}
}

func head(files []baseline.File, n int) []baseline.File {
	return files[:min(n, len(files))]
}

// TestStreamUnsorted: a document in another order cannot be joined file by
// file; the error says so, and which side.
func TestStreamUnsorted(t *testing.T) {
	t.Parallel()
	ref, next := mixed(t)
	next.Files[3], next.Files[4] = next.Files[4], next.Files[3]
	_, err := compare.Stream(reader(t, ref), reader(t, next), compare.DefaultPolicy(), 10)
	if !errors.Is(err, compare.ErrUnsorted) || err.Error()[:4] != "new:" {
		t.Errorf("error = %v, want new: %v", err, compare.ErrUnsorted)
	}
	// In memory the same baselines are sorted first.
	if got := compare.Compare(ref, next, compare.DefaultPolicy()); got.NewFailuresTotal == 0 {
		t.Error("Compare found no new failures")
	}
}

// TestStreamSourceError: a malformed record in either baseline is the
// comparison's error, never a shorter comparison.
func TestStreamSourceError(t *testing.T) {
	t.Parallel()
	ref, next := mixed(t)
	doc, err := baseline.Encode(next)
	if err != nil {
		t.Fatal(err)
	}
	doc = bytes.Replace(doc, []byte(`"code_name": "VALIDATION_ERROR"`), []byte(`"code_name": "VALIDATION_EROR"`), 1)
	_, err = compare.Stream(reader(t, ref), baseline.NewReader(bytes.NewReader(doc)), compare.DefaultPolicy(), 10)
	var fe *baseline.FieldError
	if !errors.As(err, &fe) || fe.Field != "files[280].code_name" {
		t.Errorf("error = %v, want the field error of files[280]", err)
	}
}

// TestStreamFull: a full comparison with its lists' tails handed out is
// the whole comparison: the heads and the tails, in order, are Compare's
// lists, and the Result says every file is listed.
func TestStreamFull(t *testing.T) {
	t.Parallel()
	ref, next := mixed(t)
	p := compare.DefaultPolicy()
	full := compare.Compare(ref, next, p)
	for _, n := range []int{1, 2, full.NewSuppressedTotal, full.FixedTotal + 1} {
		rest := map[compare.List][]baseline.File{}
		got, err := compare.StreamFull(reader(t, ref), reader(t, next), p, n, func(l compare.List, f baseline.File) error {
			rest[l] = append(rest[l], f)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.NewFailures) != min(n, full.NewFailuresTotal) || len(got.Fixed) != min(n, full.FixedTotal) {
			t.Errorf("head %d: the Result holds %d new failures and %d fixed", n, len(got.NewFailures), len(got.Fixed))
		}
		got.NewFailures = append(got.NewFailures, rest[compare.NewFailures]...)
		got.Fixed = append(got.Fixed, rest[compare.Fixed]...)
		got.NewSuppressed = append(got.NewSuppressed, rest[compare.NewSuppressed]...)
		if diff := cmp.Diff(full, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("head %d: heads and tails (-Compare +StreamFull):\n%s", n, diff)
		}
	}
	// The Overflow's error ends the comparison.
	stop := errors.New("disk full")
	if _, err := compare.StreamFull(reader(t, ref), reader(t, next), p, 1, func(compare.List, baseline.File) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("error = %v, want the Overflow's", err)
	}
	if _, err := compare.StreamFull(reader(t, ref), reader(t, next), p, 0, func(compare.List, baseline.File) error { return nil }); err == nil {
		t.Error("a head of 0 was taken")
	}
}
