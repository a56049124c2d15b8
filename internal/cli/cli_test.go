package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/version"
)

func TestExit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		err    error
		code   int
		stderr string
	}{
		{"pass", nil, ExitPass, ""},
		{"help", flag.ErrHelp, ExitPass, ""},
		{"version", ErrVersion, ExitPass, ""},
		{"no-go already reported", ErrFailed, ExitFail, ""},
		{"no-go with a reason", Failf("--fail-on matched: %d PARSE_ERROR", 2), ExitFail, "prog: --fail-on matched: 2 PARSE_ERROR\n"},
		{"wrapped no-go", fmt.Errorf("gates: %w", ErrFailed), ExitFail, ""},
		{"usage", Usagef("--jobs must be at least 1"), ExitError, "prog: --jobs must be at least 1\n"},
		{"input", fmt.Errorf("read baseline: %w", fs.ErrNotExist), ExitError, "prog: read baseline: file does not exist\n"},
		// An output that cannot be written is no verdict, whatever the
		// gates said, and it is not a usage error.
		{"output", fmt.Errorf("--output: write x.json: %w", fs.ErrPermission), ExitError, "prog: --output: write x.json: permission denied\n"},
		// Quoted input cannot start a line or issue a workflow command.
		{"hostile", errors.New("bad code \"x\n::error::y ##[set-output name=a;]b\""), ExitError, "prog: bad code \"x ::error::y ##\u200b[set-output name=a;]b\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stderr bytes.Buffer
			if code := Exit(&stderr, "prog", tt.err); code != tt.code {
				t.Errorf("Exit(%v) = %d, want %d", tt.err, code, tt.code)
			}
			if diff := cmp.Diff(tt.stderr, stderr.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		rest   []string
		list   []string
		err    string // "" no error
		stdout string
	}{
		{"flags and arguments mix", []string{"a", "--n", "3", "b", "--l", "x", "--l=y"}, []string{"a", "b"}, []string{"x", "y"}, "", ""},
		{"after -- only arguments", []string{"--l", "x", "--", "--n", "-"}, []string{"--n", "-"}, []string{"x"}, "", ""},
		{"bad flag is one usage line", []string{"a", "--bogus"}, nil, nil, "flag provided but not defined: -bogus (see --help)", ""},
		{"bad value", []string{"--n", "many"}, nil, nil, `invalid value "many" for flag -n: parse error (see --help)`, ""},
		{"version", []string{"a", "--version"}, nil, nil, ErrVersion.Error(), "prog sub " + version.Version + "\n"},
		{"help", []string{"-h"}, nil, nil, flag.ErrHelp.Error(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs := flag.NewFlagSet("prog sub", flag.ContinueOnError)
			fs.Int("n", 0, "a number")
			var l List
			fs.Var(&l, "l", "repeatable")
			var stdout, stderr bytes.Buffer
			rest, err := Parse(fs, tt.args, Stdio{Out: &stdout, Err: &stderr})
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("err = %v, want %s", err, tt.err)
				}
				var ue *UsageError
				if wantUsage := strings.Contains(tt.err, "see --help"); errors.As(err, &ue) != wantUsage {
					t.Errorf("usage error %v, want %v", !wantUsage, wantUsage)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.rest, rest); diff != "" {
				t.Errorf("arguments (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.list, []string(l)); tt.err == "" && diff != "" {
				t.Errorf("list (-want +got):\n%s", diff)
			}
			if stdout.String() != tt.stdout {
				t.Errorf("stdout = %q, want %q", stdout.String(), tt.stdout)
			}
			// The flag list goes to stderr on -h only, never with an error.
			if got, want := stderr.Len() > 0, tt.name == "help"; got != want {
				t.Errorf("stderr = %q", stderr.String())
			}
		})
	}
}

func TestClock(t *testing.T) {
	t.Parallel()
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "SOURCE_DATE_EPOCH" {
				return v
			}
			return ""
		}
	}
	now, err := Clock(env("1757758522"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := now(), time.Date(2025, 9, 13, 10, 15, 22, 0, time.UTC); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("SOURCE_DATE_EPOCH clock = %v, want %v", got, want)
	}
	if now, err = Clock(env("")); err != nil || time.Since(now()) > time.Minute {
		t.Errorf("unset: %v, %v", now(), err)
	}
	for _, bad := range []string{"yesterday", "1.5", "0x10", " 1"} {
		if _, err := Clock(env(bad)); err == nil || !strings.Contains(err.Error(), "SOURCE_DATE_EPOCH") {
			t.Errorf("SOURCE_DATE_EPOCH=%q: err = %v, want it refused", bad, err)
		}
	}
}

func TestCodes(t *testing.T) {
	t.Parallel()
	got, err := Codes("--codes", "parse_error, VALIDATION_ERROR,,IO_ERROR")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"PARSE_ERROR", "VALIDATION_ERROR", "IO_ERROR"}, got); diff != "" {
		t.Errorf("codes (-want +got):\n%s", diff)
	}
	if got, err := Codes("--codes", ""); err != nil || got != nil {
		t.Errorf("empty list = %v, %v", got, err)
	}
	_, err = Codes("--fail-on", "PARSE_ERROR,PARSE_ERRORS")
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.HasPrefix(err.Error(), "--fail-on PARSE_ERRORS: unknown code (known: SUCCESS, ") {
		t.Errorf("unknown code: %v", err)
	}
}
