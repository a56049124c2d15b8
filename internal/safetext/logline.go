package safetext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// LogLine makes untrusted text safe inside one plain log line that the
// caller starts with text of its own (a program name), whether the line goes
// to a terminal or to a GitHub Actions log:
//
//   - Nothing can start a new line: line and paragraph breaks of every kind
//     (\n, \r, \v, \f, NEL, U+2028, U+2029) and tabs become spaces. The
//     runner ends lines at \r too, and a new line could start with "::".
//   - Nothing is invisible: every other control or format character (ESC
//     of a terminal sequence, DEL, C1 controls, bidirectional overrides,
//     zero-width characters, …) is written as a Go escape (\x1b, \u202e),
//     so it can neither drive a terminal nor reorder or hide what is read.
//     Invalid UTF-8 becomes U+FFFD.
//   - "##[" is broken up, because the runner takes the older "##[name]data"
//     form of a workflow command anywhere in a line, not only at its start
//     (actions/runner ActionCommand.TryParse).
//
// Printable text, including non-ASCII letters, passes unchanged.
func LogLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t' || r == '\v' || r == '\f' ||
			r == '\u0085' || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case unicode.IsGraphic(r): // letters, marks, numbers, punctuation, symbols, spaces
			b.WriteRune(r)
		case r < utf8.RuneSelf:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	return strings.ReplaceAll(b.String(), "##[", "##\u200b[")
}
