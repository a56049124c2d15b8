package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// topLevel lists the fields Baseline knows; anything else lands in Extra.
var topLevel = map[string]bool{
	"timestamp": true, "total": true, "by_code": true, "failure_rate": true, "files": true,
	"by_category": true, "suppressed_failures": true, "suppressed_by_code": true,
	"expired_suppressions": true, "unused_suppressions": true, "checker": true, "duration_sec": true,
}

var fileFields = map[string]bool{
	"path": true, "code_name": true, "line": true, "message": true,
	"fingerprint": true, "category": true, "phase": true, "suppressed": true,
}

// Decode parses and validates a baseline document.
func Decode(data []byte) (*Baseline, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", syntaxDetail(data, err))
	}
	if top == nil {
		return nil, errors.New("not a JSON object")
	}
	b := &Baseline{}
	var err error
	if raw, ok := top["timestamp"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &b.Timestamp); err != nil {
			return nil, fieldErr("timestamp", "want a string")
		}
	}
	raw, ok := top["total"]
	if !ok {
		return nil, fieldErr("total", "missing")
	}
	if b.Total, err = count("total", raw); err != nil {
		return nil, err
	}
	raw, ok = top["by_code"]
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
	if raw, ok := top["failure_rate"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &b.FailureRate); err != nil || b.FailureRate < 0 || b.FailureRate > 1 || math.IsNaN(b.FailureRate) {
			return nil, fieldErr("failure_rate", "want a number from 0 to 1")
		}
	}
	if raw, ok := top["files"]; ok && !isNull(raw) {
		if b.Files, err = decodeFiles(raw); err != nil {
			return nil, err
		}
	}
	if raw, ok := top["by_category"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &b.ByCategory); err != nil {
			return nil, fieldErr("by_category", "want an object of counts")
		}
	}
	if raw, ok := top["suppressed_failures"]; ok && !isNull(raw) {
		if b.SuppressedFailures, err = count("suppressed_failures", raw); err != nil {
			return nil, err
		}
	}
	if raw, ok := top["suppressed_by_code"]; ok && !isNull(raw) {
		if b.SuppressedByCode, err = codeCounts("suppressed_by_code", raw, true); err != nil {
			return nil, err
		}
		for c, n := range b.SuppressedByCode {
			if n > b.ByCode[c] {
				return nil, fieldErr("suppressed_by_code."+c, "%d suppressed, but by_code has %d", n, b.ByCode[c])
			}
		}
	}
	for _, f := range []struct {
		name string
		dst  *[]string
	}{{"expired_suppressions", &b.ExpiredSuppressions}, {"unused_suppressions", &b.UnusedSuppressions}} {
		if raw, ok := top[f.name]; ok && !isNull(raw) {
			if err := json.Unmarshal(raw, f.dst); err != nil {
				return nil, fieldErr(f.name, "want a list of strings")
			}
		}
	}
	if raw, ok := top["checker"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &b.Checker); err != nil {
			return nil, fieldErr("checker", "want a string")
		}
	}
	if raw, ok := top["duration_sec"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &b.DurationSec); err != nil || b.DurationSec < 0 {
			return nil, fieldErr("duration_sec", "want a non-negative number")
		}
	}
	for k, v := range top {
		if !topLevel[k] {
			if b.Extra == nil {
				b.Extra = map[string]json.RawMessage{}
			}
			b.Extra[k] = compact(v)
		}
	}
	return b, nil
}

// compact strips insignificant space from a kept unknown value, so that
// reading a rewritten baseline gives the same value back.
func compact(raw json.RawMessage) json.RawMessage {
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return raw
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
	for k, v := range m {
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

// fileWire is File as it travels, with a line that may be null.
type fileWire struct {
	Path        *string `json:"path"`
	CodeName    *string `json:"code_name"`
	Line        *int    `json:"line"`
	Message     string  `json:"message"`
	Fingerprint string  `json:"fingerprint"`
	Category    string  `json:"category"`
	Phase       string  `json:"phase"`
	Suppressed  bool    `json:"suppressed"`
}

func decodeFiles(raw json.RawMessage) ([]File, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, fieldErr("files", "want a list of file objects")
	}
	var files []File
	for i := 0; dec.More(); i++ {
		var elem json.RawMessage
		if err := dec.Decode(&elem); err != nil {
			return nil, fieldErr(fmt.Sprintf("files[%d]", i), "malformed: %v", err)
		}
		f, err := decodeFile(elem)
		if err != nil {
			var fe *FieldError
			if errors.As(err, &fe) {
				fe.Field = fmt.Sprintf("files[%d].%s", i, fe.Field)
				return nil, fe
			}
			return nil, fieldErr(fmt.Sprintf("files[%d]", i), "%v", err)
		}
		files = append(files, f)
	}
	return files, nil
}

func decodeFile(elem json.RawMessage) (File, error) {
	var w fileWire
	dec := json.NewDecoder(bytes.NewReader(elem))
	dec.DisallowUnknownFields()
	err := dec.Decode(&w)
	var extra map[string]json.RawMessage
	if err != nil {
		// Unknown fields are kept, not refused: decode again leniently
		// and set them aside. Only real type errors remain errors.
		var all map[string]json.RawMessage
		if json.Unmarshal(elem, &all) != nil || all == nil {
			return File{}, errors.New("want a file object")
		}
		w = fileWire{}
		for k, v := range all {
			if !fileFields[k] {
				if extra == nil {
					extra = map[string]json.RawMessage{}
				}
				extra[k] = compact(v)
				continue
			}
			if err := decodeFileField(&w, k, v); err != nil {
				return File{}, err
			}
		}
	}
	if w.Path == nil || *w.Path == "" {
		return File{}, fieldErr("path", "missing or empty")
	}
	if w.CodeName == nil {
		return File{}, fieldErr("code_name", "missing")
	}
	if _, ok := CodeByName(*w.CodeName); !ok {
		return File{}, fieldErr("code_name", "unknown code name %q (known: %s)", *w.CodeName, knownNames())
	}
	f := File{
		Path: *w.Path, CodeName: *w.CodeName, Message: w.Message, Fingerprint: w.Fingerprint,
		Category: w.Category, Phase: w.Phase, Suppressed: w.Suppressed, Extra: extra,
	}
	if w.Line != nil {
		if *w.Line < 0 {
			return File{}, fieldErr("line", "negative line %d", *w.Line)
		}
		f.Line = *w.Line
	}
	return f, nil
}

// decodeFileField decodes one known field, naming it when its type is wrong.
func decodeFileField(w *fileWire, k string, v json.RawMessage) error {
	var dst any
	want := "a string"
	switch k {
	case "path":
		dst = &w.Path
	case "code_name":
		dst = &w.CodeName
	case "line":
		dst, want = &w.Line, "an integer or null"
	case "message":
		dst = &w.Message
	case "fingerprint":
		dst = &w.Fingerprint
	case "category":
		dst = &w.Category
	case "phase":
		dst = &w.Phase
	case "suppressed":
		dst, want = &w.Suppressed, "true or false"
	}
	if isNull(v) && k != "path" && k != "code_name" {
		return nil
	}
	if err := json.Unmarshal(v, dst); err != nil {
		return fieldErr(k, "want %s, got %s", want, describe(v))
	}
	return nil
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

func syntaxDetail(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return fmt.Errorf("line %d: %v", line, se)
	}
	return err
}

// MarshalJSON writes the known fields in their documented order, then any
// unknown fields read earlier, sorted.
func (b Baseline) MarshalJSON() ([]byte, error) {
	type plain Baseline
	p := plain(b)
	if p.ByCode == nil {
		p.ByCode = map[string]int{}
	}
	if p.Files == nil {
		p.Files = []File{}
	}
	return withExtra(p, b.Extra)
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
