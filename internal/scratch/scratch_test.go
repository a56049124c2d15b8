package scratch_test

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/org/gonogo-action/internal/scratch"
)

// TestReadBackTwice: what was written is read back whole, by two readers
// in turn, after more was appended; nothing is left in the temporary
// directory, even before Close where the system can unlink an open file.
func TestReadBackTwice(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir) // os.TempDir on unix; not parallel because of it
	s, err := scratch.New("scratch-test-*")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	big := strings.Repeat("x", 200<<10) // past the buffer
	s.WriteString("one\n")
	s.Write([]byte(big))
	if runtime.GOOS != "windows" {
		if left, _ := filepath.Glob(filepath.Join(dir, "scratch-test-*")); len(left) > 0 {
			t.Errorf("left in the temporary directory while open: %v", left)
		}
	}
	first, err := s.Contents()
	if err != nil {
		t.Fatal(err)
	}
	s.WriteString("two\n")
	if s.Size() != int64(len(big)+8) {
		t.Errorf("Size = %d, want %d", s.Size(), len(big)+8)
	}
	for i, want := range []string{"one\n" + big, "one\n" + big + "two\n"} {
		if i == 1 {
			if first, err = s.Contents(); err != nil {
				t.Fatal(err)
			}
		}
		got, err := io.ReadAll(first)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("read %d: %d bytes, want %d", i, len(got), len(want))
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("left in the temporary directory after Close: %v", left)
	}
}
