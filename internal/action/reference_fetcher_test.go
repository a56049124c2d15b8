package action

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/artifact"
	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/github"
	"github.com/org/gonogo-action/internal/github/ghfake"
)

// cacheConfig is a checker gate with a cache, referenced to main's
// artifact: the pull request's run wants two files of that artifact.
const cacheConfig = `version: 1
gates:
  - id: parse
    parse-regression:
      checker: "sh -c 'grep -q bad \"$1\" && exit 20 || exit 0' _ {file}"
      paths: [wf]
      reference: {artifact: parse-baseline}
      output: parse_baseline.json
      cache: parse_baseline.cache
`

// expectArtifactOnce registers main's artifact 11 of run 20, holding
// files, and no second search or download of it: the API fake fails on a
// call it does not expect, and the returned counter is the blob host's.
func expectArtifactOnce(t *testing.T, api *ghfake.API, files map[string][]byte) *atomic.Int32 {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"parse_baseline.json", "parse_baseline.cache"} {
		if data, ok := files[name]; ok {
			w, _ := zw.Create(name)
			_, _ = w.Write(data)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	archive := buf.Bytes()
	var downloads atomic.Int32
	blob := ghfake.NewBlobHostHandler(t, func(w http.ResponseWriter, r *http.Request) {
		downloads.Add(1)
		_, _ = w.Write(archive)
	})
	api.On("GET", "/repos/o/r/actions/runs?branch=main&event=push&status=success", ghfake.JSON(200, ghfake.Runs(
		ghfake.Run(20, "main", "push", ghfake.RepoID, now.Add(-48*time.Hour)),
	)))
	api.On("GET", "/repos/o/r/actions/artifacts?name=parse-baseline", ghfake.JSON(200, ghfake.Artifacts(
		ghfake.Artifact(11, 20, "parse-baseline", ghfake.RepoID, false, ""),
	)))
	api.On("GET", "/repos/o/r/actions/artifacts/11/zip", ghfake.Redirect(blob.URL+"/blob/11"))
	return &downloads
}

// cacheRun runs the action of f (a pull request into main) over tree with
// cacheConfig, and returns the parse gate's details.
func cacheRun(t *testing.T, f *fixture, tree map[string]string) map[string]any {
	t.Helper()
	write(t, filepath.Join(f.ws, ".github/gonogo.yml"), cacheConfig)
	for name, body := range tree {
		write(t, filepath.Join(f.ws, name), body)
	}
	if code := f.run(t); code != cli.ExitPass {
		t.Fatalf("exit %d; stderr:\n%s\nstdout:\n%s", code, f.errb, f.out)
	}
	data, err := os.ReadFile(filepath.Join(f.ws, "gate_results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	details, _ := doc["parse"]["details"].(map[string]any)
	return details
}

// A baseline and a cache come from one search and one download of main's
// artifact, so the cache is the verdicts of the run the baseline is from.
// An artifact without the cache (main's first run with cache:) is a
// warning and a full check, still from that one download.
func TestBaselineAndCacheShareOneDownload(t *testing.T) {
	t.Parallel()
	tree := map[string]string{"wf/b.aether": "bad\n", "wf/good.aether": "fine\n"}
	for i := range 4 {
		tree[fmt.Sprintf("wf/f%d.aether", i)] = "fine\n"
	}
	// One workspace for both runs, as the checker's environment (the
	// workspace's path) is part of its identity.
	api := ghfake.NewAPI(t, token)
	f := newFixture(t, api, "pull_request", prEvent(7, "headsha"), map[string]string{"comment": "never", "statuses": "none"})

	// Main's artifact has no cache yet.
	downloads := expectArtifactOnce(t, api, map[string][]byte{"parse_baseline.json": []byte(refBaseline)})
	details := cacheRun(t, f, tree)
	if n := downloads.Load(); n != 1 {
		t.Errorf("artifact downloaded %d times, want 1", n)
	}
	want := map[string]any{
		"file": "parse_baseline.cache", "rechecked": 6.0, "reused": 0.0,
		"warnings": []any{`no cache from artifact parse-baseline on the reference branch (parse_baseline.cache): artifact 11: zip has no "parse_baseline.cache"; every file is checked`},
	}
	if d := cmp.Diff(want, details["cache"]); d != "" {
		t.Errorf("details.cache without a cache in the artifact (-want +got):\n%s", d)
	}
	if p, _ := details["reference_provenance"].(map[string]any); p["run_id"] != 20.0 || p["artifact_id"] != 11.0 {
		t.Errorf("reference_provenance = %v, want run 20, artifact 11", p)
	}
	api.Verify()
	// What main's run would upload: its baseline and its cache.
	files := map[string][]byte{}
	for _, name := range []string{"parse_baseline.json", "parse_baseline.cache"} {
		data, err := os.ReadFile(filepath.Join(f.ws, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = data
	}

	// The pull request changes one file; main's artifact now has both.
	downloads = expectArtifactOnce(t, api, files)
	tree["wf/f0.aether"] = "fine, edited\n"
	details = cacheRun(t, f, tree)
	if n := downloads.Load(); n != 1 {
		t.Errorf("artifact downloaded %d times, want 1", n)
	}
	want = map[string]any{
		"file": "parse_baseline.cache", "rechecked": 1.0, "reused": 5.0,
		"sources": []any{"artifact parse-baseline on the reference branch (parse_baseline.cache), run 20"},
	}
	if d := cmp.Diff(want, details["cache"]); d != "" {
		t.Errorf("details.cache (-want +got):\n%s", d)
	}
	if p, _ := details["reference_provenance"].(map[string]any); p["run_id"] != 20.0 || p["artifact_id"] != 11.0 {
		t.Errorf("reference_provenance = %v, want run 20 (the cache's), artifact 11", p)
	}
}

// Gates that name the same artifact share its one search and download,
// even when they run at once.
func TestGatesShareOneDownload(t *testing.T) {
	t.Parallel()
	api := ghfake.NewAPI(t, token)
	downloads := expectArtifactOnce(t, api, map[string][]byte{"parse_baseline.json": []byte(refBaseline)})
	f := newFixture(t, api, "pull_request", prEvent(7, "headsha"), map[string]string{"comment": "never", "statuses": "none"})
	var cfg strings.Builder
	cfg.WriteString("version: 1\ngates:\n")
	for i := range 4 {
		fmt.Fprintf(&cfg, "  - id: parse%d\n    parse-regression:\n      statuses: statuses.jsonl\n      reference: {artifact: parse-baseline}\n      output: out/parse%d.json\n", i, i)
	}
	write(t, filepath.Join(f.ws, ".github/gonogo.yml"), cfg.String())
	f.run(t)
	if n := downloads.Load(); n != 1 {
		t.Errorf("artifact downloaded %d times, want 1", n)
	}
	results, err := os.ReadFile(filepath.Join(f.ws, "gate_results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(results), `"run_id": 20`); n != 4 {
		t.Errorf("%d gates name run 20 as their reference, want 4:\n%s", n, results)
	}
}

// A gate that gives up (its context ended) leaves no answer behind: the
// next gate searches, and what it finds serves every file after it.
func TestAbandonedLookupIsNotKept(t *testing.T) {
	t.Parallel()
	api := ghfake.NewAPI(t, token)
	downloads := expectArtifactOnce(t, api, map[string][]byte{"parse_baseline.json": []byte(refBaseline)})
	c, err := github.New(github.Options{Token: token, APIURL: api.URL(), Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	f := &referenceFetcher{client: c, repo: github.Repo{Owner: "o", Name: "r"}, plan: []branchChoice{{Branch: "main", Why: artifact.ByBase}}}
	ref := artifact.Ref{Name: "parse-baseline", File: "parse_baseline.json"}
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := f.FetchReference(gone, ref); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled lookup: err = %v, want context.Canceled", err)
	}
	data, found, err := f.FetchReference(context.Background(), ref)
	if err != nil || string(data) != refBaseline || found.RunID != 20 || found.Why != artifact.ByBase {
		t.Fatalf("lookup after a cancelled one = %q, %+v, %v", data, found, err)
	}
	ref.File = "parse_baseline.cache"
	if _, _, err := f.FetchReference(context.Background(), ref); err == nil || !strings.Contains(err.Error(), `artifact 11: zip has no "parse_baseline.cache"`) {
		t.Errorf("cache from the same artifact: err = %v", err)
	}
	if n := downloads.Load(); n != 1 {
		t.Errorf("artifact downloaded %d times, want 1", n)
	}
	if got := f.runID(); got != "20" {
		t.Errorf("runID = %q, want 20", got)
	}
}
