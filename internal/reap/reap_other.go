//go:build !linux

package reap

// Init does nothing outside Linux: containers there are not a concern.
func Init(getenv func(string) string) (int, bool) { return 0, false }
