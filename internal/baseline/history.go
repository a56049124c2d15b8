package baseline

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
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

// HistoryOf is the history a baseline that follows ref continues: ref's
// own, or, when it has none (written by an older version or another tool)
// or it was refused (HistoryRefused), ref alone, its one point. An error
// when ref cannot be a point: its timestamp is not RFC 3339.
func HistoryOf(ref *Baseline) ([]Point, error) {
	if ref.History != nil {
		return ref.History, nil
	}
	p, err := PointOf(ref, "")
	if err != nil {
		return nil, err
	}
	return []Point{p}, nil
}

// TrendOf is the reference branch's trend as the reference ref carries
// it, for a chart beside a comparison with ref: HistoryOf(ref), or no
// point and the reason when ref's history was refused (a chart that
// silently lost its past would mislead). No point and no reason when ref
// cannot be a point. A regression gate's sign-off and `regression
// --markdown` both chart it, so that they agree.
func TrendOf(ref *Baseline) (points []Point, refused string) {
	if ref.HistoryRefused != "" {
		return nil, ref.HistoryRefused
	}
	points, _ = HistoryOf(ref)
	return points, ""
}

// ContinueHistory sets b's history to prev (the history of the reference
// baseline b follows) plus b's own entry at commit, keeping the last
// HistoryKeep. A re-run at the commit of prev's last entry replaces that
// entry rather than adding a second point for one commit. A baseline
// older than prev's last entry (clocks that disagree) is an error, and b
// is left as it was: its history would be refused when read.
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
	if n := len(hist); n > 0 && earlier(own, hist[n-1]) {
		return fmt.Errorf("history: the baseline's timestamp %s is earlier than the last entry it follows (%s)",
			truncate(own.Timestamp, 60), truncate(hist[n-1].Timestamp, 60))
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
// HistoryKeep entries, oldest first, each with an RFC 3339 timestamp no
// earlier than the one before, an optional full commit id, non-negative
// integer counts of known codes that sum to total, and suppressed counts
// no larger than the failures of their code. Keys this version does not
// know are ignored. The values come from an artifact or a results file a
// pull request may have written, so anything else is refused, a repeated
// key too; the caller treats a refused history as no history (it is
// informational: no verdict depends on it).
func DecodeHistory(raw json.RawMessage) ([]Point, error) {
	return decodeHistory(raw, 1, false)
}

// decodeHistory parses a history in one strict pass. A baseline's Reader
// delimits the value first, loosely (a repeated key inside it must drop
// the history, not end the reading of the baseline), then hands it here
// with the document line it starts on, so that errors name the
// document's lines; shared as the scanner's field.
func decodeHistory(raw []byte, line int, shared bool) ([]Point, error) {
	s := &scanner{data: raw, shared: shared, lines: line - 1}
	out, err := s.history()
	if err == nil && s.peek() != 0 {
		err = s.syntax("data after the list")
	}
	if err == nil {
		return out, nil
	}
	if _, ok := err.(*FieldError); ok {
		return nil, err
	}
	return nil, fmt.Errorf("history: %w", err)
}

// history reads the list of points at the scanner's position.
func (s *scanner) history() ([]Point, error) {
	if s.peek() != '[' {
		return nil, s.wrongType("history", "a list")
	}
	s.pos++
	out := []Point{}
	if s.peek() == ']' {
		s.pos++
		return out, nil
	}
	for i := 0; ; i++ {
		if i == HistoryKeep {
			return nil, s.tooLong(i)
		}
		p, err := s.point()
		if err != nil {
			if fe, ok := err.(*FieldError); ok {
				fe.Field = fmt.Sprintf("history[%d].%s", i, fe.Field)
			}
			return nil, err
		}
		if i > 0 && earlier(p, out[i-1]) {
			return nil, fieldErr(fmt.Sprintf("history[%d].timestamp", i), "%s is earlier than history[%d]'s %s: want the entries oldest first",
				truncate(p.Timestamp, 60), i-1, truncate(out[i-1].Timestamp, 60))
		}
		out = append(out, p)
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return out, nil
		default:
			return nil, s.syntax("want ',' or ']' in history")
		}
	}
}

// tooLong counts the entries of a history found longer than HistoryKeep
// at its entry n, for the message; it skips them unchecked.
func (s *scanner) tooLong(n int) error {
	s.loose = true
	defer func() { s.loose = false }()
	for {
		if err := s.skip(0); err != nil {
			return err
		}
		n++
		if s.peek() != ',' {
			break
		}
		s.pos++
	}
	if err := s.expect(']'); err != nil {
		return err
	}
	return fieldErr("history", "%d entries, at most %d are kept", n, HistoryKeep)
}

// earlier reports whether point p was taken before prev, so cannot follow
// it in a history, oldest first: a history charted out of order would draw
// a trend that never was. Equal times are two runs within a second. Both
// timestamps are checked RFC 3339 already.
func earlier(p, prev Point) bool {
	a, _ := time.Parse(time.RFC3339, p.Timestamp)
	b, _ := time.Parse(time.RFC3339, prev.Timestamp)
	return a.Before(b)
}

// point reads one history entry; a FieldError names a field of it.
func (s *scanner) point() (Point, error) {
	var p Point
	if s.peek() != '{' {
		return p, s.wrongType("entry", "an object")
	}
	var hasCommit, hasTotal, hasByCode bool
	err := s.object(func(k string) error {
		var err error
		switch k {
		case "timestamp":
			return s.strField(k, &p.Timestamp, false, false)
		case "commit":
			hasCommit = true
			return s.strField(k, &p.Commit, false, false)
		case "total":
			hasTotal = true
			var raw json.RawMessage
			if raw, err = s.value(); err == nil {
				p.Total, err = count(k, raw)
			}
		case "by_code":
			hasByCode = true
			p.ByCode, err = s.codeCounts(k)
		case "suppressed_by_code":
			p.SuppressedByCode, err = s.codeCounts(k)
		default:
			if err = s.skip(0); err != nil {
				if fe, ok := err.(*FieldError); ok {
					fe.Field = k + "." + fe.Field
				}
			}
		}
		return err
	})
	if err != nil {
		return p, err
	}
	if _, err := time.Parse(time.RFC3339, p.Timestamp); err != nil {
		return p, fieldErr("timestamp", "want an RFC 3339 time, got %q", truncate(p.Timestamp, 60))
	}
	if hasCommit {
		if err := CheckCommit(p.Commit); err != nil {
			return p, fieldErr("commit", "%v", err)
		}
	}
	if !hasTotal {
		return p, fieldErr("total", "missing")
	}
	if p.Total > maxHistoryTotal {
		return p, fieldErr("total", "%d files is not a plausible run", p.Total)
	}
	if !hasByCode {
		return p, fieldErr("by_code", "missing")
	}
	sum := 0
	for _, c := range slices.Sorted(maps.Keys(p.ByCode)) { // the same error for the same document
		n := p.ByCode[c]
		if n > p.Total {
			// Bounds every count by total, so the sum cannot overflow.
			return p, fieldErr("by_code."+c, "%d is more than total %d", n, p.Total)
		}
		sum += n
	}
	if sum != p.Total {
		return p, fieldErr("by_code", "counts sum to %d, but total is %d", sum, p.Total)
	}
	for _, c := range slices.Sorted(maps.Keys(p.SuppressedByCode)) {
		n := p.SuppressedByCode[c]
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
	return p, nil
}

// codeCounts reads an object of known code name → count; a FieldError
// names the field and the code.
func (s *scanner) codeCounts(field string) (map[string]int, error) {
	if s.peek() != '{' {
		return nil, s.wrongType(field, "an object of code name to count")
	}
	out := map[string]int{}
	err := s.object(func(k string) error {
		if _, ok := CodeByName(k); !ok {
			return fieldErr(k, "unknown code name %q (known: %s)", k, knownNames())
		}
		raw, err := s.value()
		if err != nil {
			return err
		}
		out[k], err = count(k, raw)
		return err
	})
	if fe, ok := err.(*FieldError); ok {
		fe.Field = field + "." + fe.Field
	}
	return out, err
}
