// Package scratch holds data too large for memory in unnamed temporary
// files: a run over hundreds of thousands of files (a baseline's passed
// list, the lists of a full regression report) writes them there once and
// reads them back where the output wants them, so that its peak grows with
// what it keeps, not with what it lists.
package scratch

import (
	"bufio"
	"fmt"
	"io"
	"os"
)

// File is written once through a buffer, then read back as often as
// needed. The file is unlinked as soon as it is created where the system
// allows it (not on Windows), so that nothing is left behind whatever
// happens to the process; Close releases it.
type File struct {
	f       *os.File
	w       *bufio.Writer
	size    int64
	unnamed bool
}

var _ io.Writer = (*File)(nil)

// New creates a file in the temporary directory; pattern is as
// os.CreateTemp's and names it in errors and, where it cannot be unlinked,
// in the directory.
func New(pattern string) (*File, error) {
	f, err := os.CreateTemp("", pattern)
	if err != nil {
		return nil, fail(err)
	}
	return &File{f: f, w: bufio.NewWriterSize(f, 64<<10), unnamed: os.Remove(f.Name()) == nil}, nil
}

// fail names a temporary file's error and what to do about it: where the
// files go is the user's to choose, and the user never sees their names.
func fail(err error) error {
	return fmt.Errorf("temporary file: %w (set TMPDIR to a writable folder with room)", err)
}

// Write appends p.
func (s *File) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	s.size += int64(n)
	if err != nil {
		err = fail(err)
	}
	return n, err
}

// WriteString appends str.
func (s *File) WriteString(str string) (int, error) {
	n, err := s.w.WriteString(str)
	s.size += int64(n)
	if err != nil {
		err = fail(err)
	}
	return n, err
}

// Size is how many bytes were written.
func (s *File) Size() int64 { return s.size }

// Contents flushes what was written and returns a reader of all of it. Each
// reader reads on its own (io.ReaderAt), so the contents can be read any
// number of times; writing more after Contents is allowed, and a later
// Contents sees it.
func (s *File) Contents() (*io.SectionReader, error) {
	if err := s.w.Flush(); err != nil {
		return nil, fail(err)
	}
	return io.NewSectionReader(s.f, 0, s.size), nil
}

// Close releases the file; a nil File or a second Close does nothing.
func (s *File) Close() error {
	if s == nil || s.f == nil {
		return nil
	}
	err := s.f.Close()
	if !s.unnamed {
		os.Remove(s.f.Name())
	}
	s.f = nil
	return err
}
