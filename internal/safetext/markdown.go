package safetext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// zwsp is a zero-width space, written as an entity so it survives editors;
// GitHub then sees "@&#8203;name", which links no one.
const zwsp = "&#8203;"

// Inline makes untrusted text safe as inline markdown: one line, markdown and
// HTML punctuation escaped, mentions and issue references defused, invalid
// UTF-8 replaced, at most max runes (0: no limit), an ellipsis where cut.
func Inline(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if max > 0 && utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max-1]) + "…"
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	lead := leadingDigits(s)
	for i, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t' || r == '\v' || r == '\f':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029':
			b.WriteRune('\uFFFD')
		case bidi(r):
			// A direction override or isolate reorders what follows it
			// on the rendered line ("Trojan Source"): a file name could
			// show as another. Shown as its escape, as LogLine does.
			fmt.Fprintf(&b, `\\u%04x`, r)
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '@':
			b.WriteString("@" + zwsp)
		case r == '#':
			b.WriteString("\\#" + zwsp)
		case strings.ContainsRune("\\`*_{}[]|~:", r),
			i == 0 && strings.ContainsRune("-+=!", r),
			(r == '.' || r == ')') && lead > 0 && i == lead:
			// ':' stops autolinks (http:) and emoji codes; a leading
			// -, +, = or "1." would start a list or a heading.
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// bidi reports whether r is an invisible bidirectional control: the
// marks, embeddings, overrides and isolates of Unicode's bidirectional
// algorithm (UAX #9), which reorder the text around them.
func bidi(r rune) bool {
	return r == '\u061c' || r == '\u200e' || r == '\u200f' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// Cell is Inline for a table cell; an empty value shows as a dash so the
// table keeps its shape.
func Cell(s string, max int) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return Inline(s, max)
}

// Code renders untrusted text inside a fenced code block body: the text
// cannot close the fence because the fence is longer than any backtick run
// it contains, and HTML comments (the sticky-comment marker) are broken up.
func Code(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	s = strings.ReplaceAll(s, "<!--", "<!\u200b--")
	return fence + "text\n" + strings.TrimRight(s, "\n") + "\n" + fence + "\n"
}

// leadingDigits is the length of the run of ASCII digits s starts with.
func leadingDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}
