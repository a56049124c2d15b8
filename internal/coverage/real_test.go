package coverage

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// realDir holds real tools' outputs, each sample with the tool's own figures
// (testdata/real/README.md).
const realDir = "../../testdata/real"

// toolFigure is a figure as a sample's figures.json records it.
type toolFigure struct {
	Covered *int64   `json:"covered"`
	Total   *int64   `json:"total"`
	Percent *float64 `json:"percent"` // absent where the tool prints none (JaCoCo lines)
}

type toolFigures struct {
	Total    toolFigure `json:"total"`
	Profiles map[string]struct {
		Total toolFigure `json:"total"`
	} `json:"profiles"`
	LCOV struct {
		Tracefiles map[string]struct {
			Lines toolFigure `json:"lines"`
		} `json:"tracefiles"`
	} `json:"lcov"`
}

// realReports are the coverage reports of testdata/real and the tool's
// figure each must give.
var realReports = []struct {
	sample, file, format string
	figure               func(toolFigures) toolFigure
	digits               int // decimals of the tool's percentage
}{
	// One coverage.py run in three formats: each must give `coverage report`'s 13/21 = 61.90 %,
	// though its LCOV has LH > LF, DA:0 for an empty module, and a DA line for each docstring.
	{"coveragepy-lcov", "coverage.lcov", FormatLCOV, total, 2},
	{"coveragepy-lcov", "coverage.xml", FormatCobertura, total, 2},
	{"coveragepy-lcov", "coverage.json", FormatCoveragePy, total, 2},
	{"c8-lcov", "lcov.info", FormatLCOV, total, 2},
	{"c8-lcov", "cobertura-coverage.xml", FormatCobertura, total, 2},
	{"gcovr-lcov", "gcovr-cobertura.xml", FormatCobertura, total, 1},
	// lcov --summary of each tracefile; concatenated.info repeats the SF record of one file (two runs).
	{"gcovr-lcov", "run1.info", FormatLCOV, tracefile("run1"), 1},
	{"gcovr-lcov", "run2.info", FormatLCOV, tracefile("run2"), 1},
	{"gcovr-lcov", "merged.info", FormatLCOV, tracefile("merged"), 1},
	{"gcovr-lcov", "concatenated.info", FormatLCOV, tracefile("concatenated"), 1},
	{"jacoco-xml", "jacoco.xml", FormatJaCoCo, total, 2},
	// go tool cover -func totals; coverpkg.out holds every block twice.
	{"go-coverprofile", "set.out", FormatGo, profile("set"), 1},
	{"go-coverprofile", "atomic.out", FormatGo, profile("atomic"), 1},
	{"go-coverprofile", "coverpkg.out", FormatGo, profile("coverpkg"), 1},
}

// TestRealReportsAgreeWithTheirTools reads every real coverage sample and
// asserts our figure is the producing tool's: the same covered and total
// counts where the tool prints them, and the same percentage at the
// precision the tool prints it.
func TestRealReportsAgreeWithTheirTools(t *testing.T) {
	t.Parallel()
	for _, tt := range realReports {
		t.Run(tt.sample+"/"+tt.file, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(realDir, tt.sample)
			var figs toolFigures
			readJSON(t, filepath.Join(dir, "figures.json"), &figs)
			want := tt.figure(figs)
			data, err := os.ReadFile(filepath.Join(dir, "out", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if f := DetectFormat(data); f != tt.format {
				t.Errorf("detected %q, want %q", f, tt.format)
			}
			r, err := Parse(data, FormatAuto)
			if err != nil {
				t.Fatal(err)
			}
			if want.Covered != nil && (r.Covered != *want.Covered || r.Total != *want.Total) {
				t.Errorf("%d of %d covered, the tool says %d of %d", r.Covered, r.Total, *want.Covered, *want.Total)
			}
			if want.Covered == nil && want.Percent == nil {
				t.Fatal("figures.json gives neither counts nor a percentage")
			}
			pct := 100 * float64(r.Covered) / float64(r.Total)
			if p := math.Pow10(tt.digits); want.Percent != nil && math.Round(pct*p) != math.Round(*want.Percent*p) {
				t.Errorf("%.4f %%, the tool says %v %%", pct, *want.Percent)
			}
		})
	}
}

// TestRealGcov2lcov: gcov2lcov's LCOV of the Go profiles has no report of
// its own; its LF/LH records are self-consistent, so the figure is their sum
// (lines, not statements: 10 of 20 for the -coverpkg profile).
func TestRealGcov2lcov(t *testing.T) {
	t.Parallel()
	for file, want := range map[string][2]int64{"set.lcov": {7, 20}, "coverpkg.lcov": {10, 20}} {
		data, err := os.ReadFile(filepath.Join(realDir, "go-coverprofile", "out", file))
		if err != nil {
			t.Fatal(err)
		}
		r, err := Parse(data, FormatAuto)
		if err != nil || r.Covered != want[0] || r.Total != want[1] {
			t.Errorf("%s: %d of %d (%v), want %d of %d", file, r.Covered, r.Total, err, want[0], want[1])
		}
	}
}

// TestEveryRealCoverageReportIsChecked: a coverage report added to a sample
// of testdata/real cannot go untested.
func TestEveryRealCoverageReportIsChecked(t *testing.T) {
	t.Parallel()
	checked := map[string]bool{"go-coverprofile/set.lcov": true, "go-coverprofile/coverpkg.lcov": true} // TestRealGcov2lcov
	for _, tt := range realReports {
		checked[tt.sample+"/"+tt.file] = true
	}
	figs, err := filepath.Glob(filepath.Join(realDir, "*", "figures.json"))
	if err != nil || len(figs) == 0 {
		t.Fatalf("no samples in %s (%v)", realDir, err)
	}
	n := 0
	for _, fig := range figs {
		var meta struct{ Metric string }
		readJSON(t, fig, &meta)
		if meta.Metric == "" { // not a coverage tool
			continue
		}
		dir := filepath.Dir(fig)
		outs, _ := filepath.Glob(filepath.Join(dir, "out", "*"))
		for _, out := range outs {
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(dir) + "/" + filepath.Base(out)
			if DetectFormat(data) != "" {
				n++
				if !checked[name] {
					t.Errorf("%s is a %s report no test compares with its tool's figure", name, DetectFormat(data))
				}
			}
		}
	}
	if n < len(checked) {
		t.Errorf("found %d coverage reports, the tests name %d", n, len(checked))
	}
}

func total(f toolFigures) toolFigure { return f.Total }

func tracefile(name string) func(toolFigures) toolFigure {
	return func(f toolFigures) toolFigure { return f.LCOV.Tracefiles[name].Lines }
}

func profile(name string) func(toolFigures) toolFigure {
	return func(f toolFigures) toolFigure { return f.Profiles[name].Total }
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
