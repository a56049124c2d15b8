package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
//
// It reads either a whole document in memory (data, r nil) or a stream
// (r): then data is a window that fill extends and release slides at the
// points where nothing refers into it (between the elements of a list),
// so a document of any size is read in a window of a few records.
type scanner struct {
	data []byte
	pos  int
	// shared: data is never modified after decoding, so strings without
	// escapes may point into it instead of being copied (Read owns its
	// buffer; Decode's caller owns data, so Decode copies). Never for a
	// stream, whose window is reused.
	shared bool
	// loose skips a value without checking its objects' keys, to find
	// the end of a part (the history) that is judged on its own.
	loose bool
	// r is the stream the window is read from; nil for a whole document
	// or once it is exhausted. rerr is the error that ended it early.
	r    io.Reader
	rerr error
	// lines counts the newlines released from the window, so that errors
	// name lines of the whole document.
	lines int
	// interned holds the strings that repeat in every file (keys, code
	// names, phases), so that each is allocated once, not per file.
	interned map[string]string
}

// maxInterned bounds interned: values that repeat are few and short.
const (
	maxInterned    = 256
	maxInternedLen = 64
)

// window is the initial size of a stream's window; it grows only for a
// single value larger than half of it.
const window = 64 << 10

// fill reads more of the stream into the window; false at its end.
func (s *scanner) fill() bool {
	for s.r != nil {
		if len(s.data) == cap(s.data) {
			grown := make([]byte, len(s.data), max(2*cap(s.data), window))
			copy(grown, s.data)
			s.data = grown
		}
		n, err := s.r.Read(s.data[len(s.data):cap(s.data)])
		s.data = s.data[:len(s.data)+n]
		if err != nil {
			if err != io.EOF {
				s.rerr = err
			}
			s.r = nil
		}
		if n > 0 {
			return true
		}
	}
	return false
}

// release drops the part of a stream's window already read, once it is
// over half the window: called only where no string or span refers into
// it, it keeps the window a few records long.
func (s *scanner) release() {
	if s.r == nil || s.pos < cap(s.data)/2 {
		return
	}
	s.lines += bytes.Count(s.data[:s.pos], []byte("\n"))
	n := copy(s.data, s.data[s.pos:])
	s.data = s.data[:n]
	s.pos = 0
}

// line is the document line of the window's position at.
func (s *scanner) line(at int) int {
	return 1 + s.lines + bytes.Count(s.data[:min(at, len(s.data))], []byte("\n"))
}

var errSyntax = errors.New("invalid JSON")

func (s *scanner) syntax(what string) error {
	if s.rerr != nil {
		return fmt.Errorf("line %d: %w", s.line(s.pos), s.rerr)
	}
	return fmt.Errorf("not a JSON object: line %d: %w: %s", s.line(s.pos), errSyntax, what)
}

// repeated is a key that appears twice in one object. encoding/json keeps
// the last value and other readers the first, so one document could be
// read as two different baselines: it is refused.
func (s *scanner) repeated(k string, at int) error {
	return fieldErr(k, "repeated key (line %d): an object may name a key once", s.line(at))
}

func (s *scanner) ws() {
	for s.pos < len(s.data) || s.fill() {
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
	if s.pos < len(s.data) || s.fill() {
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
	for len(s.data)-s.pos < len(lit) && s.fill() {
	}
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
	for s.pos < len(s.data) || s.fill() {
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

// strInterned reads a string that is likely to repeat (a key, a code
// name): an earlier equal one is returned instead of a new copy.
func (s *scanner) strInterned() (string, error) {
	if s.peek() != '"' {
		return "", s.syntax("want a string")
	}
	for i := s.pos + 1; i-s.pos <= maxInternedLen && (i < len(s.data) || s.fill()); i++ {
		c := s.data[i]
		if c == '"' {
			if v, ok := s.interned[string(s.data[s.pos+1:i])]; ok {
				s.pos = i + 1
				return v, nil
			}
			break
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			break
		}
	}
	v, err := s.str()
	if err == nil && len(v) <= maxInternedLen && len(s.interned) < maxInterned {
		if s.interned == nil {
			s.interned = map[string]string{}
		}
		s.interned[v] = v
	}
	return v, err
}

func (s *scanner) strSlow(start int) (string, error) {
	buf := append([]byte(nil), s.data[start:s.pos]...)
	for s.pos < len(s.data) || s.fill() {
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
		if s.pos+1 >= len(s.data) && !s.fill() {
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
	for len(s.data)-s.pos < 4 && s.fill() {
	}
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
// They are a view of the window, valid until the next release: a caller
// that keeps them copies them once (compact).
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
	i := s.pos
	// at is the byte at i, 0 past the end.
	at := func() byte {
		if i < len(s.data) || s.fill() {
			return s.data[i]
		}
		return 0
	}
	digits := func() int {
		n := 0
		for c := at(); c >= '0' && c <= '9'; c = at() {
			i++
			n++
		}
		return n
	}
	if at() == '-' {
		i++
	}
	if at() == '0' {
		i++
	} else if digits() == 0 {
		return s.syntax("bad number")
	}
	if at() == '.' {
		i++
		if digits() == 0 {
			return s.syntax("bad number")
		}
	}
	if c := at(); c == 'e' || c == 'E' {
		i++
		if c := at(); c == '+' || c == '-' {
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
		k, err := s.strInterned()
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
