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
// An artifact is looked for and downloaded once per action run: every file
// a gate wants from it (the baseline, then the checker cache) is read from
// that one archive, so a gate's cache always comes from the run its
// baseline came from, never from another run a second search found.
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
	// lookups holds each search's answer, the archive downloaded
	// (github.ReferenceQuery.MaxZip bounds each) or the error, for the
	// rest of the run. Gates name few artifacts, usually one.
	lookups map[lookupKey]*lookup
}

var _ gate.ReferenceFetcher = (*referenceFetcher)(nil)

// lookupKey is what decides which artifact a search finds: its name and
// the branches tried (the input's, the gate's, or the plan). The file
// wanted from the artifact is not part of it.
type lookupKey struct {
	name, branch string
}

// lookup is one search, shared by the gates that ask for the same
// artifact at once: done is closed when ref or err is set.
type lookup struct {
	done chan struct{}
	ref  *github.Reference
	err  error
	// abandoned: the gate that searched gave up (its context ended), so
	// err says nothing about the artifact; the next asker searches anew.
	abandoned bool
}

// FetchReference returns ref.File from the artifact that ref's name and
// branch choice find, searching and downloading it on the first call
// only.
func (f *referenceFetcher) FetchReference(ctx context.Context, ref artifact.Ref) ([]byte, artifact.Provenance, error) {
	r, err := f.lookup(ctx, ref)
	if err != nil {
		return nil, artifact.Provenance{}, err
	}
	data, err := r.ReadFile(ref.File)
	if err != nil {
		return nil, artifact.Provenance{}, err
	}
	return data, r.Provenance, nil
}

// lookup returns the answer of ref's search, searching only when no gate
// has, and waiting for a search under way.
func (f *referenceFetcher) lookup(ctx context.Context, ref artifact.Ref) (*github.Reference, error) {
	key := lookupKey{name: ref.Name, branch: ref.Branch}
	if f.branch != "" {
		key.branch = "" // the input wins over every gate's branch
	}
	for {
		f.mu.Lock()
		l, asked := f.lookups[key]
		if !asked {
			l = &lookup{done: make(chan struct{})}
			if f.lookups == nil {
				f.lookups = map[lookupKey]*lookup{}
			}
			f.lookups[key] = l
		}
		f.mu.Unlock()
		if !asked {
			l.ref, l.err = f.search(ctx, ref)
			if l.err != nil && ctx.Err() != nil {
				f.mu.Lock()
				delete(f.lookups, key)
				f.mu.Unlock()
				l.abandoned = true
			}
			close(l.done)
			return l.ref, l.err
		}
		select {
		case <-l.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if !l.abandoned {
			return l.ref, l.err
		}
	}
}

// search looks for ref on the first branch of choices that has one: a
// branch without a baseline passes to the next, any other error ends the
// search (a missing permission or a broken artifact is the same on every
// branch, and must not pass for a fallback).
func (f *referenceFetcher) search(ctx context.Context, ref artifact.Ref) (*github.Reference, error) {
	choices := f.choices(ref)
	if len(choices) == 0 {
		return nil, fmt.Errorf("%w: the event names no default branch to take the reference from; set the reference-branch input", gate.ErrReferenceNotFound)
	}
	var misses []string
	for _, c := range choices {
		r, err := f.find(ctx, github.ReferenceQuery{Repo: f.repo, Name: ref.Name, Branch: c.Branch})
		switch {
		case errors.Is(err, github.ErrNoReference):
			misses = append(misses, err.Error())
			continue
		case errors.Is(err, github.ErrNotAccessible):
			// No actions: read permission: as good as no reference, and said.
			f.warn(fmt.Sprintf("reference %s: %v; grant `actions: read`", ref.Name, err))
			return nil, fmt.Errorf("%w: %v", gate.ErrReferenceNotFound, err)
		case err != nil:
			return nil, err
		}
		r.Provenance.Why, r.Provenance.Wanted = c.Why, c.Wanted
		f.mu.Lock()
		f.found = append(f.found, r.Provenance)
		f.mu.Unlock()
		return r, nil
	}
	return nil, fmt.Errorf("%w: %s", gate.ErrReferenceNotFound, strings.Join(misses, "; "))
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
