package gate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCoverageGate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// The coverage package reads the formats; these reports are just enough
	// for the gate's rules: 82.5 % (Cobertura) and 66.67 % (lcov).
	for name, body := range map[string]string{"base80.txt": "80.0\n", "base70.json": `{"percent": 70}`, "base_bad.txt": "n/a",
		"cobertura.xml": `<coverage lines-valid="120" lines-covered="99" line-rate="0.825"></coverage>`,
		"lcov.info":     "SF:a.js\nLF:3\nLH:2\nend_of_record\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	abs := filepath.Join(dir, "cobertura.xml") // an absolute profile path
	tests := []struct {
		name, spec, want string
	}{
		{"min ok", "{profile: " + abs + ", min: 80}", "pass"},
		{"below min", "{profile: " + abs + ", min: 90}", "coverage 82.50% is below the minimum 90.00%"},
		{"no drop", "{profile: " + abs + ", baseline: base80.txt}", "pass"},
		{"dropped", "{profile: " + abs + ", baseline: base70.json, min: 0}", "pass"},
		{"drop over max", "{profile: lcov.info, baseline: base80.txt, max_drop: 1}", "dropped 13.33 points below the baseline 80.00%"},
		{"missing profile", "{profile: nope.out, min: 1}", "coverage profile nope.out is missing"},
		{"missing baseline", "{profile: " + abs + ", baseline: nope.txt}", "coverage baseline nope.txt is missing"},
		{"bad baseline", "{profile: " + abs + ", baseline: base_bad.txt}", "coverage baseline base_bad.txt"},
		// The figure may be written in the configuration, as docs/gate.md shows.
		{"inline baseline", "{profile: " + abs + ", baseline: 82.6, max_drop: 0.1}", "pass"},
		{"inline baseline dropped", "{profile: " + abs + ", baseline: 83}", "dropped 0.50 points below the baseline 83.00%"},
		{"percent baseline", "{profile: " + abs + ", baseline: {percent: 85}, max_drop: 2}", "dropped 2.50 points below the baseline 85.00%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runConfig(t, "version: 1\ngates:\n  - id: c\n    coverage: "+tt.spec+"\n", Options{Dir: dir})
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
