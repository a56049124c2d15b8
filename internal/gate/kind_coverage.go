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
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/coverage"
	"github.com/org/gonogo-action/internal/setting"
)

// coverageCheck requires coverage ≥ min and no drop of more than max_drop
// points below a baseline.
type coverageCheck struct {
	Profile  string           `yaml:"profile"`
	Format   string           `yaml:"format"`
	Min      *float64         `yaml:"min"`
	Baseline coverageBaseline `yaml:"baseline"`
	MaxDrop  float64          `yaml:"max_drop"`
}

// coverageBaseline is the baseline a coverage gate compares with: a
// percentage written in the configuration (baseline: 79.5 or
// baseline: {percent: 79.5}) or a file (baseline: coverage_baseline.txt)
// holding a figure, {"percent": N} or a coverage report.
type coverageBaseline struct {
	Path    string
	Percent *float64
}

var _ valueChecker = (*coverageBaseline)(nil)

func (*coverageBaseline) checkYAML(n *yaml.Node) error {
	var b coverageBaseline
	return b.read(n)
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (b *coverageBaseline) UnmarshalYAML(n *yaml.Node) error {
	if err := b.read(n); err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	return nil
}

const baselineForms = "a percentage such as 79.5, {percent: 79.5}, or a file"

func (b *coverageBaseline) read(n *yaml.Node) error {
	switch {
	case n.Kind == yaml.MappingNode:
		if len(n.Content) != 2 || n.Content[0].Value != "percent" {
			return fmt.Errorf("want %s; a mapping holds percent only", baselineForms)
		}
		return b.percent(n.Content[1])
	case n.Kind != yaml.ScalarNode:
		return fmt.Errorf("want %s", baselineForms)
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		return b.percent(n)
	case "!!str":
		if _, err := setting.Number(strings.TrimSuffix(n.Value, "%")); err == nil {
			// A figure in quotes (or with %): a file of that name is far
			// less likely than a figure the YAML made a string.
			return fmt.Errorf("want %s, got the string %q: write it without quotes or %%", baselineForms, n.Value)
		}
		if n.Value == "" {
			return fmt.Errorf("want %s, got nothing", baselineForms)
		}
		b.Path = n.Value
		return nil
	}
	return fmt.Errorf("want %s, got %s", baselineForms, nullText(n))
}

func (b *coverageBaseline) percent(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") {
		return fmt.Errorf("percent: want a percentage such as 79.5, got %s", nullText(n))
	}
	v, err := setting.Number(n.Value)
	if err == nil {
		err = setting.Percent(v)
	}
	if err != nil {
		return err
	}
	b.Percent = &v
	return nil
}

func (b coverageBaseline) set() bool { return b.Path != "" || b.Percent != nil }

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
	case c.Min == nil && !c.Baseline.set():
		return nil, d.Errorf(value, "coverage: set min, baseline or both")
	}
	if c.Min != nil {
		if err := setting.Percent(*c.Min); err != nil {
			return nil, d.settingError(value, "min", err)
		}
	}
	if err := setting.Points(c.MaxDrop); err != nil {
		return nil, d.settingError(value, "max_drop", err)
	}
	if !c.Baseline.set() && valueNode(value, "max_drop", nil) != nil {
		// Without a baseline there is nothing to drop from: the key
		// would look like a ratchet and judge nothing.
		return nil, d.Errorf(value, "coverage: max_drop needs a baseline to drop from (baseline: a file or a figure)")
	}
	return c, nil
}

func (c *coverageCheck) Run(_ context.Context, rc *RunContext) Outcome {
	data, err := os.ReadFile(rc.Path(c.Profile))
	if errors.Is(err, fs.ErrNotExist) {
		if strings.ContainsAny(c.Profile, "*?[") {
			return Missing("coverage profile %s is missing (profile names one file; a glob is not expanded)", c.Profile)
		}
		return Missing("coverage profile %s is missing", c.Profile)
	}
	if err != nil {
		return Errored("read coverage profile: %v", err)
	}
	rep, err := coverage.Parse(data, c.Format)
	if err != nil {
		return Errored("coverage profile %s: %v", c.Profile, err)
	}
	pct, exact := rep.Percent(), rep.Exact()
	details := map[string]any{"profile": c.Profile, "format": rep.Format, "percent": pct,
		"covered": rep.Covered, "total": rep.Total}
	var problems []string
	// Thresholds judge the unrounded figure: the two decimals shown would
	// round 79.9975 % up to a pass of min: 80. A float's own error (81.4
	// minus 0.1) is forgiven.
	if c.Min != nil {
		details["min"] = *c.Min
		if exact < *c.Min-pctEpsilon {
			d := decimals(exact, *c.Min)
			problems = append(problems, fmt.Sprintf("coverage %s%% is below the minimum %s%%", fixed(exact, d), fixed(*c.Min, d)))
		}
	}
	summary := fmt.Sprintf("%.2f%%", pct)
	if c.Baseline.set() {
		base, out, ok := c.baseline(rc)
		if !ok {
			out.Details = mergeDetails(details, out.Details)
			return out
		}
		drop := base - exact
		if c.Baseline.Path != "" {
			details["baseline"] = c.Baseline.Path
		}
		details["baseline_percent"], details["drop"], details["max_drop"] = roundPct(base), roundPct(drop), c.MaxDrop
		summary = fmt.Sprintf("%.2f%% vs baseline %.2f%%", pct, base)
		if drop > c.MaxDrop+pctEpsilon {
			d := max(decimals(exact, base), decimals(drop, c.MaxDrop))
			problems = append(problems, fmt.Sprintf("coverage %s%% dropped %s points below the baseline %s%% (max %s)",
				fixed(exact, d), fixed(drop, d), fixed(base, d), fixed(c.MaxDrop, d)))
		}
	}
	if len(problems) > 0 {
		details["problems"] = problems
		return Failed(problems[0], details)
	}
	return Passed(summary, details)
}

// pctEpsilon forgives a float's rounding error in a comparison of
// percentages, far below any figure a report can give (one line in 10^9).
const pctEpsilon = 1e-9

// decimals is how many decimals (two to six) tell a from b apart when
// printed: 79.9975 % and a minimum of 80 % are both 80.00 with two, so
// three: 79.998 and 80.000.
func decimals(a, b float64) int {
	d := 2
	for d < 6 && strconv.FormatFloat(a, 'f', d, 64) == strconv.FormatFloat(b, 'f', d, 64) {
		d++
	}
	return d
}

func fixed(v float64, d int) string { return strconv.FormatFloat(v, 'f', d, 64) }

func roundPct(v float64) float64 { return math.Round(v*100) / 100 }

// baseline returns the baseline percentage: the configured figure, or the
// one read from the baseline file. Without one, the outcome says why.
func (c *coverageCheck) baseline(rc *RunContext) (float64, Outcome, bool) {
	if c.Baseline.Percent != nil {
		return *c.Baseline.Percent, Outcome{}, true
	}
	data, err := os.ReadFile(rc.Path(c.Baseline.Path))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, Missing("coverage baseline %s is missing", c.Baseline.Path), false
	}
	if err != nil {
		return 0, Errored("read coverage baseline: %v", err), false
	}
	base, err := coverage.BaselinePercent(data)
	if err != nil {
		return 0, Errored("coverage baseline %s: %v", c.Baseline.Path, err), false
	}
	return base, Outcome{}, true
}
