// Package baseline is the domain of the parse ratchet: the status code table,
// the parse_baseline.json document, failure fingerprints and suppressions.
// It reads baselines strictly (every problem names the file and the field),
// writes them deterministically, and imports only leaf helpers of this
// project (file writing, globs).
package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/org/gonogo-action/internal/outfile"
)

// Baseline is one parse_baseline.json document. The first five fields are
// the specification's shape; the rest are additions that older readers
// ignore. Unknown top-level fields are kept in Extra and written back.
type Baseline struct {
	Timestamp   string         `json:"timestamp"`
	Total       int            `json:"total"`
	ByCode      map[string]int `json:"by_code"`
	FailureRate float64        `json:"failure_rate"`
	Files       []File         `json:"files"`

	ByCategory          map[string]int `json:"by_category,omitempty"`
	SuppressedFailures  int            `json:"suppressed_failures"`
	SuppressedByCode    map[string]int `json:"suppressed_by_code,omitempty"`
	ExpiredSuppressions []string       `json:"expired_suppressions,omitempty"`
	UnusedSuppressions  []string       `json:"unused_suppressions,omitempty"`
	Checker             string         `json:"checker,omitempty"`
	// ExecChecker is the execute phase's checker, when one ran.
	ExecChecker string  `json:"exec_checker,omitempty"`
	DurationSec float64 `json:"duration_sec,omitempty"`
	// Shard is "K/N" when the run checked only shard K of N (--shard):
	// the document holds part of the files, for merge, which checks that
	// every shard is there, and clears it. A comparison refuses it.
	Shard string `json:"shard,omitempty"`
	// Limit is N when the run checked a sample (--limit N) of more files
	// that matched: not every file. A comparison refuses to set it
	// against a baseline of another selection, whose other files would
	// look fixed or new.
	Limit int `json:"limit,omitempty"`
	// Passed lists, sorted, the checked files that files[] does not list
	// (they passed), so that together they name every file checked: a
	// file a later run fails on is then known to be new, or to have
	// passed here. nil when the document does not record it (written by
	// an older version or another tool); written as "passed" even when
	// empty, since [] and "not recorded" differ.
	Passed []string `json:"-"`
	// PassedSpill, when set, holds the passed list instead of Passed
	// (which is then nil): a run over many files (scan.Options.Spill).
	// EncodeTo and Write stream it; Close releases it.
	PassedSpill *PassedSpill `json:"-"`
	// History is the reference branch's last baselines, oldest first, this
	// one last when it continues them (ContinueHistory); nil when the
	// document has none. Informational: no comparison reads it.
	History []Point `json:"history,omitempty"`
	// HistoryRefused says why the document's history was not read (too
	// long, a malformed entry): the baseline is still valid, its history
	// is dropped, and the caller warns.
	HistoryRefused string `json:"-"`
	// Suppressions are the entries of the suppressions file the run
	// applied (scan.Build), kept so that a report of the stale ones names
	// their owners (StaleOwners) without reading the file again. nil for
	// a document read from a file or merged from shards; never written.
	Suppressions []Suppression              `json:"-"`
	Extra        map[string]json.RawMessage `json:"-"`
}

// File is the status of one checked file; baselines list failing files
// (and successes only when asked to).
type File struct {
	Path        string `json:"path"`
	CodeName    string `json:"code_name"`
	Line        int    `json:"line"`
	Message     string `json:"message"`
	Fingerprint string `json:"fingerprint,omitempty"`
	Category    string `json:"category,omitempty"`
	Phase       string `json:"phase,omitempty"`
	Suppressed  bool   `json:"suppressed,omitempty"`
	// UnscopedSuppression: the file is hidden by a suppression entry that
	// was not written for it (no path= matches it, no first= names it),
	// as the specification's path-free fingerprints allow; reported so
	// that a suppression never spreads to new files silently.
	UnscopedSuppression bool `json:"unscoped_suppression,omitempty"`
	// Extra keeps fields this version does not know, so that a rewrite
	// (a shard merge, say) loses nothing.
	Extra map[string]json.RawMessage `json:"-"`
}

// ParseShard reads a shard "K/N": whole numbers, 1 ≤ K ≤ N, N ≥ 2.
func ParseShard(s string) (k, n int, err error) {
	ks, ns, ok := strings.Cut(s, "/")
	k, kerr := strconv.Atoi(ks)
	n, nerr := strconv.Atoi(ns)
	if !ok || kerr != nil || nerr != nil || n < 2 || k < 1 || k > n || strconv.Itoa(k) != ks || strconv.Itoa(n) != ns {
		return 0, 0, fmt.Errorf("want K/N with 1 ≤ K ≤ N and N ≥ 2, such as 2/4, got %q", s)
	}
	return k, n, nil
}

// FieldError is a baseline that does not have the expected shape. Read wraps
// it with the file name.
type FieldError struct {
	Field   string
	Problem string
}

func (e *FieldError) Error() string { return "field " + e.Field + ": " + e.Problem }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// Read reads and validates the baseline at path.
func Read(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	b, err := decode(data, true) // data is ours alone: its strings can be shared
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", path, err)
	}
	return b, nil
}

// Records reports whether b records every file it checked (Passed), and
// if so whether it checked path.
func (b *Baseline) Records(path string) (recorded, checked bool) {
	if b.PassedSpill != nil {
		// Read through: a spilled baseline is for writing, so this is
		// rare, and it must never answer "not recorded".
		errFound := errors.New("found")
		err := b.PassedSpill.Each(func(p string) error {
			if p == path {
				return errFound
			}
			return nil
		})
		return true, err != nil || slices.ContainsFunc(b.Files, func(f File) bool { return f.Path == path })
	}
	if b.Passed == nil {
		return false, false
	}
	if _, ok := slices.BinarySearch(b.Passed, path); ok {
		return true, true
	}
	return true, slices.ContainsFunc(b.Files, func(f File) bool { return f.Path == path })
}

// Failing reports whether a file's code is a failure (anything but SUCCESS).
func (f File) Failing() bool { return f.CodeName != Success }

// GatedCounts returns the failure counts per code that a ratchet should gate
// on: by_code less the suppressed failures. It prefers suppressed_by_code and
// falls back to counting files marked suppressed.
func (b *Baseline) GatedCounts() map[string]int {
	listed := map[string]int{}
	for _, f := range b.Files {
		if f.Suppressed {
			listed[f.CodeName]++
		}
	}
	return b.GatedCountsListed(listed)
}

// GatedCountsListed is GatedCounts for a baseline whose files were counted
// as they were read (Reader): listed has, per code, the files marked
// suppressed, which count when suppressed_by_code is absent or empty.
func (b *Baseline) GatedCountsListed(listed map[string]int) map[string]int {
	out := make(map[string]int, len(b.ByCode))
	for c, n := range b.ByCode {
		out[c] = n
	}
	supp := b.SuppressedByCode
	if len(supp) == 0 {
		supp = listed
	}
	for c, n := range supp {
		out[c] = max(0, out[c]-n)
	}
	return out
}

// Normalize sorts the files and fills derived fields (total, failure rate)
// so that two equal baselines serialise to equal bytes.
func (b *Baseline) Normalize() {
	SortFiles(b.Files)
	slices.Sort(b.Passed)
	total, failed := 0, 0
	for c, n := range b.ByCode {
		total += n
		if c != Success {
			failed += n
		}
	}
	b.Total = total
	b.FailureRate = Rate(failed, total)
}

// Rate is failed/total rounded to four places, 0 for an empty run, as the
// specification shows (0.6667).
func Rate(failed, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(int64(float64(failed)/float64(total)*10000+0.5)) / 10000
}

// SortFiles orders files by path, then code, then line.
func SortFiles(files []File) { slices.SortFunc(files, CompareFiles) }

// CompareFiles orders two files as SortFiles does.
func CompareFiles(a, b File) int {
	if c := strings.Compare(a.Path, b.Path); c != 0 {
		return c
	}
	if c := CompareCodes(a.CodeName, b.CodeName); c != 0 {
		return c
	}
	return a.Line - b.Line
}

// Encode renders b as indented, deterministic JSON with a final newline.
// The caller normalises first when it built b itself.
func Encode(b *Baseline) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Write writes b to path atomically (a temporary file renamed into place),
// so a reader never sees half a baseline.
func Write(path string, b *Baseline) error {
	return outfile.WriteFunc(path, func(w io.Writer) error { return EncodeTo(w, b) })
}

// RecordsPassed reports whether b lists the files that passed (in Passed
// or a spill).
func (b *Baseline) RecordsPassed() bool { return b.Passed != nil || b.PassedSpill != nil }

// EachPassed calls fn with each passed path, in order, from Passed or the
// spill.
func (b *Baseline) EachPassed(fn func(path string) error) error {
	if b.PassedSpill != nil {
		return b.PassedSpill.Each(fn)
	}
	for _, p := range b.Passed {
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

// Close releases a spilled passed list; b is not to be written after.
func (b *Baseline) Close() error { return b.PassedSpill.Close() }
