package gate

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseConfig: any input yields a config or an error, never a panic.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("version: 1\ngates:\n  - id: a\n    run: \"true\"\n"))
	f.Add([]byte("version: 1\ngates:\n  - {id: a, sse: {url: 'http://x', expect: {within: {a: 0}}}}\n"))
	f.Add([]byte("version: 1\ngates:\n  - {id: a, audit: {file: f, sequence: [[], a]}}\n"))
	f.Add([]byte("version: 1\ngates: &x [*x]\n"))
	if data, err := os.ReadFile("../../examples/aetherra/gonogo.yml"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig("f.yml", data)
		if err == nil && len(cfg.Gates) == 0 {
			t.Fatal("a valid config without gates")
		}
	})
}

// FuzzParseCoverage: any report yields a percent in [0, 100] or an error.
func FuzzParseCoverage(f *testing.F) {
	files, _ := filepath.Glob("testdata/coverage/*")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseCoverage(data, FormatAuto)
		if err == nil && (r.Percent() < 0 || r.Percent() > 100) {
			t.Fatalf("percent %v from %q", r.Percent(), data)
		}
	})
}
