package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
	// loose skips a value without checking its objects' keys, to find
	// the end of a part (the history) that is judged on its own.
	loose bool
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

// repeated is a key that appears twice in one object. encoding/json keeps
// the last value and other readers the first, so one document could be
// read as two different baselines: it is refused.
func (s *scanner) repeated(k string, at int) error {
	line := 1 + bytes.Count(s.data[:at], []byte("\n"))
	return fieldErr(k, "repeated key (line %d): an object may name a key once", line)
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
		var keys []string
		for {
			if c == '{' {
				s.ws()
				at := s.pos
				k, err := s.str()
				if err != nil {
					return err
				}
				if !s.loose && slices.Contains(keys, k) {
					return s.repeated(k, at)
				}
				keys = append(keys, k)
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
	// A file object has a handful of keys: a list on the stack beats a map.
	var seen [12]string
	keys := seen[:0]
	for {
		s.ws()
		at := s.pos
		k, err := s.str()
		if err != nil {
			return err
		}
		if slices.Contains(keys, k) {
			return s.repeated(k, at)
		}
		keys = append(keys, k)
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
