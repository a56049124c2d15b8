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
	if err := allShards(parts); err != nil {
		return nil, err
	}
	for i, b := range parts[1:] {
		if b.Limit != parts[0].Limit {
			return nil, fmt.Errorf("merge: baseline 1 is %s, baseline %d %s: shards of different runs", sampleWord(parts[0].Limit), i+2, sampleWord(b.Limit))
		}
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
	out.Limit = parts[0].Limit
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

// allShards checks that baselines written by sharded runs (shard "K/N")
// are every shard of one run, each once: a merge without one would be a
// baseline without its files, whose failures would then look fixed.
// Baselines that record no shard (older versions) are merged as they are.
func allShards(parts []*baseline.Baseline) error {
	n, first := 0, -1
	seen := map[int]int{}
	for i, b := range parts {
		if b.Shard == "" {
			continue
		}
		k, of, err := baseline.ParseShard(b.Shard)
		if err != nil {
			return fmt.Errorf("merge: baseline %d: shard %w", i+1, err)
		}
		if first < 0 {
			n, first = of, i
		} else if of != n {
			return fmt.Errorf("merge: baseline %d is shard %s and baseline %d shard %s: shards of different runs", first+1, parts[first].Shard, i+1, b.Shard)
		}
		if j, dup := seen[k]; dup {
			return fmt.Errorf("merge: baselines %d and %d are both shard %s", j+1, i+1, b.Shard)
		}
		seen[k] = i
	}
	if first < 0 {
		return nil
	}
	for i, b := range parts {
		if b.Shard == "" {
			return fmt.Errorf("merge: baseline %d records no shard, but baseline %d is shard %s: merge the shards of one run", i+1, first+1, parts[first].Shard)
		}
	}
	var missing []string
	for k := 1; k <= n; k++ {
		if _, ok := seen[k]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", k, n))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("merge: shard %s missing: without it the merged baseline would leave its files out; merge all %d shards", strings.Join(missing, ", "), n)
	}
	return nil
}

// sampleWord says what a baseline's limit makes it.
func sampleWord(limit int) string {
	if limit == 0 {
		return "of every file"
	}
	return fmt.Sprintf("of a sample of %d files (--limit)", limit)
}
