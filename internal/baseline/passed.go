package baseline

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/org/gonogo-action/internal/scratch"
)

// PassedSpill keeps a baseline's passed list in an unnamed temporary file
// instead of memory. A run over hundreds of thousands of files names every
// one of them there, and holding them would make its peak grow with the
// files checked rather than with the failures listed. Paths are added in
// sorted order, each once, and kept as the JSON strings Encode writes.
type PassedSpill struct {
	f    *scratch.File
	n    int
	last string
	err  error
}

// NewPassedSpill creates the spill's file in the temporary directory
// (unnamed: scratch.New); Close releases it.
func NewPassedSpill() (*PassedSpill, error) {
	f, err := scratch.New("gonogo-passed-*")
	if err != nil {
		return nil, fmt.Errorf("passed list: %w", err)
	}
	return &PassedSpill{f: f}, nil
}

// Add appends path, which must sort after every path added before.
func (s *PassedSpill) Add(path string) error {
	if s.err != nil {
		return s.err
	}
	if s.n > 0 && strings.Compare(path, s.last) <= 0 {
		s.err = fmt.Errorf("passed list: %q added after %q: paths must come sorted, each once", path, s.last)
		return s.err
	}
	// json.Marshal's escaping, as Baseline.MarshalJSON writes the list.
	data, err := json.Marshal(path)
	if err == nil {
		data = append(data, '\n')
		_, err = s.f.Write(data)
	}
	if err != nil {
		s.err = fmt.Errorf("passed list: %w", err)
		return s.err
	}
	s.n++
	s.last = path
	return nil
}

// Len is the number of paths added.
func (s *PassedSpill) Len() int { return s.n }

// each hands each path's JSON string to fn, in order.
func (s *PassedSpill) each(fn func(quoted []byte) error) error {
	if s.err != nil {
		return s.err
	}
	r, err := s.f.Contents()
	if err != nil {
		return fmt.Errorf("passed list: %w", err)
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		if err := fn(sc.Bytes()); err != nil {
			return err
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("passed list: %w", err)
	}
	if n != s.n {
		return fmt.Errorf("passed list: read %d paths back, wrote %d", n, s.n)
	}
	return nil
}

// Each calls fn with each path, in order, until fn returns an error.
func (s *PassedSpill) Each(fn func(path string) error) error {
	return s.each(func(quoted []byte) error {
		var p string
		if err := json.Unmarshal(quoted, &p); err != nil {
			return fmt.Errorf("passed list: %w", err)
		}
		return fn(p)
	})
}

// Close releases the file.
func (s *PassedSpill) Close() error {
	if s == nil {
		return nil
	}
	return s.f.Close()
}

// passedMarker is how Encode writes an empty passed list at the top level
// of a baseline: a raw newline and exactly two spaces of indentation occur
// only between top-level members (strings escape their newlines, nested
// members are indented further), and a key occurs once.
const passedMarker = "\n  \"passed\": []"

// EncodeTo writes b as Encode renders it. A passed list held in a spill
// is streamed from its file, so the document is never whole in memory.
func EncodeTo(w io.Writer, b *Baseline) error {
	if b.PassedSpill == nil {
		data, err := Encode(b)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	c := *b
	c.Passed, c.PassedSpill = []string{}, nil
	data, err := Encode(&c)
	if err != nil {
		return err
	}
	at := bytes.Index(data, []byte(passedMarker))
	if at < 0 || bytes.Count(data, []byte(passedMarker)) != 1 {
		return errors.New("encode baseline: no single place for the passed list")
	}
	bw := bufio.NewWriter(w)
	bw.Write(data[:at])
	if b.PassedSpill.Len() == 0 {
		bw.WriteString(passedMarker)
	} else {
		bw.WriteString("\n  \"passed\": [")
		sep := "\n    "
		if err := b.PassedSpill.each(func(quoted []byte) error {
			bw.WriteString(sep)
			_, err := bw.Write(quoted)
			sep = ",\n    "
			return err
		}); err != nil {
			return err
		}
		bw.WriteString("\n  ]")
	}
	bw.Write(data[at+len(passedMarker):])
	return bw.Flush()
}
