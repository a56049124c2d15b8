// Package outfile writes the files the commands produce (baselines,
// reports, results, signatures) so that a reader never sees half a file and
// no special file is ever replaced.
package outfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Write writes data to a temporary file beside path and renames
// it into place. Only a regular file is replaced that way: a device, pipe or
// socket (--output /dev/null, /dev/stdout) is written in place, since a
// rename would replace the device itself; a symbolic link is followed, so
// the link stays and its target gets the data. Paths under /dev/ and
// /proc/ (/dev/stdout redirected to a file) are always written in place.
func Write(path string, data []byte) error {
	if inPlace(path) {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		_, werr := f.Write(data)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("write %s: %w", path, werr)
		}
		return nil
	}
	target := path
	if real, err := filepath.EvalSymlinks(path); err == nil {
		target = real
	}
	dir, base := ".", target
	if i := strings.LastIndexAny(target, `/\`); i >= 0 {
		dir, base = target[:i+1], target[i+1:]
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp.Name(), 0o644)
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), target)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, werr)
	}
	return nil
}

// inPlace reports whether path must be written through, not replaced.
func inPlace(path string) bool {
	if strings.HasPrefix(path, "/dev/") || strings.HasPrefix(path, "/proc/") {
		return true
	}
	fi, err := os.Stat(path)
	return err == nil && !fi.Mode().IsRegular() && !fi.IsDir()
}
