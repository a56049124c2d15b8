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

	"github.com/google/go-cmp/cmp"
)

const repoID = 1296269

// wfRun is a workflow run in the documented shape (the fields we read and
// a few more).
func wfRun(id int64, branch, event string, headRepo int64, created time.Time) map[string]any {
	return map[string]any{
		"id": id, "name": "gonogo", "head_branch": branch, "head_sha": fmt.Sprintf("%040d", id),
		"event": event, "status": "completed", "conclusion": "success",
		"html_url":   fmt.Sprintf("https://github.com/o/r/actions/runs/%d", id),
		"created_at": created.Format(time.RFC3339), "head_repository_id": headRepo,
		"repository":      map[string]any{"id": repoID, "full_name": "o/r"},
		"head_repository": map[string]any{"id": headRepo},
	}
}

// art is an artifact in the documented shape.
func art(id, runID int64, headRepo int64, expired bool, digest string) map[string]any {
	a := map[string]any{
		"id": id, "node_id": "x", "name": "parse-baseline", "size_in_bytes": 556,
		"url":                  fmt.Sprintf("https://api.github.com/repos/o/r/actions/artifacts/%d", id),
		"archive_download_url": fmt.Sprintf("https://api.github.com/repos/o/r/actions/artifacts/%d/zip", id),
		"expired":              expired, "created_at": "2026-11-20T14:59:22Z", "expires_at": "2027-02-18T14:59:22Z",
		"workflow_run": map[string]any{
			"id": runID, "repository_id": repoID, "head_repository_id": headRepo,
			"head_branch": "main", "head_sha": fmt.Sprintf("%040d", runID),
		},
	}
	if digest != "" {
		a["digest"] = digest
	}
	return a
}

func redirect(to string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", to)
		w.WriteHeader(http.StatusFound)
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

var query = ReferenceQuery{Repo: Repo{"o", "r"}, Branch: "main", Artifact: "parse-baseline", File: "parse_baseline.json"}

const runsPath = "/repos/o/r/actions/runs?branch=main&event=push&status=success"

func TestFindReferenceWalksToNewestOwnUnexpired(t *testing.T) {
	t.Parallel()
	good := makeZip(t, entry{name: "parse_baseline.json", body: `{"total":3}`})
	stale := makeZip(t, entry{name: "parse_baseline.json", body: `{"total":99}`})
	blob := newBlobHost(t, map[string][]byte{"/b/205": good, "/b/201": stale})
	f := newFakeAPI(t)
	t0 := testNow.Add(-time.Hour)
	f.on("GET", runsPath, jsonReply(map[string]any{"total_count": 6, "workflow_runs": []any{
		wfRun(60, "main", "push", 999, t0.Add(6*time.Minute)),            // a fork's branch named main
		wfRun(55, "feature", "push", repoID, t0.Add(5*time.Minute)),      // wrong branch, despite the filter
		wfRun(50, "main", "pull_request", repoID, t0.Add(4*time.Minute)), // wrong event
		wfRun(40, "main", "push", repoID, t0.Add(3*time.Minute)),         // artifact expired
		wfRun(30, "main", "push", repoID, t0.Add(2*time.Minute)),         // 410 on download
		wfRun(20, "main", "push", repoID, t0.Add(1*time.Minute)),         // the one
		wfRun(10, "main", "push", repoID, t0),                            // older still
	}}))
	f.on("GET", "/repos/o/r/actions/artifacts?name=parse-baseline", jsonReply(map[string]any{"total_count": 6, "artifacts": []any{
		art(600, 60, 999, false, ""), art(550, 55, repoID, false, ""),
		art(400, 40, repoID, true, ""), art(300, 30, repoID, false, ""),
		art(201, 20, repoID, false, sha(stale)), art(205, 20, repoID, false, sha(good)), // re-run: newest id wins
		art(100, 10, repoID, false, ""),
	}}))
	f.on("GET", "/repos/o/r/actions/artifacts/300/zip", jsonStatus(http.StatusGone, ghError("Artifact has expired")))
	f.on("GET", "/repos/o/r/actions/artifacts/205/zip", redirect(blob.URL+"/b/205"))
	c, _ := newTestClient(t, f)
	ref, err := c.FindReference(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	want := &Reference{
		RunID: 20, RunURL: "https://github.com/o/r/actions/runs/20", Branch: "main", SHA: fmt.Sprintf("%040d", 20),
		ArtifactID: 205, CreatedAt: time.Date(2026, 11, 20, 14, 59, 22, 0, time.UTC), Data: []byte(`{"total":3}`),
	}
	if diff := cmp.Diff(want, ref); diff != "" {
		t.Errorf("reference (-want +got):\n%s", diff)
	}
}

func TestFindReferenceFallsBackToRunArtifacts(t *testing.T) {
	t.Parallel()
	good := makeZip(t, entry{name: "parse_baseline.json", body: `{}`})
	blob := newBlobHost(t, map[string][]byte{"/b/7": good})
	f := newFakeAPI(t)
	f.on("GET", runsPath, jsonReply(map[string]any{"total_count": 1, "workflow_runs": []any{wfRun(20, "main", "push", repoID, testNow)}}))
	full := make([]any, 100) // a full page: older runs may be missing from it
	for i := range full {
		full[i] = art(int64(1000+i), int64(5000+i), repoID, false, "")
	}
	f.on("GET", "/repos/o/r/actions/artifacts?name=parse-baseline&per_page=100", jsonReply(map[string]any{"total_count": 250, "artifacts": full}))
	f.on("GET", "/repos/o/r/actions/runs/20/artifacts?name=parse-baseline", jsonReply(map[string]any{"total_count": 1, "artifacts": []any{art(7, 20, repoID, false, sha(good))}}))
	f.on("GET", "/repos/o/r/actions/artifacts/7/zip", redirect(blob.URL+"/b/7"))
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
		setup   func(f *fakeAPI, blobURL string)
		wantIs  error
		wantMsg string
	}{
		{"no runs", func(f *fakeAPI, _ string) {
			f.on("GET", runsPath, jsonReply(map[string]any{"total_count": 0, "workflow_runs": []any{}}))
		}, ErrNoReference, "no successful push run"},
		{"all expired", func(f *fakeAPI, _ string) {
			f.on("GET", runsPath, jsonReply(map[string]any{"total_count": 1, "workflow_runs": []any{wfRun(20, "main", "push", repoID, testNow)}}))
			f.on("GET", "/repos/o/r/actions/artifacts", jsonReply(map[string]any{"total_count": 1, "artifacts": []any{art(1, 20, repoID, true, "")}}))
		}, ErrNoReference, "no unexpired"},
		{"digest mismatch", func(f *fakeAPI, blobURL string) {
			f.on("GET", runsPath, jsonReply(map[string]any{"total_count": 1, "workflow_runs": []any{wfRun(20, "main", "push", repoID, testNow)}}))
			f.on("GET", "/repos/o/r/actions/artifacts", jsonReply(map[string]any{"total_count": 1, "artifacts": []any{art(1, 20, repoID, false, "sha256:"+strings.Repeat("0", 64))}}))
			f.on("GET", "/repos/o/r/actions/artifacts/1/zip", redirect(blobURL+"/b/1"))
		}, nil, "digest mismatch"},
		{"no permission", func(f *fakeAPI, _ string) {
			f.on("GET", runsPath, jsonStatus(403, ghError("Resource not accessible by integration")))
		}, ErrNotAccessible, "list workflow runs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			blob := newBlobHost(t, map[string][]byte{"/b/1": good})
			f := newFakeAPI(t)
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
	f := newFakeAPI(t)
	c, _ := newTestClient(t, f)
	blob := newBlobHost(t, map[string][]byte{"/x": []byte(`{}`)})
	req, err := c.gh.NewRequest("GET", blob.URL+"/x", nil)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if _, err := c.gh.Do(context.Background(), req, &v); err != nil {
		t.Fatal(err)
	}
}
