package action

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/org/gonogo-action/internal/gate"
	"github.com/org/gonogo-action/internal/github"
)

// referenceFetcher gives parse-regression gates their reference baseline
// through the GitHub API, and remembers where each came from for the
// comment.
type referenceFetcher struct {
	client *github.Client
	repo   github.Repo
	branch string // the reference-branch input; wins over the config's
	now    func() time.Time

	mu    sync.Mutex
	found []*github.Reference
	warns []string
}

var _ gate.ReferenceFetcher = (*referenceFetcher)(nil)

func (f *referenceFetcher) FetchReference(ctx context.Context, ref gate.ArtifactRef) ([]byte, error) {
	branch := ref.Branch
	if f.branch != "" {
		branch = f.branch
	}
	r, err := f.client.FindReference(ctx, github.ReferenceQuery{
		Repo: f.repo, Branch: branch, Artifact: ref.Artifact, File: ref.File,
	})
	switch {
	case errors.Is(err, github.ErrNoReference):
		return nil, fmt.Errorf("%w: %v", gate.ErrReferenceNotFound, err)
	case errors.Is(err, github.ErrNotAccessible):
		// No actions: read permission: as good as no reference, and said.
		f.warn(fmt.Sprintf("reference %s: %v; grant `actions: read`", ref.Artifact, err))
		return nil, fmt.Errorf("%w: %v", gate.ErrReferenceNotFound, err)
	case err != nil:
		return nil, err
	}
	f.mu.Lock()
	f.found = append(f.found, r)
	f.mu.Unlock()
	return r.Data, nil
}

func (f *referenceFetcher) warn(s string) {
	f.mu.Lock()
	f.warns = append(f.warns, s)
	f.mu.Unlock()
}

// provenance returns the references used, for the comment.
func (f *referenceFetcher) provenance() []*github.Reference {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*github.Reference(nil), f.found...)
}

func (f *referenceFetcher) runID() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.found) == 0 {
		return ""
	}
	return fmt.Sprint(f.found[0].RunID)
}
