// Package compare is the parse ratchet's judgement: given a reference
// baseline, a new one and a policy, which codes regressed, which files
// started or stopped failing, and how files moved between codes. It is pure:
// no I/O, no clock.
package compare

import (
	"errors"
	"maps"
	"slices"
	"time"

	"github.com/org/gonogo-action/internal/baseline"
)

// Defaults of the specification's regression gate.
const (
	DefaultAbsThreshold = 5
	DefaultRelThreshold = 0.10
)

// DefaultCodes are the codes gated when the policy names none.
var DefaultCodes = []string{baseline.ParseError, baseline.ValidationError}

// DefaultFailOnNew are the codes that fail per new file by default: a new
// crash of the checker fails at once (the specification's "hard fail on
// introduction of any new INTERNAL_ERROR").
var DefaultFailOnNew = []string{baseline.InternalError}

// Policy says what counts as a regression.
type Policy struct {
	// AbsThreshold and RelThreshold must both be exceeded for a code to
	// regress: delta > AbsThreshold and delta/old > RelThreshold.
	AbsThreshold int
	RelThreshold float64
	// Codes are gated by the thresholds; others are reported only.
	Codes []string
	// FailOnNew codes regress per file, whatever the thresholds and
	// whatever else was fixed: any file failing with such a code that did
	// not fail with it in the reference is a regression (a crash fixed in
	// one file does not pay for a crash introduced in another). Where a
	// baseline does not list its files of that code (a counts-only
	// baseline), files cannot be matched and any increase of the count
	// regresses instead. Suppressed files count only with
	// IncludeSuppressed, as for the thresholds.
	FailOnNew []string
	// IncludeSuppressed gates on raw counts instead of excluding
	// suppressed failures.
	IncludeSuppressed bool
}

// GatedCodes are the codes p judges (Codes and FailOnNew), once each, in
// the code table's order.
func (p Policy) GatedCodes() []string {
	codes := slices.Concat(p.Codes, p.FailOnNew)
	baseline.SortCodes(codes)
	return slices.Compact(codes)
}

// CheckGated refuses SUCCESS among the codes a policy gates (Codes,
// FailOnNew): a success never regresses, so gating it gates nothing, and a
// policy of it alone would pass every comparison.
func CheckGated(codes []string) error {
	if slices.Contains(codes, baseline.Success) {
		return errors.New("SUCCESS is not a failure and never regresses: name failure codes such as PARSE_ERROR")
	}
	return nil
}

// DefaultPolicy is the specification's policy.
func DefaultPolicy() Policy {
	return Policy{AbsThreshold: DefaultAbsThreshold, RelThreshold: DefaultRelThreshold, Codes: slices.Clone(DefaultCodes),
		FailOnNew: slices.Clone(DefaultFailOnNew)}
}

// Stamp formats t as a regression report's timestamp, as the original
// tool's datetime.now(UTC).isoformat() did: UTC, microseconds, "+00:00"
// ("2025-09-13T10:15:22.123456+00:00"). The CLI's report and a
// parse-regression gate's details.report use it alike.
func Stamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000-07:00")
}

// Regression is one code that grew past the policy, in the specification's
// shape. RelativeIncrease is nil when the reference count was 0 (unbounded).
type Regression struct {
	Code             string   `json:"code"`
	Old              int      `json:"old"`
	New              int      `json:"new"`
	Delta            int      `json:"delta"`
	RelativeIncrease *float64 `json:"relative_increase"`
	// Rule is "threshold" or "fail_on_new".
	Rule string `json:"rule"`
	// NewFiles is, for fail_on_new, how many files newly fail with the
	// code; 0 when the baselines list no files and counts were compared.
	NewFiles int `json:"new_files,omitempty"`
}

// CodeRow is one code's comparison, gated or not.
type CodeRow struct {
	Code             string   `json:"code"`
	Old              int      `json:"old"`
	New              int      `json:"new"`
	Delta            int      `json:"delta"`
	RelativeIncrease *float64 `json:"relative_increase"`
	Gated            bool     `json:"gated"`
	Regressed        bool     `json:"regressed"`
}

// Result is the comparison. Its JSON is the regression report without the
// timestamp, which the caller stamps.
type Result struct {
	OK bool `json:"ok"`
	// Timestamp is left for the caller to stamp, keeping Compare pure.
	Timestamp    string         `json:"timestamp"`
	NewCounts    map[string]int `json:"new_counts"`
	RefCounts    map[string]int `json:"ref_counts"`
	AbsThreshold int            `json:"abs_threshold"`
	RelThreshold float64        `json:"rel_threshold"`
	// FailOnNew are the codes judged per file (Policy.FailOnNew).
	FailOnNew   []string     `json:"fail_on_new"`
	Regressions []Regression `json:"regressions"`
	// Codes has a row per failure code present in either baseline or
	// targeted by the policy, in code table order.
	Codes []CodeRow `json:"codes"`
	// NewFailures fail in new and did not fail with that code in ref
	// (matched by path and code, so a moved line is not new): the first
	// ListLimit of NewFailuresTotal, in path order.
	NewFailures      []baseline.File `json:"new_failures"`
	NewFailuresTotal int             `json:"new_failures_total"`
	// Fixed failed with a code in ref and no longer fail with it in new:
	// the first ListLimit of FixedTotal.
	Fixed      []baseline.File `json:"fixed"`
	FixedTotal int             `json:"fixed_total"`
	// NewSuppressed are files hidden by a suppression entry not written
	// for them (unscoped_suppression in new) that did not fail with that
	// fingerprint in ref: the entry was first seen on other files and now
	// spreads to these. Reported, not gated (suppressions are path-free,
	// as the specification wants, but never silently). The first
	// ListLimit of NewSuppressedTotal.
	NewSuppressed      []baseline.File `json:"new_suppressed,omitempty"`
	NewSuppressedTotal int             `json:"new_suppressed_total,omitempty"`
	// ListLimit is how many files each list holds at most; absent when
	// every file is listed. Truncated says whether any list holds fewer
	// files than its total, so a capped list is never taken for all.
	ListLimit int  `json:"list_limit,omitempty"`
	Truncated bool `json:"truncated"`
	// Transitions counts files per "FROM→TO" change of code; FROM is NEW
	// for a file the reference did not check, TO is REMOVED for a file
	// the new baseline did not check, either is UNKNOWN when that
	// baseline does not record the files it checked.
	Transitions map[string]int `json:"transitions"`
}

// Compare judges next against ref under p, listing every new and fixed
// file. It is Stream over the two baselines in memory.
func Compare(ref, next *baseline.Baseline, p Policy) Result {
	res, err := Stream(Files(ref), Files(next), p, All)
	if err != nil {
		// Files sorts and never fails: an error here is a bug.
		panic("compare: baselines in memory: " + err.Error())
	}
	return res
}

// judge applies p to the joined baselines.
func judge(j *join, p Policy) Result {
	ref, next := j.ref.doc, j.next.doc
	refCounts, newCounts := counts(ref, j.ref.suppressed, p), counts(next, j.next.suppressed, p)
	gated := set(p.Codes)
	failOnNew := set(p.FailOnNew)
	res := Result{
		OK:           true,
		NewCounts:    map[string]int{},
		RefCounts:    map[string]int{},
		AbsThreshold: p.AbsThreshold,
		RelThreshold: p.RelThreshold,
		FailOnNew:    append([]string{}, p.FailOnNew...),
		Regressions:  []Regression{},
	}
	for _, c := range p.Codes {
		res.NewCounts[c] = newCounts[c]
		res.RefCounts[c] = refCounts[c]
	}
	codes := map[string]bool{}
	for c := range refCounts {
		codes[c] = true
	}
	for c := range newCounts {
		codes[c] = true
	}
	for _, c := range p.Codes {
		codes[c] = true
	}
	for _, c := range p.FailOnNew {
		codes[c] = true
	}
	delete(codes, baseline.Success)
	order := slices.Collect(maps.Keys(codes))
	baseline.SortCodes(order)
	for _, c := range order {
		old, cur := refCounts[c], newCounts[c]
		row := CodeRow{Code: c, Old: old, New: cur, Delta: cur - old, RelativeIncrease: relative(old, cur), Gated: gated[c] || failOnNew[c]}
		rule, newFiles := "", 0
		listed := j.ref.lists(c) && j.next.lists(c)
		if failOnNew[c] {
			if listed {
				newFiles = j.newGated[c]
			}
			if newFiles > 0 || (row.Delta > 0 && !listed) {
				rule = "fail_on_new"
			}
		}
		if rule == "" && gated[c] && exceeds(old, cur, p) {
			rule, newFiles = "threshold", 0
		}
		if rule != "" {
			row.Regressed = true
			res.OK = false
			res.Regressions = append(res.Regressions, Regression{
				Code: c, Old: old, New: cur, Delta: row.Delta, RelativeIncrease: row.RelativeIncrease, Rule: rule, NewFiles: newFiles,
			})
		}
		res.Codes = append(res.Codes, row)
	}
	res.NewFailures, res.NewFailuresTotal = j.added.files, j.added.total
	res.Fixed, res.FixedTotal = j.fixed.files, j.fixed.total
	res.NewSuppressed, res.NewSuppressedTotal = j.spread.files, j.spread.total
	if j.limit != All && !j.full {
		res.ListLimit = j.limit
	}
	res.Truncated = j.added.truncated() || j.fixed.truncated() || j.spread.truncated()
	res.Transitions = j.transitions()
	return res
}

// exceeds is the specification's rule: both thresholds exceeded; with no
// reference failures the relative increase is unbounded, so only the
// absolute test applies.
func exceeds(old, cur int, p Policy) bool {
	delta := cur - old
	if delta <= p.AbsThreshold {
		return false
	}
	return old == 0 || float64(delta)/float64(old) > p.RelThreshold
}

func relative(old, cur int) *float64 {
	if old == 0 {
		return nil
	}
	r := float64(cur-old) / float64(old)
	return &r
}

// counts are b's counts per code to gate on; suppressed has its files
// marked suppressed, per code.
func counts(b *baseline.Baseline, suppressed map[string]int, p Policy) map[string]int {
	if p.IncludeSuppressed {
		return b.ByCode
	}
	return b.GatedCountsListed(suppressed)
}

func set(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// The ends of a transition that are not codes.
const (
	// New: the reference records every file it checked, and not this one.
	New = "NEW"
	// Removed: the new baseline records every file it checked, and not
	// this one (deleted, renamed or no longer selected).
	Removed = "REMOVED"
	// Unknown: the baseline does not list the file and does not record
	// which files it checked (written by an older version or another
	// tool), so nothing says whether the file passed or did not exist.
	Unknown = "UNKNOWN"
)

// absent is what a path that b's files[] does not list was in b: SUCCESS
// when b records it among the files that passed, gone (NEW or REMOVED)
// when b records every file checked and not this one, else UNKNOWN.
func absent(b *baseline.Baseline, path, gone string) string {
	recorded, checked := b.Records(path)
	switch {
	case !recorded:
		return Unknown
	case checked:
		return baseline.Success
	}
	return gone
}
