// Package coverage reads coverage reports — Go cover profiles, LCOV,
// Cobertura XML, JaCoCo XML and coverage.py JSON — into one line total, and
// coverage baselines (a number, a small JSON object or a report). It does no
// I/O.
//
// Every reader computes the figure the producing tool's own report shows
// (docs/gate.md, "coverage", says how for each format) and refuses, with the
// field named, a report it cannot compute a figure from: an impossible count
// (negative, covered above total, a NaN or infinite rate), a truncated record,
// a line it does not understand, or one that covers 0 lines.
package coverage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/org/gonogo-action/internal/jsonstrict"
)

// Formats of a report.
const (
	FormatAuto       = "auto"
	FormatGo         = "go"
	FormatLCOV       = "lcov"
	FormatCobertura  = "cobertura"
	FormatJaCoCo     = "jacoco"
	FormatCoveragePy = "coveragepy-json"
)

// Formats lists the values a gate's `format:` accepts.
var Formats = []string{FormatAuto, FormatGo, FormatLCOV, FormatCobertura, FormatJaCoCo, FormatCoveragePy}

// Report is a line/statement coverage total.
type Report struct {
	Format  string
	Covered int64
	Total   int64
}

// Percent is the coverage in percent, rounded to two decimals: the figure
// shown. Parse never returns a Report with Total 0.
func (r Report) Percent() float64 {
	return math.Round(r.Exact()*100) / 100
}

// Exact is the coverage in percent, unrounded: the figure to compare with a
// threshold, so that 79.9975 % (31,999 of 40,000 lines) is below a minimum
// of 80 % although it is shown as 80.00 %.
func (r Report) Exact() float64 {
	if r.Total <= 0 {
		return 0
	}
	return float64(r.Covered) * 100 / float64(r.Total)
}

// bom is the UTF-8 byte order mark some Windows tools start a file with;
// the readers skip it.
var bom = []byte("\ufeff")

// DetectFormat guesses a report's format from its content; "" when it
// recognises none.
func DetectFormat(data []byte) string {
	head := bytes.TrimSpace(bytes.TrimPrefix(data, bom))
	switch {
	case bytes.HasPrefix(head, []byte("mode:")):
		return FormatGo
	case bytes.HasPrefix(head, []byte("<")):
		switch xmlRoot(head) {
		case "coverage":
			return FormatCobertura
		case "report":
			return FormatJaCoCo
		}
	case bytes.HasPrefix(head, []byte("{")) && bytes.Contains(head, []byte(`"num_statements"`)) && bytes.Contains(head, []byte(`"totals"`)):
		return FormatCoveragePy
	case bytes.Contains(head, []byte("end_of_record")) || bytes.HasPrefix(head, []byte("TN:")) || bytes.HasPrefix(head, []byte("SF:")):
		return FormatLCOV
	}
	return ""
}

// add sums counts, refusing an overflow.
func add(a, b int64) (int64, error) {
	if b > math.MaxInt64-a {
		return 0, errors.New("the counts overflow")
	}
	return a + b, nil
}

// Parse parses a coverage report; format may be auto (or empty).
func Parse(data []byte, format string) (Report, error) {
	data = bytes.TrimPrefix(data, bom)
	if format == "" || format == FormatAuto {
		format = DetectFormat(data)
		if format == "" {
			return Report{}, errors.New("unrecognised coverage format (want a Go profile, LCOV, Cobertura XML, JaCoCo XML or coverage.py JSON)")
		}
	}
	var r Report
	var err error
	switch format {
	case FormatGo:
		r, err = parseGoCover(data)
	case FormatLCOV:
		r, err = parseLCOV(data)
	case FormatCobertura:
		r, err = parseCobertura(data)
	case FormatJaCoCo:
		r, err = parseJaCoCo(data)
	case FormatCoveragePy:
		r, err = parseCoveragePyJSON(data)
	default:
		return r, fmt.Errorf("unknown coverage format %q", format)
	}
	if err != nil {
		return Report{}, err
	}
	r.Format = format
	switch {
	case r.Total == 0:
		return Report{}, fmt.Errorf("%s: the report covers nothing (0 lines): no coverage figure can be computed", format)
	case r.Covered < 0 || r.Total < 0 || r.Covered > r.Total:
		// The readers check their fields; this guards the sum.
		return Report{}, fmt.Errorf("%s: impossible total: %d of %d lines covered", format, r.Covered, r.Total)
	}
	return r, nil
}

// BaselinePercent reads a coverage baseline: a number ("81.5", "81.5%"),
// JSON ({"percent": 81.5}, {"coverage": 81.5}, {"total": 81.5} or a bare
// number), or a coverage report in any supported format. A figure outside
// [0, 100], NaN or infinite is refused.
func BaselinePercent(data []byte) (float64, error) {
	v, written, err := baselinePercent(data)
	if err != nil {
		return 0, err
	}
	if err := CheckPercent(v); err != nil {
		return 0, fmt.Errorf("baseline: %w", err)
	}
	if written && v > 0 && v < 1 {
		// As in the configuration (setting.Percent): a fraction written
		// for a percentage, under which every run passes.
		return 0, fmt.Errorf("baseline: %v is a fraction, not a percentage: write %v for %v %% (a figure between 0 and 1 is refused)", v, math.Round(v*100*1e6)/1e6, math.Round(v*100*1e6)/1e6)
	}
	return v, nil
}

// CheckPercent refuses a figure that is not a percentage: NaN, ±Inf, below 0
// or above 100.
func CheckPercent(v float64) error {
	if !(v >= 0 && v <= 100) { // false for NaN too
		return fmt.Errorf("%v is not a percentage between 0 and 100", v)
	}
	return nil
}

// baselinePercent reads the figure; written is true when it is written as a
// number (bare or in JSON), false when computed from a report.
func baselinePercent(data []byte) (v float64, written bool, err error) {
	data = bytes.TrimPrefix(data, bom)
	s := strings.TrimSpace(string(data))
	if v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64); err == nil {
		return v, true, nil
	}
	if f := DetectFormat(data); f != "" {
		r, err := Parse(data, f)
		if err != nil {
			return 0, false, fmt.Errorf("baseline: %w", err)
		}
		return r.Exact(), false, nil
	}
	var obj map[string]any
	if err := json.Unmarshal(data, &obj); err != nil {
		return 0, false, errors.New(`baseline: want a percentage ("81.5"), JSON {"percent": 81.5} or a coverage report`)
	}
	if err := jsonstrict.UniqueKeys(data); err != nil {
		return 0, false, fmt.Errorf("baseline: %w", err)
	}
	for _, k := range []string{"percent", "coverage", "total"} {
		if v, ok := obj[k].(float64); ok {
			return v, true, nil
		}
	}
	return 0, false, errors.New(`baseline JSON has no numeric "percent" or "coverage"`)
}
