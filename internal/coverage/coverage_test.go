package coverage

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file, format string
		want         float64
	}{
		{"go.out", "go", 76.99}, // go tool cover -func: 77.0%
		{"go_coverpkg.out", "go", 50},
		{"lcov.info", "lcov", 66.67},
		{"cobertura.xml", "cobertura", 82.5},
		{"cobertura_lines.xml", "cobertura", 66.67}, // 4 of 6: line 4 of Calc.java once, hit by the inner class
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", "coverage", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			for _, format := range []string{FormatAuto, tt.format} {
				r, err := Parse(data, format)
				if err != nil {
					t.Fatal(err)
				}
				if r.Format != tt.format || r.Percent() != tt.want {
					t.Errorf("%s: format %s percent %v, want %s %v", format, r.Format, r.Percent(), tt.format, tt.want)
				}
			}
		})
	}
}

// reconciled are reports whose summaries contradict their lines, or that
// list one thing several times, with the figure the producing tool reports.
var reconciled = []struct {
	name, in       string
	covered, total int64
}{
	// coverage.py 6.5: DA:0 for an empty module (LF:0 LH:1), a DA line for the
	// docstring (LH > LF); LF counts the statements, the 0-hit DA lines the misses.
	{"coverage.py 6.5 lcov", "TN:\nSF:p/__init__.py\nDA:0,1,1B2M2Y8AsgTpgAmY7PhCfg\nLF:0\nLH:1\nend_of_record\n" +
		"TN:\nSF:p/a.py\nDA:1,1,x\nDA:4,1,y\nDA:6,0,z\nLF:2\nLH:3\nend_of_record\n", 1, 2},
	// lcov merges the records of one file by line (lcov --summary: 2 of 3).
	{"lcov repeated SF", "SF:/x/a.c\nDA:1,1\nDA:2,0\nLF:2\nLH:1\nend_of_record\nSF:/x/a.c\nDA:2,3\nDA:3,0\nLF:2\nLH:1\nend_of_record\n", 2, 3},
	// and takes the DA lines over the summaries (lcov --summary: 1 of 2).
	{"lcov DA over LF/LH", "SF:/x/a.c\nDA:1,1\nDA:2,0\nLF:9\nLH:7\nend_of_record\n", 1, 2},
	{"lcov DA twice in a record", "SF:a\nDA:1,0\nDA:1,2\nDA:2,0\nend_of_record\n", 1, 2},
	{"lcov float hits", "SF:a\nDA:1,2.0\nDA:2,0.0\nLF:2\nLH:1\nend_of_record\n", 1, 2},
	{"lcov empty file", "SF:empty.js\nLF:0\nLH:0\nend_of_record\nSF:a.js\nDA:3,1\nend_of_record\n", 1, 1},
	{"coverage.py 6.5 twice", "SF:a.py\nDA:1,1\nDA:2,0\nDA:3,1\nLF:2\nend_of_record\nSF:a.py\nDA:1,1\nDA:2,1\nDA:3,0\nLF:2\nend_of_record\n", 2, 2},
	// go tool cover: a block listed by several test binaries (-coverpkg) is one block.
	{"go coverpkg overlap", "mode: set\na.go:1.1,2.2 3 0\nb.go:1.1,2.2 1 0\na.go:1.1,2.2 3 1\n", 3, 4},
	{"go concatenated profiles", "mode: count\na.go:1.1,2.2 3 0\nmode: count\na.go:1.1,2.2 3 5\nc d.go:1.1,2.2 2 0\n", 3, 5},
	{"cobertura counts", `<coverage lines-valid="21" lines-covered="13" line-rate="0.619"/>`, 13, 21},
	{"cobertura istanbul rate", `<coverage lines-valid="15" lines-covered="10" line-rate="0.6666"/>`, 10, 15},
	{"jacoco", `<?xml version="1.0"?><!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">` +
		`<report name="r"><package name="p"><counter type="LINE" missed="100" covered="1"/></package>` +
		`<counter type="INSTRUCTION" missed="1" covered="1"/><counter type="LINE" missed="9" covered="4"/></report>`, 4, 13},
	{"coverage.py json", `{"meta": {"version": "6.5.0"}, "totals": {"covered_lines": 13, "num_statements": 21, "missing_lines": 8}}`, 13, 21},
}

func TestParseReconciles(t *testing.T) {
	t.Parallel()
	for _, tt := range reconciled {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Parse([]byte(tt.in), FormatAuto)
			if err != nil {
				t.Fatal(err)
			}
			if r.Covered != tt.covered || r.Total != tt.total {
				t.Errorf("%d of %d, want %d of %d", r.Covered, r.Total, tt.covered, tt.total)
			}
		})
	}
}

// refused are reports no figure can be computed from; want is what the
// error must say (the field and the value).
var refused = []struct{ name, in, want string }{
	{"unknown", "hello", "unrecognised coverage format"},
	{"lcov LH > LF, no DA", "SF:a\nLF:3\nLH:5\nend_of_record\n", "SF a: LH 5 > LF 3 (line 3)"},
	{"lcov LH without LF", "SF:a\nLH:5\nend_of_record\n", "LH 5 (line 2) without LF"},
	{"lcov LF without DA", "SF:a\nLF:3\nLH:1\nend_of_record\n", "LF 3 (line 2) but no DA lines"},
	{"lcov negative LF", "SF:a\nDA:1,1\nLF:-1\nend_of_record\n", `line 3: LF (SF a): "-1": want a non-negative integer`},
	{"lcov negative LH", "SF:a\nDA:1,1\nLH:-2\nend_of_record\n", `LH (SF a): "-2"`},
	{"lcov bad LF", "SF:x\nLF:many\nend_of_record\n", `LF (SF x): "many"`},
	{"lcov negative hits", "SF:a\nDA:1,-1\nend_of_record\n", `hit count "-1" of line 1`},
	{"lcov NaN hits", "SF:a\nDA:1,NaN\nend_of_record\n", `hit count "NaN"`},
	{"lcov Inf hits", "SF:a\nDA:1,+Inf\nend_of_record\n", `hit count "+Inf"`},
	{"lcov negative line", "SF:a\nDA:-1,1\nend_of_record\n", `line number "-1"`},
	{"lcov DA one field", "SF:a\nDA:1\nend_of_record\n", `DA (SF a): "1": want LINE,HITS`},
	{"lcov truncated", "SF:a\nDA:1,1\n", "the record of a (line 1) has no end_of_record"},
	{"lcov SF in a record", "SF:a\nDA:1,1\nSF:b\nDA:1,1\nend_of_record\n", "SF while the record of a"},
	{"lcov DA outside", "DA:1,1\nSF:a\nDA:1,1\nend_of_record\n", "line 1: DA outside a record"},
	{"lcov end without SF", "TN:\nend_of_record\n", "end_of_record without SF"},
	{"lcov not a line", "SF:a\nDA:1,1\nthis is prose\nend_of_record\n", "not an LCOV line"},
	{"lcov 0 lines", "SF:a\nLF:0\nLH:0\nend_of_record\n", "covers nothing (0 lines)"},
	{"lcov misses above LF", "SF:a\nDA:1,0\nDA:2,0\nDA:3,1\nLF:1\nend_of_record\n", "2 missed DA lines but LF 1"},
	{"lcov LF differs between runs", "SF:a\nDA:1,1\nDA:2,0\nLF:1\nend_of_record\nSF:a\nDA:1,1\nDA:2,0\nLF:2\nend_of_record\n", "differs from LF"},
	{"go empty", "mode: set\n", "covers nothing (0 lines)"},
	{"go bad line", "mode: set\nnot a line\n", `line 2: statement count "a"`},
	{"go bad range", "mode: set\na.go:1.1-2.2 1 1\n", `line 2: "a.go:1.1-2.2 1 1": want FILE:LINE.COL,LINE.COL`},
	{"go no mode", "a.go:1.1,2.2 1 1\n", "unrecognised coverage format"},
	{"go bad mode", "mode: sometimes\na.go:1.1,2.2 1 1\n", `mode "sometimes"`},
	{"go two modes", "mode: set\na.go:1.1,2.2 1 1\nmode: count\n", `mode "count" after mode "set"`},
	{"go negative count", "mode: set\na.go:1.1,2.2 1 -1\n", `count "-1"`},
	{"go negative statements", "mode: set\na.go:1.1,2.2 -1 1\n", `statement count "-1"`},
	{"go NumStmt changes", "mode: set\na.go:1.1,2.2 1 1\na.go:1.1,2.2 2 1\n", "block a.go:1.1,2.2 has 2 statements, 1 on line 2"},
	{"go overflow", "mode: set\na.go:1.1,2.2 9223372036854775807 1\nb.go:1.1,2.2 9223372036854775807 1\n", "overflow"},
	{"cobertura covered > valid", `<coverage lines-valid="2" lines-covered="10" line-rate="5"/>`, "lines-covered 10 > lines-valid 2"},
	{"cobertura line-rate > 1", `<coverage lines-valid="10" lines-covered="10" line-rate="10"/>`, `line-rate "10": want a number between 0 and 1`},
	{"cobertura line-rate NaN", `<coverage lines-valid="10" lines-covered="5" line-rate="NaN"/>`, `line-rate "NaN"`},
	{"cobertura line-rate Inf", `<coverage lines-valid="10" lines-covered="5" line-rate="-Inf"/>`, `line-rate "-Inf"`},
	{"cobertura line-rate disagrees", `<coverage lines-valid="10" lines-covered="5" line-rate="0.9"/>`, "line-rate 0.9 disagrees with 5 of 10"},
	{"cobertura negative", `<coverage lines-valid="-3" lines-covered="1"/>`, `lines-valid "-3"`},
	{"cobertura half counts", `<coverage lines-valid="3" line-rate="1"/>`, "lines-valid without lines-covered"},
	{"cobertura 0 lines", `<coverage lines-valid="0" lines-covered="0" line-rate="1"/>`, "covers nothing (0 lines)"},
	{"cobertura rate only", `<coverage line-rate="0.6667"><packages/></coverage>`, "a line-rate alone"},
	{"cobertura bad rate", `<coverage line-rate="x"><packages><package><classes><class filename="a"><lines><line number="1" hits="1"/></lines></class></classes></package></packages></coverage>`, `line-rate "x"`},
	{"cobertura negative hits", `<coverage><packages><package><classes><class name="C" filename="a"><lines><line number="1" hits="-1"/></lines></class></classes></package></packages></coverage>`, `class C: line 1: hits "-1"`},
	{"jacoco no LINE counter", `<report name="r"><counter type="INSTRUCTION" missed="1" covered="1"/></report>`, "no report-level"},
	{"jacoco negative", `<report name="r"><counter type="LINE" missed="-1" covered="4"/></report>`, `LINE counter missed "-1"`},
	{"jacoco 0 lines", `<report name="r"><counter type="LINE" missed="0" covered="0"/></report>`, "covers nothing (0 lines)"},
	{"coverage.py json covered > statements", `{"meta": {}, "totals": {"covered_lines": 30, "num_statements": 21}}`, "covered_lines 30 > totals.num_statements 21"},
	{"coverage.py json negative", `{"meta": {}, "totals": {"covered_lines": -1, "num_statements": 21}}`, `covered_lines -1`},
	{"coverage.py json repeated key", `{"meta": {}, "totals": {"covered_lines": 3, "num_statements": 21, "covered_lines": 21}}`, `totals: repeated key "covered_lines"`},
	{"coverage.py json repeated totals", `{"meta": {}, "totals": {"covered_lines": 3, "num_statements": 21}, "totals": {"covered_lines": 21, "num_statements": 21}}`, `repeated key "totals"`},
	{"coverage.py json missing disagrees", `{"meta": {}, "totals": {"covered_lines": 3, "num_statements": 21, "missing_lines": 1}}`, "!= num_statements"},
}

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := Parse([]byte(tt.in), FormatAuto)
			if err == nil {
				t.Fatalf("accepted as %s: %d of %d", r.Format, r.Covered, r.Total)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to say %q", err, tt.want)
			}
		})
	}
}

func TestBaselinePercent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want float64
		err  string
	}{
		{in: "81.5\n", want: 81.5},
		{in: "81.5%", want: 81.5},
		{in: `{"percent": 70}`, want: 70},
		{in: `{"coverage": 0}`, want: 0},
		{in: "mode: set\na.go:1.1,2.2 1 1\na.go:3.1,4.2 1 0\n", want: 50},
		{in: `{"meta": {}, "totals": {"covered_lines": 1, "num_statements": 4}}`, want: 25},
		{in: "NaN", err: "NaN is not a percentage"},
		{in: "+Inf", err: "+Inf is not a percentage"},
		{in: "-1", err: "-1 is not a percentage"},
		{in: "100.5%", err: "100.5 is not a percentage"},
		{in: `{"percent": 1000}`, err: "1000 is not a percentage"},
		{in: `{"percent": "79"}`, err: `no numeric "percent"`},
		// The last of two values would win in encoding/json: another
		// reader may see the first.
		{in: `{"percent": 79, "percent": 10}`, err: `repeated key "percent"`},
		{in: `{"coverage": {"a": 1, "a": 2}, "percent": 5}`, err: `coverage: repeated key "a"`},
		{in: "n/a", err: "want a percentage"},
		{in: "SF:a\nLF:3\nLH:5\nend_of_record\n", err: "LH 5 > LF 3"},
		// A fraction written for a percentage would let every run pass;
		// a report's figure below 1 % is a figure.
		{in: "0.78\n", err: "baseline: 0.78 is a fraction, not a percentage: write 78 for 78 %"},
		{in: `{"percent": 0.5}`, err: "0.5 is a fraction"},
		{in: "1", want: 1},
		{in: "\ufeff81.5\r\n", want: 81.5},
		{in: "\ufeff{\"percent\": 70}", want: 70},
		{in: "SF:a\nDA:1,1\n" + strings.Repeat("DA:2,0\n", 1) + "end_of_record\n", want: 50},
		{in: "mode: set\na.go:1.1,2.2 1 1\na.go:3.1,4.2 199 0\n", want: 0.5},
	}
	for _, tt := range tests {
		got, err := BaselinePercent([]byte(tt.in))
		switch {
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("%q: %v, %v; want %v", tt.in, got, err, tt.want)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%q: %v, %v; want an error saying %q", tt.in, got, err, tt.err)
		}
	}
}

// seeds are the fuzz targets' seed corpus: the fixtures, the real tools'
// outputs and every case above.
func seeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/coverage/*")
	real, _ := filepath.Glob(filepath.Join(realDir, "*", "out", "*"))
	for _, p := range append(files, real...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, c := range reconciled {
		f.Add([]byte(c.in))
	}
	for _, c := range refused {
		f.Add([]byte(c.in))
	}
}

// FuzzParse: an accepted report has a figure in [0, 100] from at least one
// line, and no record vanishes: one more record of a new file with one
// missed line (LCOV) or block (Go profile) adds exactly that line to the
// total and nothing to the covered lines.
func FuzzParse(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse(data, FormatAuto)
		if err != nil {
			return
		}
		p := r.Percent()
		if r.Total <= 0 || r.Covered < 0 || r.Covered > r.Total || math.IsNaN(p) || p < 0 || p > 100 {
			t.Fatalf("%s: %d of %d = %v %% from %q", r.Format, r.Covered, r.Total, p, data)
		}
		var more []byte
		switch r.Format {
		case FormatLCOV:
			more = append(append([]byte{}, data...), "\nSF:\x00fuzz-added\nDA:1,0\nend_of_record\n"...)
		case FormatGo:
			more = append(append([]byte{}, data...), "\n\x00fuzz-added.go:1.1,2.2 1 0\n"...)
		default:
			return
		}
		r2, err := Parse(more, r.Format)
		if err != nil {
			t.Fatalf("one more record refused: %v (from %q)", err, data)
		}
		if r2.Total != r.Total+1 || r2.Covered != r.Covered {
			t.Fatalf("one more missed line: %d of %d became %d of %d (from %q)", r.Covered, r.Total, r2.Covered, r2.Total, data)
		}
	})
}

// FuzzBaselinePercent: an accepted baseline is a finite percentage.
func FuzzBaselinePercent(f *testing.F) {
	seeds(f)
	for _, s := range []string{"NaN", "Inf", "-0", "1e309", "100", `{"percent": -1}`, `{"total": 100.0001}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := BaselinePercent(data)
		if err == nil && !(v >= 0 && v <= 100) {
			t.Fatalf("baseline %v from %q", v, data)
		}
	})
}

// TestByteOrderMark: a report that starts with a UTF-8 byte order mark (as
// some Windows tools write them), with CRLF line ends, reads as without.
func TestByteOrderMark(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{
		"mode: set\r\na.go:1.1,2.2 1 1\r\na.go:3.1,4.2 1 0\r\n",
		"TN:\r\nSF:a.js\r\nDA:1,1\r\nDA:2,0\r\nend_of_record\r\n",
		`<?xml version="1.0" ?>` + "\r\n" + `<coverage lines-valid="2" lines-covered="1" line-rate="0.5"></coverage>`,
		`<report name="x"><counter type="LINE" missed="1" covered="1"/></report>`,
		`{"meta": {}, "totals": {"covered_lines": 1, "num_statements": 2}}`,
	} {
		want, err := Parse([]byte(doc), FormatAuto)
		if err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		got, err := Parse([]byte("\ufeff"+doc), FormatAuto)
		if err != nil || got != want {
			t.Errorf("with a byte order mark: %+v, %v; want %+v", got, err, want)
		}
	}
}
