package signing

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// FindRoot returns the repository root that signatures record paths
// relative to: dir when given (made absolute), else the nearest directory
// at or above the working directory that holds .git, else the working
// directory.
func FindRoot(dir string) (string, error) {
	if dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", fmt.Errorf("root: %w", err)
		}
		return abs, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return wd, nil
		}
	}
}

// CheckTrust reads spec's trusted keys and revocation list as Check will,
// so that a command can refuse a bad policy before a long run rather than
// after it.
func CheckTrust(root string, spec Spec) error {
	if len(spec.Keys) == 0 {
		return errors.New("no trusted keys: give at least one public key")
	}
	if _, err := loadKeys(root, spec.Keys); err != nil {
		return err
	}
	_, err := loadRevocations(root, spec.Revoked)
	return err
}
