package github

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
)

// ZipLimits bound what ReadZipFile accepts; the zero value takes the defaults.
type ZipLimits struct {
	Entries   int    // 1,000 entries
	EntrySize uint64 // 64 MiB uncompressed, the file read
	Total     uint64 // 256 MiB uncompressed, all entries declared
	Ratio     uint64 // 200:1, for entries over 1 MiB
}

func (l ZipLimits) withDefaults() ZipLimits {
	if l.Entries <= 0 {
		l.Entries = 1000
	}
	if l.EntrySize == 0 {
		l.EntrySize = 64 << 20
	}
	if l.Total == 0 {
		l.Total = 256 << 20
	}
	if l.Ratio == 0 {
		l.Ratio = 200
	}
	return l
}

// ReadZipFile returns the contents of the entry named want in the zip
// archive data, read in memory and never extracted. The whole archive is
// checked first, because archive/zip accepts "../x", "/x" and "..\x" names:
// it is rejected for any unsafe or duplicate name, any entry that is not a
// regular file or directory, too many entries, or declared sizes or
// compression ratios above the limits. The entry read is capped at its
// declared size, so a lying header cannot inflate it.
func ReadZipFile(data []byte, want string, lim ZipLimits) ([]byte, error) {
	lim = lim.withDefaults()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("read zip: %w", err)
	}
	if len(zr.File) > lim.Entries {
		return nil, fmt.Errorf("zip has %d entries, limit %d", len(zr.File), lim.Entries)
	}
	seen := make(map[string]bool, len(zr.File))
	var total uint64
	var found *zip.File
	for _, f := range zr.File {
		name, err := entryName(f)
		if err != nil {
			return nil, err
		}
		if seen[strings.ToLower(name)] {
			return nil, fmt.Errorf("zip entry %q appears twice", f.Name)
		}
		seen[strings.ToLower(name)] = true
		if f.FileInfo().IsDir() {
			continue
		}
		total += f.UncompressedSize64
		if f.UncompressedSize64 > lim.EntrySize || total > lim.Total {
			return nil, fmt.Errorf("zip entry %q: uncompressed size over the limit", f.Name)
		}
		if f.UncompressedSize64 > 1<<20 && f.UncompressedSize64 > lim.Ratio*max(f.CompressedSize64, 1) {
			return nil, fmt.Errorf("zip entry %q: compression ratio over %d:1", f.Name, lim.Ratio)
		}
		if name == want {
			found = f
		}
	}
	if found == nil {
		return nil, fmt.Errorf("zip has no %q", want)
	}
	rc, err := found.Open()
	if err != nil {
		return nil, fmt.Errorf("open zip entry %q: %w", want, err)
	}
	defer rc.Close()
	out, err := io.ReadAll(io.LimitReader(rc, int64(found.UncompressedSize64)+1))
	if err != nil {
		return nil, fmt.Errorf("read zip entry %q: %w", want, err)
	}
	if uint64(len(out)) != found.UncompressedSize64 {
		return nil, fmt.Errorf("zip entry %q: size differs from its header", want)
	}
	return out, nil
}

// entryName validates an entry's name and type and returns its clean name.
func entryName(f *zip.File) (string, error) {
	name := f.Name
	mode := f.Mode()
	isDir := mode.IsDir()
	if isDir {
		name = strings.TrimSuffix(name, "/")
	}
	switch {
	case name == "" || strings.ContainsAny(name, "\\\x00") || strings.HasPrefix(name, "/") || strings.Contains(name, ":"):
		return "", fmt.Errorf("zip entry %q: unsafe name", f.Name)
	case !fs.ValidPath(name) || path.Clean(name) != name:
		return "", fmt.Errorf("zip entry %q: unsafe name", f.Name)
	case !isDir && !mode.IsRegular():
		return "", fmt.Errorf("zip entry %q: not a regular file (%v)", f.Name, mode.Type())
	}
	return name, nil
}
