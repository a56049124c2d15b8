package e2e

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/org/gonogo-action/internal/github"
	"github.com/org/gonogo-action/internal/github/ghfake"
)

const token = "ghs_e2etoken"

const config = `version: 1
profile: ci
gates:
  - id: smoke
    title: Smoke
    run: 'echo "::error::forged by a gate"; sleep 0.1 & echo started'
  - id: scrubbed
    title: No credentials reach gates
    run: '! env | grep -iE "token|^INPUT_|^ACTIONS_"'
  - id: parse
    title: Parse ratchet
    parse-regression:
      statuses: statuses.jsonl
      reference: {artifact: parse-baseline}
      output: parse_baseline.json
`

const statuses = `{"ok": false, "code_name": "PARSE_ERROR", "file": "wf/a.aether", "line": 3, "message": "unexpected token"}
{"ok": true, "code_name": "SUCCESS", "file": "wf/good.aether"}
`

const refMain = `{"timestamp": "2026-11-20T10:00:00Z", "total": 1, "by_code": {"SUCCESS": 1}, "failure_rate": 0, "files": [{"path": "wf/good.aether", "code_name": "SUCCESS"}]}`

// A newer baseline that must never be used (it came from a fork or a
// feature branch): it would hide the new failure.
const refWrong = `{"timestamp": "2026-11-25T10:00:00Z", "total": 2, "by_code": {"SUCCESS": 1, "PARSE_ERROR": 1}, "failure_rate": 0.5, "files": []}`

func image(t *testing.T) string {
	img := os.Getenv("GONOGO_E2E_IMAGE")
	if img == "" && os.Getenv("GONOGO_FULL_TESTS") != "" {
		t.Fatal("GONOGO_E2E_IMAGE not set, and GONOGO_FULL_TESTS forbids skipping: scripts/docker-image.sh builds the image")
	}
	if img == "" {
		t.Skip("GONOGO_E2E_IMAGE not set (scripts/docker-image.sh builds the image): Docker end-to-end test not run")
	}
	return img
}

func zipOf(t *testing.T, body string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("parse_baseline.json")
	_, _ = w.Write([]byte(body))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// expectReference registers the lookup: the newest runs are a fork's
// "main" and an expired one; run 20 is the one to use. The first list call
// fails with 502 and the artifacts call hits a secondary rate limit (429),
// both to be retried.
func expectReference(t *testing.T, api *ghfake.API, blobURL string, flaky bool) {
	now := time.Now()
	runs := ghfake.JSON(200, ghfake.Runs(
		ghfake.Run(40, "main", "push", 777, now.Add(-time.Hour)),             // a fork's branch named main
		ghfake.Run(30, "main", "push", ghfake.RepoID, now.Add(-2*time.Hour)), // artifact expired
		ghfake.Run(20, "main", "push", ghfake.RepoID, now.Add(-48*time.Hour)),
	))
	arts := ghfake.JSON(200, ghfake.Artifacts(
		ghfake.Artifact(41, 40, "parse-baseline", 777, false, ""),
		ghfake.Artifact(35, 55, "parse-baseline", ghfake.RepoID, false, ""), // a feature branch's run, not listed above
		ghfake.Artifact(31, 30, "parse-baseline", ghfake.RepoID, true, ""),
		ghfake.Artifact(21, 20, "parse-baseline", ghfake.RepoID, false, ""),
	))
	const runsPath = "/repos/o/r/actions/runs?branch=main&event=push&status=success"
	const artsPath = "/repos/o/r/actions/artifacts?name=parse-baseline"
	if flaky {
		api.On("GET", runsPath, ghfake.Error(502, "Server Error"))
		api.On("GET", artsPath, ghfake.WithHeaders(map[string]string{"Retry-After": "1"}, ghfake.Error(429, "You have exceeded a secondary rate limit.")))
	}
	api.On("GET", runsPath, runs)
	api.On("GET", artsPath, arts)
	api.On("GET", "/repos/o/r/actions/artifacts/21/zip", ghfake.Redirect(blobURL+"/blob/21"))
}

type run struct {
	ws, files, workflow string
	output, summary     string
}

// dockerRun starts the image as the runner starts a Docker action, with
// config as the gates.
func dockerRun(t *testing.T, img, apiURL, eventName string, event any, extra map[string]string) (run, int, string) {
	t.Helper()
	return dockerRunWith(t, img, setup{}, apiURL, eventName, event, extra)
}

// setup varies a dockerRun.
type setup struct {
	config string // the gates; "" means config
	// owner ("uid:gid") is given the workspace before the run, as a
	// runner's checkout belongs to the runner's user; "" leaves it the
	// test's.
	owner string
}

func dockerRunWith(t *testing.T, img string, s setup, apiURL, eventName string, event any, extra map[string]string) (run, int, string) {
	t.Helper()
	r := run{ws: t.TempDir(), files: t.TempDir(), workflow: t.TempDir()}
	t.Cleanup(func() { chownBack(img, r.ws, r.files, r.workflow) })
	must(t, os.MkdirAll(filepath.Join(r.ws, ".github"), 0o755))
	must(t, os.WriteFile(filepath.Join(r.ws, ".github/gonogo.yml"), []byte(cmp.Or(s.config, config)), 0o644))
	must(t, os.WriteFile(filepath.Join(r.ws, "statuses.jsonl"), []byte(statuses), 0o644))
	if s.owner != "" {
		chown(img, s.owner, r.ws)
	}
	ev, _ := json.Marshal(event)
	must(t, os.WriteFile(filepath.Join(r.workflow, "event.json"), ev, 0o644))
	r.output = filepath.Join(r.files, "set_output_1")
	r.summary = filepath.Join(r.files, "step_summary_1")
	for _, f := range []string{r.output, r.summary} {
		must(t, os.WriteFile(f, nil, 0o666))
	}
	env := map[string]string{
		"GITHUB_ACTIONS": "true", "CI": "true", "HOME": "/github/home",
		"GITHUB_WORKSPACE": "/github/workspace", "GITHUB_EVENT_NAME": eventName,
		"GITHUB_EVENT_PATH": "/github/workflow/event.json",
		"GITHUB_OUTPUT":     "/github/file_commands/set_output_1", "GITHUB_STEP_SUMMARY": "/github/file_commands/step_summary_1",
		"GITHUB_REPOSITORY": "o/r", "GITHUB_API_URL": apiURL, "GITHUB_SERVER_URL": "https://github.com",
		"GITHUB_RUN_ID": "99", "GITHUB_SHA": "mergesha", "ACTIONS_RUNTIME_TOKEN": "runtime-secret",
		"INPUT_CONFIG": ".github/gonogo.yml", "INPUT_GITHUB-TOKEN": token, "INPUT_COMMENT": "auto",
		"INPUT_COMMENT-KEY": "gonogo", "INPUT_REFERENCE-BRANCH": "main", "INPUT_MISSING-REFERENCE": "warn",
		"INPUT_STATUSES": "summary", "INPUT_MODE": "run", "INPUT_WORKING-DIRECTORY": ".", "INPUT_REPORT-TIMEOUT": "3m",
	}
	for k, v := range extra {
		env[k] = v
	}
	args := []string{"run", "--rm", "--network", "host", "--workdir", "/github/workspace",
		"-v", r.ws + ":/github/workspace", "-v", r.files + ":/github/file_commands", "-v", r.workflow + ":/github/workflow"}
	for k, v := range env {
		args = append(args, "-e", k+"="+v)
	}
	cmd := exec.Command("docker", append(args, img)...)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r, code, string(out)
}

// chownBack gives the files the container (root) wrote back to the test's
// user, so the temporary directories can be removed on a CI runner.
func chownBack(img string, dirs ...string) {
	chown(img, fmt.Sprintf("%d:%d", os.Getuid(), os.Getgid()), dirs...)
}

// chown gives dirs to owner ("uid:gid") through the image, so the test
// needs no root on the host.
func chown(img, owner string, dirs ...string) {
	for _, d := range dirs {
		_ = exec.Command("docker", "run", "--rm", "--network", "none", "-v", d+":/d", "--entrypoint", "/bin/chown", img,
			"-R", owner, "/d").Run()
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	must(t, err)
	return string(b)
}

func prEvent(sha string) map[string]any {
	return map[string]any{"number": 7, "pull_request": map[string]any{"number": 7, "head": map[string]any{"sha": sha}},
		"repository": map[string]any{"id": ghfake.RepoID, "default_branch": "main"}}
}

func TestDockerAction(t *testing.T) {
	img := image(t)
	blob := ghfake.NewBlobHost(t, map[string][]byte{"/blob/21": zipOf(t, refMain), "/blob/41": zipOf(t, refWrong)})

	var commentID int64 = 900
	var lastBody string
	capture := func(code int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			var in struct{ Body string }
			_ = json.NewDecoder(r.Body).Decode(&in)
			lastBody = in.Body
			ghfake.JSON(code, ghfake.Comment(commentID, github.DefaultBot, in.Body))(w, r)
		}
	}
	mallory := ghfake.Comment(5, "mallory", github.Marker("gonogo")+"\nI am the sign-off")

	t.Run("first pull request run creates the comment", func(t *testing.T) {
		api := ghfake.NewAPI(t, token)
		expectReference(t, api, blob.URL, true)
		api.On("GET", "/repos/o/r/issues/7/comments", ghfake.JSON(200, []any{mallory}))
		api.On("POST", "/repos/o/r/issues/7/comments", capture(201))
		api.On("POST", "/repos/o/r/statuses/headsha", ghfake.JSON(201, map[string]any{"id": 1}))
		r, code, out := dockerRun(t, img, api.URL(), "pull_request", prEvent("headsha"), nil)
		if code != 0 {
			t.Fatalf("exit %d:\n%s", code, out)
		}
		if !strings.Contains(lastBody, "**Reference:** main at `0000000`, [run 20]") {
			t.Errorf("comment does not name run 20 as the reference:\n%s", lastBody)
		}
		if !strings.Contains(lastBody, "wf/a.aether") {
			t.Errorf("comment lacks the new failure:\n%s", lastBody)
		}
		if strings.Contains(out, "\n::error::forged by a gate") {
			t.Errorf("a gate's output became a workflow command:\n%s", out)
		}
		if !strings.Contains(out, "::add-mask::"+token) {
			t.Errorf("token not masked:\n%s", out)
		}
		outputs := read(t, r.output)
		for _, want := range []string{"all-passed<<", "comment-url<<", "issuecomment-900", "reference-run-id<<"} {
			if !strings.Contains(outputs, want) {
				t.Errorf("outputs lack %q:\n%s", want, outputs)
			}
		}
		if !strings.Contains(read(t, r.summary), "## Go / no-go") {
			t.Errorf("summary not written")
		}
	})

	t.Run("second run edits the comment, never mallory's", func(t *testing.T) {
		api := ghfake.NewAPI(t, token)
		expectReference(t, api, blob.URL, false)
		api.On("GET", "/repos/o/r/issues/7/comments", ghfake.JSON(200, []any{mallory, ghfake.Comment(commentID, github.DefaultBot, lastBody)}))
		api.On("PATCH", fmt.Sprintf("/repos/o/r/issues/comments/%d", commentID), capture(200))
		api.On("POST", "/repos/o/r/statuses/newsha", ghfake.JSON(201, map[string]any{"id": 2}))
		// The body changes with the new head only through the run link, so
		// force a difference: another profile.
		_, code, out := dockerRun(t, img, api.URL(), "pull_request", prEvent("newsha"), map[string]string{"INPUT_PROFILE": "second"})
		if code != 0 {
			t.Fatalf("exit %d:\n%s", code, out)
		}
	})

	t.Run("fork pull request: 403 is a warning", func(t *testing.T) {
		api := ghfake.NewAPI(t, token)
		expectReference(t, api, blob.URL, false)
		api.On("GET", "/repos/o/r/issues/7/comments", ghfake.JSON(200, []any{}))
		api.On("POST", "/repos/o/r/issues/7/comments", ghfake.Error(403, "Resource not accessible by integration"))
		api.On("POST", "/repos/o/r/statuses/forksha", ghfake.Error(403, "Resource not accessible by integration"))
		r, code, out := dockerRun(t, img, api.URL(), "pull_request", prEvent("forksha"), nil)
		if code != 0 {
			t.Fatalf("exit %d:\n%s", code, out)
		}
		if !strings.Contains(out, "::warning title=gonogo::comment not written") {
			t.Errorf("no warning:\n%s", out)
		}
		if !strings.Contains(read(t, r.summary), "| Smoke |") {
			t.Error("summary lacks the table")
		}
	})

	t.Run("push to main posts nothing and leaves the baseline", func(t *testing.T) {
		api := ghfake.NewAPI(t, token)
		expectReference(t, api, blob.URL, false)
		r, code, out := dockerRun(t, img, api.URL(), "push", map[string]any{"ref": "refs/heads/main"}, nil)
		if code != 0 {
			t.Fatalf("exit %d:\n%s", code, out)
		}
		if _, err := os.Stat(filepath.Join(r.ws, "parse_baseline.json")); err != nil {
			t.Errorf("parse_baseline.json not left for upload: %v", err)
		}
		for _, c := range api.Calls() {
			if !strings.HasPrefix(c, "GET ") {
				t.Errorf("a push wrote to the API: %s", c)
			}
		}
	})
}
