package action

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
	// branch is the reference-branch input: when set it wins over a
	// gate's reference: {branch: …}, and either wins over plan. An
	// explicit branch is the only one looked at.
	branch string
	// plan is where a reference is looked for otherwise (referencePlan).
	plan []branchChoice
	// timeout bounds each lookup and download (report-timeout).
	timeout time.Duration

	mu    sync.Mutex
	found []artifact.Provenance
	warns []string
}

var _ gate.ReferenceFetcher = (*referenceFetcher)(nil)

// FetchReference looks for ref on the first branch of choices that has
// one: a branch without a baseline passes to the next, any other error
// ends the search (a missing permission or a broken artifact is the same
// on every branch, and must not pass for a fallback).
func (f *referenceFetcher) FetchReference(ctx context.Context, ref artifact.Ref) ([]byte, artifact.Provenance, error) {
	choices := f.choices(ref)
	if len(choices) == 0 {
		return nil, artifact.Provenance{}, fmt.Errorf("%w: the event names no default branch to take the reference from; set the reference-branch input", gate.ErrReferenceNotFound)
	}
	var misses []string
	for _, c := range choices {
		q := ref
		q.Branch = c.Branch
		r, err := f.find(ctx, github.ReferenceQuery{Repo: f.repo, Ref: q})
		switch {
		case errors.Is(err, github.ErrNoReference):
			misses = append(misses, err.Error())
			continue
		case errors.Is(err, github.ErrNotAccessible):
			// No actions: read permission: as good as no reference, and said.
			f.warn(fmt.Sprintf("reference %s: %v; grant `actions: read`", ref.Name, err))
			return nil, artifact.Provenance{}, fmt.Errorf("%w: %v", gate.ErrReferenceNotFound, err)
		case err != nil:
			return nil, artifact.Provenance{}, err
		}
		r.Provenance.Why, r.Provenance.Wanted = c.Why, c.Wanted
		f.mu.Lock()
		f.found = append(f.found, r.Provenance)
		f.mu.Unlock()
		return r.Data, r.Provenance, nil
	}
	return nil, artifact.Provenance{}, fmt.Errorf("%w: %s", gate.ErrReferenceNotFound, strings.Join(misses, "; "))
}

// find is one branch's lookup and download, within its own timeout: a
// fallback does not inherit what the miss before it used up.
func (f *referenceFetcher) find(ctx context.Context, q github.ReferenceQuery) (*github.Reference, error) {
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
	}
	return f.client.FindReference(ctx, q)
}

// choices applies the precedence: the reference-branch input, then the
// gate's own branch, then the plan for this event.
func (f *referenceFetcher) choices(ref artifact.Ref) []branchChoice {
	switch {
	case f.branch != "":
		return []branchChoice{{Branch: f.branch, Why: artifact.ByInput}}
	case ref.Branch != "":
		return []branchChoice{{Branch: ref.Branch, Why: artifact.ByConfig}}
	}
	return f.plan
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
