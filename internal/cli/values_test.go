package cli

import (
	"errors"
	"flag"
	"io"
	"testing"
	"time"

	"github.com/org/gonogo-action/internal/setting"
)

// TestSettingFlags: a refused value is a usage error of one line naming
// the flag, the value and the expected form; an accepted one is set.
func TestSettingFlags(t *testing.T) {
	t.Parallel()
	newFlags := func() (*flag.FlagSet, *int, *float64, *time.Duration, *bool) {
		fs := flag.NewFlagSet("prog", flag.ContinueOnError)
		var (
			jobs int
			rel  float64
			d    time.Duration
			b    bool
		)
		IntVar(fs, &jobs, "jobs", 4, "", setting.Jobs)
		NumberVar(fs, &rel, "rel-threshold", 0.1, "", setting.RelThreshold)
		DurationVar(fs, &d, "timeout", time.Minute, "")
		BoolVar(fs, &b, "all", false, "")
		return fs, &jobs, &rel, &d, &b
	}
	stdio := Stdio{Out: io.Discard, Err: io.Discard}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--jobs", "0"}, "--jobs 0: want 1 or more, got 0 (see --help)"},
		{[]string{"--jobs=2.5"}, "--jobs 2.5: want a whole number, got 2.5 (see --help)"},
		{[]string{"--rel-threshold", "10"}, "--rel-threshold 10: want a fraction between 0 and 1, got 10: write 0.10 for 10 % (see --help)"},
		{[]string{"--timeout", "10"}, `--timeout 10: want a duration such as 10s or 5m, got "10" (see --help)`},
		{[]string{"--all=yes"}, `--all=yes: want true or false, got "yes" (see --help)`},
		{[]string{"--nope"}, "flag provided but not defined: -nope (see --help)"},
	} {
		fs, _, _, _, _ := newFlags()
		_, err := Parse(fs, tt.args, stdio)
		var ue *UsageError
		if !errors.As(err, &ue) || err.Error() != tt.want {
			t.Errorf("%v: error = %v, want usage error %q", tt.args, err, tt.want)
		}
	}
	fs, jobs, rel, d, b := newFlags()
	if *jobs != 4 || *rel != 0.1 || *d != time.Minute || *b {
		t.Errorf("defaults: %d %v %v %v", *jobs, *rel, *d, *b)
	}
	if _, err := Parse(fs, []string{"--jobs", "2", "--rel-threshold", "0.25", "--timeout", "1m30s", "--all"}, stdio); err != nil {
		t.Fatal(err)
	}
	if *jobs != 2 || *rel != 0.25 || *d != 90*time.Second || !*b {
		t.Errorf("parsed: %d %v %v %v", *jobs, *rel, *d, *b)
	}
}
