// Package artifact names a file kept in a workflow artifact and records
// where a found one came from. The gate engine asks for a Ref, the GitHub
// adapter answers with a Provenance, the action renders it: one shape for
// all three, so it imports nothing of ours.
package artifact

import (
	"fmt"
	"time"
)

// Ref names File inside the newest artifact called Name that a successful
// push run on Branch uploaded:
// `reference: {artifact: NAME, branch: main, file: parse_baseline.json}`.
// An empty Branch leaves the choice to the fetcher (the action: the pull
// request's base branch, else the default branch).
type Ref struct {
	Name   string
	Branch string
	File   string
}

// String describes r for people, e.g. in a gate's details and errors.
func (r Ref) String() string {
	if r.Branch == "" {
		return fmt.Sprintf("artifact %s on the reference branch (%s)", r.Name, r.File)
	}
	return fmt.Sprintf("artifact %s on %s (%s)", r.Name, r.Branch, r.File)
}

// Provenance is where a found artifact came from: the workflow run that
// uploaded it and the commit that run built.
type Provenance struct {
	Branch     string
	SHA        string
	RunID      int64
	RunURL     string
	ArtifactID int64
	CreatedAt  time.Time
	// Why says how Branch was chosen; Wanted is the branch looked at
	// first when Why is ByFallback or ByNotReference.
	Why    Why
	Wanted string
}

// Why says how the branch of a reference was chosen. The values are
// gate_results.json's details.reference_provenance.branch_reason.
type Why string

// The ways a reference branch is chosen, in the order of precedence: an
// explicit setting wins, else the branch the run is about, else the
// default branch.
const (
	ByInput  Why = "input"  // the action's reference-branch input
	ByConfig Why = "config" // the gate's reference: {branch: …}
	ByBase   Why = "base"   // the pull request's or merge group's base branch
	ByPush   Why = "push"   // the reference branch the push run is on
	// ByFallback: the default branch, because Wanted (the base or pushed
	// branch) has no baseline yet.
	ByFallback Why = "fallback"
	// ByNotReference: the default branch, because Wanted is not a
	// reference branch (reference.branches).
	ByNotReference Why = "not_reference"
	ByDefault      Why = "default" // the default branch: the event names no branch
)

// Known reports whether w is one of the values above, or empty (a
// reference found before reasons were recorded, or a file reference).
func (w Why) Known() bool {
	switch w {
	case "", ByInput, ByConfig, ByBase, ByPush, ByFallback, ByNotReference, ByDefault:
		return true
	}
	return false
}
