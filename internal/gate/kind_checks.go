package gate

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// ChecksKind is the Kind of a gate that declares checks: instead of one
// kind: the specification's "Security strict (scripts/plugins/net)" is one
// gate, one row, made of a signatures check and an http check.
const ChecksKind = "checks"

// checkItem is one entry of a gate's checks.
type checkItem struct {
	Kind  string
	Title string
	Check Check
}

// checksCheck runs its checks in order and passes only when every one
// passed. A gate carries typed details (details.tests, details.report) for
// one check of a kind, so a gate holds at most one tests and one
// parse-regression check.
type checksCheck struct{ items []checkItem }

var _ Check = (*checksCheck)(nil)

// CheckResult is one check's outcome in a multi-check gate's
// details.checks.
type CheckResult struct {
	Kind    string         `json:"kind"`
	Title   string         `json:"title"`
	OK      bool           `json:"ok"`
	Status  string         `json:"status"`
	Summary string         `json:"summary,omitempty"`
	Details map[string]any `json:"details,omitempty"`
}

// decodeChecks decodes a gate's checks: a non-empty list of mappings, each
// with an optional title and exactly one kind (with that kind's siblings).
func (d *Decoder) decodeChecks(gateID string, node *yaml.Node) (Check, error) {
	if node.Kind != yaml.SequenceNode || len(node.Content) == 0 {
		return nil, d.Errorf(node, "gate %s: checks must be a non-empty list of checks, each with one kind (%s)", gateID, strings.Join(KindKeys(), ", "))
	}
	c := &checksCheck{}
	typed := map[string]bool{}
	for i, item := range node.Content {
		if item.Kind != yaml.MappingNode {
			return nil, d.Errorf(item, "gate %s: check %d must be a mapping with one kind (%s) and an optional title", gateID, i+1, strings.Join(KindKeys(), ", "))
		}
		var title string
		var kindKeys []*yaml.Node
		values := map[string]*yaml.Node{}
		for j := 0; j+1 < len(item.Content); j += 2 {
			k, v := item.Content[j], item.Content[j+1]
			switch {
			case k.Value == "title":
				if v.Kind != yaml.ScalarNode {
					return nil, d.Errorf(v, "gate %s: check %d: title must be a string", gateID, i+1)
				}
				title = v.Value
			case isKind(k.Value), isSibling(k.Value):
				kindKeys = append(kindKeys, k)
				values[k.Value] = v
			default:
				known := append([]string{"title"}, KindKeys()...)
				slices.Sort(known)
				return nil, d.Errorf(k, "gate %s: check %d: unknown key %q (expected one of: %s)", gateID, i+1, k.Value, strings.Join(known, ", "))
			}
		}
		owner := fmt.Sprintf("gate %s: check %d", gateID, i+1)
		kindKey, check, err := d.kindCheck(owner, "check", item, kindKeys, values, false)
		if err != nil {
			return nil, err
		}
		if kindKey == "tests" || kindKey == "parse-regression" {
			if typed[kindKey] {
				return nil, d.Errorf(item, "%s: a gate holds at most one %s check; declare another gate", owner, kindKey)
			}
			typed[kindKey] = true
		}
		c.items = append(c.items, checkItem{Kind: kindKey, Title: cmp.Or(title, kindKey), Check: check})
	}
	return c, nil
}

// Run runs the checks one after the other, every one even after a failure
// (the sign-off then says everything that is wrong), and stops at ctx's end:
// the checks not started are not_run.
func (c *checksCheck) Run(ctx context.Context, rc *RunContext) Outcome {
	out := Outcome{OK: true}
	results := make([]CheckResult, 0, len(c.items))
	var passed, failed []string
	for _, it := range c.items {
		if ctx.Err() != nil {
			results = append(results, CheckResult{Kind: it.Kind, Title: it.Title, Status: StatusNotRun,
				Summary: "not run: the gate was stopped"})
			failed = append(failed, it.Title+": not run")
			out.OK = false
			continue
		}
		o := it.Check.Run(ctx, rc)
		status := o.Status
		if status == "" {
			status = StatusFail
			if o.OK {
				status = StatusPass
			}
		}
		ok := o.OK && status == StatusPass
		results = append(results, CheckResult{Kind: it.Kind, Title: it.Title, OK: ok, Status: status,
			Summary: o.Summary, Details: o.Details})
		line := it.Title
		if o.Summary != "" {
			line += ": " + o.Summary
		}
		if ok {
			passed = append(passed, line)
		} else {
			failed = append(failed, line)
			if out.OK {
				// The first failing check's status (missing, error…) is the
				// gate's; a plain failure leaves it to OK.
				out.OK = false
				if status != StatusFail {
					out.Status = status
				}
			}
		}
		out.Imported = append(out.Imported, o.Imported...)
		out.Tests = cmp.Or(out.Tests, o.Tests)
		out.Regression = cmp.Or(out.Regression, o.Regression)
		out.Reference = cmp.Or(out.Reference, o.Reference)
		out.Trend = cmp.Or(out.Trend, o.Trend)
		out.Cache = cmp.Or(out.Cache, o.Cache)
	}
	if out.OK {
		out.Summary = fmt.Sprintf("%d/%d checks passed: %s", len(passed), len(c.items), strings.Join(passed, "; "))
	} else {
		out.Summary = fmt.Sprintf("%d/%d checks failed: %s", len(c.items)-len(passed), len(c.items), strings.Join(failed, "; "))
	}
	out.Details = map[string]any{"checks": results}
	return out
}
