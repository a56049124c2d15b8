//go:build !unix

package outfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// writeAt is the portable form of the unix walk: os.Root keeps every step
// inside dir, and each component is checked with Lstat, since os.Root
// follows links that stay inside it. Without openat's atomicity a link
// swapped in between the check and the use can still be followed.
func writeAt(dir string, subdirs []string, base string, fill func(io.Writer) error, h how) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	rel := "."
	for _, name := range subdirs {
		rel = filepath.Join(rel, name)
		fi, err := root.Lstat(rel)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := root.Mkdir(rel, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("create %s: %w", name, err)
			}
		case err != nil:
			return err
		case fi.Mode()&fs.ModeSymlink != 0:
			return fmt.Errorf("%s %w", name, ErrSymlink)
		case !fi.IsDir():
			return fmt.Errorf("%s is not a directory", name)
		}
	}
	target := filepath.Join(rel, base)
	fi, err := root.Lstat(target)
	perm := fs.FileMode(0o644)
	switch {
	case errors.Is(err, fs.ErrNotExist) && h.rewrite:
		return err
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s %w", base, ErrSymlink)
	case fi.IsDir():
		return fmt.Errorf("%s is a directory", base)
	case !fi.Mode().IsRegular():
		if !h.special {
			return fmt.Errorf("%s is not a regular file", base)
		}
		f, err := root.OpenFile(target, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return err
		}
		werr := fillFile(f, fill)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		return werr
	case h.rewrite:
		perm = fi.Mode().Perm()
	}
	tmp := filepath.Join(rel, tempName(base, rand.Uint64()))
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	werr := fillFile(f, fill)
	if werr == nil && h.rewrite {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = root.Rename(tmp, target)
	}
	if werr != nil {
		_ = root.Remove(tmp)
	}
	return werr
}
