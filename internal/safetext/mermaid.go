package safetext

import "strings"

// MermaidString is s as a quoted string of a Mermaid xychart-beta block
// (a title, an axis label), unable to leave it. Mermaid's xychart lexer
// reads a quoted string as everything up to the next `"`, line breaks
// included; a backtick after the quote opens a markdown string; `%%`
// starts a comment or, as `%%{…}%%`, a directive that reconfigures the
// diagram; and a line of backticks ends the markdown fence around the
// block (packages/mermaid/src/diagrams/xychart/parser/xychart.jison).
// So only letters, digits, space and _ . : # / + - are kept; any other
// rune becomes _, and the result is cut to max runes.
func MermaidString(s string, max int) string {
	var b strings.Builder
	b.WriteByte('"')
	n := 0
	for _, r := range s {
		if n == max {
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune(" _.:#/+-", r):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		n++
	}
	b.WriteByte('"')
	return b.String()
}
