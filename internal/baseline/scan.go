package baseline

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// scanner is a small strict JSON reader for the one large part of a
// baseline, its files list: encoding/json spends four times longer on it
// (reflection, and a second pass per element to keep unknown fields), and
// regression must read two 200,000-file baselines in well under a second.
// Everything else in a document is handed to encoding/json as raw spans.
type scanner struct {
	data []byte
	pos  int
	// shared: data is never modified after decoding, so strings without
	// escapes may point into it instead of being copied (Read owns its
	// buffer; Decode's caller owns data, so Decode copies).
	shared bool
}

var errSyntax = errors.New("invalid JSON")

func (s *scanner) syntax(what string) error {
	line := 1
	for _, c := range s.data[:min(s.pos, len(s.data))] {
		if c == '\n' {
			line++
		}
	}
	return fmt.Errorf("not a JSON object: line %d: %w: %s", line, errSyntax, what)
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek skips white space and returns the next byte, or 0 at the end.
func (s *scanner) peek() byte {
	s.ws()
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

func (s *scanner) expect(c byte) error {
	if s.peek() != c {
		return s.syntax(fmt.Sprintf("want %q", c))
	}
	s.pos++
	return nil
}

func (s *scanner) literal(lit string) bool {
	if len(s.data)-s.pos >= len(lit) && string(s.data[s.pos:s.pos+len(lit)]) == lit {
		s.pos += len(lit)
		return true
	}
	return false
}

// str reads a string; the fast path copies bytes without escapes once.
func (s *scanner) str() (string, error) {
	if s.peek() != '"' {
		return "", s.syntax("want a string")
	}
	s.pos++
	start := s.pos
	ascii := true
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			v := s.data[start:s.pos]
			s.pos++
			if !ascii && !utf8.Valid(v) {
				return string([]rune(string(v))), nil // invalid bytes become U+FFFD, as encoding/json does
			}
			if s.shared && len(v) > 0 {
				return unsafe.String(&v[0], len(v)), nil
			}
			return string(v), nil
		case c == '\\':
			return s.strSlow(start)
		case c < 0x20:
			return "", s.syntax("control character in string")
		case c >= 0x80:
			ascii = false
		}
		s.pos++
	}
	return "", s.syntax("unterminated string")
}

func (s *scanner) strSlow(start int) (string, error) {
	buf := append([]byte(nil), s.data[start:s.pos]...)
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			if !utf8.Valid(buf) {
				return string([]rune(string(buf))), nil
			}
			return string(buf), nil
		case c < 0x20:
			return "", s.syntax("control character in string")
		case c != '\\':
			buf = append(buf, c)
			s.pos++
			continue
		}
		if s.pos+1 >= len(s.data) {
			break
		}
		e := s.data[s.pos+1]
		s.pos += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := s.hex4()
			if !ok {
				return "", s.syntax("bad \\u escape")
			}
			if utf16.IsSurrogate(r) {
				// A valid pair combines; anything else is U+FFFD and the
				// next escape stays unread, as encoding/json does.
				save := s.pos
				if s.literal(`\u`) {
					if r2, ok := s.hex4(); ok {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							buf = utf8.AppendRune(buf, d)
							continue
						}
					}
				}
				s.pos = save
				r = utf8.RuneError
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", s.syntax("bad escape")
		}
	}
	return "", s.syntax("unterminated string")
}

func (s *scanner) hex4() (rune, bool) {
	if len(s.data)-s.pos < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(s.data[s.pos:s.pos+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	s.pos += 4
	return rune(n), true
}

// value skips one value of any kind and returns its bytes, checked valid.
func (s *scanner) value() (json.RawMessage, error) {
	s.ws()
	start := s.pos
	if err := s.skip(0); err != nil {
		return nil, err
	}
	return s.data[start:s.pos], nil
}

func (s *scanner) skip(depth int) error {
	if depth > 1000 {
		return s.syntax("nested too deeply")
	}
	switch c := s.peek(); {
	case c == '"':
		_, err := s.str()
		return err
	case c == '{' || c == '[':
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		s.pos++
		if s.peek() == end {
			s.pos++
			return nil
		}
		for {
			if c == '{' {
				if _, err := s.str(); err != nil {
					return err
				}
				if err := s.expect(':'); err != nil {
					return err
				}
			}
			if err := s.skip(depth + 1); err != nil {
				return err
			}
			switch s.peek() {
			case ',':
				s.pos++
			case end:
				s.pos++
				return nil
			default:
				return s.syntax("want ',' or " + strconv.QuoteRune(rune(end)))
			}
		}
	case c == 't':
		if s.literal("true") {
			return nil
		}
	case c == 'f':
		if s.literal("false") {
			return nil
		}
	case c == 'n':
		if s.literal("null") {
			return nil
		}
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	}
	return s.syntax("want a value")
}

// number checks JSON number grammar.
func (s *scanner) number() error {
	d := s.data
	i := s.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(d) && d[i] == '0' {
		i++
	} else if digits() == 0 {
		return s.syntax("bad number")
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			return s.syntax("bad number")
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			return s.syntax("bad number")
		}
	}
	s.pos = i
	return nil
}

// object calls field for each key of an object, positioned at its value.
func (s *scanner) object(field func(key string) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		k, err := s.str()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		if err := field(k); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.syntax("want ',' or '}'")
		}
	}
}

// files reads the files list strictly, naming the element and field of any
// problem, and keeps unknown fields.
func (s *scanner) files(hint int) ([]File, error) {
	if s.peek() == 'n' && s.literal("null") {
		return nil, nil
	}
	if s.peek() != '[' {
		return nil, fieldErr("files", "want a list of file objects")
	}
	s.pos++
	out := make([]File, 0, hint)
	if s.peek() == ']' {
		s.pos++
		return out, nil
	}
	for i := 0; ; i++ {
		f, err := s.file()
		if err != nil {
			var fe *FieldError
			if errors.As(err, &fe) {
				fe.Field = fmt.Sprintf("files[%d].%s", i, fe.Field)
				return nil, fe
			}
			return nil, err
		}
		out = append(out, f)
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return out, nil
		default:
			return nil, s.syntax("want ',' or ']' after files[" + strconv.Itoa(i) + "]")
		}
	}
}

func (s *scanner) file() (File, error) {
	var f File
	var hasPath, hasCode bool
	if s.peek() != '{' {
		return f, fieldErr("", "want a file object")
	}
	err := s.object(func(k string) error {
		switch k {
		case "path":
			hasPath = true
			return s.strField(k, &f.Path, false)
		case "code_name":
			hasCode = true
			return s.strField(k, &f.CodeName, false)
		case "message":
			return s.strField(k, &f.Message, true)
		case "fingerprint":
			return s.strField(k, &f.Fingerprint, true)
		case "category":
			return s.strField(k, &f.Category, true)
		case "phase":
			return s.strField(k, &f.Phase, true)
		case "line":
			return s.lineField(&f.Line)
		case "suppressed":
			switch {
			case s.peek() == 't' && s.literal("true"):
				f.Suppressed = true
			case s.peek() == 'f' && s.literal("false"), s.peek() == 'n' && s.literal("null"):
				f.Suppressed = false
			default:
				return s.wrongType(k, "true or false")
			}
			return nil
		}
		raw, err := s.value()
		if err != nil {
			return err
		}
		if f.Extra == nil {
			f.Extra = map[string]json.RawMessage{}
		}
		f.Extra[k] = compact(raw)
		return nil
	})
	if err != nil {
		return f, err
	}
	if !hasPath || f.Path == "" {
		return f, fieldErr("path", "missing or empty")
	}
	if !hasCode {
		return f, fieldErr("code_name", "missing")
	}
	if _, ok := CodeByName(f.CodeName); !ok {
		return f, fieldErr("code_name", "unknown code name %q (known: %s)", f.CodeName, knownNames())
	}
	return f, nil
}

func (s *scanner) strField(k string, dst *string, nullable bool) error {
	switch c := s.peek(); {
	case c == '"':
		v, err := s.str()
		*dst = v
		return err
	case c == 'n' && nullable && s.literal("null"):
		return nil
	}
	return s.wrongType(k, "a string")
}

func (s *scanner) lineField(dst *int) error {
	if s.peek() == 'n' && s.literal("null") {
		return nil
	}
	start := s.pos
	if c := s.peek(); c != '-' && (c < '0' || c > '9') {
		return s.wrongType("line", "an integer or null")
	}
	if err := s.number(); err != nil {
		return err
	}
	n, err := strconv.Atoi(string(s.data[start:s.pos]))
	if err != nil {
		return fieldErr("line", "want an integer or null, got %s", s.data[start:s.pos])
	}
	if n < 0 {
		return fieldErr("line", "negative line %d", n)
	}
	*dst = n
	return nil
}

// wrongType names the kind of value found where another was wanted.
func (s *scanner) wrongType(k, want string) error {
	raw, err := s.value()
	if err != nil {
		return err
	}
	return fieldErr(k, "want %s, got %s", want, describe(raw))
}
