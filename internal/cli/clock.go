package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/org/gonogo-action/internal/baseline"
)

// Clock is the commands' clock: the real one, or the fixed instant of
// SOURCE_DATE_EPOCH (seconds since 1970, UTC) for reproducible output
// (https://reproducible-builds.org/specs/source-date-epoch/). A value that
// is set but not a number is refused, never ignored: the output would not be
// the reproducible one that was asked for.
func Clock(getenv func(string) string) (func() time.Time, error) {
	s := getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		return time.Now, nil
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("SOURCE_DATE_EPOCH=%q: want seconds since 1970", s)
	}
	t := time.Unix(sec, 0).UTC()
	return func() time.Time { return t }, nil
}

// Codes parses the value of a flag naming status codes (--fail-on,
// --codes, --fail-on-new): names separated by commas or spaces, any case.
// An unknown name is a *UsageError that lists the known ones.
func Codes(flagName, s string) ([]string, error) {
	var out []string
	for _, c := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		name, err := baseline.ParseCodeName(c)
		if err != nil {
			return nil, Usagef("%s %s: %w", flagName, c, err)
		}
		out = append(out, name)
	}
	return out, nil
}

// Commit is the commit a baseline is taken at, for its history: the value
// of a --commit flag when given, else GITHUB_SHA (the commit a workflow
// run checked out), else "" (unknown). A --commit that is not a full
// commit id (baseline.CheckCommit) is a usage error; a GITHUB_SHA that is
// not one is the environment's, so the history, which is informational,
// records no commit and stderr says so.
func Commit(flagValue string, getenv func(string) string, stderr io.Writer, prog string) (string, error) {
	if flagValue != "" {
		if err := baseline.CheckCommit(flagValue); err != nil {
			return "", Usagef("--commit: %w", err)
		}
		return flagValue, nil
	}
	s := getenv("GITHUB_SHA")
	if s == "" {
		return "", nil
	}
	if err := baseline.CheckCommit(s); err != nil {
		Errorf(stderr, prog, "warning: GITHUB_SHA: %v: the history records no commit (give --commit)", err)
		return "", nil
	}
	return s, nil
}
