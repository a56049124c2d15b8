package checker

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/baseline"
)

func TestParseStatusLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want Status
		ok   bool
	}{
		{
			name: "interpreter failure",
			in:   `{"ok": false, "code": 20, "code_name": "PARSE_ERROR", "file": "a.aether", "phase": "parse", "message": "Parse error (assignment) line 12: goal\nmore", "line": 12}`,
			want: Status{File: "a.aether", CodeName: "PARSE_ERROR", Line: 12, Phase: "parse", Message: "Parse error (assignment) line 12: goal", Evidence: FromJSON},
			ok:   true,
		},
		{name: "success", in: `{"ok":true,"code":0,"code_name":"SUCCESS","file":"a","phase":"parse","message":"","line":null}`,
			want: Status{File: "a", CodeName: "SUCCESS", Phase: "parse", Evidence: FromJSON}, ok: true},
		{name: "ok only", in: `{"ok":true}`, want: Status{CodeName: "SUCCESS", Evidence: FromJSON}, ok: true},
		{name: "ok false only", in: `{"ok":false}`, want: Status{CodeName: "GENERIC_FAILURE", Evidence: FromJSON}, ok: true},
		{name: "code only", in: `{"code":24}`, want: Status{CodeName: "UNSUPPORTED_FEATURE", Evidence: FromJSON}, ok: true},
		{name: "code as string", in: `{"code":"26"}`, want: Status{CodeName: "IO_ERROR", Evidence: FromJSON}, ok: true},
		{name: "structured name", in: `{"ok":false,"code_name":"E_PARSE_UNBALANCED"}`, want: Status{CodeName: "PARSE_ERROR", Evidence: FromJSON}, ok: true},
		{name: "unknown name falls to code", in: `{"ok":false,"code":21,"code_name":"WEIRD"}`, want: Status{CodeName: "RUNTIME_ERROR", Evidence: FromJSON}, ok: true},
		{name: "unknown name and code", in: `{"ok":false,"code":99,"code_name":"WEIRD"}`,
			want: Status{CodeName: "GENERIC_FAILURE", Message: "unknown status code WEIRD", Evidence: FromJSON}, ok: true},
		{name: "contradiction never passes", in: `{"ok":false,"code_name":"SUCCESS"}`,
			want: Status{CodeName: "GENERIC_FAILURE", Message: "status line says ok:false with code SUCCESS", Evidence: FromJSON}, ok: true},
		{name: "negative line dropped", in: `{"code":20,"line":-3}`, want: Status{CodeName: "PARSE_ERROR", Evidence: FromJSON}, ok: true},
		{name: "invalid utf8 and controls", in: "{\"code\":20,\"message\":\"bad \xff\\u0001 x\"}",
			want: Status{CodeName: "PARSE_ERROR", Message: "bad \uFFFD\uFFFD x", Evidence: FromJSON}, ok: true},
		{name: "no status keys", in: `{"file":"a"}`},
		{name: "plain text", in: `Parse error line 3`},
		{name: "array", in: `[1]`},
		{name: "broken json", in: `{"ok":`},
		{name: "wrong type without a file", in: `{"ok":"yes"}`},
		{name: "execute phase", in: `{"ok":true,"code":0,"file":"a","phase":"execute"}`, want: Status{File: "a", CodeName: "SUCCESS", Phase: "execute", Evidence: FromJSON}, ok: true},
		{name: "code as string with a file", in: `{"code":"26","file":"a"}`, want: Status{File: "a", CodeName: "IO_ERROR", Evidence: FromJSON}, ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok, err := ParseStatusLine([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseStatusLine(f *testing.F) {
	for _, s := range []string{
		`{"ok": false, "code": 20, "code_name": "PARSE_ERROR", "file": "a.aether", "phase": "parse", "message": "x", "line": 12}`,
		`{"ok":true}`, `{"code":"27"}`, `{"code_name":"E_IO"}`, `{"ok":false,"line":1e3}`, "{\"message\":\"\xff\"}", `{}`,
		`{"ok":"false","file":"a","code":20}`, `{"ok":false,"file":["a"],"code":20}`, `{"ok":false,"file":"a","code":"x"}`,
		`{"ok":false,"file":"a","code_name":"PARSE_ERROR","line":"twelve"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		s, ok, err := ParseStatusLine(line)
		// A JSON object that names its file and a status is never read
		// past: it is a status or an error.
		var m map[string]json.RawMessage
		if json.Unmarshal(bytes.TrimSpace(line), &m) == nil && m["file"] != nil && (m["ok"] != nil || m["code"] != nil || m["code_name"] != nil) && !ok {
			t.Fatalf("status line %q vanished (err %v)", line, err)
		}
		if err != nil || !ok {
			return
		}
		if _, known := baseline.CodeByName(s.CodeName); !known {
			t.Fatalf("code name %q not in the table", s.CodeName)
		}
		if s.Line < 0 || len(s.Message) > MaxMessage+len("…") || strings.ContainsAny(s.Message, "\n\r") {
			t.Fatalf("bad status %+v", s)
		}
		if !strings.Contains(string(line), "true") && s.CodeName == baseline.Success && !strings.Contains(string(line), "0") && !strings.Contains(strings.ToUpper(string(line)), "SUCCESS") {
			t.Fatalf("passed without saying so: %q", line)
		}
	})
}

func TestParsePrefixLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, prefix, want string
		ok               bool
	}{
		{"AETHER_ERROR_CODE:20", "AETHER_ERROR_CODE", "PARSE_ERROR", true},
		{"  AETHER_ERROR_CODE: 0 \r", "AETHER_ERROR_CODE", "SUCCESS", true},
		{"AETHER_ERROR_CODE:99", "AETHER_ERROR_CODE", "GENERIC_FAILURE", true},
		{"AETHER_ERROR_CODE:x", "AETHER_ERROR_CODE", "", false},
		{"MY:21", "MY", "RUNTIME_ERROR", true},
		{"AETHER_ERROR_CODE:20", "", "", false},
		{"xAETHER_ERROR_CODE:20", "AETHER_ERROR_CODE", "", false},
	}
	for _, tt := range tests {
		got, ok := ParsePrefixLine([]byte(tt.in), tt.prefix)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParsePrefixLine(%q, %q) = %q, %v; want %q, %v", tt.in, tt.prefix, got, ok, tt.want, tt.ok)
		}
	}
}

func TestHeuristic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, code, msg string
		line                int
	}{
		{"parse", "loading\nParse error (assignment) line 12: goal\n", "PARSE_ERROR", "Parse error (assignment) line 12: goal", 12},
		{"syntax", "x.ae:7: SyntaxError: bad", "PARSE_ERROR", "x.ae:7: SyntaxError: bad", 7},
		{"traceback", "Traceback (most recent call last):\n  File \"a.py\", line 3, in <module>\n  File \"b.py\", line 7, in f\nKeyError: 'x'\n", "RUNTIME_ERROR", "KeyError: 'x'", 7},
		{"python syntax", "  File \"m.py\", line 2\n    def f(:\n          ^\nSyntaxError: invalid syntax\n", "PARSE_ERROR", "SyntaxError: invalid syntax", 2},
		{"traceback not implemented", "Traceback (most recent call last):\n  File \"a\"\nNotImplementedError: quantum\n", "UNSUPPORTED_FEATURE", "NotImplementedError: quantum", 0},
		{"signature", "error: missing signature for workflow", "SIGNATURE_ERROR", "error: missing signature for workflow", 0},
		{"io", "open a.aether: permission denied", "IO_ERROR", "open a.aether: permission denied", 0},
		{"timeout", "operation timed out", "TIMEOUT_ERROR", "operation timed out", 0},
		{"unknown function", "unknown function foo at line 4", "VALIDATION_ERROR", "unknown function foo at line 4", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, msg, line, ok := Heuristic(tt.in)
			if !ok || code != tt.code || msg != tt.msg || line != tt.line {
				t.Errorf("Heuristic = %q, %q, %d, %v; want %q, %q, %d", code, msg, line, ok, tt.code, tt.msg, tt.line)
			}
		})
	}
	if _, _, _, ok := Heuristic("something odd happened"); ok {
		t.Error("Heuristic recognised plain text")
	}
}

func TestParseStatusLineWrongTypes(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`{"ok":"false","file":"a.py","code":20}`, `status line field "ok": want true or false, got a string`},
		{`{"ok":false,"file":["a.py"],"code":20}`, `status line field "file": want a string, got a list`},
		{`{"ok":false,"file":"a.py","code":"twenty"}`, `status line field "code": want an integer, got a string`},
		{`{"ok":false,"file":"a.py","code_name":20}`, `status line field "code_name": want a string, got the number 20`},
		{`{"ok":false,"file":"a.py","code":20,"line":2.5}`, `status line field "line": want an integer, got the number 2.5`},
		{`{"ok":false,"file":"a.py","code":20,"message":{"text":"x"}}`, `status line field "message": want a string, got an object`},
		{`{"ok":false,"file":"a.py","code":20,"phase":"compile"}`, `status line field "phase": want "parse" or "execute", got "compile"`},
		{`{"ok":true,"file":"a.py","code":0,"phase":"Execute"}`, `status line field "phase": want "parse" or "execute", got "Execute"`},
		{`{"ok":true,"file":"a.py","code":0,"phase":1}`, `status line field "phase": want "parse" or "execute", got the number 1`},
	}
	for _, tt := range tests {
		_, ok, err := ParseStatusLine([]byte(tt.in))
		if err == nil || err.Error() != tt.want || !ok {
			t.Errorf("ParseStatusLine(%s) = ok %v, error %v; want %q", tt.in, ok, err, tt.want)
		}
	}
}

func TestIngestMalformedStatusLineNamesLineAndField(t *testing.T) {
	t.Parallel()
	in := `{"ok":true,"code":0,"file":"a.py"}` + "\n" + "banner\n" + `{"ok":"false","code":20,"file":"b.py"}` + "\n"
	_, err := Ingest(strings.NewReader(in))
	if err == nil || err.Error() != `line 3: status line field "ok": want true or false, got a string` {
		t.Errorf("Ingest error = %v", err)
	}
}

// TestStatusLineRepeatedKey: a status line that names a key twice means
// one thing to encoding/json (the last) and another to other readers (the
// first); it is refused as malformed, never read as either.
func TestStatusLineRepeatedKey(t *testing.T) {
	t.Parallel()
	_, ok, err := ParseStatusLine([]byte(`{"ok":false,"code_name":"PARSE_ERROR","file":"a.py","code_name":"SUCCESS","ok":true}`))
	var se *StatusLineError
	if !ok || !errors.As(err, &se) || se.File != "a.py" || !strings.Contains(err.Error(), `field "code_name": want the key once, got it twice`) {
		t.Errorf("ok %v, err %v; want a malformed status line naming code_name", ok, err)
	}
	// Without a file it is no status line: ordinary output.
	if _, ok, err := ParseStatusLine([]byte(`{"ok":false,"ok":true}`)); ok || err != nil {
		t.Errorf("ok %v, err %v; want ordinary output", ok, err)
	}
}
