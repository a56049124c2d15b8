package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"slices"
	"strconv"
)

// topLevel lists the fields Baseline knows; anything else lands in Extra.
var topLevel = map[string]bool{
	"timestamp": true, "total": true, "by_code": true, "failure_rate": true, "files": true,
	"by_category": true, "suppressed_failures": true, "suppressed_by_code": true,
	"expired_suppressions": true, "unused_suppressions": true, "checker": true, "exec_checker": true, "duration_sec": true,
	"passed": true, "history": true, "shard": true, "limit": true,
}

// Decode parses and validates a baseline document. It keeps no reference
// to data.
func Decode(data []byte) (*Baseline, error) { return decode(data, false) }

func decode(data []byte, shared bool) (*Baseline, error) {
	r := &Reader{s: scanner{data: data, shared: shared}, top: map[string]json.RawMessage{}}
	var files []File
	for {
		f, err := r.Next()
		if err != nil {
			return nil, err
		}
		if f == nil {
			break
		}
		if files == nil {
			// by_code, when it came before files, is read by now.
			files = make([]File, 0, sizeHint(r.top["by_code"], len(data)))
		}
		files = append(files, *f)
	}
	b := r.Baseline()
	if r.list && files == nil {
		files = []File{}
	}
	b.Files = files
	return b, nil
}

// finish checks and builds the document from its top-level values once
// all is read.
func (r *Reader) finish() (*Baseline, error) {
	b := &Baseline{}
	var err error
	if raw, ok := r.top["timestamp"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &b.Timestamp); err != nil {
			return nil, fieldErr("timestamp", "want a string")
		}
	}
	raw, ok := r.top["total"]
	if !ok {
		return nil, fieldErr("total", "missing")
	}
	if b.Total, err = count("total", raw); err != nil {
		return nil, err
	}
	raw, ok = r.top["by_code"]
	if !ok {
		return nil, fieldErr("by_code", "missing")
	}
	if b.ByCode, err = codeCounts("by_code", raw, true); err != nil {
		return nil, err
	}
	sum := 0
	for _, n := range b.ByCode {
		sum += n
	}
	if sum != b.Total {
		return nil, fieldErr("by_code", "counts sum to %d, but total is %d", sum, b.Total)
	}
	if raw, ok := r.top["failure_rate"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &b.FailureRate); err != nil || b.FailureRate < 0 || b.FailureRate > 1 || math.IsNaN(b.FailureRate) {
			return nil, fieldErr("failure_rate", "want a number from 0 to 1")
		}
	}
	if r.passed != nil {
		if err := checkPassed(r.passed, &r.listed, b.Total); err != nil {
			return nil, err
		}
		b.Passed = r.passed
	}
	if raw, ok := r.top["by_category"]; ok && !isNull(raw) {
		if b.ByCategory, err = codeCounts("by_category", raw, false); err != nil {
			return nil, err
		}
		for c := range b.ByCategory {
			if _, _, err := ParseCategory(c); err != nil {
				return nil, fieldErr("by_category."+c, "%v", err)
			}
		}
	}
	if raw, ok := r.top["suppressed_failures"]; ok && !isNull(raw) {
		if b.SuppressedFailures, err = count("suppressed_failures", raw); err != nil {
			return nil, err
		}
	}
	if raw, ok := r.top["suppressed_by_code"]; ok && !isNull(raw) {
		if b.SuppressedByCode, err = codeCounts("suppressed_by_code", raw, true); err != nil {
			return nil, err
		}
		for c, n := range b.SuppressedByCode {
			if n > b.ByCode[c] {
				return nil, fieldErr("suppressed_by_code."+c, "%d suppressed, but by_code has %d", n, b.ByCode[c])
			}
		}
	}
	if err := r.checkListed(b); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		name string
		dst  *[]string
	}{{"expired_suppressions", &b.ExpiredSuppressions}, {"unused_suppressions", &b.UnusedSuppressions}} {
		if raw, ok := r.top[f.name]; ok && !isNull(raw) {
			if err := json.Unmarshal(raw, f.dst); err != nil {
				return nil, fieldErr(f.name, "want a list of strings")
			}
		}
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"checker", &b.Checker}, {"exec_checker", &b.ExecChecker}} {
		if raw, ok := r.top[f.name]; ok && !isNull(raw) {
			if err := json.Unmarshal(raw, f.dst); err != nil {
				return nil, fieldErr(f.name, "want a string")
			}
		}
	}
	if raw, ok := r.top["shard"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &b.Shard); err != nil {
			return nil, fieldErr("shard", "want a string such as \"2/4\"")
		}
		if _, _, err := ParseShard(b.Shard); err != nil {
			return nil, fieldErr("shard", "%v", err)
		}
	}
	if raw, ok := r.top["limit"]; ok && !isNull(raw) {
		if b.Limit, err = count("limit", raw); err != nil {
			return nil, err
		}
	}
	if raw, ok := r.top["duration_sec"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &b.DurationSec); err != nil || b.DurationSec < 0 {
			return nil, fieldErr("duration_sec", "want a non-negative number")
		}
	}
	if r.historyErr != nil {
		b.HistoryRefused = r.historyErr.Error()
	} else if len(r.history) > 0 {
		b.History = r.history
	}
	for k, v := range r.top {
		if !topLevel[k] {
			if b.Extra == nil {
				b.Extra = map[string]json.RawMessage{}
			}
			b.Extra[k] = v // compact already (Reader.value)
		}
	}
	return b, nil
}

// checkListed checks the files listed against the counts: files[] may
// list fewer files of a code than by_code counts (a counts-only baseline,
// or one that lists only some), never more. A baseline whose files[] names
// 30 PARSE_ERROR files under a by_code of 10 says two things, and the
// comparison, which gates on the counts, would believe the smaller one.
// Likewise the files listed as not suppressed may not outnumber the
// failures by_code less suppressed_by_code leaves to gate, nor those
// marked suppressed the suppressed count.
func (r *Reader) checkListed(b *Baseline) error {
	for _, c := range slices.Sorted(maps.Keys(r.perCode)) { // the same error for the same document
		n := r.perCode[c]
		if n > b.ByCode[c] {
			return fieldErr("files", "lists %d file(s) with %s, but by_code counts %d", n, c, b.ByCode[c])
		}
		if len(b.SuppressedByCode) == 0 {
			continue // the files marked suppressed are the suppressed count
		}
		supp, gated := r.perCodeSuppressed[c], b.ByCode[c]-b.SuppressedByCode[c]
		if supp > b.SuppressedByCode[c] {
			return fieldErr("files", "lists %d file(s) with %s as suppressed, but suppressed_by_code counts %d", supp, c, b.SuppressedByCode[c])
		}
		if n-supp > gated {
			return fieldErr("files", "lists %d file(s) with %s as not suppressed, but by_code less suppressed_by_code leaves %d", n-supp, c, gated)
		}
	}
	return nil
}

// sizeHint guesses how many files a baseline lists from its failure counts
// when they come first (as this project writes them), so the list is
// allocated once; never more than the data could hold.
func sizeHint(byCode json.RawMessage, size int) int {
	var m map[string]int
	if json.Unmarshal(byCode, &m) != nil {
		return 0
	}
	n := 0
	for c, k := range m {
		if c != Success && k > 0 {
			n += k
		}
	}
	return min(n, size/48)
}

// compact is a copy of raw, a view of the scanner's window, without
// insignificant space: a kept unknown value reads the same back from a
// rewritten baseline.
func compact(raw json.RawMessage) json.RawMessage {
	buf := bytes.NewBuffer(make([]byte, 0, len(raw)))
	if json.Compact(buf, raw) != nil {
		return bytes.Clone(raw)
	}
	return buf.Bytes()
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// count decodes a non-negative integer.
func count(field string, raw json.RawMessage) (int, error) {
	var n json.Number
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] == '"' || json.Unmarshal(t, &n) != nil {
		return 0, fieldErr(field, "want a non-negative integer, got %s", describe(raw))
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(string(n), 64)
		if ferr != nil || f != math.Trunc(f) || f > math.MaxInt32*1024 {
			return 0, fieldErr(field, "want a non-negative integer, got %s", n)
		}
		i = int64(f)
	}
	if i < 0 {
		return 0, fieldErr(field, "negative count %d", i)
	}
	return int(i), nil
}

// codeCounts decodes an object of code name → count.
func codeCounts(field string, raw json.RawMessage, known bool) (map[string]int, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, fieldErr(field, "want an object of code name to count, got %s", describe(raw))
	}
	out := make(map[string]int, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) { // the same error for the same document
		v := m[k]
		if _, ok := CodeByName(k); known && !ok {
			return nil, fieldErr(field+"."+k, "unknown code name %q (known: %s)", k, knownNames())
		}
		n, err := count(field+"."+k, v)
		if err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, nil
}

func knownNames() string {
	var b bytes.Buffer
	for i, c := range Codes {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Name)
	}
	return b.String()
}

// describe names a JSON value's kind for an error message.
func describe(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "nothing"
	}
	switch t[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "a list"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	if len(t) > 20 {
		t = t[:20]
	}
	return string(t)
}

// MarshalJSON writes the known fields in their documented order, then any
// unknown fields read earlier, sorted.
func (b Baseline) MarshalJSON() ([]byte, error) {
	if b.PassedSpill != nil {
		return nil, errors.New("a baseline whose passed list is spilled is written with EncodeTo")
	}
	type plain Baseline
	p := plain(b)
	if p.ByCode == nil {
		p.ByCode = map[string]int{}
	}
	if p.Files == nil {
		p.Files = []File{}
	}
	extra := b.Extra
	if b.Passed != nil {
		list, err := json.Marshal(b.Passed)
		if err != nil {
			return nil, err
		}
		extra = maps.Clone(extra)
		if extra == nil {
			extra = map[string]json.RawMessage{}
		}
		extra["passed"] = list
	}
	return withExtra(p, extra)
}

// MarshalJSON writes a file's known fields, then its unknown ones.
func (f File) MarshalJSON() ([]byte, error) {
	type plain File
	return withExtra(plain(f), f.Extra)
}

func withExtra(v any, extra map[string]json.RawMessage) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	out := bytes.TrimRight(buf.Bytes(), "\n")
	if len(extra) == 0 {
		return out, nil
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out = out[:len(out)-1] // drop '}'
	for _, k := range keys {
		kb, _ := json.Marshal(k)
		out = append(out, ',')
		out = append(out, kb...)
		out = append(out, ':')
		out = append(out, extra[k]...)
	}
	return append(out, '}'), nil
}
