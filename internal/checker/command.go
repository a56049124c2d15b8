// Package checker runs file checkers and reads their verdicts. It starts
// processes for checkers through internal/proc, as the gate engine does:
// one per file or one per batch, never through a shell, in their own process
// group, with a scrubbed environment, a timeout that kills the whole group
// and capped, drained output. It also ingests
// verdicts produced elsewhere: JSON status lines and SARIF 2.1.0.
package checker

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Mode says how a checker takes its paths.
type Mode int

const (
	// Append adds the path as the last argument; one process per file.
	Append Mode = iota
	// PerFile replaces {file} with the path; one process per file.
	PerFile
	// Batch replaces {files} with many paths; one process per batch,
	// which reports one JSON status line per file.
	Batch
)

// Placeholders recognised in a checker command.
const (
	FilePlaceholder  = "{file}"
	FilesPlaceholder = "{files}"
)

func (m Mode) String() string {
	switch m {
	case PerFile:
		return "per-file"
	case Batch:
		return "batch"
	}
	return "append"
}

// Command is a parsed checker command line.
type Command struct {
	// Argv is the split command; Argv[0] is the program.
	Argv []string
	Mode Mode
	// Line is the command as the user wrote it, for reports.
	Line string
}

// ParseCommand splits line like a POSIX shell would split words (single and
// double quotes, backslash escapes) without running a shell: no expansion,
// no globbing, no redirection. {file} or {files} must stand as a whole
// word, and only one of them may appear.
func ParseCommand(line string) (Command, error) {
	argv, err := Split(line)
	if err != nil {
		return Command{}, err
	}
	if len(argv) == 0 {
		return Command{}, errors.New("checker command is empty")
	}
	c := Command{Argv: argv, Line: line}
	nFile, nFiles := 0, 0
	for _, a := range argv {
		switch {
		case a == FilePlaceholder:
			nFile++
		case a == FilesPlaceholder:
			nFiles++
		case strings.Contains(a, FilePlaceholder) || strings.Contains(a, FilesPlaceholder):
			return Command{}, fmt.Errorf("checker argument %q: {file} and {files} must be a whole word", a)
		}
	}
	switch {
	case nFile+nFiles > 1:
		return Command{}, errors.New("checker command: use {file} or {files} once, not both or twice")
	case argv[0] == FilePlaceholder || argv[0] == FilesPlaceholder:
		return Command{}, errors.New("checker command: the program cannot be a placeholder")
	case nFile == 1:
		c.Mode = PerFile
	case nFiles == 1:
		c.Mode = Batch
	}
	return c, nil
}

// Args returns the argument list (without the program) for paths: the
// placeholder replaced, or the path appended. Paths are passed as they are;
// callers make relative paths start with "./" so none reads as a flag.
func (c Command) Args(paths []string) []string {
	out := make([]string, 0, len(c.Argv)+len(paths))
	for _, a := range c.Argv[1:] {
		switch {
		case c.Mode == PerFile && a == FilePlaceholder, c.Mode == Batch && a == FilesPlaceholder:
			out = append(out, paths...)
		default:
			out = append(out, a)
		}
	}
	if c.Mode == Append {
		out = append(out, paths...)
	}
	return slices.Clip(out)
}

// Split splits a command line into words the way a POSIX shell would, with
// quotes and backslashes but no expansions.
func Split(line string) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		in    bool // inside a word
	)
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		case ch == '\'':
			in = true
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("checker command: unterminated single quote")
			}
			cur.WriteString(line[i+1 : i+1+j])
			i += j + 1
		case ch == '"':
			in = true
			i++
			for ; i < len(line) && line[i] != '"'; i++ {
				// Inside double quotes a backslash escapes only these, as in sh.
				if line[i] == '\\' && i+1 < len(line) && strings.IndexByte("\\\"$`\n", line[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(line[i])
			}
			if i >= len(line) {
				return nil, errors.New("checker command: unterminated double quote")
			}
		case ch == '\\':
			in = true
			if i+1 >= len(line) {
				return nil, errors.New("checker command: trailing backslash")
			}
			i++
			cur.WriteByte(line[i])
		default:
			in = true
			cur.WriteByte(ch)
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}
