package baseline

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
)

// Fingerprint is the specification's stable failure hash: the first 16 hex
// characters of SHA-256 over "code_name|line|first line of message". It
// leaves the path out on purpose, so a suppression survives a file move.
func Fingerprint(codeName string, line int, message string) string {
	sum := sha256.Sum256([]byte(codeName + "|" + strconv.Itoa(line) + "|" + FirstLine(message)))
	return hex.EncodeToString(sum[:8])
}

// FirstLine returns message up to its first line break, without a trailing
// carriage return.
func FirstLine(message string) string {
	if i := strings.IndexByte(message, '\n'); i >= 0 {
		message = message[:i]
	}
	return strings.TrimSuffix(message, "\r")
}
