package gate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// manyGates is a configuration of n manual gates, each needing the one
// before it: every gate exercises the duplicate check, the needs check and
// the cycle search.
func manyGates(n int) []byte {
	var b strings.Builder
	b.WriteString("version: 1\ngates:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {id: g%d, manual: true", i)
		if i > 0 {
			fmt.Fprintf(&b, ", needs: [g%d]", i-1)
		}
		b.WriteString("}\n")
	}
	return []byte(b.String())
}

// TestValidationScalesLinearly catches validation that is superlinear in the
// number of gates: id lookups that scanned the gate list made 16× the gates
// take over 100× the time. Wall time alone is a poor witness on a shared
// machine (caches and the collector already make 16× the data cost 20–40×),
// so each validation is measured against the YAML parse of the same text, a
// linear yardstick that suffers the same effects: validation costing a few
// parses at both sizes is linear; validation whose share grows with the
// number of gates is not. Each figure is the fastest of several runs.
func TestValidationScalesLinearly(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("timing test: not with -short or -race")
	}
	lim := limits{bytes: 1 << 30, gates: 1 << 30}
	// share returns validation time over parse time for n gates.
	share := func(n, runs int) float64 {
		data := manyGates(n)
		validate, parse := time.Duration(1<<63-1), time.Duration(1<<63-1)
		for range runs {
			runtime.GC() // no collection owed by the previous run
			start := time.Now()
			cfg, err := parseConfig(t.Context(), "g.yml", data, lim)
			if err != nil {
				t.Fatal(err)
			}
			validate = min(validate, time.Since(start))
			if len(cfg.Gates) != n {
				t.Fatalf("%d gates, want %d", len(cfg.Gates), n)
			}
			runtime.GC()
			start = time.Now()
			var doc yaml.Node
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			parse = min(parse, time.Since(start))
		}
		t.Logf("%d gates: validation %v, parse %v", n, validate, parse)
		return float64(validate) / float64(parse)
	}
	const n = 2000
	small, large := share(n, 5), share(16*n, 3)
	if growth := large / small; growth > 4 {
		t.Errorf("validation took %.1f parses for %d gates, %.1f for %d: superlinear in the number of gates", small, n, large, 16*n)
	}
}

func TestConfigLimits(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	atLimit := manyGates(MaxGates)
	if len(atLimit) > MaxConfigBytes {
		t.Fatalf("%d gates take %d bytes: the gate limit cannot be reached within the size limit", MaxGates, len(atLimit))
	}
	// Padded with a comment to exactly the size limit: still accepted.
	padded := append([]byte("#"+strings.Repeat("x", MaxConfigBytes-len(atLimit)-2)+"\n"), atLimit...)
	tests := []struct {
		name string
		data []byte
		want string // "" accepts
	}{
		{"gates at the limit, bytes at the limit", padded, ""},
		{"one gate over", manyGates(MaxGates + 1), "g.yml:2: 1001 gates declared, over the limit of 1000"},
		{"one byte over", append(padded, '\n'), "g.yml: configuration over the size limit of 1 MiB (1048576 bytes)"},
		{"200,000 gates", manyGates(200_000), "over the size limit of 1 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := write(strings.ReplaceAll(tt.name, " ", "_"), tt.data)
			start := time.Now()
			cfg, err := LoadConfig(t.Context(), p)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(cfg.Gates) != MaxGates {
					t.Fatalf("%d gates", len(cfg.Gates))
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted %d bytes, %d gates", len(tt.data), len(cfg.Gates))
			}
			got := strings.Replace(err.Error(), p, "g.yml", 1)
			if !strings.Contains(got, tt.want) || strings.Contains(got, "\n") {
				t.Fatalf("error = %q, want one line containing %q", got, tt.want)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("refusal took %v", d)
			}
		})
	}
}

// cancelAfter is a context that is cancelled once Err has been asked n
// times: it stands for a SIGTERM arriving in the middle of validation.
type cancelAfter struct {
	context.Context
	n, calls atomic.Int64
}

func (c *cancelAfter) Err() error {
	if c.calls.Add(1) > c.n.Load() {
		return context.Canceled
	}
	return nil
}

func TestValidationStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	data := manyGates(MaxGates)
	ctx := &cancelAfter{Context: t.Context()}
	ctx.n.Store(100)
	_, err := parseConfig(ctx, "g.yml", data, defaultLimits)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	// It stopped at the first check after the cancel, not at the end.
	if got := ctx.calls.Load(); got != 101 {
		t.Errorf("ctx.Err asked %d times, want 101 (stop at the first check after the cancel)", got)
	}

	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := parseConfig(cancelled, "g.yml", data, defaultLimits); !errors.Is(err, context.Canceled) {
		t.Fatalf("already cancelled: error = %v, want context.Canceled", err)
	}
}
