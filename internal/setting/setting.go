// Package setting validates the values a user writes, in gonogo.yml and on
// the command line alike: one function per setting, so that a value means
// the same in both places, and a value that is wrong is refused, never
// reinterpreted ("fail closed", DESIGN.md). `rel_threshold: 10` is an error,
// not 1000 %; `abs_threshold: 2.5` is an error, not 2; `mandatory: "no"` is
// an error, not false.
//
// The parsers (Int, Number, Bool, Duration, Seconds) read the text of one
// value; the checks (AbsThreshold, RelThreshold, Jobs, …) say whether a
// parsed value is in range. Errors name the expected form and never the
// key: the caller prefixes the YAML key (with file and line) or the flag.
package setting

import (
	"errors"
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Int parses a whole number written in decimal ("5", "-1", "2.0"); "2.5"
// and "5 files" are refused.
func Int(s string) (int, error) {
	n, err := strconv.ParseInt(s, 10, 0)
	if err == nil {
		return int(n), nil
	}
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("want a whole number, got %s (out of range)", s)
	}
	if f, ferr := strconv.ParseFloat(s, 64); ferr == nil && (decimal(s) || math.IsNaN(f) || math.IsInf(f, 0)) {
		// 2.0 is the whole number 2 (as JSON Schema's "integer" has it);
		// 2.5 is not 2.
		if f == math.Trunc(f) && math.Abs(f) <= 1<<53 {
			return int(f), nil
		}
		return 0, fmt.Errorf("want a whole number, got %s", s)
	}
	return 0, fmt.Errorf("want a whole number such as 5, got %q", s)
}

// Number parses a finite decimal number ("0.10", "80", "1e-3"). NaN and
// infinities are refused: no setting has a use for them, and a NaN
// compares false with everything, which would pass any gate.
func Number(s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err == nil && !decimal(s) && !math.IsNaN(f) && !math.IsInf(f, 0) {
		// Go's float syntax also reads "0x1p-2" and "1_0" (10): not
		// what a threshold written by hand means.
		return 0, fmt.Errorf("want a decimal number such as 0.5, got %q", s)
	}
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		if l := strings.ToLower(s); strings.Contains(l, "nan") || strings.Contains(l, "inf") { // YAML's .nan, .inf
			return 0, fmt.Errorf("want a finite number, got %s", s)
		}
		return 0, fmt.Errorf("want a number such as 0.5, got %q", s)
	}
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("want a finite number, got %s", s)
	}
	return f, nil
}

// decimal reports whether s is a number in decimal notation: an optional
// sign, digits with at most one point, an optional exponent. Go's float
// syntax reads more (hexadecimal mantissas, "_" between digits), which a
// setting must not reinterpret.
func decimal(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	digits := strings.Replace(mant, ".", "", 1)
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return false
	}
	if hasExp {
		exp = strings.TrimPrefix(strings.TrimPrefix(exp, "+"), "-")
		return exp != "" && strings.Trim(exp, "0123456789") == ""
	}
	return true
}

// Bool parses true or false, and nothing else: not "yes", "on", "1",
// "True" or "no", which other readers map to a boolean each their own way.
func Bool(s string) (bool, error) {
	switch s {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("want true or false, got %q", s)
}

// Duration parses a Go duration ("10s", "1m30s") that is more than zero. A
// bare number is refused: on the command line "10" does not say its unit.
func Duration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("want a duration such as 10s or 5m, got %q", s)
	}
	return d, Positive(d)
}

// Seconds parses a number of seconds ("90", "0.5") that is more than zero
// and fits a duration: the numeric form of a duration in gonogo.yml.
func Seconds(s string) (time.Duration, error) {
	f, err := Number(s)
	if err != nil {
		return 0, fmt.Errorf("want a duration such as 30s or a number of seconds, got %s", s)
	}
	// Bound it before the conversion, whose overflow Go leaves undefined.
	if math.Abs(f)*float64(time.Second) >= math.MaxInt64 {
		return 0, fmt.Errorf("want a duration, got %s seconds (out of range)", s)
	}
	d := time.Duration(f * float64(time.Second))
	if f > 0 && d == 0 {
		return 0, fmt.Errorf("want a duration of at least 1ns, got %s seconds", s)
	}
	return d, Positive(d)
}

// Days parses an age in whole days: "90d" (digits, then d), or a Go
// duration that is a whole number of days ("2160h"); 1 day or more. A
// suppression's added= is a date, so an age finer than a day would mean
// nothing; "90" does not say its unit, and "90.5d", "90 d" and "0d" are
// refused.
func Days(s string) (int, error) {
	const want = "want a number of days such as 90d"
	if n, ok := strings.CutSuffix(s, "d"); ok && n != "" && strings.Trim(n, "0123456789") == "" {
		d, err := strconv.Atoi(n)
		switch {
		case err != nil || d > maxDays:
			return 0, fmt.Errorf("%s, got %s (out of range)", want, s)
		case d < 1:
			return 0, fmt.Errorf("%s, 1d or more, got %s", want, s)
		}
		return d, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%s, got %q", want, s)
	}
	if d <= 0 || d%(24*time.Hour) != 0 {
		return 0, fmt.Errorf("%s, 1d or more, got %s (not a whole number of days)", want, s)
	}
	return int(d / (24 * time.Hour)), nil
}

// maxDays bounds an age in days (about 27,000 years): far beyond any use,
// and well inside time.Time's range for date arithmetic.
const maxDays = 10_000_000

// Positive checks a duration (a timeout, a window) is more than zero.
func Positive(d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("want a duration more than 0 such as 10s, got %s", d)
	}
	return nil
}

// AbsThreshold checks abs_threshold / --abs-threshold: how many more
// failing files a code may gain, 0 or more.
func AbsThreshold(n int) error {
	if n < 0 {
		return fmt.Errorf("want a number of files, 0 or more, got %d", n)
	}
	return nil
}

// RelThreshold checks rel_threshold / --rel-threshold: a fraction of the
// reference count between 0 and 1. A value above 1 is almost always a
// percentage written as one ("10" for 10 %); it is refused, not divided.
func RelThreshold(f float64) error {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return fmt.Errorf("want a fraction between 0 and 1 such as 0.10, got %v", f)
	case f > 1:
		return fmt.Errorf("want a fraction between 0 and 1, got %v: write 0.10 for 10 %%", f)
	case f < 0:
		return fmt.Errorf("want a fraction between 0 and 1 such as 0.10, got %v", f)
	}
	return nil
}

// Jobs checks --jobs: how many gates or checker processes run at once.
func Jobs(n int) error {
	if n < 1 {
		return fmt.Errorf("want 1 or more, got %d", n)
	}
	return nil
}

// Count checks a count that may be zero (quiet's max, sse's min_events,
// --limit, --batch-size).
func Count(n int) error {
	if n < 0 {
		return fmt.Errorf("want 0 or more, got %d", n)
	}
	return nil
}

// Position checks a 1-based position (sse's within).
func Position(n int) error {
	if n < 1 {
		return fmt.Errorf("want 1 or more, got %d", n)
	}
	return nil
}

// Percent checks a coverage percentage (coverage's min and an inline
// baseline), between 0 and 100. A figure above 0 and below 1 is almost
// always a fraction written for a percentage ("0.8" for 80 %), under which
// every report passes; it is refused, not multiplied.
func Percent(f float64) error {
	switch {
	case !(f >= 0 && f <= 100): // true for NaN too
		return fmt.Errorf("want a percentage between 0 and 100, got %v", f)
	case f > 0 && f < 1:
		pct := math.Round(f*100*1e6) / 1e6
		return fmt.Errorf("want a percentage between 0 and 100, got %v: write %v for %v %% (a figure between 0 and 1 is refused as a fraction)", f, pct, pct)
	}
	return nil
}

// Points checks a drop in percentage points (coverage's max_drop), between
// 0 and 100.
func Points(f float64) error {
	if !(f >= 0 && f <= 100) {
		return fmt.Errorf("want percentage points between 0 and 100, got %v", f)
	}
	return nil
}

// HTTPStatus checks an expected HTTP status code.
func HTTPStatus(n int) error {
	if n < 100 || n > 599 {
		return fmt.Errorf("want an HTTP status between 100 and 599, got %d", n)
	}
	return nil
}

// maxCacheKey bounds --cache-key / cache_key: a key names versions, not
// files.
const maxCacheKey = 1024

// CacheFile checks --cache / cache:, a file the checker cache is read from
// and written to: a file name, not standard output or a folder.
func CacheFile(p string) error {
	switch {
	case p == "" || p == "-":
		return fmt.Errorf("want a file name such as parse_baseline.cache, got %q", p)
	case strings.HasSuffix(p, "/") || path.Base(p) == "." || path.Base(p) == "..": // a/., a/.., ./
		return fmt.Errorf("want a file, not a folder: %q", p)
	}
	return nil
}

// CacheKey checks --cache-key / cache_key, the user's part of the checker
// identity: printable text of up to 1,024 bytes.
func CacheKey(s string) error {
	if len(s) > maxCacheKey {
		return fmt.Errorf("want at most %d bytes, got %d", maxCacheKey, len(s))
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return fmt.Errorf("want printable text, got %q", s)
		}
	}
	return nil
}
