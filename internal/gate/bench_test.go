package gate

import (
	"os"
	"testing"
)

// BenchmarkFiveTwoSecondGates shows independent gates run in parallel: five
// gates that each take 2 s finish in about 2 s, not 10 (see ns/op, or
// scripts/bench-gate.sh).
func BenchmarkFiveTwoSecondGates(b *testing.B) {
	var y = "version: 1\ngates:\n"
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		y += "  - id: " + id + "\n    run: sleep 2\n"
	}
	cfg, err := ParseConfig("bench.yml", []byte(y))
	if err != nil {
		b.Fatal(err)
	}
	opt := Options{Dir: b.TempDir(), Environ: []string{"PATH=" + os.Getenv("PATH")}}
	for b.Loop() {
		res, err := Run(b.Context(), cfg, opt)
		if err != nil || !res.Meta.AllPassed {
			b.Fatalf("run: %v %+v", err, res)
		}
	}
}
