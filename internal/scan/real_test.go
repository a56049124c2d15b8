package scan

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/compare"
)

// realDir holds real tools' outputs with the tools' own figures
// (testdata/real/README.md).
const realDir = "../../testdata/real"

// linterFigures is a linter sample's figures.json: per file, what the
// tool itself counted.
type linterFigures struct {
	Tool  string `json:"tool"`
	Files map[string]struct {
		Errors     int  `json:"errors"`
		Warnings   int  `json:"warnings"`
		Fatal      bool `json:"fatal"`
		Suppressed int  `json:"suppressed"`
		Hits       int  `json:"hits"` // flawfinder
	} `json:"files"`
}

// TestRealSARIFVerdictsEqualTheTools: ingesting a real tool's SARIF, each
// file's verdict is the tool's own: it fails when the tool counts an
// unsuppressed finding (or could not parse it, then as PARSE_ERROR), it is
// a suppressed failure when its only findings are suppressed in the
// source, and it passes otherwise.
func TestRealSARIFVerdictsEqualTheTools(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sample, sarif string
		// listsAll: the log lists every analysed file in artifacts, so a
		// clean file is SUCCESS in the baseline; otherwise it is absent
		// (staticcheck, flawfinder and gosec name only files with results).
		listsAll bool
	}{
		{"eslint-sarif", "out/eslint.sarif", true},
		{"staticcheck-sarif", "out/staticcheck-show-ignored.sarif", false},
		{"flawfinder-sarif", "out/flawfinder.sarif", false},
		{"gosec-sarif", "out/gosec-track-suppressions.sarif", false},
		{"gosec-sarif", "out/gosec.sarif", false},
	}
	for _, tt := range tests {
		t.Run(tt.sample+"/"+filepath.Base(tt.sarif), func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(realDir, tt.sample)
			var fig linterFigures
			data, err := os.ReadFile(filepath.Join(dir, "figures.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &fig); err != nil || len(fig.Files) == 0 {
				t.Fatalf("figures.json: %v (%d files)", err, len(fig.Files))
			}
			// The tools ran in /src/<sample> (regenerate.sh), so absolute
			// paths in their logs are relative to that PATH.
			b, err := Build(context.Background(), Options{
				Paths: []string{"/src/" + tt.sample}, Statuses: filepath.Join(dir, tt.sarif), Now: clock,
				Env: []string{},
			})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]baseline.File{}
			for _, f := range b.Files {
				got[f.Path] = f
			}
			for _, p := range b.Passed {
				got[p] = baseline.File{Path: p, CodeName: baseline.Success}
			}
			for path, want := range fig.Files {
				f, seen := got[path]
				failing := want.Errors+want.Warnings+want.Hits > 0 || want.Fatal
				switch {
				case failing && (!seen || !f.Failing() || f.Suppressed):
					t.Errorf("%s: %s counts %d errors, %d warnings, %d hits, fatal %v; baseline has %+v (listed %v)", path, fig.Tool, want.Errors, want.Warnings, want.Hits, want.Fatal, f, seen)
				case failing && !slices.Contains(compare.DefaultCodes, f.CodeName):
					t.Errorf("%s: %s fails it, and its code %s is not gated by default", path, fig.Tool, f.CodeName)
				case want.Fatal && f.CodeName != baseline.ParseError:
					t.Errorf("%s: %s could not parse it; baseline has %s", path, fig.Tool, f.CodeName)
				case !failing && want.Suppressed > 0 && (!f.Failing() || !f.Suppressed):
					t.Errorf("%s: %s suppressed its only findings; baseline has %+v (listed %v)", path, fig.Tool, f, seen)
				case !failing && want.Suppressed == 0 && seen && f.Failing():
					t.Errorf("%s: %s finds nothing; baseline has %+v", path, fig.Tool, f)
				case !failing && want.Suppressed == 0 && tt.listsAll && !seen:
					t.Errorf("%s: listed by %s as analysed, absent from the baseline", path, fig.Tool)
				}
			}
			if tt.listsAll && b.Total != len(fig.Files) {
				t.Errorf("total %d, %s analysed %d files", b.Total, fig.Tool, len(fig.Files))
			}
			// A log that names only files with findings does not say which
			// files passed, so the baseline does not claim to know.
			if recorded := b.Passed != nil; recorded != tt.listsAll {
				t.Errorf("passed recorded %v, want %v", recorded, tt.listsAll)
			}
		})
	}
}
