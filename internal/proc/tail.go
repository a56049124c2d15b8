package proc

import (
	"strings"
	"sync"
)

// DefaultOutputCap bounds the output kept per stream of a process.
const DefaultOutputCap = 64 << 10

// TailBuffer is an io.Writer that keeps the last max bytes written and
// counts the rest, so a chatty process cannot exhaust memory yet its final
// words (the error) survive. It is safe for concurrent use.
type TailBuffer struct {
	mu    sync.Mutex
	max   int
	buf   []byte
	total int64
}

// NewTailBuffer keeps max bytes; max <= 0 means DefaultOutputCap.
func NewTailBuffer(max int) *TailBuffer {
	if max <= 0 {
		max = DefaultOutputCap
	}
	return &TailBuffer{max: max}
}

func (t *TailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.total += int64(len(p))
	if len(p) >= t.max {
		t.buf = append(t.buf[:0], p[len(p)-t.max:]...)
		return len(p), nil
	}
	if over := len(t.buf) + len(p) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	t.buf = append(t.buf, p...)
	return len(p), nil
}

// String returns the kept tail (valid UTF-8).
func (t *TailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.ToValidUTF8(string(t.buf), "\uFFFD")
}

// Truncated reports whether output was dropped.
func (t *TailBuffer) Truncated() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.total > int64(len(t.buf))
}
