// Package outfile writes the files the commands produce (baselines,
// reports, results, signatures) so that a reader never sees half a file, no
// special file is ever replaced, and no symbolic link is written through.
//
// A pull request controls its checkout: any output path there may be a
// committed symbolic link into the runner's own files (/github/file_commands
// holds GITHUB_ENV and GITHUB_OUTPUT, /github/workflow/event.json is read by
// later steps). Following it would let the action overwrite them with text
// the pull request partly controls. So a link is never followed where an
// output is written:
//   - WriteIn (the action) walks every component below the workspace without
//     following links and refuses any link, "..", an absolute path and any
//     file that is not a regular one;
//   - Write (the command-line tools) opens the directory the user named as
//     given, and refuses a link as the file itself.
//
// A pre-existing link is refused with ErrSymlink rather than replaced: a
// silent replacement would hide that the checkout tried it. A link created
// between the check and the rename is replaced as a link (rename never
// writes through one), so even that race cannot reach the link's target.
package outfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ErrSymlink is returned for an output path with a symbolic link where a
// directory or the file was expected.
var ErrSymlink = errors.New("is a symbolic link, which outputs never follow")

// ErrOutside is returned by WriteIn for a path that leaves its root.
var ErrOutside = errors.New("leaves the directory outputs are written to")

// Write writes data to a temporary file beside path and renames it into
// place. The directory part of path is the user's choice and is opened as
// given; the file itself must not be a symbolic link (ErrSymlink). A device,
// pipe or socket (--output /dev/null) is written in place, since a rename
// would replace the device itself; paths under /dev/ and /proc/
// (/dev/stdout, itself a link to /proc/self/fd/1) always are.
func Write(path string, data []byte) error {
	return WriteFunc(path, bytesOf(data))
}

// WriteFunc is Write for content too large to hold in memory at once: fill
// writes it, through a buffer, to the temporary file (or the device). An
// error from fill leaves path as it was (a device may have had part of it).
func WriteFunc(path string, fill func(io.Writer) error) error {
	if strings.HasPrefix(path, "/dev/") || strings.HasPrefix(path, "/proc/") {
		return writeInPlace(path, fill)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if base == "" || base == "." || base == ".." {
		return fmt.Errorf("write %s: not a file name", path)
	}
	if err := writeAt(dir, nil, base, fill, how{special: true}); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Rewrite replaces the existing regular file at path with data, for tools
// that edit files where they are (parse-baseline migrate --apply). As in
// Write, the data go to a temporary file in the same directory that is
// renamed over path, and a symbolic link as the file is refused
// (ErrSymlink), never written through. Besides, the file must exist and be
// a regular file; its permission bits are kept; the temporary file is
// synced before the rename and the directory after it, so that a crash at
// any moment leaves the old content or the new one, never a mix. The
// result is a new file: its owner is the writer and a hard link to the old
// one keeps the old content.
func Rewrite(path string, data []byte) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if base == "" || base == "." || base == ".." {
		return fmt.Errorf("rewrite %s: not a file name", path)
	}
	if err := writeAt(dir, nil, base, bytesOf(data), how{rewrite: true}); err != nil {
		return fmt.Errorf("rewrite %s: %w", path, err)
	}
	return nil
}

// how says what writeAt does beyond writing a new regular file.
type how struct {
	// special writes a device, pipe or socket in place; otherwise one is
	// refused.
	special bool
	// rewrite wants an existing regular file, keeps its permission bits
	// and syncs the data and the directory.
	rewrite bool
}

// WriteIn writes data to the file rel under root, which the caller trusts
// (the workspace the runner mounted). rel must be local: not absolute and
// not leaving root through "..", else ErrOutside. Every directory between
// root and the file is opened without following symbolic links and created
// (0755) when missing; a link anywhere, the file included, is refused with
// ErrSymlink, and so is a file that is not a regular one (a FIFO would block
// the writer). The data goes to a temporary file in the final directory,
// renamed over the target.
func WriteIn(root, rel string, data []byte) error {
	shown := filepath.Join(root, rel)
	if !filepath.IsLocal(rel) {
		return fmt.Errorf("write %s: %s %w %s", shown, rel, ErrOutside, root)
	}
	parts := strings.Split(filepath.ToSlash(filepath.Clean(rel)), "/")
	if err := writeAt(root, parts[:len(parts)-1], parts[len(parts)-1], bytesOf(data), how{}); err != nil {
		return fmt.Errorf("write %s: %w", shown, err)
	}
	return nil
}

// Within returns path relative to root when it lies there lexically
// (after cleaning "..", which is sound because WriteIn then follows no
// link), and ErrOutside otherwise.
func Within(root, path string) (string, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	rel, err := filepath.Rel(root, path)
	if err != nil || !filepath.IsLocal(rel) {
		return "", fmt.Errorf("%s %w %s", path, ErrOutside, root)
	}
	return rel, nil
}

func writeInPlace(path string, fill func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	werr := fillFile(f, fill)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("write %s: %w", path, werr)
	}
	return nil
}

// bytesOf is the fill function of content already in memory.
func bytesOf(data []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}
}

// fillFile has fill write f's content through a buffer.
func fillFile(f *os.File, fill func(io.Writer) error) error {
	w := bufio.NewWriterSize(f, 64<<10)
	if err := fill(w); err != nil {
		return err
	}
	return w.Flush()
}

// tempName is the name of the temporary file for base.
func tempName(base string, n uint64) string {
	return fmt.Sprintf(".%s.%d.tmp", base, n)
}
