// Package app has a few findings for gosec.
package app

import (
	"crypto/md5" // G501
	"fmt"
	"os"
	"os/exec"
)

// Hash uses a weak hash (G401).
func Hash(b []byte) string {
	return fmt.Sprintf("%x", md5.Sum(b))
}

// Run runs a command built from input (G204).
func Run(name string) error {
	return exec.Command("sh", "-c", name).Run()
}

// Write writes a world-readable file; suppressed with #nosec.
func Write(p string) error {
	return os.WriteFile(p, []byte("x"), 0o644) // #nosec G306 -- sample: a suppressed finding
}
