package migrate

import (
	"fmt"
	"strconv"
	"strings"
)

// contextLines is how many unchanged lines a hunk shows around a change,
// diff -u's default.
const contextLines = 3

// Diff renders the change as a unified diff of the file called name (as
// GNU diff -u prints it, without timestamps): both headers carry name as
// it is, so `patch -p0` and `git apply -p0` apply it from the directory
// the paths are relative to. A name that a header cannot carry as it is (a
// tab, a line break, a quote, a backslash, a leading or trailing space, a
// control character) is written C-quoted, as git does and GNU patch reads.
// A line without its ending is followed by "\ No newline at end of file";
// a CR of a CR LF ending stays on its line, as diff shows it. An unchanged
// file gives "".
func (r *Result) Diff(name string) string {
	changed := func(i int) bool { return i >= len(r.new) || r.old[i] != r.new[i] }
	var b strings.Builder
	for i := 0; i < len(r.old); {
		if !changed(i) {
			i++
			continue
		}
		// A hunk: from contextLines before the first change to
		// contextLines after the last one that lies within 2×context
		// unchanged lines of the one before (diff's grouping).
		start := max(0, i-contextLines)
		end := i + 1 // past the last changed line so far
		for j := end; j < len(r.old) && j < end+2*contextLines+1; j++ {
			if changed(j) {
				end = j + 1
			}
		}
		stop := min(len(r.old), end+contextLines)
		if b.Len() == 0 {
			q := quoteName(name)
			fmt.Fprintf(&b, "--- %s\n+++ %s\n", q, q)
		}
		writeHunk(&b, r, start, stop, changed)
		i = stop
	}
	return b.String()
}

func writeHunk(b *strings.Builder, r *Result, start, stop int, changed func(int) bool) {
	oldN := stop - start
	newN := max(0, min(stop, len(r.new))-start)
	fmt.Fprintf(b, "@@ -%s +%s @@\n", hunkRange(start, oldN), hunkRange(start, newN))
	for i := start; i < stop; {
		if !changed(i) {
			writeLine(b, ' ', r.old[i])
			i++
			continue
		}
		j := i
		for j < stop && changed(j) {
			j++
		}
		for k := i; k < j; k++ {
			writeLine(b, '-', r.old[k])
		}
		for k := i; k < j && k < len(r.new); k++ {
			writeLine(b, '+', r.new[k])
		}
		i = j
	}
}

// hunkRange is "start,count" (1-based); an empty range names the line
// before it, as diff does.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return strconv.Itoa(start) + ",0"
	case 1:
		return strconv.Itoa(start + 1)
	}
	return strconv.Itoa(start+1) + "," + strconv.Itoa(n)
}

func writeLine(b *strings.Builder, tag byte, l line) {
	b.WriteByte(tag)
	b.WriteString(l.text)
	if l.eol == "" {
		b.WriteString("\n\\ No newline at end of file\n")
		return
	}
	b.WriteString(l.eol)
}

// quoteName returns name as a diff header carries it: as it is, or
// C-quoted when it holds what would end or change the header.
func quoteName(name string) string {
	need := name == ""
	for _, c := range []byte(name) {
		if c <= ' ' || c == 0x7f || c == '"' || c == '\\' {
			need = true
		}
	}
	if !need {
		return name
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range []byte(name) {
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, `\%03o`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
