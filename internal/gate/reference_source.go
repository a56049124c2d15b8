package gate

import (
	"context"
	"errors"
	"time"

	"github.com/org/gonogo-action/internal/artifact"
)

// ReferenceFetcher fetches a reference baseline that is not a local file.
// The action implements it with the GitHub API; the CLI has none, so an
// artifact reference there counts as missing.
type ReferenceFetcher interface {
	// FetchReference returns the file's bytes and which run uploaded
	// them, or an error wrapping ErrReferenceNotFound when no usable
	// artifact exists (the gate then applies missing_reference). Asked
	// again for another file of a Ref with the same Name and Branch (the
	// checker cache after the baseline), it answers from the same
	// artifact, or with the same error: the files a gate takes from an
	// artifact come from one run.
	FetchReference(ctx context.Context, ref artifact.Ref) ([]byte, artifact.Provenance, error)
}

// ErrReferenceNotFound means no reference baseline exists (yet).
var ErrReferenceNotFound = errors.New("reference baseline not found")

// ReferenceSource is where a parse-regression gate looked for its reference
// baseline and, for an artifact, which one it used. In gate_results.json it
// is details.reference (Name) and details.reference_provenance (Found).
type ReferenceSource struct {
	// Name says where the baseline was looked for, for people: a file, or
	// an artifact.Ref's description. Nothing parses it.
	Name string
	// Found is the artifact used, once fetched.
	Found *artifact.Provenance
	// AgeHours is Found's age in whole hours when it was used.
	AgeHours int
}

// detailsProvenance is details.reference_provenance.
func (s *ReferenceSource) detailsProvenance() map[string]any {
	p := s.Found
	m := map[string]any{
		"branch": p.Branch, "sha": p.SHA, "run_id": p.RunID, "run_url": p.RunURL,
		"artifact_id": p.ArtifactID, "created_at": p.CreatedAt.UTC().Format(time.RFC3339),
		"age_hours": s.AgeHours,
	}
	if p.Why != "" {
		m["branch_reason"] = string(p.Why)
	}
	if p.Wanted != "" {
		m["branch_wanted"] = p.Wanted
	}
	return m
}
