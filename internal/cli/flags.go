package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/org/gonogo-action/internal/version"
)

// Parse parses args into fs, which must be made with flag.ContinueOnError
// and named after the program ("gate sign"); it returns the arguments that
// are not flags. Flags and arguments may mix, as users type them
// ("parse-baseline src --limit 5"); after "--" everything is an argument.
//
// Every command gets --version from here: it prints "NAME VERSION" on
// stdout and Parse returns ErrVersion. -h and --help print fs.Usage on
// stderr and Parse returns flag.ErrHelp. A bad flag is a *UsageError of
// one line, never the flag list.
func Parse(fs *flag.FlagSet, args []string, stdio Stdio) ([]string, error) {
	showVersion := fs.Bool("version", false, "print the version and exit")
	fs.SetOutput(io.Discard)
	var refused error // a value of ours that a setting refused, in our words
	fs.VisitAll(func(f *flag.Flag) {
		if r, ok := f.Value.(reporter); ok {
			r.reportTo(f.Name, &refused)
		}
	})
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(stdio.Err)
				fs.Usage()
				return nil, err
			}
			if refused != nil {
				err = refused
			}
			return nil, Usagef("%w (see --help)", err)
		}
		left := fs.Args()
		if len(left) == 0 {
			break
		}
		if used := len(args) - len(left); used > 0 && args[used-1] == "--" {
			rest = append(rest, left...)
			break
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
	if *showVersion {
		fmt.Fprintln(stdio.Out, fs.Name(), version.Version)
		return nil, ErrVersion
	}
	return rest, nil
}

// List is a repeatable flag: each use appends its value.
type List []string

// String implements flag.Value.
func (l *List) String() string { return strings.Join(*l, ", ") }

// Set implements flag.Value.
func (l *List) Set(s string) error {
	*l = append(*l, s)
	return nil
}

var _ flag.Value = (*List)(nil)
