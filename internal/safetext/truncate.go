package safetext

import (
	"strings"
	"unicode/utf8"
)

// Bytes and Runes measure text for Truncate: the job summary is limited in
// bytes (1 MiB per step), a comment body in characters (65,536).
func Bytes(s string) int { return len(s) }

// Runes counts characters, see Bytes.
func Runes(s string) int { return utf8.RuneCountInString(s) }

// Truncate keeps markdown within limit (as measured by size): when it is too
// long it is cut at a line boundary (or, for a single overlong line, at a
// UTF-8 boundary), every open code fence is closed so the rest of the page
// does not turn into code, and note (already safe markdown) is appended.
// The result never exceeds limit, provided the note itself fits.
func Truncate(md string, limit int, size func(string) int, note string) string {
	if size(md) <= limit {
		return md
	}
	budget := limit - size(note) - 2
	for budget > 0 {
		cut := prefixWithin(md, budget, size)
		if i := strings.LastIndexByte(cut, '\n'); i > 0 {
			cut = cut[:i+1]
		} else if cut != "" {
			cut += "\n"
		}
		if fence := openFence(cut); fence != "" {
			cut += fence + "\n"
		}
		out := cut + "\n" + note
		if size(out) <= limit {
			return out
		}
		// The closing fence did not fit: shrink by what it cost.
		budget -= size(out) - limit
	}
	return note
}

// prefixWithin returns the longest prefix of s on a rune boundary whose size
// is at most n.
func prefixWithin(s string, n int, size func(string) int) string {
	lo, hi := 0, len(s)
	for lo < hi { // binary search on byte offsets, snapped to rune starts
		mid := (lo + hi + 1) / 2
		for mid > 0 && mid < len(s) && !utf8.RuneStart(s[mid]) {
			mid--
		}
		if mid <= lo {
			break
		}
		if size(s[:mid]) <= n {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return s[:lo]
}

// openFence reports the fence that closes the code block still open at the
// end of md, or "" when none is open (CommonMark fenced code blocks: a run of
// at least three backticks or tildes, indented at most three spaces, closed
// by a run of the same character at least as long).
func openFence(md string) string {
	var open string
	for line := range strings.Lines(md) {
		t := strings.TrimRight(line, "\r\n")
		trimmed := strings.TrimLeft(t, " ")
		if len(t)-len(trimmed) > 3 || len(trimmed) < 3 || (trimmed[0] != '`' && trimmed[0] != '~') {
			continue
		}
		c := trimmed[0]
		n := len(trimmed) - len(strings.TrimLeft(trimmed, string(c)))
		if n < 3 {
			continue
		}
		switch {
		case open == "":
			if c == '`' && strings.Contains(trimmed[n:], "`") {
				continue // not a fence: an info string may not hold backticks
			}
			open = trimmed[:n]
		case c == open[0] && n >= len(open) && strings.TrimSpace(trimmed[n:]) == "":
			open = ""
		}
	}
	return open
}
