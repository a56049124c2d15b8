package gate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"time"

	"github.com/org/gonogo-action/internal/artifact"
	"github.com/org/gonogo-action/internal/compare"
	"github.com/org/gonogo-action/internal/jsonstrict"
	"github.com/org/gonogo-action/internal/outfile"
)

// Results is gate_results.json: _meta then one entry per gate, in the
// configuration's order.
type Results struct {
	Meta  Meta
	Gates []GateResult
}

// Meta is the _meta entry in the specification's shape, plus additions.
type Meta struct {
	Profile   string  `json:"profile"`
	TS        float64 `json:"ts"` // Unix seconds, as the original tool wrote
	AllPassed bool    `json:"all_passed"`
	// Interrupted is set when the run was stopped (Ctrl-C) before every
	// gate finished.
	Interrupted bool `json:"interrupted,omitempty"`
	// Failed lists the mandatory gates that did not pass.
	Failed []string `json:"failed,omitempty"`
	// Risks is the configuration's residual-risk watchlist, carried so
	// that a report rendered from this file (the action's report mode)
	// shows it.
	Risks []Risk `json:"risks,omitempty"`
}

// GateResult is one gate's entry. ok, manual, duration_sec and details are
// the specification's shape; the rest are additions.
type GateResult struct {
	ID          string         `json:"-"`
	OK          bool           `json:"ok"`
	Manual      bool           `json:"manual"`
	DurationSec float64        `json:"duration_sec"`
	Details     map[string]any `json:"details"`
	Title       string         `json:"title,omitempty"`
	Mandatory   bool           `json:"mandatory"`
	Kind        string         `json:"kind,omitempty"`
	Summary     string         `json:"summary,omitempty"`
	Evidence    string         `json:"evidence,omitempty"`

	// Regression is a parse-regression gate's comparison, stamped, with its
	// file lists capped; JSON folds it into details.report.
	Regression *compare.Result `json:"-"`
	// Reference is where a parse-regression gate's reference baseline
	// came from; JSON folds it into details.reference and
	// details.reference_provenance.
	Reference *ReferenceSource `json:"-"`
	// Trend is the reference's history for the sign-off's chart; JSON
	// folds it into details.trend.
	Trend *Trend `json:"-"`
	// Tests is a tests gate's report; JSON folds it into details.tests.
	Tests *TestsReport `json:"-"`
	// Cache is what a parse-regression gate's checker cache did; JSON
	// folds it into details.cache.
	Cache *CacheUse `json:"-"`

	imported []GateResult // gates merged in by a results gate
}

// MarshalJSON writes the gate's entry, folding the typed fields into
// details in the shape gate_results.json has always had.
func (g GateResult) MarshalJSON() ([]byte, error) {
	type plain GateResult // without this method
	p := plain(g)
	if g.Regression != nil || g.Reference != nil || g.Trend != nil || g.Tests != nil || g.Cache != nil {
		p.Details = maps.Clone(g.Details)
		if p.Details == nil {
			p.Details = map[string]any{}
		}
	}
	if g.Regression != nil {
		report, err := reportDetails(*g.Regression)
		if err != nil {
			return nil, err
		}
		p.Details["report"] = report
	}
	if g.Tests != nil {
		p.Details["tests"] = g.Tests
	}
	if g.Trend != nil {
		p.Details["trend"] = g.Trend
	}
	if g.Cache != nil {
		p.Details["cache"] = g.Cache
	}
	if g.Reference != nil {
		p.Details["reference"] = g.Reference.Name
		if g.Reference.Found != nil {
			p.Details["reference_provenance"] = g.Reference.detailsProvenance()
		}
	}
	return json.Marshal(p)
}

// reportDetails is details.report: the comparison's JSON object with its
// keys sorted, as a map would write them, and the file lists in their own
// encoding (baseline.File keeps its field order and extra fields).
func reportDetails(r compare.Result) (map[string]any, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	m["new_failures"], m["fixed"] = r.NewFailures, r.Fixed
	if len(r.NewSuppressed) > 0 {
		m["new_suppressed"] = r.NewSuppressed
	}
	return m, nil
}

// typedDetails are the details a parse-regression gate's typed fields
// come from when a gate_results.json is read back.
type typedDetails struct {
	Details struct {
		Report     *compare.Result `json:"report"`
		Trend      json.RawMessage `json:"trend"`
		Cache      *CacheUse       `json:"cache"`
		Reference  *string         `json:"reference"`
		Provenance *struct {
			Branch     string `json:"branch"`
			SHA        string `json:"sha"`
			RunID      int64  `json:"run_id"`
			RunURL     string `json:"run_url"`
			ArtifactID int64  `json:"artifact_id"`
			CreatedAt  string `json:"created_at"`
			AgeHours   int    `json:"age_hours"`
			Why        string `json:"branch_reason"`
			Wanted     string `json:"branch_wanted"`
		} `json:"reference_provenance"`
	} `json:"details"`
}

// decodeTyped fills a parse-regression gate's typed fields from raw, its
// entry in gate_results.json, and takes them out of Details, so that each
// value lives in one place. A malformed value is an error.
func (g *GateResult) decodeTyped(raw []byte) error {
	switch g.Kind {
	case "tests":
		return g.decodeTests(raw)
	case ChecksKind:
		// A multi-check gate carries the typed details of its tests and
		// parse-regression checks, when it has them.
		if err := g.decodeTests(raw); err != nil {
			return err
		}
	case "parse-regression":
	default:
		return nil
	}
	var t typedDetails
	if err := json.Unmarshal(raw, &t); err != nil {
		return fmt.Errorf("details: %w", err)
	}
	d := t.Details
	if d.Report != nil {
		g.Regression = d.Report
		delete(g.Details, "report")
	}
	if d.Trend != nil {
		g.Trend = decodeTrend(d.Trend)
		delete(g.Details, "trend")
	}
	if d.Cache != nil {
		g.Cache = d.Cache
		delete(g.Details, "cache")
	}
	if d.Reference == nil {
		return nil
	}
	g.Reference = &ReferenceSource{Name: *d.Reference}
	delete(g.Details, "reference")
	if p := d.Provenance; p != nil {
		at, err := time.Parse(time.RFC3339, p.CreatedAt)
		if err != nil {
			return fmt.Errorf("details.reference_provenance.created_at: %w", err)
		}
		if !artifact.Why(p.Why).Known() {
			return fmt.Errorf("details.reference_provenance.branch_reason: unknown value %q", p.Why)
		}
		g.Reference.Found = &artifact.Provenance{
			Branch: p.Branch, SHA: p.SHA, RunID: p.RunID, RunURL: p.RunURL, ArtifactID: p.ArtifactID, CreatedAt: at,
			Why: artifact.Why(p.Why), Wanted: p.Wanted,
		}
		g.Reference.AgeHours = p.AgeHours
		delete(g.Details, "reference_provenance")
	}
	return nil
}

// Status returns details.status.
func (g GateResult) Status() string {
	s, _ := g.Details["status"].(string)
	return s
}

// ManualFollowup reports whether the gate passed pending a manual check.
func (g GateResult) ManualFollowup() bool {
	b, _ := g.Details["manual_followup"].(bool)
	return b
}

// Gate returns the result for id, or nil.
func (r *Results) Gate(id string) *GateResult {
	for i := range r.Gates {
		if r.Gates[i].ID == id {
			return &r.Gates[i]
		}
	}
	return nil
}

// finish computes _meta.all_passed and _meta.failed.
func (r *Results) finish() {
	r.Meta.AllPassed = true
	r.Meta.Failed = nil
	for _, g := range r.Gates {
		if g.Mandatory && !g.OK {
			r.Meta.AllPassed = false
			r.Meta.Failed = append(r.Meta.Failed, g.ID)
		}
	}
}

// unixSeconds renders t as the original tool's float timestamp (ms).
func unixSeconds(t time.Time) float64 {
	return math.Round(float64(t.UnixMilli())) / 1000
}

// MarshalJSON writes _meta first and the gates in order (a map would sort
// them).
func (r *Results) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n  \"_meta\": ")
	meta, err := json.MarshalIndent(r.Meta, "  ", "  ")
	if err != nil {
		return nil, err
	}
	b.Write(meta)
	for _, g := range r.Gates {
		key, _ := json.Marshal(g.ID)
		val, err := json.MarshalIndent(g, "  ", "  ")
		if err != nil {
			return nil, fmt.Errorf("gate %s: %w", g.ID, err)
		}
		b.WriteString(",\n  ")
		b.Write(key)
		b.WriteString(": ")
		b.Write(val)
	}
	b.WriteString("\n}\n")
	return b.Bytes(), nil
}

// UnmarshalJSON reads a gate_results.json, keeping the gates' order. A
// key named twice in one object (a gate id, a status, a figure of the
// details) is refused: encoding/json would keep the last one where
// another reader keeps the first, and the file may come from a pull
// request.
func (r *Results) UnmarshalJSON(data []byte) error {
	if err := jsonstrict.UniqueKeys(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("want a JSON object")
	}
	*r = Results{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key := tok.(string)
		if key == "_meta" {
			if err := dec.Decode(&r.Meta); err != nil {
				return fmt.Errorf("_meta: %w", err)
			}
			continue
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("gate %s: %w", key, err)
		}
		var g GateResult
		g.Mandatory = true // absent in the original tool's files
		gdec := json.NewDecoder(bytes.NewReader(raw))
		gdec.UseNumber()
		if err := gdec.Decode(&g); err != nil {
			return fmt.Errorf("gate %s: %w", key, err)
		}
		g.ID = key
		if g.Details == nil {
			g.Details = map[string]any{}
		}
		if err := g.decodeTyped(raw); err != nil {
			return fmt.Errorf("gate %s: %w", key, err)
		}
		r.Gates = append(r.Gates, g)
	}
	_, err = dec.Token()
	return err
}

// ReadResults reads a gate_results.json file.
func ReadResults(path string) (*Results, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	return parseResults(path, data)
}

// parseResults reads the contents of the gate_results.json that name
// names in errors.
func parseResults(name string, data []byte) (*Results, error) {
	var r Results
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("read results %s: %w", name, err)
	}
	return &r, nil
}

// WriteResults writes results atomically.
func WriteResults(path string, r *Results) error {
	data, err := r.MarshalJSON()
	if err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	return outfile.Write(path, data)
}
