package checker

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/org/gonogo-action/internal/baseline"
)

// A rule recognises a failure kind in the output of a checker that speaks
// none of the structured protocols. The first matching rule wins; the
// order puts the most specific evidence first (a traceback that ends in
// NotImplementedError is an unsupported feature, not a runtime error).
type rule struct {
	code string
	re   *regexp.Regexp
}

var rules = []rule{
	{baseline.UnsupportedFeature, regexp.MustCompile(`(?i)not implemented|NotImplementedError|unsupported feature|not supported`)},
	{baseline.SignatureError, regexp.MustCompile(`(?i)signature (?:missing|invalid|mismatch|required|error|verification)|(?:missing|invalid|bad|unsigned)\b.{0,20}signature|unsigned script`)},
	{baseline.TimeoutError, regexp.MustCompile(`(?i)timed out|timeout(?:error| exceeded| expired)|deadline exceeded`)},
	{baseline.ParseError, regexp.MustCompile(`(?i)pars(?:e|ing) error|syntax ?error|unexpected token|unexpected end of (?:file|input)|parse failed|could not parse`)},
	{baseline.ValidationError, regexp.MustCompile(`(?i)validation (?:error|failed)|unknown function|undefined (?:function|name|variable)`)},
	{baseline.IOError, regexp.MustCompile(`(?i)no such file or directory|permission denied|is a directory|FileNotFoundError|PermissionError|cannot open|could not read`)},
	{baseline.RuntimeError, regexp.MustCompile(`Traceback \(most recent call last\)|(?i)runtime error|uncaught exception|panic: |\bException\b`)},
}

var (
	lineRE = regexp.MustCompile(`(?i)\bline[ :#]*(\d{1,9})\b|:(\d{1,9}):`)
	// pyLineRE is a Python traceback or SyntaxError location; the
	// interpreter of the specification is written in Python.
	pyLineRE = regexp.MustCompile(`(?m)^\s*File "[^"\n]*", line (\d{1,9})`)
)

// pythonLine is the line of the last Python location in text, or 0.
func pythonLine(text string) int {
	m := pyLineRE.FindAllStringSubmatch(text, -1)
	if len(m) == 0 {
		return 0
	}
	n, _ := strconv.Atoi(m[len(m)-1][1])
	return n
}

// Heuristic classifies failure output by the words it contains. It returns
// the code, the line that explains it and the source line number it
// mentions, or ok=false when nothing was recognised. For a traceback the
// message is the traceback's last line (the exception), as a person would
// quote it.
func Heuristic(text string) (code, message string, line int, ok bool) {
	for _, r := range rules {
		loc := r.re.FindStringIndex(text)
		if loc == nil {
			continue
		}
		msg := lineAround(text, loc[0])
		if strings.HasPrefix(text[loc[0]:], "Traceback") || strings.HasPrefix(text[loc[0]:], "panic: ") {
			if last := lastLine(text); last != "" && !strings.HasPrefix(text[loc[0]:], "panic: ") {
				msg = last
			}
		}
		msg = Clean(msg, MaxMessage)
		line := LineNumber(msg)
		if line == 0 {
			line = pythonLine(text)
		}
		return r.code, msg, line, true
	}
	return "", "", 0, false
}

// LineNumber finds a source line number in a message ("line 12", "x:12:").
func LineNumber(msg string) int {
	m := lineRE.FindStringSubmatch(msg)
	if m == nil {
		return 0
	}
	s := m[1]
	if s == "" {
		s = m[2]
	}
	n, _ := strconv.Atoi(s)
	return n
}

// lineAround returns the whole line of text that contains offset i.
func lineAround(text string, i int) string {
	start := strings.LastIndexByte(text[:i], '\n') + 1
	end := strings.IndexByte(text[i:], '\n')
	if end < 0 {
		return text[start:]
	}
	return text[start : i+end]
}

// lastLine returns the last non-blank line of text.
func lastLine(text string) string {
	text = strings.TrimRight(text, " \t\r\n")
	return strings.TrimSpace(text[strings.LastIndexByte(text, '\n')+1:])
}

// firstLine returns the first non-blank line of text.
func firstLine(text string) string {
	for l := range strings.Lines(text) {
		if t := strings.TrimSpace(l); t != "" {
			return t
		}
	}
	return ""
}
