package checker

import (
	"bytes"
	"strings"

	"github.com/org/gonogo-action/internal/proc"
)

// Default capture limits. A checker may print without bound (a flood); the
// pipe is always drained to the end so the checker never blocks on a full
// pipe, but only this much is kept.
const (
	// DefaultOutputCap is how many bytes of free text are kept per stream.
	DefaultOutputCap = proc.DefaultOutputCap
	// maxLine is the longest line inspected for a status; longer lines are
	// cut (a status line is a few hundred bytes).
	maxLine = 64 << 10
	// tailLines is how many lines after a full head are kept.
	tailLines = 16
)

// stream is an io.Writer that splits a process's output into lines as it
// arrives. Each complete line is offered to onLine; lines it does not take
// are ordinary text, of which the head (up to cap bytes) and, once the head
// is full, the last tailLines non-blank lines are kept, so a verdict printed
// after a flood is still seen. Memory stays bounded whatever the volume.
type stream struct {
	cap    int
	onLine func(line []byte) bool
	head   []byte
	full   bool     // the head is full; free text goes to the tail
	tail   []string // ring of the last lines once head is full
	tailAt int
	cur    []byte
	cut    bool // the current line passed maxLine
}

func newStream(cap int, onLine func([]byte) bool) *stream {
	if cap <= 0 {
		cap = DefaultOutputCap
	}
	return &stream{cap: cap, onLine: onLine}
}

func (s *stream) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if room := maxLine - len(s.cur); room > 0 {
			s.cur = append(s.cur, chunk[:min(room, len(chunk))]...)
		}
		if len(s.cur)+len(chunk) > maxLine {
			s.cut = true
		}
		if i < 0 {
			break
		}
		s.endLine()
		p = p[i+1:]
	}
	return n, nil
}

// endLine hands the current line over and starts the next one.
func (s *stream) endLine() {
	line := s.cur
	if !s.cut && s.onLine != nil && s.onLine(line) {
		s.cur, s.cut = s.cur[:0], false
		return
	}
	blank := len(bytes.TrimSpace(line)) == 0
	switch {
	case !s.full && len(s.head)+len(line) < s.cap:
		s.head = append(s.head, line...)
		s.head = append(s.head, '\n')
	case !blank:
		s.full = true
		short := string(line[:min(len(line), MaxMessage*2)])
		if len(s.tail) < tailLines {
			s.tail = append(s.tail, short)
		} else {
			s.tail[s.tailAt] = short
			s.tailAt = (s.tailAt + 1) % tailLines
		}
	}
	s.cur, s.cut = s.cur[:0], false
}

// flush ends a final line that had no newline.
func (s *stream) flush() {
	if len(s.cur) > 0 || s.cut {
		s.endLine()
	}
}

// text is the kept free text: the head, then the tail lines in order.
func (s *stream) text() string {
	var b strings.Builder
	b.Write(s.head)
	for i := range s.tail {
		b.WriteString(s.tail[(s.tailAt+i)%len(s.tail)])
		b.WriteByte('\n')
	}
	return b.String()
}
