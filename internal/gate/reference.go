package gate

import (
	"context"
	"errors"
)

// ArtifactRef names a parse baseline kept as a workflow artifact on a
// branch: `reference: {artifact: NAME, branch: main, file: parse_baseline.json}`.
type ArtifactRef struct {
	Artifact string `yaml:"artifact" json:"artifact"`
	Branch   string `yaml:"branch" json:"branch"`
	File     string `yaml:"file" json:"file"`
}

// ReferenceFetcher fetches a reference baseline that is not a local file.
// The action implements it with the GitHub API; the CLI has none, so an
// artifact reference there counts as missing.
type ReferenceFetcher interface {
	// FetchReference returns the file's bytes, or an error wrapping
	// ErrReferenceNotFound when no usable artifact exists (the gate then
	// applies missing_reference).
	FetchReference(ctx context.Context, ref ArtifactRef) ([]byte, error)
}

// ErrReferenceNotFound means no reference baseline exists (yet).
var ErrReferenceNotFound = errors.New("reference baseline not found")
