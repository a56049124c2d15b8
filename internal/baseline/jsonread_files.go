package baseline

import (
	"encoding/json"
	"fmt"
	"strconv"
)

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
			return s.strField(k, &f.Path, false, false)
		case "code_name":
			hasCode = true
			return s.strField(k, &f.CodeName, false, true)
		case "message":
			return s.strField(k, &f.Message, true, false)
		case "fingerprint":
			return s.strField(k, &f.Fingerprint, true, false)
		case "category":
			return s.strField(k, &f.Category, true, true)
		case "phase":
			return s.strField(k, &f.Phase, true, true)
		case "line":
			return s.lineField(&f.Line)
		case "suppressed":
			return s.boolField(k, &f.Suppressed)
		case "unscoped_suppression":
			return s.boolField(k, &f.UnscopedSuppression)
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
	if f.Category != "" {
		if _, _, err := ParseCategory(f.Category); err != nil {
			return f, fieldErr("category", "%v", err)
		}
	}
	if !ValidPhase(f.Phase) {
		return f, fieldErr("phase", "unknown phase %q (want %s or %s)", f.Phase, PhaseParse, PhaseExecute)
	}
	if f.UnscopedSuppression && !f.Suppressed {
		return f, fieldErr("unscoped_suppression", "true, but the file is not suppressed")
	}
	return f, nil
}

func (s *scanner) boolField(k string, dst *bool) error {
	switch {
	case s.peek() == 't' && s.literal("true"):
		*dst = true
	case s.peek() == 'f' && s.literal("false"), s.peek() == 'n' && s.literal("null"):
		*dst = false
	default:
		return s.wrongType(k, "true or false")
	}
	return nil
}

// strField reads a string (or null when nullable); interned for values
// that repeat from file to file.
func (s *scanner) strField(k string, dst *string, nullable, interned bool) error {
	switch c := s.peek(); {
	case c == '"':
		read := s.str
		if interned {
			read = s.strInterned
		}
		v, err := read()
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

// strList reads a list of strings (passed): one string per file checked,
// so it takes the scanner's fast path too.
func (s *scanner) strList(field string) ([]string, error) {
	if s.peek() == 'n' && s.literal("null") {
		return nil, nil
	}
	if s.peek() != '[' {
		return nil, s.wrongType(field, "a list of paths")
	}
	s.pos++
	out := []string{}
	if s.peek() == ']' {
		s.pos++
		return out, nil
	}
	for i := 0; ; i++ {
		s.release()
		if s.peek() != '"' {
			return nil, s.wrongType(fmt.Sprintf("%s[%d]", field, i), "a path")
		}
		v, err := s.str()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return out, nil
		default:
			return nil, s.syntax("want ',' or ']' in " + field)
		}
	}
}
