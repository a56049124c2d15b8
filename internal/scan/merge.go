package scan

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/org/gonogo-action/internal/baseline"
)

// Merge joins the baselines of the shards of one run. Counts add up, file
// lists join (a path in two shards is an error: the shards overlap), an
// expired suppression of any shard is expired, and a suppression is unused
// only when no shard used it. The timestamp is the latest and the
// duration the longest (shards run side by side); everything else equals
// the unsharded run.
func Merge(parts []*baseline.Baseline) (*baseline.Baseline, error) {
	if len(parts) == 0 {
		return nil, errors.New("merge: no baselines")
	}
	out := &baseline.Baseline{ByCode: map[string]int{}, ByCategory: map[string]int{}, SuppressedByCode: map[string]int{}}
	owner := map[string]int{}
	// Every file checked is recorded only if every shard records it.
	recorded := true
	unused := map[string]int{}
	var checkers, execs []string
	for i, b := range parts {
		for c, n := range b.ByCode {
			out.ByCode[c] += n
		}
		for c, n := range b.ByCategory {
			out.ByCategory[c] += n
		}
		for c, n := range b.SuppressedByCode {
			out.SuppressedByCode[c] += n
		}
		out.SuppressedFailures += b.SuppressedFailures
		for _, f := range b.Files {
			if j, dup := owner[f.Path]; dup {
				return nil, fmt.Errorf("merge: %q is in baselines %d and %d; the shards overlap", f.Path, j+1, i+1)
			}
			owner[f.Path] = i
			out.Files = append(out.Files, f)
		}
		recorded = recorded && b.Passed != nil
		for _, p := range b.Passed {
			if j, dup := owner[p]; dup {
				return nil, fmt.Errorf("merge: %q is in baselines %d and %d; the shards overlap", p, j+1, i+1)
			}
			owner[p] = i
			out.Passed = append(out.Passed, p)
		}
		out.ExpiredSuppressions = append(out.ExpiredSuppressions, b.ExpiredSuppressions...)
		for _, fp := range sortedUnique(slices.Clone(b.UnusedSuppressions)) {
			unused[fp]++
		}
		if b.Checker != "" && !slices.Contains(checkers, b.Checker) {
			checkers = append(checkers, b.Checker)
		}
		if b.ExecChecker != "" && !slices.Contains(execs, b.ExecChecker) {
			execs = append(execs, b.ExecChecker)
		}
		out.Timestamp = max(out.Timestamp, b.Timestamp)
		out.DurationSec = max(out.DurationSec, b.DurationSec)
		for k, v := range b.Extra {
			if out.Extra == nil {
				out.Extra = map[string]json.RawMessage{}
			}
			if _, ok := out.Extra[k]; !ok {
				out.Extra[k] = v
			}
		}
	}
	for fp, n := range unused {
		if n == len(parts) {
			out.UnusedSuppressions = append(out.UnusedSuppressions, fp)
		}
	}
	out.ExpiredSuppressions = sortedUnique(out.ExpiredSuppressions)
	out.UnusedSuppressions = sortedUnique(out.UnusedSuppressions)
	out.Checker = strings.Join(checkers, "; ")
	out.ExecChecker = strings.Join(execs, "; ")
	if len(out.ByCategory) == 0 {
		out.ByCategory = nil
	}
	if len(out.SuppressedByCode) == 0 {
		out.SuppressedByCode = nil
	}
	if !recorded {
		out.Passed = nil
	}
	out.Normalize()
	if out.Total == 0 {
		return nil, errors.New("merge: the baselines hold no file; a run that checked nothing proves nothing")
	}
	return out, nil
}
