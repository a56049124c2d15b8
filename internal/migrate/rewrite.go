package migrate

import (
	"strings"
)

// line is one line of a file: its text and its ending ("\n", "\r\n", or ""
// for a last line without one).
type line struct {
	text, eol string
}

// splitLines cuts content into lines; joining them gives content back.
func splitLines(content string) []line {
	var out []line
	for content != "" {
		i := strings.IndexByte(content, '\n')
		if i < 0 {
			out = append(out, line{text: content})
			break
		}
		l := line{text: content[:i], eol: "\n"}
		if strings.HasSuffix(l.text, "\r") {
			l.text, l.eol = l.text[:len(l.text)-1], "\r\n"
		}
		out = append(out, l)
		content = content[i+1:]
	}
	return out
}

func joinLines(ls []line) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(l.text)
		b.WriteString(l.eol)
	}
	return b.String()
}

// Result is what the rules did to one file's content.
type Result struct {
	old, new []line // new[i] is what became of old[i]; old[len(new):] were removed
	// Rules counts, for each rule in order, the lines it changed (0: the
	// rule left the file as it was).
	Rules []int
}

// Changed reports whether the content changed.
func (r *Result) Changed() bool {
	if len(r.old) != len(r.new) {
		return true
	}
	for i := range r.new {
		if r.old[i] != r.new[i] {
			return true
		}
	}
	return false
}

// Content is the rewritten content.
func (r *Result) Content() string { return joinLines(r.new) }

// Rewrite applies the rules, in order, to content. Each rule sees what the
// rules before it left. No rule adds a line, so the new content's line i is
// always what became of the old one's line i, and the diff needs no search.
func (rs *Rules) Rewrite(content string) *Result {
	old := splitLines(content)
	cur := append([]line(nil), old...)
	res := &Result{old: old, Rules: make([]int, len(rs.Rules))}
	for ri, r := range rs.Rules {
		n := 0
		if r.Normalize == FinalNewline {
			cur, n = finalNewline(cur)
			res.Rules[ri] = n
			continue
		}
		for i, l := range cur {
			was := l
			switch r.Normalize {
			case TrailingSpace:
				l.text = strings.TrimRight(l.text, " \t")
			case CRLF:
				if l.eol == "\r\n" {
					l.eol = "\n"
				}
			default:
				l.text = r.Match.ReplaceAllString(l.text, r.Replace)
			}
			if l != was {
				cur[i] = l
				n++
			}
		}
		res.Rules[ri] = n
	}
	res.new = cur
	return res
}

// finalNewline ends ls with exactly one line ending and counts the lines it
// changed (removed or given an ending).
func finalNewline(ls []line) ([]line, int) {
	last := len(ls) - 1
	for last >= 0 && ls[last].text == "" {
		last--
	}
	n := len(ls) - 1 - last
	ls = ls[:last+1]
	if last >= 0 && ls[last].eol == "" {
		eol := "\n"
		if last > 0 {
			eol = ls[last-1].eol
		}
		ls[last].eol = eol
		n++
	}
	return ls, n
}
