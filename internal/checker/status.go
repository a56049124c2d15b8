package checker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/jsonstrict"
)

// Evidence says what a status was decided from, strongest first.
type Evidence string

const (
	FromJSON      Evidence = "json"      // a JSON status line on stdout
	FromPrefix    Evidence = "prefix"    // a <prefix>:<int> line on stderr
	FromExit      Evidence = "exit"      // an exit code of the code table (0, 20–27)
	FromHeuristic Evidence = "heuristic" // recognised words in the output
	FromFallback  Evidence = "fallback"  // a failure nothing else explained
	FromTimeout   Evidence = "timeout"   // the process was killed at the timeout
	FromMissing   Evidence = "missing"   // the checker said nothing about the file
	FromIO        Evidence = "io"        // the file could not be read
	FromIngest    Evidence = "ingest"    // a status read from a file (JSONL, SARIF)
)

// MaxMessage caps a status message, in bytes; messages are first lines.
const MaxMessage = 1000

// Status is the verdict on one file.
type Status struct {
	// File is the path as the caller passed it (runs) or as the status
	// source spelled it (ingest).
	File     string
	CodeName string
	Line     int
	Message  string
	Phase    string
	Evidence Evidence
	// Suppressed is a finding the producing tool itself reports as
	// suppressed (SARIF result.suppressions, e.g. an eslint-disable
	// comment): counted and shown, not gated.
	Suppressed bool
	// NameLossy: the source spelled File in a way JSON text decodes with
	// a replacement character (invalid UTF-8, an unpaired surrogate such
	// as Python's "\udcff" for a byte of a name that is not UTF-8), so two
	// different files may read as one name.
	NameLossy bool
}

// OK reports whether the file passed.
func (s Status) OK() bool { return s.CodeName == baseline.Success }

// StatusLineError is a line that names its file and a status, so it is a
// status line, but has a field of the wrong type ("ok":"false",
// "file":[…]). Reading past it would lose a verdict, so it is refused.
type StatusLineError struct {
	Field, Want, Got string
	// File is the line's file when that field is a string.
	File string
}

func (e *StatusLineError) Error() string {
	return fmt.Sprintf("status line field %q: want %s, got %s", e.Field, e.Want, e.Got)
}

// statusKeys are the fields that make a JSON object a status line.
var statusKeys = []string{"ok", "code", "code_name"}

// ParseStatusLine reads one JSON status line,
// {"ok","code","code_name","file","phase","message","line"}. It accepts a
// line only when it is a JSON object carrying at least one of ok, code and
// code_name; anything else is ordinary output (ok=false). A line that also
// names its file must have every field of its documented type, or it is
// an error (a *StatusLineError); a line without a file that does not is
// ordinary output. The code name comes from code_name when it is in the
// table, else from code, else from ok.
func ParseStatusLine(line []byte) (Status, bool, error) {
	line = bytes.TrimSpace(line)
	if len(line) < 2 || line[0] != '{' || line[len(line)-1] != '}' {
		return Status{}, false, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(line, &m); err != nil {
		return Status{}, false, nil
	}
	if !slices.ContainsFunc(statusKeys, func(k string) bool { _, ok := m[k]; return ok }) {
		return Status{}, false, nil
	}
	_, strict := m["file"]
	if k, ok := repeatedKey(line); ok {
		// {"code_name":"PARSE_ERROR", …, "code_name":"SUCCESS"}: encoding/json
		// keeps the last, another reader the first; a verdict must not
		// depend on the reader.
		if !strict {
			return Status{}, false, nil
		}
		bad := &StatusLineError{Field: k, Want: "the key once", Got: "it twice"}
		var f string
		if json.Unmarshal(m["file"], &f) == nil && k != "file" {
			bad.File = f
		}
		return Status{}, true, bad
	}
	var bad *StatusLineError
	field := func(k, want string, read func(json.RawMessage) bool) {
		raw, ok := m[k]
		if !ok || bad != nil || isJSONNull(raw) || read(raw) {
			return
		}
		bad = &StatusLineError{Field: k, Want: want, Got: jsonKind(raw)}
	}
	var (
		ok             *bool
		codeName, file *string
		phase, message string
		code, lineNo   int
		hasCode        bool
	)
	str := func(dst *string) func(json.RawMessage) bool {
		return func(raw json.RawMessage) bool { return json.Unmarshal(raw, dst) == nil }
	}
	field("file", "a string", func(raw json.RawMessage) bool { file = new(string); return str(file)(raw) })
	field("ok", "true or false", func(raw json.RawMessage) bool { ok = new(bool); return json.Unmarshal(raw, ok) == nil })
	field("code", "an integer", func(raw json.RawMessage) bool { code, hasCode = intValue(raw); return hasCode })
	field("code_name", "a string", func(raw json.RawMessage) bool { codeName = new(string); return str(codeName)(raw) })
	field("phase", `"parse" or "execute"`, func(raw json.RawMessage) bool {
		return str(&phase)(raw) && baseline.ValidPhase(phase)
	})
	field("message", "a string", str(&message))
	field("line", "an integer", func(raw json.RawMessage) bool { n, ok := intValue(raw); lineNo = n; return ok })
	if bad != nil && bad.Field == "phase" && phase != "" {
		bad.Got = strconv.Quote(Clean(phase, 40))
	}
	if bad != nil {
		if !strict {
			return Status{}, false, nil
		}
		if file != nil && bad.Field != "file" {
			bad.File = *file
		}
		return Status{}, true, bad
	}
	s := Status{Phase: phase, Message: Clean(message, MaxMessage), Evidence: FromJSON}
	if file != nil {
		s.File = *file
		s.NameLossy = lossy(m["file"], *file)
	}
	if lineNo > 0 {
		s.Line = lineNo
	}
	name := ""
	if codeName != nil {
		name = codeNameAlias(*codeName)
	}
	if name == "" && hasCode {
		if c, ok := baseline.CodeByNum(code); ok {
			name = c.Name
		}
	}
	switch {
	case name == "" && ok != nil && *ok:
		name = baseline.Success
	case name == "":
		name = baseline.GenericFailure
		if s.Message == "" && codeName != nil {
			s.Message = "unknown status code " + Clean(*codeName, 100)
		}
	case name == baseline.Success && ok != nil && !*ok:
		// ok:false contradicts SUCCESS; a failure must never pass.
		name = baseline.GenericFailure
		if s.Message == "" {
			s.Message = `status line says ok:false with code SUCCESS`
		}
	}
	s.CodeName = name
	return s, true, nil
}

// repeatedKey returns a key that the JSON object line names twice, at its
// top level or below.
func repeatedKey(line []byte) (string, bool) {
	err := jsonstrict.UniqueKeys(line)
	if err == nil {
		return "", false
	}
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, "repeated key "); ok {
		if k, err := strconv.QuotedPrefix(rest); err == nil {
			if uq, err := strconv.Unquote(k); err == nil {
				return uq, true
			}
		}
	}
	return msg, true
}

// lossy reports whether decoded, the string JSON text raw decodes to,
// holds replacement characters that raw does not write: raw held invalid
// UTF-8 or an unpaired surrogate escape, which decoding replaced.
func lossy(raw json.RawMessage, decoded string) bool {
	n := strings.Count(decoded, "\uFFFD")
	if n == 0 {
		return false
	}
	written := bytes.Count(raw, []byte("\uFFFD")) + bytes.Count(bytes.ToLower(raw), []byte(`\ufffd`))
	return n > written
}

func isJSONNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// jsonKind names a JSON value's kind for an error message.
func jsonKind(raw json.RawMessage) string {
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
	}
	return "the number " + Clean(string(t), 20)
}

// codeNameAlias maps a code name to the table: the name itself, or a
// structured interpreter code such as E_PARSE_UNBALANCED by its family.
func codeNameAlias(name string) string {
	n := strings.ToUpper(strings.TrimSpace(name))
	if _, ok := baseline.CodeByName(n); ok {
		return n
	}
	for _, fam := range []struct{ prefix, code string }{
		{"E_PARSE", baseline.ParseError}, {"E_RUNTIME", baseline.RuntimeError},
		{"E_SIGNATURE", baseline.SignatureError}, {"E_TIMEOUT", baseline.TimeoutError},
		{"E_UNSUPPORTED", baseline.UnsupportedFeature}, {"E_VALIDATION", baseline.ValidationError},
		{"E_IO", baseline.IOError}, {"E_INTERNAL", baseline.InternalError},
	} {
		if strings.HasPrefix(n, fam.prefix) {
			return fam.code
		}
	}
	return ""
}

// intValue reads a JSON integer (or an integral float, or a numeric string).
func intValue(raw json.RawMessage) (int, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, false
	}
	s := string(raw)
	if raw[0] == '"' {
		if json.Unmarshal(raw, &s) != nil {
			return 0, false
		}
	}
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		return n, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) && f > -1e9 && f < 1e9 {
		return int(f), true
	}
	return 0, false
}

// ParsePrefixLine reads a "<prefix>:<int>" stderr line (the interpreter's
// --emit-error-code) and returns the code name of the number; a number not
// in the table is a GENERIC_FAILURE.
func ParsePrefixLine(line []byte, prefix string) (string, bool) {
	if prefix == "" {
		return "", false
	}
	line = bytes.TrimSpace(line)
	rest, ok := bytes.CutPrefix(line, []byte(prefix+":"))
	if !ok {
		return "", false
	}
	n, err := strconv.Atoi(string(bytes.TrimSpace(rest)))
	if err != nil {
		return "", false
	}
	if c, ok := baseline.CodeByNum(n); ok {
		return c.Name, true
	}
	return baseline.GenericFailure, true
}

// ExitCodeName maps an exit code of the code table (0 and 20–27) to its
// name. Exit 1 and other codes are not specific: they need heuristics.
func ExitCodeName(code int) (string, bool) {
	if code == 0 || (code >= 20 && code <= 27) {
		c, ok := baseline.CodeByNum(code)
		return c.Name, ok
	}
	return "", false
}

var controlRE = regexp.MustCompile(`[\x00-\x08\x0b-\x1f\x7f]`)

// Clean makes untrusted checker text safe to store: valid UTF-8, its first
// line only, control characters replaced, at most max bytes (cut on a rune
// boundary).
func Clean(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.TrimSpace(baseline.FirstLine(s))
	s = controlRE.ReplaceAllString(s, "\uFFFD")
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
