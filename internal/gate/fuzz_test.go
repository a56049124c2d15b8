package gate

import (
	"os"
	"testing"
)

// FuzzParseConfig: any input yields a config or an error, never a panic.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("version: 1\ngates:\n  - id: a\n    run: \"true\"\n"))
	f.Add([]byte("version: 1\ngates:\n  - {id: a, sse: {url: 'http://x', expect: {within: {a: 0}}}}\n"))
	f.Add([]byte("version: 1\ngates:\n  - {id: a, audit: {file: f, sequence: [[], a]}}\n"))
	f.Add([]byte("version: 1\ngates: &x [*x]\n"))
	f.Add([]byte("version: 1\ngates:\n  - {id: a, tests: {reports: [\"r/**/*.xml\"], reference: {file: f}, max_test_drop: 1}}\n"))
	f.Add([]byte("version: 1\ngates:\n  - {id: a, run: x, ok_exit: [0, 2]}\n"))
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
