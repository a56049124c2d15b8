package gate

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/setting"
)

// previousCheck compares a figure of a gate's details with the same figure
// in an earlier run's gate_results.json ("memory coherence/drift stable",
// the specification's post-release watch): the gate fails when the figure
// moved by more than the tolerance. It wraps the gate's check, whatever its
// kind, and compares only once that check passed.
//
// Both figures are read from the details as gate_results.json writes them
// (GateResult.MarshalJSON), so a path means the same thing in this run and
// in the earlier file: "coherence" (an http or run capture), "percent" (a
// coverage gate), "tests.counts.total", "checks.1.details.coherence".
type previousCheck struct {
	inner Check
	spec  previousSpec
}

var _ Check = (*previousCheck)(nil)

// previousSpec is a gate's previous: key.
type previousSpec struct {
	// File is the earlier gate_results.json, inside the working directory.
	File string `yaml:"file"`
	// Gate is the gate's id in File (default: this gate's id).
	Gate string `yaml:"gate"`
	// Value is the dotted path of the figure in the gate's details.
	Value     string `yaml:"value"`
	Tolerance struct {
		// Abs bounds |now − previous|.
		Abs *float64 `yaml:"abs"`
		// Rel bounds |now − previous| / |previous|, a fraction 0 to 1.
		Rel *float64 `yaml:"rel"`
	} `yaml:"tolerance"`
	// MissingReference applies when File, or the gate in it, is absent:
	// pass, warn or fail (default fail: a watch that has nothing to
	// compare with has established nothing).
	MissingReference string `yaml:"missing_reference"`
}

// decodePrevious validates a gate's previous: and wraps check with it.
func decodePrevious(d *Decoder, node *yaml.Node, gateID string, check Check) (Check, error) {
	const form = "previous: want a mapping {file: F, value: PATH, tolerance: {abs: N, rel: F}}"
	if node.Kind != yaml.MappingNode {
		return nil, d.Errorf(node, "gate %s: %s", gateID, form)
	}
	if check == nil {
		return nil, d.Errorf(node, "gate %s: previous compares a figure of the gate's details, and a manual gate without a check has none; add a check", gateID)
	}
	var s previousSpec
	if err := d.Decode(node, &s); err != nil {
		return nil, err
	}
	switch {
	case s.File == "":
		return nil, d.Errorf(node, "gate %s: %s: file is required (an earlier gate_results.json)", gateID, form)
	case !filepath.IsLocal(s.File):
		return nil, d.settingError(node, "file", fmt.Errorf("want a path inside the working directory (relative, without ..), got %q", s.File))
	case s.Value == "":
		return nil, d.Errorf(node, "gate %s: %s: value is required (the dotted path of a figure in the gate's details)", gateID, form)
	case strings.HasPrefix(s.Value, "$") || slices.Contains(strings.Split(s.Value, "."), ""):
		return nil, d.settingError(node, "value", fmt.Errorf("want a dotted path in the gate's details such as coherence or checks.1.details.percent, got %q", s.Value))
	case s.Gate != "" && !idPattern.MatchString(s.Gate):
		return nil, d.settingError(node, "gate", fmt.Errorf("want a gate id matching [a-z0-9_]+, got %q", s.Gate))
	case s.Tolerance.Abs == nil && s.Tolerance.Rel == nil:
		return nil, d.settingError(node, "tolerance", fmt.Errorf("want abs: N (|now − previous| ≤ N) and/or rel: F (a fraction of the previous value, 0 to 1)"))
	case s.MissingReference != "" && s.MissingReference != MissingPass && s.MissingReference != MissingWarn && s.MissingReference != MissingFail:
		return nil, d.settingError(node, "missing_reference", fmt.Errorf("want pass, warn or fail, got %q", s.MissingReference))
	}
	tol := valueNode(node, "tolerance", node)
	if a := s.Tolerance.Abs; a != nil && *a < 0 {
		return nil, d.settingError(tol, "abs", fmt.Errorf("want 0 or more, got %v", *a))
	}
	if r := s.Tolerance.Rel; r != nil {
		if err := setting.RelThreshold(*r); err != nil {
			return nil, d.settingError(tol, "rel", err)
		}
	}
	return &previousCheck{inner: check, spec: s}, nil
}

// Run runs the gate's check and, when it passed, compares the figure.
func (p *previousCheck) Run(ctx context.Context, rc *RunContext) Outcome {
	out := p.inner.Run(ctx, rc)
	if !out.OK || (out.Status != "" && out.Status != StatusPass) || ctx.Err() != nil {
		return out // the check's own verdict says enough
	}
	s := p.spec
	id := cmp.Or(s.Gate, rc.GateID)
	details := maps.Clone(out.Details)
	if details == nil {
		details = map[string]any{}
	}
	rec := map[string]any{"file": s.File, "gate": id, "value": s.Value, "tolerance": s.tolerance()}
	details["previous"] = rec
	verdict := func(o Outcome) Outcome {
		o.Regression, o.Reference, o.Tests, o.Imported = out.Regression, out.Reference, out.Tests, out.Imported
		return o
	}
	fail := func(status, msg string) Outcome {
		details["problems"] = []string{msg}
		return verdict(Outcome{Status: status, Summary: msg, Details: details})
	}

	now, err := figure(GateResult{Details: out.Details, Regression: out.Regression, Reference: out.Reference, Tests: out.Tests}, s.Value)
	if err != nil {
		return fail(StatusError, fmt.Sprintf("previous: this run's details.%s %v", s.Value, err))
	}
	rec["current"] = now
	prevGate, err := s.read(rc, id)
	var absent *noPrevious
	if errors.As(err, &absent) {
		policy := cmp.Or(s.MissingReference, MissingFail)
		miss := noReference(policy, err, details)
		if miss.OK {
			miss.Summary = fmt.Sprintf("%s; previous: not compared, %v (missing_reference: %s)", out.Summary, err, policy)
		} else {
			miss.Summary = fmt.Sprintf("previous: nothing to compare with, %v (missing_reference: fail)", err)
		}
		return verdict(miss)
	}
	if err != nil {
		return fail(StatusError, "previous: "+err.Error())
	}
	prev, err := figure(*prevGate, s.Value)
	if err != nil {
		return fail(StatusError, fmt.Sprintf("previous: gate %s in %s: details.%s %v", id, s.File, s.Value, err))
	}
	rec["previous"] = prev
	d := compareFigure(now, prev, s.Tolerance.Abs, s.Tolerance.Rel)
	rec["change"] = d.Change
	if d.Rel != nil {
		rec["rel_change"] = *d.Rel
	}
	line := fmt.Sprintf("%s %s vs previous %s (change %s, tolerance %s)", s.Value, num(now), num(prev), signed(d.Change), s.toleranceText())
	if d.Problem != "" {
		return fail(StatusFail, line+": "+d.Problem)
	}
	return verdict(Passed(out.Summary+"; "+line, details))
}

// read finds gate id in the earlier results file. The file is opened
// through an os.Root of the working directory, so that neither ".." nor a
// symbolic link (a pull request can commit one) leads outside it. An
// absent file or gate, or one that did not pass, is a *noPrevious.
func (s previousSpec) read(rc *RunContext, id string) (*GateResult, error) {
	root, err := os.OpenRoot(rc.Dir)
	if err != nil {
		return nil, fmt.Errorf("open working directory: %w", err)
	}
	defer root.Close()
	data, err := root.ReadFile(s.File)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &noPrevious{s.File + " does not exist"}
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.File, err)
	}
	r, err := parseResults(s.File, data)
	if err != nil {
		return nil, err
	}
	g := r.Gate(id)
	if g == nil {
		return nil, &noPrevious{fmt.Sprintf("gate %s is not in %s", id, s.File)}
	}
	// A figure that failed its own gate is no reference: comparing with it
	// would let a drift that failed once pass the next run unchanged.
	if !g.OK || g.Status() != StatusPass {
		return nil, &noPrevious{fmt.Sprintf("gate %s did not pass in %s (%s)", id, s.File, g.Status())}
	}
	return g, nil
}

// noPrevious is an earlier results file, or the gate in it, that does not
// exist: missing_reference decides.
type noPrevious struct{ why string }

func (e *noPrevious) Error() string { return e.why }

// figure is the number at path in g's details as gate_results.json writes
// them. Absent, not a number, or not finite is an error: never a pass.
func figure(g GateResult, path string) (float64, error) {
	data, err := json.Marshal(g)
	if err != nil {
		return 0, fmt.Errorf("cannot be read: the details hold a value that is not a finite number (%v)", err)
	}
	var entry struct {
		Details any `json:"details"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&entry); err != nil {
		return 0, err
	}
	v, ok := lookup(entry.Details, path)
	if !ok {
		return 0, fmt.Errorf("is absent")
	}
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("is %s, not a number", truncate(compactJSON(v), 40))
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("is %s, not a finite number", n)
	}
	return f, nil
}

// drift is a figure's change against the previous run's.
type drift struct {
	// Change is now − previous.
	Change float64
	// Rel is |Change| / |previous|; nil when previous is 0.
	Rel *float64
	// Problem says which tolerance the change exceeds; "" when within.
	Problem string
}

// compareFigure judges now against prev: |now − prev| ≤ abs and
// |now − prev| / |prev| ≤ rel, each when given. Rounding of the
// subtraction is forgiven (0.98 − 0.93 is 0.05000000000000004); against a
// previous 0 any change exceeds a relative tolerance.
func compareFigure(now, prev float64, abs, rel *float64) drift {
	change := now - prev
	d := drift{Change: round12(change)}
	slack := 1e-12 * math.Max(1, math.Max(math.Abs(now), math.Abs(prev)))
	var problems []string
	if abs != nil && math.Abs(change) > *abs+slack {
		problems = append(problems, fmt.Sprintf("|change| %s exceeds abs %s", num(math.Abs(d.Change)), num(*abs)))
	}
	if prev != 0 {
		r := round12(math.Abs(change) / math.Abs(prev))
		d.Rel = &r
		if rel != nil && r > *rel+1e-12 {
			problems = append(problems, fmt.Sprintf("relative change %s exceeds rel %s", num(r), num(*rel)))
		}
	} else if rel != nil && math.Abs(change) > slack {
		problems = append(problems, "a change from a previous 0 has no relative size: it exceeds any rel")
	}
	d.Problem = strings.Join(problems, "; ")
	return d
}

// round12 drops the noise of binary subtraction: 12 significant digits.
func round12(f float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 12, 64), 64)
	return r
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func signed(f float64) string {
	if f >= 0 {
		return "+" + num(f)
	}
	return num(f)
}

// tolerance is details.previous.tolerance.
func (s previousSpec) tolerance() map[string]any {
	m := map[string]any{}
	if s.Tolerance.Abs != nil {
		m["abs"] = *s.Tolerance.Abs
	}
	if s.Tolerance.Rel != nil {
		m["rel"] = *s.Tolerance.Rel
	}
	return m
}

func (s previousSpec) toleranceText() string {
	var parts []string
	if s.Tolerance.Abs != nil {
		parts = append(parts, "±"+num(*s.Tolerance.Abs))
	}
	if s.Tolerance.Rel != nil {
		parts = append(parts, "±"+num(*s.Tolerance.Rel*100)+" %")
	}
	return strings.Join(parts, " and ")
}
