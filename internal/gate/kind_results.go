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
		if !idPattern.MatchString(g.ID) {
			// gate writes ids of [a-z0-9_]+ only; another would be shown
			// as is in logs and the verdict line.
			return Errored("%s: %q is not a gate id ([a-z0-9_]+): the file was not written by gate", c.File, g.ID)
		}
		if err := consistent(g); err != nil {
			return Errored("%s: gate %s: %v", c.File, g.ID, err)
		}
		g.Details["imported_from"] = c.File
		if g.ManualFollowup() {
			manualImport(&g, rc, c.File)
		}
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

// consistent refuses an imported gate whose ok contradicts its status
// (ok: true with status fail): a file edited by hand, or not written by
// gate. Taken at its ok, it would pass a gate its own status failed.
func consistent(g GateResult) error {
	st, present := g.Details["status"]
	if !present {
		return nil // the original tool's files have no status
	}
	s, _ := st.(string)
	passing := s == StatusPass || s == StatusManual || s == StatusApproved
	switch {
	case g.OK && !passing:
		return fmt.Errorf("ok is true but details.status is %q: the file contradicts itself", fmt.Sprint(st))
	case !g.OK && passing:
		return fmt.Errorf("ok is false but details.status is %q: the file contradicts itself", s)
	case g.ManualFollowup() && s != StatusManual:
		return fmt.Errorf("details.manual_followup is true but details.status is %q: the file contradicts itself", s)
	}
	return nil
}

// manualImport applies this run's manual rules to an imported manual gate
// that passed as a follow-up where it ran: approved when this run approves
// it, failed under --strict-manual otherwise (the earlier run may not have
// been strict; this one is).
func manualImport(g *GateResult, rc *RunContext, file string) {
	if a, ok := rc.Approvals[g.ID]; ok {
		delete(g.Details, "manual_followup")
		g.Details["status"] = StatusApproved
		g.Details["approved_by"] = a.By
		if a.SHA != "" {
			g.Details["approved_sha"] = a.SHA
		}
		if a.Source != "" {
			g.Details["approval_source"] = a.Source
		}
		return
	}
	if !rc.StrictManual {
		return
	}
	delete(g.Details, "manual_followup")
	g.OK = false
	g.Details["status"] = StatusFail
	g.Details["reason"] = "manual gate not validated: it passed as a follow-up in the run that wrote " + file +
		", unapproved; approve it there (--approve " + g.ID + "=NAME or an approvals file)"
	g.Summary = "manual validation missing (imported from " + file + ")"
}
