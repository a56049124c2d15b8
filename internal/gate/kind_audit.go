package gate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// auditCheck requires a JSONL audit log to contain a sequence of events:
// each step is one event name or a list of alternatives, found in order
// (later lines than the previous step's match). An empty log fails: it
// holds no event of the sequence, and says so, unless AllowEmpty. A step
// written as {event: ..., json: {path: expectation}} also requires the
// matching record to meet the expectations.
type auditCheck struct {
	File     string
	Field    string
	Sequence [][]string
	// Where holds each step's record expectations (nil: the name suffices).
	Where []jsonExpect
	// AllowEmpty passes a log that exists and holds no event (nothing
	// happened to audit). A missing log is still missing.
	AllowEmpty bool
}

func decodeAudit(d *Decoder, value *yaml.Node, _ map[string]*yaml.Node) (Check, error) {
	var raw struct {
		File       string      `yaml:"file"`
		Field      string      `yaml:"field"`
		Sequence   []yaml.Node `yaml:"sequence"`
		AllowEmpty bool        `yaml:"allow_empty"`
	}
	if err := d.Decode(value, &raw); err != nil {
		return nil, err
	}
	c := &auditCheck{File: raw.File, Field: cmp.Or(raw.Field, "event"), AllowEmpty: raw.AllowEmpty}
	if c.File == "" {
		return nil, d.Errorf(value, "audit: file is required")
	}
	if len(raw.Sequence) == 0 {
		return nil, d.Errorf(value, "audit: sequence must name at least one event")
	}
	for i := range raw.Sequence {
		n := &raw.Sequence[i]
		var step []string
		var where jsonExpect
		names := n
		if n.Kind == yaml.MappingNode {
			var m struct {
				Event yaml.Node  `yaml:"event"`
				JSON  jsonExpect `yaml:"json"`
			}
			if err := d.Decode(n, &m); err != nil {
				return nil, err
			}
			names, where = &m.Event, m.JSON
		}
		switch names.Kind {
		case yaml.ScalarNode:
			step = []string{names.Value}
		case yaml.SequenceNode:
			if err := d.Decode(names, &step); err != nil {
				return nil, err
			}
		}
		if len(step) == 0 || slices.Contains(step, "") {
			return nil, d.Errorf(n, "audit: each sequence step is an event name, a list of alternatives, or {event: ..., json: {...}}")
		}
		c.Sequence = append(c.Sequence, step)
		c.Where = append(c.Where, where)
	}
	return c, nil
}

func (c *auditCheck) Run(_ context.Context, rc *RunContext) Outcome {
	f, err := os.Open(rc.Path(c.File))
	if errors.Is(err, fs.ErrNotExist) {
		return Missing("audit log %s is missing", c.File)
	}
	if err != nil {
		return Errored("open audit log: %v", err)
	}
	defer f.Close()
	recs, err := readJSONL(f, c.File)
	if err != nil {
		return Errored("%v", err)
	}
	details := map[string]any{"file": c.File, "events": len(recs)}
	if len(recs) == 0 {
		if c.AllowEmpty {
			details["allow_empty"] = true
			return Passed(fmt.Sprintf("audit log %s holds no event (allow_empty)", c.File), details)
		}
		msg := fmt.Sprintf("audit log %s holds no event: nothing shows the sequence happened (allow_empty: true accepts an empty log)", c.File)
		details["problems"] = []string{msg}
		return Failed(msg, details)
	}
	var matched []map[string]any
	next := 0
	for si, step := range c.Sequence {
		found := -1
		near := "" // why the first record of the right name did not match
		for i := next; i < len(recs); i++ {
			if v, ok := recs[i].Obj[c.Field].(string); ok && slices.Contains(step, v) {
				if p := c.Where[si].check(recs[i].Obj); len(p) > 0 {
					if near == "" {
						near = fmt.Sprintf(" (line %d: %s)", recs[i].Line, p[0])
					}
					continue
				}
				found = i
				break
			}
		}
		if found < 0 {
			details["matched"] = matched
			what := strings.Join(step, " or ")
			if c.Where[si] != nil {
				what += " event meeting its json expectations"
			} else {
				what += " event"
			}
			msg := fmt.Sprintf("no %s after the previous step%s", what, near)
			if len(matched) == 0 {
				msg = fmt.Sprintf("no %s in %s%s", what, c.File, near)
			}
			details["problems"] = []string{msg}
			return Failed(msg, details)
		}
		matched = append(matched, map[string]any{"line": recs[found].Line, c.Field: recs[found].Obj[c.Field]})
		next = found + 1
	}
	details["matched"] = matched
	names := make([]string, len(matched))
	for i, m := range matched {
		names[i] = fmt.Sprint(m[c.Field])
	}
	return Passed(strings.Join(names, " → "), details)
}
