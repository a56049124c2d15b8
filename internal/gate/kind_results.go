package gate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// resultsCheck imports the gates of a gate_results.json written by an
// earlier run (on the host, with the user's toolchain): it passes when the
// imported gates all passed, and they appear in the results as themselves.
// A file with no gate to import is missing evidence unless AllowEmpty.
type resultsCheck struct {
	File string `yaml:"file"`
	// Gates restricts the import; empty imports every gate in the file.
	Gates []string `yaml:"gates"`
	// AllowEmpty passes a file that holds no gate (the earlier run had
	// nothing to do). Gates named in Gates must still be there.
	AllowEmpty bool `yaml:"allow_empty"`
}

func decodeResults(d *Decoder, value *yaml.Node, _ map[string]*yaml.Node) (Check, error) {
	c := &resultsCheck{}
	if value.Kind == yaml.ScalarNode {
		c.File = value.Value
	} else if err := d.Decode(value, c); err != nil {
		return nil, err
	}
	if c.File == "" {
		return nil, d.Errorf(value, "results: file is required")
	}
	return c, nil
}

func (c *resultsCheck) Run(_ context.Context, rc *RunContext) Outcome {
	r, err := ReadResults(rc.Path(c.File))
	if errors.Is(err, fs.ErrNotExist) {
		return Missing("results file %s is missing", c.File)
	}
	if err != nil {
		return Errored("%v", err)
	}
	var imported []GateResult
	var failed, ids []string
	for _, g := range r.Gates {
		if len(c.Gates) > 0 && !slices.Contains(c.Gates, g.ID) {
			continue
		}
		g.Details["imported_from"] = c.File
		imported = append(imported, g)
		ids = append(ids, g.ID)
		if g.Mandatory && !g.OK {
			failed = append(failed, g.ID)
		}
	}
	for _, want := range c.Gates {
		if !slices.Contains(ids, want) {
			out := Missing("gate %s is not in %s", want, c.File)
			out.Imported = imported
			return out
		}
	}
	details := map[string]any{"file": c.File, "imported": ids, "failed": failed, "profile": r.Meta.Profile}
	out := Passed(fmt.Sprintf("%d gate(s) imported", len(ids)), details)
	if len(ids) == 0 && c.AllowEmpty {
		details["allow_empty"] = true
		out = Passed(fmt.Sprintf("no gates in %s (allow_empty)", c.File), details)
	} else if len(ids) == 0 {
		out = Missing("no gates in %s: an import of nothing proves nothing (allow_empty: true accepts it)", c.File)
	} else if len(failed) > 0 {
		out = Failed("failed: "+strings.Join(failed, ", "), details)
	}
	out.Imported = imported
	return out
}
