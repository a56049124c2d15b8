package gate

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/compare"
	"github.com/org/gonogo-action/internal/outfile"
	"github.com/org/gonogo-action/internal/proc"
)

// kinds are the gate kinds by their YAML key: the whole list, in one
// place. Adding a kind is one file (its spec, its decode function and its
// Check) and one line here.
var kinds = map[string]kind{
	"audit":            {decode: decodeAudit},
	"coverage":         {decode: decodeCoverage},
	"http":             {decode: decodeHTTP},
	"metrics":          {decode: decodeMetrics},
	"parse-regression": {decode: decodeParseRegression},
	"quiet":            {decode: decodeQuiet},
	"results":          {decode: decodeResults},
	"run":              {decode: decodeRun, siblings: []string{"capture", "expect", "ok_exit"}},
	"signatures":       {decode: decodeSignatures},
	"sse":              {decode: decodeSSE},
	"tests":            {decode: decodeTests},
}

// kind is one kind of gate check.
type kind struct {
	// siblings are further gate-level keys the kind owns (run's "expect").
	siblings []string
	// decode validates the kind's value (and the siblings present in the
	// gate) and returns the check to run. Errors should come from d.Errorf
	// or d.Decode so that they carry file:line.
	decode func(d *Decoder, value *yaml.Node, siblings map[string]*yaml.Node) (Check, error)
}

// Check is a decoded gate check.
type Check interface {
	// Run performs the check. It must return promptly once ctx is done
	// (the gate's timeout or an interrupt); the engine then overrides the
	// status. Problems with the evidence are reported in the Outcome, not
	// as Go errors: a gate always has a verdict.
	Run(ctx context.Context, rc *RunContext) Outcome
}

// KindKeys lists the gate kinds, sorted.
func KindKeys() []string { return slices.Sorted(maps.Keys(kinds)) }

// RunContext is what a check may use from the outside world.
type RunContext struct {
	GateID string
	// Dir is the working directory: commands run there and relative paths
	// resolve against it.
	Dir string
	// Root confines written files (Options.Root); "" leaves paths as given.
	Root string
	// Env is the child environment (allow-listed, no tokens).
	Env []string
	// User is who child processes run as (Options.User); nil: the caller.
	User *proc.User
	// Started is when the run began (quiet's default "since").
	Started time.Time
	Now     func() time.Time
	HTTP    *http.Client
	// Reference fetches parse-regression references that are not files.
	Reference ReferenceFetcher
	// OutputCap bounds captured output per stream; the tail is kept.
	OutputCap int
	// MissingReference is the default missing_reference (Options).
	MissingReference string
	// Commit is the commit the run is for (Options.Commit).
	Commit string
	// StrictManual and Approvals are the run's (Options): a results gate
	// applies them to the manual gates it imports.
	StrictManual bool
	Approvals    map[string]Approval
}

// Path resolves a configured path against the working directory.
func (rc *RunContext) Path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(rc.Dir, p)
}

// WriteOutput writes a file a gate produces at the configured path p,
// creating its directory. Under a Root it never follows a symbolic link
// and never leaves Root (outfile.WriteIn); otherwise the path is the
// user's (outfile.Write, which still refuses a link as the file).
func (rc *RunContext) WriteOutput(p string, data []byte) error {
	if rc.Root == "" {
		path := rc.Path(p)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		return outfile.Write(path, data)
	}
	rel, err := outfile.Within(rc.Root, rc.Path(p))
	if err != nil {
		return fmt.Errorf("output %s: %w", p, err)
	}
	return outfile.WriteIn(rc.Root, rel, data)
}

// Status values of details.status.
const (
	StatusPass      = "pass"
	StatusFail      = "fail"
	StatusMissing   = "missing"   // evidence, service or a needed gate absent
	StatusError     = "error"     // the check could not be performed
	StatusTimeout   = "timeout"   // the gate's timeout expired
	StatusCancelled = "cancelled" // interrupted while running
	StatusNotRun    = "not_run"   // interrupted before it started
	StatusManual    = "manual"    // passed as manual follow-up
	StatusApproved  = "approved"  // manual gate validated
)

// Outcome is a check's verdict.
type Outcome struct {
	OK bool
	// Status is one of the Status constants; empty means pass or fail by OK.
	Status string
	// Summary is a short human line for the sign-off ("82.1% vs 81.0%").
	Summary string
	// Details are structured per kind and end up in gate_results.json.
	Details map[string]any
	// Imported gates (the results kind) are merged into the results.
	Imported []GateResult
	// Regression and Reference are a parse-regression gate's typed
	// details (see GateResult).
	Regression *compare.Result
	Reference  *ReferenceSource
	Trend      *Trend
	// Tests is a tests gate's typed details (see GateResult).
	Tests *TestsReport
	// Cache is what a parse-regression gate's checker cache did.
	Cache *CacheUse
}

// Passed is a passing outcome.
func Passed(summary string, details map[string]any) Outcome {
	return Outcome{OK: true, Summary: summary, Details: details}
}

// Failed is a failing outcome.
func Failed(summary string, details map[string]any) Outcome {
	return Outcome{Summary: summary, Details: details}
}

// Missing is a gate whose evidence is absent: never a pass.
func Missing(format string, args ...any) Outcome {
	msg := fmt.Sprintf(format, args...)
	return Outcome{Status: StatusMissing, Summary: msg, Details: map[string]any{"reason": msg}}
}

// Errored is a gate whose check could not be performed.
func Errored(format string, args ...any) Outcome {
	msg := fmt.Sprintf(format, args...)
	return Outcome{Status: StatusError, Summary: msg, Details: map[string]any{"reason": msg}}
}

func reflectTypeOf(v any) reflect.Type { return reflect.TypeOf(v) }
