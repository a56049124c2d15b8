package outfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWriteKeepsSpecialFiles: --output /dev/null or /dev/stdout is
// an everyday idiom. Renaming a temporary file over such a path replaced the
// device (as root, /dev/null became a regular file for the whole machine).
// A FIFO stands in for the device here: it must still be a FIFO and receive
// the data.
func TestWriteKeepsSpecialFiles(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "out.pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// A non-blocking reader lets the writer open the FIFO without waiting.
	r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := Write(fifo, []byte("report\n")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(fifo)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("%s is now %v, want it to stay a named pipe", fifo, fi.Mode())
	}
	buf := make([]byte, 64)
	n, _ := r.Read(buf)
	if got := string(buf[:n]); got != "report\n" {
		t.Errorf("the pipe's reader got %q", got)
	}
}

// TestWriteRefusesALinkAsTheFile: --output pointing at a committed link
// must not write through it (it may point at the runner's GITHUB_ENV) nor
// replace it silently.
func TestWriteRefusesALinkAsTheFile(t *testing.T) {
	t.Parallel()
	dir, outside := t.TempDir(), t.TempDir()
	target, link := filepath.Join(outside, "GITHUB_ENV"), filepath.Join(dir, "link.json")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	err := Write(link, []byte("new"))
	if !errors.Is(err, ErrSymlink) {
		t.Errorf("err = %v, want ErrSymlink", err)
	}
	assertUntouched(t, target, link)
}

// TestWriteIn covers the action's writes into the workspace: every way a
// checkout can point an output outside is refused, and the file the link
// points to keeps its contents.
func TestWriteIn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, ws, outside string) // outside/GITHUB_ENV exists
		rel   string
		want  error
	}{
		{"link as the file", func(t *testing.T, ws, outside string) {
			symlink(t, filepath.Join(outside, "GITHUB_ENV"), filepath.Join(ws, "gate_results.json"))
		}, "gate_results.json", ErrSymlink},
		{"relative link as the file", func(t *testing.T, ws, outside string) {
			rel, _ := filepath.Rel(ws, filepath.Join(outside, "GITHUB_ENV"))
			symlink(t, rel, filepath.Join(ws, "gate_sign_off.md"))
		}, "gate_sign_off.md", ErrSymlink},
		{"link as a parent directory", func(t *testing.T, ws, outside string) {
			symlink(t, outside, filepath.Join(ws, "results"))
		}, "results/GITHUB_ENV", ErrSymlink},
		{"link as a deeper parent", func(t *testing.T, ws, outside string) {
			mkdir(t, filepath.Join(ws, "a"))
			symlink(t, outside, filepath.Join(ws, "a/b"))
		}, "a/b/GITHUB_ENV", ErrSymlink},
		{"link to a directory inside the workspace", func(t *testing.T, ws, outside string) {
			mkdir(t, filepath.Join(ws, "real"))
			symlink(t, "real", filepath.Join(ws, "alias"))
		}, "alias/out.json", ErrSymlink},
		{"dot-dot", func(*testing.T, string, string) {}, "../GITHUB_ENV", ErrOutside},
		{"dot-dot inside", func(t *testing.T, ws, _ string) { mkdir(t, filepath.Join(ws, "a")) }, "a/../../GITHUB_ENV", ErrOutside},
		{"absolute", func(*testing.T, string, string) {}, "/etc/passwd", ErrOutside},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ws, outside := t.TempDir(), t.TempDir()
			target := filepath.Join(outside, "GITHUB_ENV")
			if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			tt.setup(t, ws, outside)
			err := WriteIn(ws, tt.rel, []byte("FORGED=1\n"))
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			assertUntouched(t, target, "")
			if entries, _ := os.ReadDir(outside); len(entries) != 1 {
				t.Errorf("files outside the workspace: %v", entries)
			}
		})
	}
}

func TestWriteInCreatesDirectoriesAndReplaces(t *testing.T) {
	t.Parallel()
	ws := t.TempDir()
	for _, data := range []string{"one", "two"} {
		if err := WriteIn(ws, "out/deep/base.json", []byte(data)); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(filepath.Join(ws, "out/deep/base.json")); string(got) != data {
			t.Errorf("file holds %q, want %q", got, data)
		}
	}
	fi, err := os.Stat(filepath.Join(ws, "out/deep/base.json"))
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, err %v; want 0644", fi.Mode(), err)
	}
	if entries, _ := os.ReadDir(filepath.Join(ws, "out/deep")); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

// A FIFO committed (or created by a gate) where an output goes would block
// the action's open forever: WriteIn refuses what is not a regular file.
func TestWriteInRefusesAFIFO(t *testing.T) {
	t.Parallel()
	ws := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(ws, "gate_results.json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteIn(ws, "gate_results.json", []byte("x")); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("err = %v, want a refusal", err)
	}
}

func TestWithin(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]string{"/ws/a/b": "a/b", "a/../c": "c", "/ws/../x": "", "../x": "", "/etc": ""} {
		got, err := Within("/ws", path)
		if got != want || (want == "") != errors.Is(err, ErrOutside) {
			t.Errorf("Within(/ws, %s) = %q, %v; want %q", path, got, err, want)
		}
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

// assertUntouched fails unless target still holds "old" and link (when
// given) is still a link.
func assertUntouched(t *testing.T, target, link string) {
	t.Helper()
	if data, _ := os.ReadFile(target); string(data) != "old" {
		t.Errorf("%s was written through: holds %q", target, data)
	}
	if link == "" {
		return
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link replaced: %v %v", fi.Mode(), err)
	}
}

// TestRewrite: an in-place edit keeps the file's permission bits (an
// executable script stays executable, a private file stays private), leaves
// no temporary file behind, and refuses what is not an existing regular
// file, leaving it as it was.
func TestRewrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, perm := range []os.FileMode{0o755, 0o600, 0o640} {
		p := filepath.Join(dir, "f"+perm.String())
		if err := os.WriteFile(p, []byte("old\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, perm); err != nil {
			t.Fatal(err)
		}
		if err := Rewrite(p, []byte("new\n")); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != perm {
			t.Errorf("%s: mode %v after Rewrite, want %v", p, fi.Mode(), perm)
		}
		if b, _ := os.ReadFile(p); string(b) != "new\n" {
			t.Errorf("%s = %q", p, b)
		}
	}

	outside := t.TempDir()
	target := filepath.Join(outside, "target")
	if err := os.WriteFile(target, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := Rewrite(link, []byte("new")); !errors.Is(err, ErrSymlink) {
		t.Errorf("Rewrite(link) = %v, want ErrSymlink", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("written through the link: %q", b)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi, err)
	}
	if err := Rewrite(filepath.Join(dir, "missing"), []byte("x")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Rewrite(missing) = %v, want not exist", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "missing")); err == nil {
		t.Error("Rewrite created a missing file")
	}
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Rewrite(fifo, []byte("x")); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Rewrite(fifo) = %v", err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// TestRewriteFailureKeepsTheOldFile: when the temporary file cannot be
// made (a read-only directory), the file keeps its old content whole.
func TestRewriteFailureKeepsTheOldFile(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root writes into a read-only directory")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	if err := Rewrite(p, []byte("new\n")); err == nil {
		t.Fatal("Rewrite into a read-only directory succeeded")
	}
	if b, _ := os.ReadFile(p); string(b) != "old\n" {
		t.Errorf("file = %q after a failed Rewrite, want the old content", b)
	}
}

func TestWriteFuncStreamsAndKeepsTheOldFileOnError(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.json")
	if err := Write(p, []byte("old\n")); err != nil {
		t.Fatal(err)
	}
	// More than the writer's buffer, in many small writes.
	big := strings.Repeat("line of output\n", 10000)
	err := WriteFunc(p, func(w io.Writer) error {
		for line := range strings.Lines(big) {
			if _, err := io.WriteString(w, line); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); string(got) != big {
		t.Fatalf("got %d bytes, want %d", len(got), len(big))
	}
	boom := errors.New("disk full")
	err = WriteFunc(p, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the fill's error", err)
	}
	if got, _ := os.ReadFile(p); string(got) != big {
		t.Fatal("a failed fill replaced the file")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("left behind: %v", ents)
	}
}
