package gate

import (
	"context"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/signing"
)

// maxOffending bounds the files listed in a signatures gate's details.
const maxOffending = 10

// signaturesCheck requires minisign signatures (FILE.minisig) by trusted,
// unrevoked keys over the files it includes; see internal/signing and
// docs/signing.md.
// Nothing matched is a failure naming the globs, unless allowEmpty.
type signaturesCheck struct {
	spec       signing.Spec
	allowEmpty bool
}

func decodeSignatures(d *Decoder, value *yaml.Node, _ map[string]*yaml.Node) (Check, error) {
	var raw struct {
		Include     []string `yaml:"include"`
		Exclude     []string `yaml:"exclude"`
		Keys        []string `yaml:"keys"`
		Revoked     string   `yaml:"revoked"`
		Strict      bool     `yaml:"strict"`
		AllowLegacy bool     `yaml:"allow_legacy"`
		NotBefore   string   `yaml:"not_before"`
		AllowEmpty  bool     `yaml:"allow_empty"`
	}
	if err := d.Decode(value, &raw); err != nil {
		return nil, err
	}
	spec := signing.Spec{Include: raw.Include, Exclude: raw.Exclude, Keys: raw.Keys, Revoked: raw.Revoked, Strict: raw.Strict, AllowLegacy: raw.AllowLegacy}
	if raw.NotBefore != "" {
		t, err := signing.ParseNotBefore(raw.NotBefore)
		if err != nil {
			return nil, d.Errorf(valueNode(value, "not_before", value), "signatures: not_before %q: %v", raw.NotBefore, err)
		}
		spec.NotBefore = t
	}
	if err := spec.Validate(); err != nil {
		return nil, d.Errorf(value, "signatures: %v", err)
	}
	return &signaturesCheck{spec: spec, allowEmpty: raw.AllowEmpty}, nil
}

func (c *signaturesCheck) Run(ctx context.Context, rc *RunContext) Outcome {
	rep, err := signing.Check(ctx, rc.Dir, c.spec)
	if err != nil {
		// Unreadable keys or revocation list: fail closed.
		return Errored("signatures: %v", err)
	}
	details := map[string]any{
		"strict":   rep.Strict,
		"files":    rep.Files,
		"signed":   rep.Signed,
		"unsigned": rep.Unsigned,
		"invalid":  rep.Invalid,
		"revoked":  rep.Revoked,
	}
	if off := rep.Offending(maxOffending); len(off) > 0 {
		details["offending"] = off
	}
	summary := rep.Summary()
	if rep.Files == 0 {
		summary = "no file matched include " + strings.Join(c.spec.Include, ", ")
		if len(c.spec.Exclude) > 0 {
			summary += " less exclude " + strings.Join(c.spec.Exclude, ", ")
		}
		if c.allowEmpty {
			details["allow_empty"] = true
			return Passed(summary+" (allow_empty)", details)
		}
		summary += ": nothing was verified (allow_empty: true accepts it)"
		details["problems"] = []string{summary}
	} else if off := rep.Offending(1); len(off) > 0 {
		summary += fmt.Sprintf("; first: %s %s", off[0].Path, off[0].Status)
	}
	if !rep.OK() {
		return Failed(summary, details)
	}
	return Passed(summary, details)
}
