package baseline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unsafe"
)

// Reader reads a baseline document one file at a time, as strictly as
// Read: a repeated key, a field of the wrong type, an unknown code name or
// a malformed record is an error naming the field, and the document's
// totals are checked against its files once all is read. Reading from a
// stream it holds a few records and the paths listed (to check passed),
// not the document, so that regression compares two baselines of any size
// in little memory. Read and Decode are built on it.
type Reader struct {
	s     scanner
	state readState
	err   error
	// keys are the top-level keys seen; top their values, but files,
	// passed and history.
	keys   []string
	top    map[string]json.RawMessage
	passed []string
	// list: files is a list (not null or absent); i counts its elements.
	list   bool
	i      int
	listed pathSet
	// perCode and perCodeSuppressed count the files listed per code, all
	// and those marked suppressed, to check them against the counts.
	perCode, perCodeSuppressed map[string]int
	b                          *Baseline
	// cur is the file Next returned last.
	cur File
	// history is the document's history, or historyErr why it was
	// refused.
	history    []Point
	historyErr error
}

type readState int

const (
	atStart    readState = iota
	atKey                // before a top-level key
	inFiles              // before an element of files
	afterValue           // after a top-level value
	atEnd                // read and checked: Baseline is valid
)

// NewReader reads a baseline document from r.
func NewReader(r io.Reader) *Reader {
	return &Reader{s: scanner{r: r}, top: map[string]json.RawMessage{}}
}

// Next returns the next element of files, in the document's order, or nil
// once the whole document has been read and checked; then Baseline has
// the rest of it. The file is valid until the next call (copy it to keep
// it). An error is final: Next returns it again.
func (r *Reader) Next() (*File, error) {
	for r.err == nil {
		switch r.state {
		case atEnd:
			return nil, nil
		case inFiles:
			f, err := r.element()
			if err != nil {
				r.err = err
				break
			}
			return f, nil
		default:
			r.err = r.step()
		}
	}
	if r.s.rerr != nil {
		// Whatever the reading made of a stream cut short, the cause is
		// the stream's error.
		r.err = r.s.syntax("")
	}
	return nil, r.err
}

// Baseline returns the document without its files (Files nil) once Next
// has returned nil; nil before.
func (r *Reader) Baseline() *Baseline {
	if r.state != atEnd {
		return nil
	}
	return r.b
}

// step reads the document up to the next file or to its end.
func (r *Reader) step() error {
	s := &r.s
	switch r.state {
	case atStart:
		if s.peek() != '{' {
			return s.syntax("want an object")
		}
		s.pos++
		if s.peek() == '}' {
			s.pos++
			return r.end()
		}
		r.state = atKey
	case atKey:
		s.release()
		s.ws()
		at := s.pos
		k, err := s.str()
		if err != nil {
			return err
		}
		if slices.Contains(r.keys, k) {
			return s.repeated(k, at)
		}
		r.keys = append(r.keys, k)
		if err := s.expect(':'); err != nil {
			return err
		}
		r.state = afterValue
		return r.value(k)
	case afterValue:
		switch s.peek() {
		case ',':
			s.pos++
			r.state = atKey
		case '}':
			s.pos++
			return r.end()
		default:
			return s.syntax("want ',' or '}'")
		}
	}
	return nil
}

// value reads the value of top-level key k.
func (r *Reader) value(k string) error {
	s := &r.s
	switch k {
	case "files":
		if s.peek() == 'n' && s.literal("null") {
			return nil
		}
		if s.peek() != '[' {
			return fieldErr("files", "want a list of file objects")
		}
		s.pos++
		r.list = true
		if s.peek() == ']' {
			s.pos++
			return nil
		}
		r.state = inFiles
		return nil
	case "passed":
		var err error
		r.passed, err = s.strList(k)
		return err
	case "history":
		// Delimited loosely, then parsed strictly while the window holds
		// it: a history that is wrong is dropped with the reason, never
		// the baseline (its verdicts do not depend on it).
		s.ws()
		line := s.line(s.pos)
		s.loose = true
		raw, err := s.value()
		s.loose = false
		if err != nil || isNull(raw) {
			return err
		}
		r.history, r.historyErr = decodeHistory(raw, line, s.shared)
		return nil
	}
	raw, err := s.value()
	var fe *FieldError
	if errors.As(err, &fe) {
		fe.Field = k + "." + fe.Field
	}
	// Kept past the window's next release, and as an unknown field's
	// value: copied once, compact.
	r.top[k] = compact(raw)
	return err
}

// element reads one element of files and what follows it.
func (r *Reader) element() (*File, error) {
	s := &r.s
	s.release()
	f, err := s.file()
	if err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			fe.Field = fmt.Sprintf("files[%d].%s", r.i, fe.Field)
			return nil, fe
		}
		return nil, err
	}
	r.listed.add(f.Path, f.CodeName)
	if r.perCode == nil {
		r.perCode, r.perCodeSuppressed = map[string]int{}, map[string]int{}
	}
	r.perCode[f.CodeName]++
	if f.Suppressed {
		r.perCodeSuppressed[f.CodeName]++
	}
	switch s.peek() {
	case ',':
		s.pos++
	case ']':
		s.pos++
		r.state = afterValue
	default:
		return nil, s.syntax("want ',' or ']' after files[" + strconv.Itoa(r.i) + "]")
	}
	r.i++
	r.cur = f
	return &r.cur, nil
}

// end checks that nothing follows the document, then the document.
func (r *Reader) end() error {
	if r.s.peek() != 0 {
		return r.s.syntax("data after the object")
	}
	if r.s.rerr != nil {
		return r.s.syntax("")
	}
	b, err := r.finish()
	if err != nil {
		return err
	}
	r.b, r.state = b, atEnd
	return nil
}

// pathSet holds the paths a files list names, packed, with the code each
// is listed with first, to check passed against them without keeping the
// files.
type pathSet struct {
	buf   []byte
	ends  []int
	codes []uint8
	// unsorted: some path came before the one it follows.
	unsorted bool
}

func (p *pathSet) add(path, code string) {
	if n := len(p.ends); n > 0 && !p.unsorted && path < p.at(n-1) {
		p.unsorted = true
	}
	p.buf = append(p.buf, path...)
	p.ends = append(p.ends, len(p.buf))
	c, _ := CodeByName(code) // file checked it is known
	p.codes = append(p.codes, uint8(c.Num))
}

// at is the i-th path, a view of buf (paths are never empty).
func (p *pathSet) at(i int) string {
	start := 0
	if i > 0 {
		start = p.ends[i-1]
	}
	return unsafe.String(&p.buf[start], p.ends[i]-start)
}

// distinct counts the different paths.
func (p *pathSet) distinct() int {
	order := make([]int, len(p.ends))
	for i := range order {
		order[i] = i
	}
	if p.unsorted {
		slices.SortFunc(order, func(a, b int) int { return strings.Compare(p.at(a), p.at(b)) })
	}
	n := 0
	for i, k := range order {
		if i == 0 || p.at(k) != p.at(order[i-1]) {
			n++
		}
	}
	return n
}

// checkPassed sorts passed and checks that it and files[] name every file
// checked once: no path twice, none both passed and listed, and as many
// paths as total.
func checkPassed(passed []string, listed *pathSet, total int) error {
	if !slices.IsSorted(passed) {
		slices.Sort(passed)
	}
	for i, p := range passed {
		if p == "" {
			return fieldErr("passed", "an empty path")
		}
		if i > 0 && passed[i-1] == p {
			return fieldErr("passed", "%q is listed twice", p)
		}
	}
	for i := range listed.ends {
		if path := listed.at(i); len(passed) > 0 {
			if _, ok := slices.BinarySearch(passed, path); ok {
				return fieldErr("passed", "%q passed, but files[] lists it as %s", path, codeName(listed.codes[i]))
			}
		}
	}
	if n := len(passed) + listed.distinct(); n != total {
		return fieldErr("passed", "names %d files with files[], but total is %d", n, total)
	}
	return nil
}

func codeName(num uint8) string {
	c, _ := CodeByNum(int(num))
	return c.Name
}
