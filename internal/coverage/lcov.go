package coverage

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// lcovFile gathers every record of one source file: several SF records of one
// file (tracefiles of several test runs concatenated) are merged by line, as
// lcov and genhtml merge them.
type lcovFile struct {
	hit     map[int64]bool // DA line → hit in any record
	records []lcovRecord
}

// lcovRecord is one SF … end_of_record block.
type lcovRecord struct {
	sfLine int // line number of its SF, for messages
	lines  map[int64]bool
	lf, lh int64
	hasLF  bool
	hasLH  bool
	lhLine int
	lfLine int
}

// parseLCOV reads an LCOV tracefile (geninfo(1) "TRACEFILE FORMAT").
//
// The DA lines are the truth and LF/LH only summaries, as in lcov itself
// (`lcov --summary` recomputes both from DA). One exception reconciles the
// LCOV writer of coverage.py 6.x (seen in 6.5.0; LH was corrected in 7.x,
// https://github.com/nedbat/coveragepy/pull/1583), which lists every
// executed line as a DA line, docstrings and the pseudo-line 0 of an empty
// module included, while LF counts its statements: a record with more DA
// lines than LF counts LF lines, of which its DA lines with 0 hits are the
// missed ones. That gives the figure of `coverage report` (lcov itself would
// count the extra lines).
func parseLCOV(data []byte) (Report, error) {
	files := map[string]*lcovFile{}
	var order []string
	var cur *lcovRecord
	var curFile string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if line == "end_of_record" {
			if cur == nil {
				return Report{}, fmt.Errorf("lcov line %d: end_of_record without SF", n)
			}
			f := files[curFile]
			if f == nil {
				f = &lcovFile{hit: map[int64]bool{}}
				files[curFile] = f
				order = append(order, curFile)
			}
			for l, h := range cur.lines {
				f.hit[l] = f.hit[l] || h
			}
			f.records = append(f.records, *cur)
			cur = nil
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok || !isLCOVKey(key) {
			return Report{}, fmt.Errorf("lcov line %d: %q is not an LCOV line (want KEY:VALUE or end_of_record)", n, truncate(line))
		}
		switch key {
		case "TN", "VER":
			continue
		case "SF":
			if cur != nil {
				return Report{}, fmt.Errorf("lcov line %d: SF while the record of %s (line %d) has no end_of_record", n, curFile, cur.sfLine)
			}
			if val == "" {
				return Report{}, fmt.Errorf("lcov line %d: SF names no file", n)
			}
			curFile = val
			cur = &lcovRecord{sfLine: n, lines: map[int64]bool{}}
			continue
		}
		if cur == nil {
			return Report{}, fmt.Errorf("lcov line %d: %s outside a record (no SF before it)", n, key)
		}
		var err error
		switch key {
		case "DA":
			err = cur.addDA(val)
		case "LF":
			cur.lf, err = lcovCount(val)
			cur.hasLF, cur.lfLine = true, n
		case "LH":
			cur.lh, err = lcovCount(val)
			cur.hasLH, cur.lhLine = true, n
		}
		if err != nil {
			return Report{}, fmt.Errorf("lcov line %d: %s (SF %s): %w", n, key, curFile, err)
		}
	}
	if err := sc.Err(); err != nil {
		return Report{}, fmt.Errorf("lcov line %d: %w", n+1, err)
	}
	if cur != nil {
		return Report{}, fmt.Errorf("lcov: the record of %s (line %d) has no end_of_record: truncated?", curFile, cur.sfLine)
	}
	var r Report
	for _, name := range order {
		covered, total, err := files[name].total()
		if err != nil {
			return Report{}, fmt.Errorf("lcov: SF %s: %w", name, err)
		}
		if r.Covered, err = add(r.Covered, covered); err == nil {
			r.Total, err = add(r.Total, total)
		}
		if err != nil {
			return Report{}, fmt.Errorf("lcov: SF %s: %w", name, err)
		}
	}
	return r, nil
}

func (rec *lcovRecord) addDA(val string) error {
	parts := strings.Split(val, ",")
	if len(parts) < 2 || len(parts) > 3 {
		return fmt.Errorf("%q: want LINE,HITS[,CHECKSUM]", val)
	}
	l, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil || l < 0 {
		return fmt.Errorf("line number %q: want a non-negative integer", parts[0])
	}
	// Hit counts are integers, but some writers print them as floats.
	hits, err := strconv.ParseFloat(parts[1], 64)
	if err != nil || math.IsNaN(hits) || math.IsInf(hits, 0) || hits < 0 {
		return fmt.Errorf("hit count %q of line %d: want a non-negative number", parts[1], l)
	}
	rec.lines[l] = rec.lines[l] || hits > 0
	return nil
}

// total merges the file's records: a line is covered when any record hit it.
func (f *lcovFile) total() (covered, total int64, err error) {
	var missed int64
	for _, h := range f.hit {
		if !h {
			missed++
		}
	}
	lfAbove := false // some record lists more DA lines than LF (coverage.py 6.x)
	for _, rec := range f.records {
		switch {
		case rec.hasLH && rec.hasLF && rec.lh > rec.lf && len(rec.lines) == 0:
			return 0, 0, fmt.Errorf("LH %d > LF %d (line %d) and no DA lines to explain it", rec.lh, rec.lf, rec.lhLine)
		case rec.hasLH && !rec.hasLF && rec.lh > 0 && len(rec.lines) == 0:
			return 0, 0, fmt.Errorf("LH %d (line %d) without LF or DA lines", rec.lh, rec.lhLine)
		case rec.hasLF && rec.lf > 0 && len(rec.lines) == 0:
			return 0, 0, fmt.Errorf("LF %d (line %d) but no DA lines: the lines cannot be counted", rec.lf, rec.lfLine)
		case rec.hasLF && int64(len(rec.lines)) > rec.lf:
			lfAbove = true
		}
	}
	if !lfAbove {
		n := int64(len(f.hit))
		return n - missed, n, nil
	}
	lf := int64(-1)
	for _, rec := range f.records {
		switch {
		case !rec.hasLF:
			return 0, 0, fmt.Errorf("record at line %d has no LF, another of the same file more DA lines than LF", rec.sfLine)
		case lf >= 0 && rec.lf != lf:
			return 0, 0, fmt.Errorf("LF %d (line %d) differs from LF %d of another record of the same file", rec.lf, rec.lfLine, lf)
		}
		lf = rec.lf
	}
	if missed > lf {
		return 0, 0, fmt.Errorf("%d missed DA lines but LF %d", missed, lf)
	}
	return lf - missed, lf, nil
}

func lcovCount(val string) (int64, error) {
	v, err := strconv.ParseInt(val, 10, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%q: want a non-negative integer", val)
	}
	return v, nil
}

func isLCOVKey(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range k {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

func truncate(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
