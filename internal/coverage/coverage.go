// Package coverage reads coverage reports — Go profiles (`go test
// -coverprofile`), lcov and Cobertura XML — into one total, and coverage
// baselines (a number, a small JSON object or a report). It does no I/O.
package coverage

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Formats of a report.
const (
	FormatAuto      = "auto"
	FormatGo        = "go"
	FormatLCOV      = "lcov"
	FormatCobertura = "cobertura"
)

// Report is a line/statement coverage total.
type Report struct {
	Format  string
	Covered int64
	Total   int64
}

// Percent is the coverage in percent, rounded to two decimals.
func (r Report) Percent() float64 {
	if r.Total == 0 {
		return 0
	}
	return math.Round(float64(r.Covered)/float64(r.Total)*10000) / 100
}

// DetectFormat guesses a report's format from its content.
func DetectFormat(data []byte) string {
	head := bytes.TrimSpace(data)
	switch {
	case bytes.HasPrefix(head, []byte("mode:")):
		return FormatGo
	case bytes.Contains(head[:min(len(head), 4096)], []byte("<coverage")):
		return FormatCobertura
	case bytes.Contains(head, []byte("end_of_record")) || bytes.HasPrefix(head, []byte("TN:")) || bytes.HasPrefix(head, []byte("SF:")):
		return FormatLCOV
	}
	return ""
}

// Parse parses a coverage report; format may be auto (or empty).
func Parse(data []byte, format string) (Report, error) {
	if format == "" || format == FormatAuto {
		format = DetectFormat(data)
		if format == "" {
			return Report{}, errors.New("unrecognised coverage format (want a Go profile, lcov or Cobertura XML)")
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
	default:
		return r, fmt.Errorf("unknown coverage format %q", format)
	}
	r.Format = format
	if err == nil && r.Total == 0 {
		err = errors.New("the report covers nothing (0 lines)")
	}
	return r, err
}

// parseGoCover reads `go test -coverprofile`: statements weighted, blocks
// repeated across packages (-coverpkg) merged by taking the highest count.
func parseGoCover(data []byte) (Report, error) {
	type block struct{ stmts, count int64 }
	blocks := map[string]block{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "mode:") {
			continue
		}
		// file.go:12.34,15.2 3 1 — the file name may contain spaces.
		sp := strings.LastIndexByte(line, ' ')
		sp2 := strings.LastIndexByte(line[:max(sp, 0)], ' ')
		if sp < 0 || sp2 < 0 {
			return Report{}, fmt.Errorf("go profile line %d: want FILE:RANGE STMTS COUNT", n)
		}
		stmts, err1 := strconv.ParseInt(line[sp2+1:sp], 10, 64)
		count, err2 := strconv.ParseInt(line[sp+1:], 10, 64)
		if err1 != nil || err2 != nil || !strings.Contains(line[:sp2], ":") {
			return Report{}, fmt.Errorf("go profile line %d: want FILE:RANGE STMTS COUNT", n)
		}
		key := line[:sp2]
		b := blocks[key]
		b.stmts = stmts
		b.count = max(b.count, count)
		blocks[key] = b
	}
	var r Report
	for _, b := range blocks {
		r.Total += b.stmts
		if b.count > 0 {
			r.Covered += b.stmts
		}
	}
	return r, sc.Err()
}

// parseLCOV sums LF/LH per record, counting DA lines when a record lacks
// them.
func parseLCOV(data []byte) (Report, error) {
	var r Report
	var lf, lh, da, daHit int64
	var hasLF bool
	flush := func() {
		if hasLF {
			r.Total += lf
			r.Covered += lh
		} else {
			r.Total += da
			r.Covered += daHit
		}
		lf, lh, da, daHit, hasLF = 0, 0, 0, 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		key, val, _ := strings.Cut(line, ":")
		var err error
		switch key {
		case "LF":
			hasLF = true
			lf, err = strconv.ParseInt(val, 10, 64)
		case "LH":
			lh, err = strconv.ParseInt(val, 10, 64)
		case "DA":
			parts := strings.Split(val, ",")
			if len(parts) < 2 {
				return r, fmt.Errorf("lcov line %d: DA wants LINE,HITS", n)
			}
			da++
			if hits, perr := strconv.ParseFloat(parts[1], 64); perr != nil {
				err = perr
			} else if hits > 0 {
				daHit++
			}
		case "end_of_record":
			flush()
		}
		if err != nil {
			return r, fmt.Errorf("lcov line %d: %s: %w", n, key, err)
		}
	}
	flush()
	return r, sc.Err()
}

// parseCobertura reads the root element's lines-covered/lines-valid, or
// its line-rate when the counts are absent.
func parseCobertura(data []byte) (Report, error) {
	var root struct {
		XMLName      xml.Name `xml:"coverage"`
		LineRate     string   `xml:"line-rate,attr"`
		LinesCovered string   `xml:"lines-covered,attr"`
		LinesValid   string   `xml:"lines-valid,attr"`
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	if err := dec.Decode(&root); err != nil {
		return Report{}, fmt.Errorf("cobertura: %w", err)
	}
	covered, err1 := strconv.ParseInt(root.LinesCovered, 10, 64)
	valid, err2 := strconv.ParseInt(root.LinesValid, 10, 64)
	if err1 == nil && err2 == nil && valid > 0 {
		return Report{Covered: covered, Total: valid}, nil
	}
	rate, err := strconv.ParseFloat(root.LineRate, 64)
	if err != nil || rate < 0 || rate > 1 {
		return Report{}, fmt.Errorf("cobertura: no lines-covered/lines-valid and no usable line-rate (%q)", root.LineRate)
	}
	return Report{Covered: int64(math.Round(rate * 10000)), Total: 10000}, nil
}

// BaselinePercent reads a coverage baseline: a number ("81.5", "81.5%"),
// JSON ({"percent": 81.5} or {"coverage": 81.5} or a bare number), or a
// coverage report in any supported format.
func BaselinePercent(data []byte) (float64, error) {
	s := strings.TrimSpace(string(data))
	if v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64); err == nil {
		return v, nil
	}
	var obj map[string]any
	if json.Unmarshal(data, &obj) == nil {
		for _, k := range []string{"percent", "coverage", "total"} {
			if v, ok := obj[k].(float64); ok {
				return v, nil
			}
		}
		return 0, errors.New(`baseline JSON has no numeric "percent" or "coverage"`)
	}
	r, err := Parse(data, FormatAuto)
	if err != nil {
		return 0, fmt.Errorf("baseline: %w", err)
	}
	return r.Percent(), nil
}
