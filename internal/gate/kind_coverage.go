package gate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/coverage"
)

// coverageCheck requires coverage ≥ min and no drop of more than max_drop
// points below a baseline.
type coverageCheck struct {
	Profile  string   `yaml:"profile"`
	Format   string   `yaml:"format"`
	Min      *float64 `yaml:"min"`
	Baseline string   `yaml:"baseline"`
	MaxDrop  float64  `yaml:"max_drop"`
}

func decodeCoverage(d *Decoder, value *yaml.Node, _ map[string]*yaml.Node) (Check, error) {
	c := &coverageCheck{}
	if err := d.Decode(value, c); err != nil {
		return nil, err
	}
	c.Format = cmp.Or(c.Format, coverage.FormatAuto)
	switch {
	case c.Profile == "":
		return nil, d.Errorf(value, "coverage: profile is required")
	case !slices.Contains(coverage.Formats, c.Format):
		return nil, d.Errorf(value, "coverage: format %q is not one of %s", c.Format, strings.Join(coverage.Formats, ", "))
	case c.Min == nil && c.Baseline == "":
		return nil, d.Errorf(value, "coverage: set min, baseline or both")
	case c.Min != nil && coverage.CheckPercent(*c.Min) != nil:
		return nil, d.Errorf(value, "coverage: min %v must be a percentage between 0 and 100", *c.Min)
	case !(c.MaxDrop >= 0 && c.MaxDrop <= 100): // false for NaN too
		return nil, d.Errorf(value, "coverage: max_drop %v must be between 0 and 100 points", c.MaxDrop)
	}
	return c, nil
}

func (c *coverageCheck) Run(_ context.Context, rc *RunContext) Outcome {
	data, err := os.ReadFile(rc.Path(c.Profile))
	if errors.Is(err, fs.ErrNotExist) {
		return Missing("coverage profile %s is missing", c.Profile)
	}
	if err != nil {
		return Errored("read coverage profile: %v", err)
	}
	rep, err := coverage.Parse(data, c.Format)
	if err != nil {
		return Errored("coverage profile %s: %v", c.Profile, err)
	}
	pct := rep.Percent()
	details := map[string]any{"profile": c.Profile, "format": rep.Format, "percent": pct,
		"covered": rep.Covered, "total": rep.Total}
	var problems []string
	if c.Min != nil {
		details["min"] = *c.Min
		if pct < *c.Min {
			problems = append(problems, fmt.Sprintf("coverage %.2f%% is below the minimum %.2f%%", pct, *c.Min))
		}
	}
	summary := fmt.Sprintf("%.2f%%", pct)
	if c.Baseline != "" {
		bdata, err := os.ReadFile(rc.Path(c.Baseline))
		if errors.Is(err, fs.ErrNotExist) {
			out := Missing("coverage baseline %s is missing", c.Baseline)
			out.Details = mergeDetails(details, out.Details)
			return out
		}
		if err != nil {
			return Errored("read coverage baseline: %v", err)
		}
		base, err := coverage.BaselinePercent(bdata)
		if err != nil {
			return Errored("coverage baseline %s: %v", c.Baseline, err)
		}
		drop := roundPct(base - pct)
		details["baseline"], details["baseline_percent"], details["drop"], details["max_drop"] = c.Baseline, base, drop, c.MaxDrop
		summary = fmt.Sprintf("%.2f%% vs baseline %.2f%%", pct, base)
		if drop > c.MaxDrop {
			problems = append(problems, fmt.Sprintf("coverage %.2f%% dropped %.2f points below the baseline %.2f%% (max %.2f)", pct, drop, base, c.MaxDrop))
		}
	}
	if len(problems) > 0 {
		details["problems"] = problems
		return Failed(problems[0], details)
	}
	return Passed(summary, details)
}

func roundPct(v float64) float64 { return math.Round(v*100) / 100 }
