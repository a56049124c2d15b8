package baseline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"time"
)

// HistoryKeep is how many baselines a history covers: the last 20, as the
// specification's trends.json does.
const HistoryKeep = 20

// Point is one baseline of the reference branch as the baselines after it
// remember it: when it was taken, at which commit, and its counts. A
// baseline's history (its "history" field) lists the reference branch's
// last HistoryKeep baselines, oldest first, itself last, so that a pull
// request can chart the trend from the one reference it downloads anyway.
type Point struct {
	// Timestamp is the baseline's timestamp (RFC 3339).
	Timestamp string `json:"timestamp"`
	// Commit is the commit the baseline was taken at (40 lowercase hex
	// digits), empty when unknown.
	Commit           string         `json:"commit,omitempty"`
	Total            int            `json:"total"`
	ByCode           map[string]int `json:"by_code"`
	SuppressedByCode map[string]int `json:"suppressed_by_code,omitempty"`
}

// Counts returns the point's count of code: suppressed failures excluded
// unless includeSuppressed, as a regression gate compares them.
func (p Point) Counts(code string, includeSuppressed bool) int {
	n := p.ByCode[code]
	if !includeSuppressed {
		n -= p.SuppressedByCode[code]
	}
	return max(0, n)
}

// maxHistoryTotal bounds a history entry's total (a billion files), so
// that no sum of its counts can overflow.
const maxHistoryTotal = 1 << 30

var commitRE = regexp.MustCompile(`^[0-9a-f]{40}$`)

// CheckCommit validates a commit id as a history records it: 40 lowercase
// hex digits (a full SHA-1 object name, as GITHUB_SHA and `git rev-parse
// HEAD` print it). An abbreviation or a branch name is refused, never
// looked up.
func CheckCommit(s string) error {
	if !commitRE.MatchString(s) {
		return fmt.Errorf("want a full commit id (40 lowercase hex digits), got %q", truncate(s, 60))
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// PointOf is b's own history entry at commit (which may be empty).
func PointOf(b *Baseline, commit string) (Point, error) {
	if _, err := time.Parse(time.RFC3339, b.Timestamp); err != nil {
		return Point{}, fmt.Errorf("history: the baseline's timestamp %q is not RFC 3339", truncate(b.Timestamp, 60))
	}
	if commit != "" {
		if err := CheckCommit(commit); err != nil {
			return Point{}, fmt.Errorf("history: commit: %w", err)
		}
	}
	p := Point{Timestamp: b.Timestamp, Commit: commit, Total: b.Total, ByCode: maps.Clone(b.ByCode)}
	if len(b.SuppressedByCode) > 0 {
		p.SuppressedByCode = maps.Clone(b.SuppressedByCode)
	}
	if p.ByCode == nil {
		p.ByCode = map[string]int{}
	}
	return p, nil
}

// ContinueHistory sets b's history to prev (the history of the reference
// baseline b follows) plus b's own entry at commit, keeping the last
// HistoryKeep. A re-run at the commit of prev's last entry replaces that
// entry rather than adding a second point for one commit.
func (b *Baseline) ContinueHistory(prev []Point, commit string) error {
	own, err := PointOf(b, commit)
	if err != nil {
		return err
	}
	hist := make([]Point, 0, min(len(prev), HistoryKeep)+1)
	hist = append(hist, prev...)
	if n := len(hist); n > 0 && commit != "" && hist[n-1].Commit == commit {
		hist = hist[:n-1]
	}
	hist = append(hist, own)
	if len(hist) > HistoryKeep {
		hist = hist[len(hist)-HistoryKeep:]
	}
	b.History = hist
	b.HistoryRefused = ""
	return nil
}

// DecodeHistory reads and validates a history: a list of at most
// HistoryKeep entries, each with an RFC 3339 timestamp, an optional full
// commit id, non-negative integer counts of known codes that sum to total,
// and suppressed counts no larger than the failures of their code. Keys
// this version does not know are ignored. The values come from an
// artifact or a results file a pull request may have written, so
// anything else is refused; the caller treats a refused history as no
// history (it is informational: no verdict depends on it).
func DecodeHistory(raw json.RawMessage) ([]Point, error) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '[' {
		return nil, fieldErr("history", "want a list, got %s", describe(raw))
	}
	// The scanner that read the document has refused repeated keys; a
	// history read on its own (from gate_results.json) is checked here.
	s := &scanner{data: t}
	if err := s.skip(0); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	var entries []json.RawMessage
	if err := json.Unmarshal(t, &entries); err != nil {
		return nil, fieldErr("history", "want a list")
	}
	if len(entries) > HistoryKeep {
		return nil, fieldErr("history", "%d entries, at most %d are kept", len(entries), HistoryKeep)
	}
	out := make([]Point, 0, len(entries))
	for i, e := range entries {
		p, err := decodePoint(e)
		if err != nil {
			if fe, ok := err.(*FieldError); ok {
				fe.Field = fmt.Sprintf("history[%d].%s", i, fe.Field)
			}
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func decodePoint(raw json.RawMessage) (Point, error) {
	var m map[string]json.RawMessage
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' || json.Unmarshal(t, &m) != nil {
		return Point{}, fieldErr("entry", "want an object, got %s", describe(raw))
	}
	var p Point
	str := func(key string, dst *string) error {
		v, ok := m[key]
		if !ok {
			return nil
		}
		if t := bytes.TrimSpace(v); len(t) == 0 || t[0] != '"' || json.Unmarshal(t, dst) != nil {
			return fieldErr(key, "want a string, got %s", describe(v))
		}
		return nil
	}
	if err := str("timestamp", &p.Timestamp); err != nil {
		return p, err
	}
	if _, err := time.Parse(time.RFC3339, p.Timestamp); err != nil {
		return p, fieldErr("timestamp", "want an RFC 3339 time, got %q", truncate(p.Timestamp, 60))
	}
	if err := str("commit", &p.Commit); err != nil {
		return p, err
	}
	if _, ok := m["commit"]; ok {
		if err := CheckCommit(p.Commit); err != nil {
			return p, fieldErr("commit", "%v", err)
		}
	}
	raw, ok := m["total"]
	if !ok {
		return p, fieldErr("total", "missing")
	}
	var err error
	if p.Total, err = count("total", raw); err != nil {
		return p, err
	}
	if p.Total > maxHistoryTotal {
		return p, fieldErr("total", "%d files is not a plausible run", p.Total)
	}
	if raw, ok = m["by_code"]; !ok {
		return p, fieldErr("by_code", "missing")
	}
	if p.ByCode, err = codeCounts("by_code", raw, true); err != nil {
		return p, err
	}
	sum := 0
	for c, n := range p.ByCode {
		if n > p.Total {
			// Bounds every count by total, so the sum cannot overflow.
			return p, fieldErr("by_code."+c, "%d is more than total %d", n, p.Total)
		}
		sum += n
	}
	if sum != p.Total {
		return p, fieldErr("by_code", "counts sum to %d, but total is %d", sum, p.Total)
	}
	if raw, ok := m["suppressed_by_code"]; ok {
		if p.SuppressedByCode, err = codeCounts("suppressed_by_code", raw, true); err != nil {
			return p, err
		}
		for c, n := range p.SuppressedByCode {
			if c == Success && n > 0 {
				return p, fieldErr("suppressed_by_code."+c, "a success is not suppressed")
			}
			if n > p.ByCode[c] {
				return p, fieldErr("suppressed_by_code."+c, "%d suppressed, but by_code has %d", n, p.ByCode[c])
			}
		}
		if len(p.SuppressedByCode) == 0 {
			p.SuppressedByCode = nil
		}
	}
	return p, nil
}
