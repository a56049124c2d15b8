package scan

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Default locations, read when they exist and no other is given.
const (
	// SuppressionsFile is this project's suppressions file.
	SuppressionsFile = ".gonogo/suppressions.txt"
	// SpecSuppressionsFile is the specification's suppressions file, so a
	// team moving over keeps its entries without naming the file.
	SpecSuppressionsFile = ".aetherra/workflow_suppressions.txt"
	// SpecHistoryDir is the specification's history folder
	// (--history-dir .aetherra/workflow_history, its default).
	SpecHistoryDir = ".aetherra/workflow_history"
)

// DefaultSuppressions returns the suppressions file to read under dir when
// none is given: the one of SuppressionsFile and SpecSuppressionsFile that
// exists, "" when neither does. Both existing is an error, not a choice:
// reading one would silently drop the other's entries, and neither
// location outranks the other. So is a default location that exists but
// is not a regular file.
func DefaultSuppressions(dir string) (string, error) {
	var found []string
	for _, name := range []string{SuppressionsFile, SpecSuppressionsFile} {
		p := filepath.Join(dir, name)
		ok, err := exists(p, false)
		if err != nil {
			return "", err
		}
		if ok {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 0:
		return "", nil
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("suppressions: both %s and %s exist; merge them into one, or name one with --suppressions (the gate: suppressions:)", found[0], found[1])
}

// DefaultHistoryDir returns SpecHistoryDir under dir when that folder
// exists, "" when it does not.
func DefaultHistoryDir(dir string) (string, error) {
	p := filepath.Join(dir, SpecHistoryDir)
	ok, err := exists(p, true)
	if !ok || err != nil {
		return "", err
	}
	return p, nil
}

// exists reports whether p exists as a regular file (or a folder, with
// wantDir). Something else there is an error.
func exists(p string, wantDir bool) (bool, error) {
	fi, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, err
	case wantDir && !fi.IsDir():
		return false, fmt.Errorf("%s exists but is not a folder", p)
	case !wantDir && !fi.Mode().IsRegular():
		return false, fmt.Errorf("%s exists but is not a regular file", p)
	}
	return true, nil
}
