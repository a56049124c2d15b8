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
		ok, err := exists(dir, name, false)
		if err != nil {
			return "", err
		}
		if ok {
			found = append(found, name)
		}
	}
	switch len(found) {
	case 0:
		return "", nil
	case 1:
		return filepath.Join(dir, found[0]), nil
	}
	return "", fmt.Errorf("suppressions: both %s and %s exist; merge them into one, or name one with --suppressions (the gate: suppressions:)", found[0], found[1])
}

// DefaultHistoryDir returns SpecHistoryDir under dir when that folder
// exists, "" when it does not.
func DefaultHistoryDir(dir string) (string, error) {
	ok, err := exists(dir, SpecHistoryDir, true)
	if !ok || err != nil {
		return "", err
	}
	return filepath.Join(dir, SpecHistoryDir), nil
}

// exists reports whether name exists under dir as a regular file (or a
// folder, with wantDir). Something else there is an error, which names
// name as the user knows it (relative to the working directory).
func exists(dir, name string, wantDir bool) (bool, error) {
	fi, err := os.Stat(filepath.Join(dir, name))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is named here, relative
		}
		return false, fmt.Errorf("default location %s: %w", name, err)
	case wantDir && !fi.IsDir():
		return false, fmt.Errorf("%s exists but is not a folder", name)
	case !wantDir && !fi.Mode().IsRegular():
		return false, fmt.Errorf("%s exists but is not a regular file", name)
	}
	return true, nil
}
