// Package baselinetest makes synthetic baselines for tests, benchmarks and
// the shipped examples, deterministically, so every figure can be
// reproduced.
package baselinetest

import (
	"fmt"
	"maps"
	"slices"

	"github.com/org/gonogo-action/internal/baseline"
)

// Spec describes a synthetic run over Total files named
// workflows/wf_00000.aether…; failing files are assigned their codes
// consecutively from index Offset (wrapping), in code table order.
type Spec struct {
	Total     int
	Counts    map[string]int // failure code → files; SUCCESS is the rest
	Offset    int
	Timestamp string
}

// Synth builds the baseline a checker would have produced for s.
func Synth(s Spec) (*baseline.Baseline, error) {
	failed := 0
	for c, n := range s.Counts {
		if _, ok := baseline.CodeByName(c); !ok || c == baseline.Success {
			return nil, fmt.Errorf("synth: %q is not a failure code", c)
		}
		failed += n
	}
	if failed > s.Total {
		return nil, fmt.Errorf("synth: %d failures among %d files", failed, s.Total)
	}
	b := &baseline.Baseline{Timestamp: s.Timestamp, ByCode: map[string]int{}, Files: make([]baseline.File, 0, failed)}
	if s.Total > failed {
		b.ByCode[baseline.Success] = s.Total - failed
	}
	codes := slices.Collect(maps.Keys(s.Counts))
	baseline.SortCodes(codes)
	i := s.Offset
	for _, c := range codes {
		if s.Counts[c] > 0 {
			b.ByCode[c] = s.Counts[c]
		}
		for range s.Counts[c] {
			idx := i % s.Total
			line := 1 + idx%97
			msg := fmt.Sprintf("%s line %d: %s", message(c), line, []string{"goal", "intent", "memory", "when"}[idx%4])
			b.Files = append(b.Files, baseline.File{
				Path: fmt.Sprintf("workflows/wf_%05d.aether", idx), CodeName: c, Line: line, Message: msg,
				Fingerprint: baseline.Fingerprint(c, line, msg), Phase: "parse",
			})
			i++
		}
	}
	b.Normalize()
	return b, nil
}

func message(code string) string {
	switch code {
	case baseline.ParseError:
		return "Parse error (assignment)"
	case baseline.ValidationError:
		return "Unknown function"
	case baseline.RuntimeError:
		return "Runtime error"
	}
	return code
}
