// Package lint is the checker of the migration example: a stand-in for
// `aether --check` over a toy workflow language, small enough to read in
// one sitting. A file is
//
//	# comment
//	workflow NAME {
//	  goal: TEXT
//	  start SERVICE
//	  expect EXPRESSION
//	  call FUNCTION
//	}
//
// The first problem, in line order, decides the status:
//
//	a CR LF line ending                 PARSE_ERROR (20)
//	the legacy key intent:              PARSE_ERROR (20)
//	a statement it does not know        VALIDATION_ERROR (25)
//	a { left open at the end            PARSE_ERROR (20)
//
// The first two are what parse-baseline migrate with
// examples/aetherra/legacy/migrate.yml fixes; the others need a person.
package lint

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// Status codes, the specification's.
const (
	Success         = 0
	ParseError      = 20
	ValidationError = 25
	IOError         = 26
)

// Check returns a file's status code, the line and the message.
func Check(content string) (code, line int, msg string) {
	depth, open := 0, 0
	lines := strings.SplitAfter(content, "\n")
	for i, l := range lines {
		n := i + 1
		text := strings.TrimSuffix(l, "\n")
		if strings.HasSuffix(text, "\r") {
			return ParseError, n, fmt.Sprintf("Parse error line %d: carriage return before the line break (CRLF)", n)
		}
		fields := strings.Fields(text)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		switch fields[0] {
		case "intent:":
			return ParseError, n, fmt.Sprintf("Parse error line %d: unknown key intent: (a legacy form; write goal:)", n)
		case "workflow":
			if depth == 0 {
				open = n
			}
		case "goal:", "start", "expect", "call", "}":
		default:
			return ValidationError, n, fmt.Sprintf("Validation failed line %d: unknown statement %q", n, fields[0])
		}
		depth += strings.Count(text, "{") - strings.Count(text, "}")
	}
	if depth != 0 {
		return ParseError, open, fmt.Sprintf("Parse error line %d: { left open at the end of the file", open)
	}
	return Success, 0, ""
}

// Main is the command: aether-lint FILE ... prints each failing file's
// message and an AETHER_ERROR_CODE:<n> line on stderr and exits with the
// highest code (0 when every file passes).
func Main(args []string, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: aether-lint FILE ...")
		return 2
	}
	exit := Success
	for _, f := range args {
		data, err := os.ReadFile(f)
		code, msg := IOError, ""
		if err == nil {
			code, _, msg = Check(string(data))
		} else {
			msg = err.Error()
		}
		if code != Success {
			fmt.Fprintf(stderr, "%s: %s\nAETHER_ERROR_CODE:%d\n", f, msg, code)
		}
		exit = max(exit, code)
	}
	return exit
}
