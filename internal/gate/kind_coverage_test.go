package gate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseCoverageFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file, format string
		want         float64
	}{
		{"go.out", "go", 76.99}, // go tool cover -func: 77.0%
		{"go_coverpkg.out", "go", 50},
		{"lcov.info", "lcov", 66.67},
		{"cobertura.xml", "cobertura", 82.5},
		{"cobertura_rate.xml", "cobertura", 66.67},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", "coverage", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			for _, format := range []string{FormatAuto, tt.format} {
				r, err := ParseCoverage(data, format)
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

func TestParseCoverageErrors(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"unknown":   "hello",
		"go bad":    "mode: set\nnot a line\n",
		"go empty":  "mode: set\n",
		"lcov bad":  "SF:x\nLF:many\nend_of_record\n",
		"cobertura": "<coverage line-rate=\"x\"></coverage>",
	} {
		if _, err := ParseCoverage([]byte(in), FormatAuto); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestCoverageGate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, body := range map[string]string{"base80.txt": "80.0\n", "base70.json": `{"percent": 70}`, "base_bad.txt": "n/a"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	abs, _ := filepath.Abs("testdata/coverage/cobertura.xml") // 82.5%
	tests := []struct {
		name, spec, want string
	}{
		{"min ok", "{profile: " + abs + ", min: 80}", "pass"},
		{"below min", "{profile: " + abs + ", min: 90}", "coverage 82.50% is below the minimum 90.00%"},
		{"no drop", "{profile: " + abs + ", baseline: base80.txt}", "pass"},
		{"dropped", "{profile: " + abs + ", baseline: base70.json, min: 0}", "pass"},
		{"drop over max", "{profile: testdata_lcov, baseline: base80.txt, max_drop: 1}", "dropped 13.33 points below the baseline 80.00%"},
		{"missing profile", "{profile: nope.out, min: 1}", "coverage profile nope.out is missing"},
		{"missing baseline", "{profile: " + abs + ", baseline: nope.txt}", "coverage baseline nope.txt is missing"},
		{"bad baseline", "{profile: " + abs + ", baseline: base_bad.txt}", "coverage baseline base_bad.txt"},
	}
	lcov, _ := filepath.Abs("testdata/coverage/lcov.info")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			spec := strings.ReplaceAll(tt.spec, "testdata_lcov", lcov)
			res := runConfig(t, "version: 1\ngates:\n  - id: c\n    coverage: "+spec+"\n", Options{Dir: dir})
			g := res.Gate("c")
			if tt.want == "pass" {
				if !g.OK {
					t.Fatalf("want pass: %s", g.Summary)
				}
				return
			}
			if g.OK || !strings.Contains(g.Summary, tt.want) {
				t.Fatalf("summary %q, want %q", g.Summary, tt.want)
			}
		})
	}
}
