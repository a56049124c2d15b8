package github

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/org/gonogo-action/internal/artifact"
)

// ErrNoReference means no usable reference artifact exists: none uploaded
// yet, or all expired. The missing-reference input decides what it means.
var ErrNoReference = errors.New("no reference artifact found")

// ReferenceQuery asks for the newest reference artifact. It names no file:
// the artifact found is the same whichever file is read from it.
type ReferenceQuery struct {
	Repo   Repo
	Name   string // the artifact's name, e.g. parse-baseline
	Branch string // the reference branch, e.g. main
	// MaxRuns is how many runs to walk back (30).
	MaxRuns int
	// MaxZip is the largest archive downloaded (64 MiB), and so the most
	// a Reference keeps in memory.
	MaxZip int64
	Limits ZipLimits // what ReadFile accepts of the archive
}

// Reference is the artifact found, where it came from (provenance for the
// gate's details and the comment), and its archive as downloaded, so that
// every file wanted from it (the baseline, the checker cache) is read from
// the one download and so from the one run.
type Reference struct {
	artifact.Provenance
	zip    []byte
	limits ZipLimits
}

// ReadFile returns the entry name of the artifact's archive, read in memory
// with every check of ReadZipFile on the whole archive, at each call.
func (r *Reference) ReadFile(name string) ([]byte, error) {
	data, err := ReadZipFile(r.zip, name, r.limits)
	if err != nil {
		return nil, fmt.Errorf("artifact %d: %w", r.ArtifactID, err)
	}
	return data, nil
}

// run is the part of a workflow run we read; ids of both repositories are
// decoded because forks can push a branch with the reference branch's name.
// https://docs.github.com/en/rest/actions/workflow-runs#list-workflow-runs-for-a-repository
type run struct {
	ID               int64     `json:"id"`
	HeadBranch       string    `json:"head_branch"`
	HeadSHA          string    `json:"head_sha"`
	Event            string    `json:"event"`
	Conclusion       string    `json:"conclusion"`
	HTMLURL          string    `json:"html_url"`
	CreatedAt        time.Time `json:"created_at"`
	HeadRepositoryID int64     `json:"head_repository_id"`
	Repository       struct {
		ID int64 `json:"id"`
	} `json:"repository"`
	HeadRepository struct {
		ID int64 `json:"id"`
	} `json:"head_repository"`
}

// apiArtifact carries digest, which go-github v62's Artifact lacks.
// https://docs.github.com/en/rest/actions/artifacts#list-artifacts-for-a-repository
type apiArtifact struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	SizeInBytes int64     `json:"size_in_bytes"`
	Expired     bool      `json:"expired"`
	CreatedAt   time.Time `json:"created_at"`
	Digest      string    `json:"digest"`
	WorkflowRun struct {
		ID               int64  `json:"id"`
		RepositoryID     int64  `json:"repository_id"`
		HeadRepositoryID int64  `json:"head_repository_id"`
		HeadBranch       string `json:"head_branch"`
		HeadSHA          string `json:"head_sha"`
	} `json:"workflow_run"`
}

// FindReference returns the reference artifact of the newest successful push
// run on q.Branch of q.Repo itself whose artifact is unexpired: runs are
// listed with event=push and status=success, newest first; a run whose head
// repository is not the repository (a fork's branch of the same name) is
// skipped; the artifact's digest, when present, must match the download.
// It returns ErrNoReference when no run within q.MaxRuns qualifies.
func (c *Client) FindReference(ctx context.Context, q ReferenceQuery) (*Reference, error) {
	if q.MaxRuns <= 0 {
		q.MaxRuns = 30
	}
	if q.MaxZip <= 0 {
		q.MaxZip = 64 << 20
	}
	runs, err := c.pushRuns(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(runs) == 0 {
		return nil, fmt.Errorf("no successful push run on %s: %w", q.Branch, ErrNoReference)
	}
	// One call finds the named artifacts of recent runs; only when that
	// page is full may older runs be missing from it.
	byRun, complete, err := c.namedArtifacts(ctx, q, "repos/%s/%s/actions/artifacts")
	if err != nil {
		return nil, err
	}
	for _, r := range runs {
		arts := byRun[r.ID]
		if len(arts) == 0 && !complete {
			more, _, err := c.namedArtifacts(ctx, q, fmt.Sprintf("repos/%%s/%%s/actions/runs/%d/artifacts", r.ID))
			if err != nil {
				return nil, err
			}
			arts = more[r.ID]
		}
		for _, a := range arts {
			if a.Expired || a.WorkflowRun.HeadRepositoryID != a.WorkflowRun.RepositoryID {
				continue
			}
			zipData, err := c.fetchArtifact(ctx, q, a)
			if errors.Is(err, errExpired) {
				continue
			}
			if err != nil {
				return nil, err
			}
			return &Reference{Provenance: artifact.Provenance{
				RunID: r.ID, RunURL: r.HTMLURL, Branch: r.HeadBranch, SHA: r.HeadSHA,
				ArtifactID: a.ID, CreatedAt: a.CreatedAt,
			}, zip: zipData, limits: q.Limits}, nil
		}
	}
	return nil, fmt.Errorf("no unexpired %q artifact in the last %d push runs on %s: %w", q.Name, len(runs), q.Branch, ErrNoReference)
}

// pushRuns lists up to q.MaxRuns qualifying runs, newest first.
func (c *Client) pushRuns(ctx context.Context, q ReferenceQuery) ([]run, error) {
	var out []run
	for page := 1; len(out) < q.MaxRuns; page++ {
		v := url.Values{
			"branch": {q.Branch}, "event": {"push"}, "status": {"success"},
			"per_page": {"100"}, "page": {fmt.Sprint(page)}, "exclude_pull_requests": {"true"},
		}
		var list struct {
			WorkflowRuns []run `json:"workflow_runs"`
		}
		if err := c.get(ctx, fmt.Sprintf("repos/%s/%s/actions/runs?%s", url.PathEscape(q.Repo.Owner), url.PathEscape(q.Repo.Name), v.Encode()), &list); err != nil {
			return nil, apiError("list workflow runs", err)
		}
		for _, r := range list.WorkflowRuns {
			headRepo := r.HeadRepositoryID
			if headRepo == 0 {
				headRepo = r.HeadRepository.ID
			}
			// Filter again: the query is a hint, the checks are the contract.
			if r.Event == "push" && r.Conclusion == "success" && r.HeadBranch == q.Branch &&
				r.Repository.ID != 0 && headRepo == r.Repository.ID {
				out = append(out, r)
			}
		}
		if len(list.WorkflowRuns) < 100 {
			break
		}
	}
	slices.SortStableFunc(out, func(a, b run) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmpInt(b.ID, a.ID)
	})
	return out[:min(len(out), q.MaxRuns)], nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// namedArtifacts lists artifacts named q.Name (go-github v62's
// ListArtifacts has no name filter, added in v67), grouped by run, each
// group sorted by id descending since the API does not document an order.
func (c *Client) namedArtifacts(ctx context.Context, q ReferenceQuery, pathf string) (map[int64][]apiArtifact, bool, error) {
	v := url.Values{"name": {q.Name}, "per_page": {"100"}}
	var list struct {
		Artifacts []apiArtifact `json:"artifacts"`
	}
	u := fmt.Sprintf(pathf, url.PathEscape(q.Repo.Owner), url.PathEscape(q.Repo.Name)) + "?" + v.Encode()
	if err := c.get(ctx, u, &list); err != nil {
		return nil, false, apiError("list artifacts", err)
	}
	by := map[int64][]apiArtifact{}
	for _, a := range list.Artifacts {
		if a.Name == q.Name {
			by[a.WorkflowRun.ID] = append(by[a.WorkflowRun.ID], a)
		}
	}
	for _, arts := range by {
		slices.SortFunc(arts, func(a, b apiArtifact) int { return cmpInt(b.ID, a.ID) })
	}
	return by, len(list.Artifacts) < 100, nil
}

var errExpired = errors.New("artifact expired")

// fetchArtifact downloads a's archive, at most q.MaxZip bytes, and checks
// it against a's digest when the API gave one. The API
// answers the download with a 302 to a short-lived blob URL (410 when the
// artifact expired); the blob is fetched by the client without credentials,
// because the blob host rejects them and the token must not leave the API.
func (c *Client) fetchArtifact(ctx context.Context, q ReferenceQuery, a apiArtifact) ([]byte, error) {
	if a.SizeInBytes > q.MaxZip {
		return nil, fmt.Errorf("artifact %d is %d bytes, limit %d", a.ID, a.SizeInBytes, q.MaxZip)
	}
	ctx, err := c.ready(ctx)
	if err != nil {
		return nil, apiError(fmt.Sprintf("download artifact %d", a.ID), err)
	}
	loc, resp, err := c.gh.Actions.DownloadArtifact(ctx, q.Repo.Owner, q.Repo.Name, a.ID, 0)
	if resp != nil && resp.StatusCode == http.StatusGone {
		return nil, errExpired
	}
	if err != nil {
		return nil, apiError(fmt.Sprintf("download artifact %d", a.ID), err)
	}
	if loc.Scheme != "https" && !(loc.Scheme == "http" && isLoopback(loc.Hostname())) {
		return nil, fmt.Errorf("download artifact %d: redirect to %s://: want https", a.ID, loc.Scheme)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("download artifact %d: %w", a.ID, err)
	}
	bresp, err := c.blob.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download artifact %d blob: %w", a.ID, err)
	}
	defer bresp.Body.Close()
	if bresp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download artifact %d blob: %s", a.ID, bresp.Status)
	}
	if bresp.ContentLength > q.MaxZip {
		return nil, fmt.Errorf("download artifact %d blob: %w: %d bytes announced, limit %d", a.ID, ErrResponseTooLarge, bresp.ContentLength, q.MaxZip)
	}
	// One byte past the limit proves an oversized blob: refused, and the
	// rest is never read (closing the body drops the connection).
	zipData, err := io.ReadAll(io.LimitReader(bresp.Body, q.MaxZip+1))
	if err != nil {
		return nil, fmt.Errorf("download artifact %d blob: %w", a.ID, err)
	}
	if int64(len(zipData)) > q.MaxZip {
		return nil, fmt.Errorf("download artifact %d blob: %w: limit %d bytes", a.ID, ErrResponseTooLarge, q.MaxZip)
	}
	if want, ok := strings.CutPrefix(a.Digest, "sha256:"); ok {
		sum := sha256.Sum256(zipData)
		if !strings.EqualFold(hex.EncodeToString(sum[:]), want) {
			return nil, fmt.Errorf("artifact %d: digest mismatch (want sha256:%s)", a.ID, want)
		}
	}
	return zipData, nil
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// get decodes a GET of the API path u into v.
func (c *Client) get(ctx context.Context, u string, v any) error {
	ctx, err := c.ready(ctx)
	if err != nil {
		return err
	}
	req, err := c.gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	_, err = c.gh.Do(ctx, req, v)
	return err
}
