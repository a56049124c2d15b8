package coverage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/org/gonogo-action/internal/jsonstrict"
)

// parseCoveragePyJSON reads the totals of `coverage json`
// (https://coverage.readthedocs.io/en/latest/cmd.html#json-reporting):
// covered_lines of num_statements, the line figure of `coverage report`.
// With --branch, coverage.py's own percent_covered also counts branches;
// this reader, like the LCOV and Cobertura ones, counts lines only.
func parseCoveragePyJSON(data []byte) (Report, error) {
	var doc struct {
		Meta *struct {
			Version string `json:"version"`
		} `json:"meta"`
		Totals *struct {
			CoveredLines  *json.Number `json:"covered_lines"`
			NumStatements *json.Number `json:"num_statements"`
			MissingLines  *json.Number `json:"missing_lines"`
		} `json:"totals"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return Report{}, fmt.Errorf("coverage.py json: %w", err)
	}
	if dec.More() {
		return Report{}, errors.New("coverage.py json: data after the report")
	}
	if err := jsonstrict.UniqueKeys(data); err != nil {
		return Report{}, fmt.Errorf("coverage.py json: %w", err)
	}
	switch {
	case doc.Meta == nil:
		return Report{}, errors.New(`coverage.py json: no "meta" object`)
	case doc.Totals == nil:
		return Report{}, errors.New(`coverage.py json: no "totals" object`)
	case doc.Totals.CoveredLines == nil:
		return Report{}, errors.New(`coverage.py json: no totals.covered_lines`)
	case doc.Totals.NumStatements == nil:
		return Report{}, errors.New(`coverage.py json: no totals.num_statements`)
	}
	covered, err := jsonCount(*doc.Totals.CoveredLines)
	if err != nil {
		return Report{}, fmt.Errorf("coverage.py json: totals.covered_lines %w", err)
	}
	total, err := jsonCount(*doc.Totals.NumStatements)
	if err != nil {
		return Report{}, fmt.Errorf("coverage.py json: totals.num_statements %w", err)
	}
	if covered > total {
		return Report{}, fmt.Errorf("coverage.py json: totals.covered_lines %d > totals.num_statements %d", covered, total)
	}
	if m := doc.Totals.MissingLines; m != nil {
		missing, err := jsonCount(*m)
		if err != nil {
			return Report{}, fmt.Errorf("coverage.py json: totals.missing_lines %w", err)
		}
		if covered+missing != total {
			return Report{}, fmt.Errorf("coverage.py json: totals.covered_lines %d + missing_lines %d != num_statements %d", covered, missing, total)
		}
	}
	return Report{Covered: covered, Total: total}, nil
}

func jsonCount(n json.Number) (int64, error) {
	v, err := n.Int64()
	if err != nil || v < 0 || v > math.MaxInt64/2 {
		return 0, fmt.Errorf("%s: want a non-negative integer", n)
	}
	return v, nil
}
