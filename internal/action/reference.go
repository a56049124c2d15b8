package action

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
	refs  []gate.ArtifactRef // what each of found answered
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
	f.refs = append(f.refs, ref)
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

// annotateDetails adds the provenance of the reference each
// parse-regression gate used to its details, so gate_results.json says
// which run's baseline it was compared with. The engine names the source
// "artifact NAME on BRANCH (FILE)".
func (f *referenceFetcher) annotateDetails(res *gate.Results) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range res.Gates {
		g := &res.Gates[i]
		src, _ := g.Details["reference"].(string)
		if g.Kind != "parse-regression" || src == "" {
			continue
		}
		for j, ref := range f.refs {
			if !strings.HasPrefix(src, "artifact "+ref.Artifact+" on ") || !strings.HasSuffix(src, "("+ref.File+")") {
				continue
			}
			r := f.found[j]
			g.Details["reference_provenance"] = map[string]any{
				"branch": r.Branch, "sha": r.SHA, "run_id": r.RunID, "run_url": r.RunURL,
				"artifact_id": r.ArtifactID, "created_at": r.CreatedAt.UTC().Format(time.RFC3339),
				"age_hours": int(f.now().Sub(r.CreatedAt).Hours()),
			}
		}
	}
}
