package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/compare"
	"github.com/org/gonogo-action/internal/report"
	"github.com/org/gonogo-action/internal/scratch"
)

// fullHead is how many files of each list a --full run keeps in memory:
// the ones the markdown shows. The others go to a spill as they are found
// and are copied into the report where their list goes, so that a report
// listing a quarter of a million files is never held whole.
const fullHead = report.MaxListedFailures

// spills holds the files of a --full report's lists past their heads, a
// scratch file per list, each file already as the report writes it: a
// comma, a new line and the file indented as an element of a top-level
// list. A list is spliced in by copying its spill before the list's close.
type spills struct {
	files [nLists]*scratch.File
	n     [nLists]int
	buf   bytes.Buffer
	enc   *json.Encoder
}

// nLists is how many lists a report has (compare.List).
const nLists = 3

// listKeys open the lists in the report: a raw new line and exactly two
// spaces of indentation occur only between top-level members (strings
// escape their new lines, nested members are indented further), and a key
// occurs once at the top level. listClose ends a list that is not empty.
var listKeys = [nLists]string{
	compare.NewFailures:   "\n  \"new_failures\": [",
	compare.Fixed:         "\n  \"fixed\": [",
	compare.NewSuppressed: "\n  \"new_suppressed\": [",
}

const listClose = "\n  ]"

func newSpills() (*spills, error) {
	s := &spills{}
	// encodeReport's settings, one level of indentation deeper for each
	// file: the encoder indents what it marshalled, so a file indented
	// alone is the same bytes as the file indented inside the report.
	s.enc = json.NewEncoder(&s.buf)
	s.enc.SetEscapeHTML(false)
	s.enc.SetIndent("    ", "  ")
	for i := range s.files {
		f, err := scratch.New("gonogo-report-*")
		if err != nil {
			s.close()
			return nil, fmt.Errorf("--full: %w", err)
		}
		s.files[i] = f
	}
	return s, nil
}

// add is the comparison's compare.Overflow.
func (s *spills) add(l compare.List, f baseline.File) error {
	s.buf.Reset()
	s.buf.WriteString(",\n    ")
	if err := s.enc.Encode(f); err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	// Encode ends the value with a new line, which the next element or
	// the list's close brings itself.
	if _, err := s.files[l].Write(bytes.TrimSuffix(s.buf.Bytes(), []byte("\n"))); err != nil {
		return fmt.Errorf("--full: %w", err)
	}
	s.n[l]++
	return nil
}

// close releases the files; a nil spills does nothing.
func (s *spills) close() {
	if s == nil {
		return
	}
	for _, f := range s.files {
		f.Close()
	}
}

// encodeReport is the JSON report of res, as held in memory.
func encodeReport(res compare.Result) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	return buf.Bytes(), nil
}

// writeReport writes doc, the encoded report, to w with each list's spill
// (when there is one) spliced in after the files doc holds, so the result
// is byte for byte the report encoded with every file in memory.
func writeReport(w io.Writer, doc []byte, rest *spills) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	at := 0
	for l, key := range listKeys {
		if rest == nil || rest.n[l] == 0 {
			continue
		}
		start := bytes.Index(doc, []byte(key))
		if start < at || bytes.Count(doc, []byte(key)) != 1 || bytes.HasPrefix(doc[start+len(key):], []byte("]")) {
			return errors.New("encode report: no single place for a list")
		}
		end := bytes.Index(doc[start:], []byte(listClose))
		if end < 0 {
			return errors.New("encode report: a list is not closed")
		}
		end += start
		bw.Write(doc[at:end])
		r, err := rest.files[l].Contents()
		if err != nil {
			return fmt.Errorf("--full: %w", err)
		}
		if _, err := io.Copy(bw, r); err != nil {
			return fmt.Errorf("--full: %w", err)
		}
		at = end
	}
	bw.Write(doc[at:])
	return bw.Flush()
}
