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
type Ref struct {
	Name   string
	Branch string
	File   string
}

// String describes r for people, e.g. in a gate's details and errors.
func (r Ref) String() string {
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
}
