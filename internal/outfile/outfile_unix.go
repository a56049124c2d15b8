//go:build unix

package outfile

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// writeAt opens dir (following links: the caller chose it), walks subdirs
// with openat(O_NOFOLLOW|O_DIRECTORY), creating missing ones, and replaces
// base there by a renamed temporary file. With h.special, a device, pipe or
// socket at base is written in place (the command-line --output /dev/null
// idiom); without, it is refused. With h.rewrite, base must exist and keeps
// its permission bits.
func writeAt(dir string, subdirs []string, base string, fill func(io.Writer) error, h how) error {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open %s: %w", dir, err)
	}
	defer func() { unix.Close(fd) }()
	for _, name := range subdirs {
		next, err := openDir(fd, name)
		if err != nil {
			return err
		}
		unix.Close(fd)
		fd = next
	}
	var st unix.Stat_t
	perm := uint32(0o644)
	switch err := unix.Fstatat(fd, base, &st, unix.AT_SYMLINK_NOFOLLOW); {
	case errors.Is(err, unix.ENOENT) && h.rewrite:
		return fmt.Errorf("%s: %w", base, err)
	case errors.Is(err, unix.ENOENT):
	case err != nil:
		return fmt.Errorf("%s: %w", base, err)
	case st.Mode&unix.S_IFMT == unix.S_IFLNK:
		return fmt.Errorf("%s %w", base, ErrSymlink)
	case st.Mode&unix.S_IFMT == unix.S_IFDIR:
		return fmt.Errorf("%s is a directory", base)
	case st.Mode&unix.S_IFMT != unix.S_IFREG:
		if !h.special {
			return fmt.Errorf("%s is not a regular file", base)
		}
		return writeSpecial(fd, base, fill)
	case h.rewrite:
		perm = uint32(st.Mode) & 0o7777
	}
	return replace(fd, base, fill, perm, h.rewrite)
}

// openDir opens the directory name under fd without following a link,
// creating it when missing.
func openDir(fd int, name string) (int, error) {
	flags := unix.O_RDONLY | unix.O_DIRECTORY | unix.O_NOFOLLOW | unix.O_CLOEXEC
	next, err := unix.Openat(fd, name, flags, 0)
	if errors.Is(err, unix.ENOENT) {
		if err := unix.Mkdirat(fd, name, 0o755); err != nil && !errors.Is(err, unix.EEXIST) {
			return -1, fmt.Errorf("create %s: %w", name, err)
		}
		next, err = unix.Openat(fd, name, flags, 0)
	}
	if err == nil {
		return next, nil
	}
	// O_NOFOLLOW answers ELOOP for a link (ENOTDIR with O_DIRECTORY on
	// some systems): say which it was.
	var st unix.Stat_t
	if unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK {
		return -1, fmt.Errorf("%s %w", name, ErrSymlink)
	}
	return -1, fmt.Errorf("open %s: %w", name, err)
}

// replace writes what fill gives to a new temporary file with permission bits perm
// and renames it over base; with sync, the file is synced before the
// rename and the directory after it.
func replace(dirfd int, base string, fill func(io.Writer) error, perm uint32, sync bool) error {
	var tmp string
	var fd int
	for range 10 {
		var b [8]byte
		_, _ = rand.Read(b[:])
		tmp = tempName(base, binary.LittleEndian.Uint64(b[:]))
		var err error
		fd, err = unix.Openat(dirfd, tmp, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
		if err == nil {
			break
		}
		if !errors.Is(err, unix.EEXIST) {
			return fmt.Errorf("create temporary file for %s: %w", base, err)
		}
		fd = -1
	}
	if fd < 0 {
		return fmt.Errorf("create temporary file for %s: names taken", base)
	}
	f := os.NewFile(uintptr(fd), tmp)
	werr := fillFile(f, fill)
	if werr == nil {
		// fchmod, not the umask-bound mode of openat: the bits asked for.
		werr = f.Chmod(os.FileMode(perm&0o777) | unixModeBits(perm))
	}
	if werr == nil && sync {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = unix.Renameat(dirfd, tmp, dirfd, base)
	}
	if werr != nil {
		_ = unix.Unlinkat(dirfd, tmp, 0)
		return werr
	}
	if sync {
		// The rename is durable once the directory is.
		if err := unix.Fsync(dirfd); err != nil {
			return fmt.Errorf("sync the directory of %s: %w", base, err)
		}
	}
	return nil
}

// unixModeBits maps the setuid, setgid and sticky bits of a stat mode to
// os.FileMode's.
func unixModeBits(perm uint32) os.FileMode {
	var m os.FileMode
	if perm&unix.S_ISUID != 0 {
		m |= os.ModeSetuid
	}
	if perm&unix.S_ISGID != 0 {
		m |= os.ModeSetgid
	}
	if perm&unix.S_ISVTX != 0 {
		m |= os.ModeSticky
	}
	return m
}

func writeSpecial(dirfd int, base string, fill func(io.Writer) error) error {
	fd, err := unix.Openat(dirfd, base, unix.O_WRONLY|unix.O_TRUNC|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(fd), base)
	werr := fillFile(f, fill)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	return werr
}
