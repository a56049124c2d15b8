package action

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/org/gonogo-action/internal/artifact"
	"github.com/org/gonogo-action/internal/gate"
	"github.com/org/gonogo-action/internal/github"
)

// referenceFetcher gives parse-regression gates their reference baseline
// through the GitHub API, with the provenance the gate keeps in its result.
type referenceFetcher struct {
	client *github.Client
	repo   github.Repo
	branch string // the reference-branch input; wins over the config's
	// timeout bounds each lookup and download (report-timeout).
	timeout time.Duration

	mu    sync.Mutex
	found []artifact.Provenance
	warns []string
}

var _ gate.ReferenceFetcher = (*referenceFetcher)(nil)

func (f *referenceFetcher) FetchReference(ctx context.Context, ref artifact.Ref) ([]byte, artifact.Provenance, error) {
	if f.branch != "" {
		ref.Branch = f.branch
	}
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
	}
	r, err := f.client.FindReference(ctx, github.ReferenceQuery{Repo: f.repo, Ref: ref})
	switch {
	case errors.Is(err, github.ErrNoReference):
		return nil, artifact.Provenance{}, fmt.Errorf("%w: %v", gate.ErrReferenceNotFound, err)
	case errors.Is(err, github.ErrNotAccessible):
		// No actions: read permission: as good as no reference, and said.
		f.warn(fmt.Sprintf("reference %s: %v; grant `actions: read`", ref.Name, err))
		return nil, artifact.Provenance{}, fmt.Errorf("%w: %v", gate.ErrReferenceNotFound, err)
	case err != nil:
		return nil, artifact.Provenance{}, err
	}
	f.mu.Lock()
	f.found = append(f.found, r.Provenance)
	f.mu.Unlock()
	return r.Data, r.Provenance, nil
}

func (f *referenceFetcher) warn(s string) {
	f.mu.Lock()
	f.warns = append(f.warns, s)
	f.mu.Unlock()
}

// runID is the run of the first reference found, for the
// reference-run-id output.
func (f *referenceFetcher) runID() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.found) == 0 {
		return ""
	}
	return fmt.Sprint(f.found[0].RunID)
}
