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

var query = ReferenceQuery{Repo: Repo{"o", "r"}, Name: "parse-baseline", Branch: "main"}

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
	want := artifact.Provenance{
		RunID: 20, RunURL: "https://github.com/o/r/actions/runs/20", Branch: "main", SHA: fmt.Sprintf("%040d", 20),
		ArtifactID: 205, CreatedAt: time.Date(2026, 11, 20, 14, 59, 22, 0, time.UTC),
	}
	if diff := cmp.Diff(want, ref.Provenance); diff != "" {
		t.Errorf("reference (-want +got):\n%s", diff)
	}
	if data, err := ref.ReadFile("parse_baseline.json"); err != nil || string(data) != `{"total":3}` {
		t.Errorf("ReadFile = %q, %v", data, err)
	}
}

// Every file read from a Reference comes from its one download, and each
// read checks the whole archive under the query's limits: a second entry
// is held to the rules the first was.
func TestReferenceReadsEachFileFromItsOneDownload(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		entries []entry
		lim     ZipLimits
		file    string
		want    string // the contents, or the error
	}{
		{"second entry", []entry{{name: "parse_baseline.json", body: `{}`}, {name: "parse_baseline.cache", body: "cache"}}, ZipLimits{}, "parse_baseline.cache", "cache"},
		{"no such entry", []entry{{name: "parse_baseline.json", body: `{}`}}, ZipLimits{}, "parse_baseline.cache", `artifact 7: zip has no "parse_baseline.cache"`},
		{"unsafe name beside it", []entry{{name: "parse_baseline.cache", body: "cache"}, {name: "../evil", body: "x"}}, ZipLimits{}, "parse_baseline.cache", `artifact 7: zip entry "../evil": unsafe name`},
		{"duplicate of it", []entry{{name: "parse_baseline.cache", body: "a"}, {name: "Parse_Baseline.cache", body: "b"}}, ZipLimits{}, "parse_baseline.cache", "appears twice"},
		{"over the query's limit", []entry{{name: "parse_baseline.json", body: `{}`}, {name: "parse_baseline.cache", body: strings.Repeat("c", 100)}}, ZipLimits{EntrySize: 64}, "parse_baseline.cache", "uncompressed size over the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			archive := makeZip(t, tt.entries...)
			blob := ghfake.NewBlobHost(t, map[string][]byte{"/b/7": archive})
			f := newFake(t)
			f.On("GET", runsPath, ghfake.JSON(200, ghfake.Runs(ghfake.Run(20, "main", "push", ghfake.RepoID, testNow))))
			f.On("GET", "/repos/o/r/actions/artifacts", ghfake.JSON(200, ghfake.Artifacts(ghfake.Artifact(7, 20, "parse-baseline", ghfake.RepoID, false, sha(archive)))))
			f.On("GET", "/repos/o/r/actions/artifacts/7/zip", ghfake.Redirect(blob.URL+"/b/7"))
			c, _ := newTestClient(t, f)
			q := query
			q.Limits = tt.lim
			ref, err := c.FindReference(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			// Twice: the archive is kept, not consumed, and the API
			// (which fails on a call it does not expect) is not asked again.
			for range 2 {
				got, err := ref.ReadFile(tt.file)
				switch {
				case err != nil && !strings.Contains(err.Error(), tt.want):
					t.Errorf("ReadFile: %v, want %q", err, tt.want)
				case err == nil && string(got) != tt.want:
					t.Errorf("ReadFile = %q, want %q", got, tt.want)
				}
			}
		})
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
