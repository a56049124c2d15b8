//go:build !linux

package reap

// Init does nothing outside Linux: containers there are not a concern.
func Init(getenv func(string) string, secret func(name string) bool) (int, bool) { return 0, false }

// Getenv returns getenv: no init hands anything over outside Linux.
func Getenv(getenv func(string) string) (func(string) string, error) { return getenv, nil }
