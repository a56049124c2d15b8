package setting

import (
	"strings"
	"testing"
	"time"
)

func TestParsers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		parse   func(string) (any, error)
		in      string
		want    any
		wantErr string
	}{
		{"int", anyOf(Int), "5", 5, ""},
		{"int negative", anyOf(Int), "-1", -1, ""},
		{"int written 2.0", anyOf(Int), "2.0", 2, ""},
		{"int fraction", anyOf(Int), "2.5", nil, "want a whole number, got 2.5"},
		{"int word", anyOf(Int), "five", nil, `want a whole number such as 5, got "five"`},
		{"int NaN", anyOf(Int), "NaN", nil, "want a whole number, got NaN"},
		{"int overflow", anyOf(Int), "99999999999999999999", nil, "want a whole number, got 99999999999999999999"},
		{"number", anyOf(Number), "0.10", 0.10, ""},
		{"number NaN", anyOf(Number), "NaN", nil, "want a finite number, got NaN"},
		{"number YAML nan", anyOf(Number), ".nan", nil, "want a finite number, got .nan"},
		{"number Inf", anyOf(Number), "-Inf", nil, "want a finite number, got -Inf"},
		{"number overflow", anyOf(Number), "1e999", nil, "want a finite number, got 1e999"},
		{"number word", anyOf(Number), "ten", nil, `want a number such as 0.5, got "ten"`},
		{"number exponent", anyOf(Number), "1e-3", 0.001, ""},
		{"number leading point", anyOf(Number), ".5", 0.5, ""},
		{"number signed", anyOf(Number), "+0.25", 0.25, ""},
		{"number hexadecimal", anyOf(Number), "0x1p-2", nil, `want a decimal number such as 0.5, got "0x1p-2"`},
		{"number underscore", anyOf(Number), "1_0", nil, `want a decimal number such as 0.5, got "1_0"`},
		{"int exponent", anyOf(Int), "1e3", 1000, ""},
		{"int hexadecimal float", anyOf(Int), "0x1p4", nil, `want a whole number such as 5, got "0x1p4"`},
		{"int underscore", anyOf(Int), "1_0", nil, `want a whole number such as 5, got "1_0"`},
		{"bool true", anyOf(Bool), "true", true, ""},
		{"bool false", anyOf(Bool), "false", false, ""},
		{"bool yes", anyOf(Bool), "yes", nil, `want true or false, got "yes"`},
		{"bool no", anyOf(Bool), "no", nil, `want true or false, got "no"`},
		{"bool 1", anyOf(Bool), "1", nil, `want true or false, got "1"`},
		{"bool True", anyOf(Bool), "True", nil, `want true or false, got "True"`},
		{"duration", anyOf(Duration), "1m30s", 90 * time.Second, ""},
		{"duration bare number", anyOf(Duration), "10", nil, `want a duration such as 10s or 5m, got "10"`},
		{"duration zero", anyOf(Duration), "0s", nil, "want a duration more than 0 such as 10s, got 0s"},
		{"duration negative", anyOf(Duration), "-5s", nil, "want a duration more than 0"},
		{"seconds", anyOf(Seconds), "0.5", 500 * time.Millisecond, ""},
		{"seconds zero", anyOf(Seconds), "0", nil, "want a duration more than 0"},
		{"seconds NaN", anyOf(Seconds), "NaN", nil, "want a duration such as 30s or a number of seconds, got NaN"},
		{"seconds huge", anyOf(Seconds), "1e300", nil, "want a duration, got 1e300 seconds (out of range)"},
		{"seconds huge negative", anyOf(Seconds), "-1e300", nil, "want a duration, got -1e300 seconds (out of range)"},
		{"seconds below 1ns", anyOf(Seconds), "1e-12", nil, "want a duration of at least 1ns"},
		{"days", anyOf(Days), "90d", 90, ""},
		{"days one", anyOf(Days), "1d", 1, ""},
		{"days as hours", anyOf(Days), "2160h", 90, ""},
		{"days zero", anyOf(Days), "0d", nil, "want a number of days such as 90d, 1d or more, got 0d"},
		{"days bare number", anyOf(Days), "90", nil, `want a number of days such as 90d, got "90"`},
		{"days fraction", anyOf(Days), "90.5d", nil, `want a number of days such as 90d, got "90.5d"`},
		{"days space", anyOf(Days), "90 d", nil, `want a number of days such as 90d, got "90 d"`},
		{"days signed", anyOf(Days), "+90d", nil, `want a number of days such as 90d, got "+90d"`},
		{"days negative", anyOf(Days), "-90d", nil, `want a number of days such as 90d, got "-90d"`},
		{"days upper case", anyOf(Days), "90D", nil, `want a number of days such as 90d, got "90D"`},
		{"days alone", anyOf(Days), "d", nil, `want a number of days such as 90d, got "d"`},
		{"days part of a day", anyOf(Days), "36h", nil, "want a number of days such as 90d, 1d or more, got 36h (not a whole number of days)"},
		{"days negative hours", anyOf(Days), "-24h", nil, "want a number of days such as 90d, 1d or more, got -24h"},
		{"days huge", anyOf(Days), "99999999999999999999d", nil, "want a number of days such as 90d, got 99999999999999999999d (out of range)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.parse(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("%q: error = %v, want %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("%q: got %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func anyOf[T any](f func(string) (T, error)) func(string) (any, error) {
	return func(s string) (any, error) {
		v, err := f(s)
		return v, err
	}
}

func TestChecks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		err     error
		wantErr string
	}{
		{"abs 0", AbsThreshold(0), ""},
		{"abs negative", AbsThreshold(-1), "want a number of files, 0 or more, got -1"},
		{"rel 0", RelThreshold(0), ""},
		{"rel 1", RelThreshold(1), ""},
		{"rel percentage", RelThreshold(10), "want a fraction between 0 and 1, got 10: write 0.10 for 10 %"},
		{"rel negative", RelThreshold(-0.1), "want a fraction between 0 and 1 such as 0.10, got -0.1"},
		{"jobs 1", Jobs(1), ""},
		{"jobs 0", Jobs(0), "want 1 or more, got 0"},
		{"count 0", Count(0), ""},
		{"count negative", Count(-1), "want 0 or more, got -1"},
		{"position 0", Position(0), "want 1 or more, got 0"},
		{"percent 100", Percent(100), ""},
		{"percent over", Percent(100.5), "want a percentage between 0 and 100, got 100.5"},
		// A fraction written for a percentage would pass every report.
		{"percent fraction", Percent(0.8), "want a percentage between 0 and 100, got 0.8: write 80 for 80 % (a figure between 0 and 1 is refused as a fraction)"},
		{"percent small fraction", Percent(0.07), "want a percentage between 0 and 100, got 0.07: write 7 for 7 % (a figure between 0 and 1 is refused as a fraction)"},
		{"percent 0", Percent(0), ""},
		{"percent 1", Percent(1), ""},
		{"points negative", Points(-1), "want percentage points between 0 and 100, got -1"},
		{"status 599", HTTPStatus(599), ""},
		{"status 20", HTTPStatus(20), "want an HTTP status between 100 and 599, got 20"},
		{"positive", Positive(time.Nanosecond), ""},
		{"positive zero", Positive(0), "want a duration more than 0 such as 10s, got 0s"},
		{"cache file", CacheFile("parse_baseline.cache"), ""},
		{"cache stdout", CacheFile("-"), `want a file name such as parse_baseline.cache, got "-"`},
		{"cache folder", CacheFile("out/"), `want a file, not a folder: "out/"`},
		{"cache folder dot", CacheFile("out/."), `want a file, not a folder: "out/."`},
		{"cache folder up", CacheFile("out/.."), `want a file, not a folder: "out/.."`},
		{"cache key", CacheKey("python 3.12.1 plugins=a,b"), ""},
		{"cache key newline", CacheKey("a\nb"), `want printable text, got "a\nb"`},
		{"cache key long", CacheKey(strings.Repeat("k", 1025)), "want at most 1024 bytes, got 1025"},
	}
	for _, tt := range tests {
		if tt.wantErr == "" && tt.err != nil || tt.wantErr != "" && (tt.err == nil || tt.err.Error() != tt.wantErr) {
			t.Errorf("%s: error = %v, want %q", tt.name, tt.err, tt.wantErr)
		}
	}
}
