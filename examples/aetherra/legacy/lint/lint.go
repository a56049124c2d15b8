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
//
// aether-lint --run FILE ... is the execute phase of the classifier
// (parse-baseline --exec-checker): a file that parses is "run" against a
// toy runtime, in line order, and the first problem decides:
//
//	start of an unknown service, or of plugin_manager
//	before memory_system                  RUNTIME_ERROR (21)
//	call of a function with no runtime    UNSUPPORTED_FEATURE (24)
//
// It says every verdict, success included (AETHER_ERROR_CODE:0), as an
// execute phase must.
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
	RuntimeError    = 21
	Unsupported     = 24
)

// The toy runtime: the services it can start and the functions it has.
var (
	services  = map[string]bool{"memory_system": true, "plugin_manager": true}
	functions = map[string]bool{"audit_log": true, "hmr_prepare": true, "verify_manifests": true, "net_fetch": true}
)

// Run returns the status of executing a file that Check passed.
func Run(content string) (code, line int, msg string) {
	started := map[string]bool{}
	for i, l := range strings.Split(content, "\n") {
		n := i + 1
		fields := strings.Fields(l)
		if len(fields) < 2 {
			continue
		}
		switch arg := fields[1]; fields[0] {
		case "start":
			switch {
			case !services[arg]:
				return RuntimeError, n, fmt.Sprintf("RuntimeError line %d: no service %q", n, arg)
			case arg == "plugin_manager" && !started["memory_system"]:
				return RuntimeError, n, fmt.Sprintf("RuntimeError line %d: plugin_manager needs memory_system started first", n)
			}
			started[arg] = true
		case "call":
			if f, _, _ := strings.Cut(arg, "("); !functions[f] {
				return Unsupported, n, fmt.Sprintf("NotImplementedError line %d: %s has no runtime", n, f)
			}
		}
	}
	return Success, 0, ""
}

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

// Main is the command: aether-lint [--run] FILE ... prints each failing
// file's message (after its name when several are given) and an
// AETHER_ERROR_CODE:<n> line on stderr and exits with
// the highest code (0 when every file passes). With --run it checks, then
// executes, and prints AETHER_ERROR_CODE:0 for a file that passes too.
func Main(args []string, stderr io.Writer) int {
	run := len(args) > 0 && args[0] == "--run"
	if run {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: aether-lint [--run] FILE ...")
		return 2
	}
	exit := Success
	for _, f := range args {
		data, err := os.ReadFile(f)
		code, msg := IOError, ""
		if err == nil {
			code, _, msg = Check(string(data))
			if run && code == Success {
				code, _, msg = Run(string(data))
			}
		} else {
			msg = err.Error()
		}
		switch {
		case code != Success && len(args) == 1:
			// One file: the message alone, as an interpreter prints it, so
			// that files failing alike share a fingerprint.
			fmt.Fprintf(stderr, "%s\nAETHER_ERROR_CODE:%d\n", msg, code)
		case code != Success:
			fmt.Fprintf(stderr, "%s: %s\nAETHER_ERROR_CODE:%d\n", f, msg, code)
		case run:
			fmt.Fprintf(stderr, "AETHER_ERROR_CODE:%d\n", code)
		}
		exit = max(exit, code)
	}
	return exit
}
