package github

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/org/gonogo-action/internal/artifact"
	"github.com/org/gonogo-action/internal/github/ghfake"

	"github.com/google/go-cmp/cmp"
)

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

var query = ReferenceQuery{Repo: Repo{"o", "r"}, Ref: artifact.Ref{Name: "parse-baseline", Branch: "main", File: "parse_baseline.json"}}

const runsPath = "/repos/o/r/actions/runs?branch=main&event=push&status=success"

func TestFindReferenceWalksToNewestOwnUnexpired(t *testing.T) {
	t.Parallel()
	good := makeZip(t, entry{name: "parse_baseline.json", body: `{"total":3}`})
	stale := makeZip(t, entry{name: "parse_baseline.json", body: `{"total":99}`})
	blob := ghfake.NewBlobHost(t, map[string][]byte{"/b/205": good, "/b/201": stale})
	f := newFake(t)
	t0 := testNow.Add(-time.Hour)
	f.On("GET", runsPath, ghfake.JSON(200, map[string]any{"total_count": 6, "workflow_runs": []any{
		ghfake.Run(60, "main", "push", 999, t0.Add(6*time.Minute)),                   // a fork's branch named main
		ghfake.Run(55, "feature", "push", ghfake.RepoID, t0.Add(5*time.Minute)),      // wrong branch, despite the filter
		ghfake.Run(50, "main", "pull_request", ghfake.RepoID, t0.Add(4*time.Minute)), // wrong event
		ghfake.Run(40, "main", "push", ghfake.RepoID, t0.Add(3*time.Minute)),         // artifact expired
		ghfake.Run(30, "main", "push", ghfake.RepoID, t0.Add(2*time.Minute)),         // 410 on download
		ghfake.Run(20, "main", "push", ghfake.RepoID, t0.Add(1*time.Minute)),         // the one
		ghfake.Run(10, "main", "push", ghfake.RepoID, t0),                            // older still
	}}))
	f.On("GET", "/repos/o/r/actions/artifacts?name=parse-baseline", ghfake.JSON(200, map[string]any{"total_count": 6, "artifacts": []any{
		ghfake.Artifact(600, 60, "parse-baseline", 999, false, ""), ghfake.Artifact(550, 55, "parse-baseline", ghfake.RepoID, false, ""),
		ghfake.Artifact(400, 40, "parse-baseline", ghfake.RepoID, true, ""), ghfake.Artifact(300, 30, "parse-baseline", ghfake.RepoID, false, ""),
		ghfake.Artifact(201, 20, "parse-baseline", ghfake.RepoID, false, sha(stale)), ghfake.Artifact(205, 20, "parse-baseline", ghfake.RepoID, false, sha(good)), // re-run: newest id wins
		ghfake.Artifact(100, 10, "parse-baseline", ghfake.RepoID, false, ""),
	}}))
	f.On("GET", "/repos/o/r/actions/artifacts/300/zip", ghfake.JSON(http.StatusGone, ghfake.ErrorBody("Artifact has expired")))
	f.On("GET", "/repos/o/r/actions/artifacts/205/zip", ghfake.Redirect(blob.URL+"/b/205"))
	c, _ := newTestClient(t, f)
	ref, err := c.FindReference(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	want := &Reference{Provenance: artifact.Provenance{
		RunID: 20, RunURL: "https://github.com/o/r/actions/runs/20", Branch: "main", SHA: fmt.Sprintf("%040d", 20),
		ArtifactID: 205, CreatedAt: time.Date(2026, 11, 20, 14, 59, 22, 0, time.UTC),
	}, Data: []byte(`{"total":3}`)}
	if diff := cmp.Diff(want, ref); diff != "" {
		t.Errorf("reference (-want +got):\n%s", diff)
	}
}

func TestFindReferenceFallsBackToRunArtifacts(t *testing.T) {
	t.Parallel()
	good := makeZip(t, entry{name: "parse_baseline.json", body: `{}`})
	blob := ghfake.NewBlobHost(t, map[string][]byte{"/b/7": good})
	f := newFake(t)
	f.On("GET", runsPath, ghfake.JSON(200, map[string]any{"total_count": 1, "workflow_runs": []any{ghfake.Run(20, "main", "push", ghfake.RepoID, testNow)}}))
	full := make([]any, 100) // a full page: older runs may be missing from it
	for i := range full {
		full[i] = ghfake.Artifact(int64(1000+i), int64(5000+i), "parse-baseline", ghfake.RepoID, false, "")
	}
	f.On("GET", "/repos/o/r/actions/artifacts?name=parse-baseline&per_page=100", ghfake.JSON(200, map[string]any{"total_count": 250, "artifacts": full}))
	f.On("GET", "/repos/o/r/actions/runs/20/artifacts?name=parse-baseline", ghfake.JSON(200, map[string]any{"total_count": 1, "artifacts": []any{ghfake.Artifact(7, 20, "parse-baseline", ghfake.RepoID, false, sha(good))}}))
	f.On("GET", "/repos/o/r/actions/artifacts/7/zip", ghfake.Redirect(blob.URL+"/b/7"))
	c, _ := newTestClient(t, f)
	ref, err := c.FindReference(context.Background(), query)
	if err != nil || ref.ArtifactID != 7 {
		t.Fatalf("FindReference = %+v, %v", ref, err)
	}
}

func TestFindReferenceFailures(t *testing.T) {
	t.Parallel()
	good := makeZip(t, entry{name: "parse_baseline.json", body: `{}`})
	tests := []struct {
		name    string
		setup   func(f *ghfake.API, blobURL string)
		wantIs  error
		wantMsg string
	}{
		{"no runs", func(f *ghfake.API, _ string) {
			f.On("GET", runsPath, ghfake.JSON(200, map[string]any{"total_count": 0, "workflow_runs": []any{}}))
		}, ErrNoReference, "no successful push run"},
		{"all expired", func(f *ghfake.API, _ string) {
			f.On("GET", runsPath, ghfake.JSON(200, map[string]any{"total_count": 1, "workflow_runs": []any{ghfake.Run(20, "main", "push", ghfake.RepoID, testNow)}}))
			f.On("GET", "/repos/o/r/actions/artifacts", ghfake.JSON(200, map[string]any{"total_count": 1, "artifacts": []any{ghfake.Artifact(1, 20, "parse-baseline", ghfake.RepoID, true, "")}}))
		}, ErrNoReference, "no unexpired"},
		{"digest mismatch", func(f *ghfake.API, blobURL string) {
			f.On("GET", runsPath, ghfake.JSON(200, map[string]any{"total_count": 1, "workflow_runs": []any{ghfake.Run(20, "main", "push", ghfake.RepoID, testNow)}}))
			f.On("GET", "/repos/o/r/actions/artifacts", ghfake.JSON(200, map[string]any{"total_count": 1, "artifacts": []any{ghfake.Artifact(1, 20, "parse-baseline", ghfake.RepoID, false, "sha256:"+strings.Repeat("0", 64))}}))
			f.On("GET", "/repos/o/r/actions/artifacts/1/zip", ghfake.Redirect(blobURL+"/b/1"))
		}, nil, "digest mismatch"},
		{"no permission", func(f *ghfake.API, _ string) {
			f.On("GET", runsPath, ghfake.JSON(403, ghfake.ErrorBody("Resource not accessible by integration")))
		}, ErrNotAccessible, "list workflow runs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			blob := ghfake.NewBlobHost(t, map[string][]byte{"/b/1": good})
			f := newFake(t)
			tt.setup(f, blob.URL)
			c, _ := newTestClient(t, f)
			_, err := c.FindReference(context.Background(), query)
			if err == nil || (tt.wantIs != nil && !errors.Is(err, tt.wantIs)) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("err = %v, want %v / %q", err, tt.wantIs, tt.wantMsg)
			}
		})
	}
}

func TestTokenStaysOnAPIHost(t *testing.T) {
	t.Parallel()
	// Even the API client, asked for an absolute URL on another host (as a
	// redirect or a URL in a response would), sends no token there.
	f := newFake(t)
	c, _ := newTestClient(t, f)
	blob := ghfake.NewBlobHost(t, map[string][]byte{"/x": []byte(`{}`)})
	req, err := c.gh.NewRequest("GET", blob.URL+"/x", nil)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if _, err := c.gh.Do(context.Background(), req, &v); err != nil {
		t.Fatal(err)
	}
}
