package gate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/setting"
)

// quietCheck requires an alerts JSONL file to hold at most max entries
// since the run started (since: run, the default) or within a duration
// (since: 24h). Entries whose time cannot be read count: an unreadable
// alert is still an alert.
//
// An existing empty file is evidence of quiet: the alert sink exists and
// holds nothing. An absent file is not: a mistyped path or an alerter that
// never started looks the same, so it is missing unless AllowEmpty says
// that the file is only created on the first alert.
type quietCheck struct {
	File       string `yaml:"file"`
	Max        int    `yaml:"max"`
	Since      string `yaml:"since"`
	TimeField  string `yaml:"time_field"`
	AllowEmpty bool   `yaml:"allow_empty"`
	window     time.Duration
}

func decodeQuiet(d *Decoder, value *yaml.Node, _ map[string]*yaml.Node) (Check, error) {
	c := &quietCheck{}
	if err := d.Decode(value, c); err != nil {
		return nil, err
	}
	if c.File == "" {
		return nil, d.Errorf(value, "quiet: file is required")
	}
	if err := setting.Count(c.Max); err != nil {
		return nil, d.settingError(value, "max", err)
	}
	c.Since = cmp.Or(c.Since, "run")
	if c.Since != "run" {
		w, err := setting.Duration(c.Since)
		if err != nil {
			if _, perr := time.ParseDuration(c.Since); perr != nil {
				err = fmt.Errorf("want run or a duration such as 24h, got %q", c.Since)
			}
			return nil, d.settingError(value, "since", err)
		}
		c.window = w
	}
	return c, nil
}

func (c *quietCheck) Run(_ context.Context, rc *RunContext) Outcome {
	cutoff := rc.Started
	if c.window > 0 {
		cutoff = rc.Now().Add(-c.window)
	}
	details := map[string]any{"file": c.File, "since": cutoff.UTC().Format(time.RFC3339), "max": c.Max}
	f, err := os.Open(rc.Path(c.File))
	if errors.Is(err, fs.ErrNotExist) {
		details["alerts"], details["file_present"] = 0, false
		if c.AllowEmpty {
			details["allow_empty"] = true
			return Passed(fmt.Sprintf("no alerts file %s (allow_empty)", c.File), details)
		}
		out := Missing("alerts file %s is missing: nothing shows the alerter ran (allow_empty: true if it is created on the first alert)", c.File)
		out.Details = mergeDetails(details, out.Details)
		return out
	}
	if err != nil {
		return Errored("open alerts: %v", err)
	}
	defer f.Close()
	recs, err := readJSONL(f, c.File)
	if err != nil {
		return Errored("%v", err)
	}
	count := 0
	var lines []int
	for _, r := range recs {
		t, ok := c.timeOf(r.Obj)
		if ok && t.Before(cutoff) {
			continue
		}
		count++
		if len(lines) < 20 {
			lines = append(lines, r.Line)
		}
	}
	details["alerts"], details["lines"] = count, lines
	summary := fmt.Sprintf("%d alert(s) since %s (max %d)", count, details["since"], c.Max)
	if count > c.Max {
		return Failed(summary, details)
	}
	return Passed(summary, details)
}

// timeOf reads the entry's time: Unix seconds or RFC 3339, in time_field or
// the usual names.
func (c *quietCheck) timeOf(obj map[string]any) (time.Time, bool) {
	fields := []string{"ts", "timestamp", "time"}
	if c.TimeField != "" {
		fields = []string{c.TimeField}
	}
	for _, f := range fields {
		switch v := obj[f].(type) {
		case float64:
			return unixTime(v)
		case string:
			if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
				return t, true
			}
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				return unixTime(n)
			}
		}
	}
	return time.Time{}, false
}

// maxUnix is the last second of year 9999: a time past it is no time.
const maxUnix = 253402300799

// unixTime reads Unix seconds. NaN, an infinity or a figure past year 9999
// (or before 1970) is no readable time, so the entry counts as an alert:
// converted, "NaN" and "Infinity" became a date before 1970 and hid it.
func unixTime(v float64) (time.Time, bool) {
	if !(v >= 0 && v <= maxUnix) { // false for NaN too
		return time.Time{}, false
	}
	sec := int64(v)
	return time.Unix(sec, int64((v-float64(sec))*1e9)), true
}
