package action

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/github"
	"github.com/org/gonogo-action/internal/github/ghfake"
)

const token = "ghs_actiontoken"

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// config has a run gate and a parse-regression gate fed by a statuses file
// and referenced to main's artifact.
const config = `version: 1
profile: ci
gates:
  - id: smoke
    title: Smoke
    run: echo ok
  - id: parse
    title: Parse ratchet
    parse-regression:
      statuses: statuses.jsonl
      reference: {artifact: parse-baseline}
      output: parse_baseline.json
`

const statuses = `{"ok": false, "code_name": "PARSE_ERROR", "file": "wf/a.aether", "line": 3, "message": "unexpected @here ::error::x"}
{"ok": false, "code_name": "PARSE_ERROR", "file": "wf/b.aether", "line": 7, "message": "bad"}
{"ok": true, "code_name": "SUCCESS", "file": "wf/good.aether"}
`

const refBaseline = `{"timestamp": "2026-11-20T10:00:00Z", "total": 2, "by_code": {"SUCCESS": 1, "PARSE_ERROR": 1}, "failure_rate": 0.5,
 "files": [{"path": "wf/b.aether", "code_name": "PARSE_ERROR", "line": 7, "message": "bad"}, {"path": "wf/good.aether", "code_name": "SUCCESS"}]}`

type fixture struct {
	env  map[string]string
	ws   string
	out  *bytes.Buffer
	errb *bytes.Buffer
}

func newFixture(t *testing.T, api *ghfake.API, eventName string, payload any, inputs map[string]string) *fixture {
	t.Helper()
	ws, files := t.TempDir(), t.TempDir()
	write(t, filepath.Join(ws, ".github/gonogo.yml"), config)
	write(t, filepath.Join(ws, "statuses.jsonl"), statuses)
	ev, _ := json.Marshal(payload)
	write(t, filepath.Join(files, "event.json"), string(ev))
	env := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": ws, "GITHUB_EVENT_NAME": eventName,
		"GITHUB_EVENT_PATH": filepath.Join(files, "event.json"), "GITHUB_OUTPUT": filepath.Join(files, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(files, "summary"), "GITHUB_REPOSITORY": "o/r",
		"GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": "99", "GITHUB_SHA": "mergesha",
		"INPUT_GITHUB-TOKEN": token, "INPUT_STATUSES": "summary",
		"PATH": os.Getenv("PATH"),
	}
	if api != nil {
		env["GITHUB_API_URL"] = api.URL()
	}
	for k, v := range inputs {
		env["INPUT_"+strings.ToUpper(k)] = v
	}
	return &fixture{env: env, ws: ws, out: &bytes.Buffer{}, errb: &bytes.Buffer{}}
}

func (f *fixture) run(t *testing.T) int {
	t.Helper()
	return f.runWith(t, func(*Deps) {})
}

// runWith runs the action with the test's Deps changed by edit.
func (f *fixture) runWith(t *testing.T, edit func(*Deps)) int {
	t.Helper()
	deps := Deps{Now: func() time.Time { return now }, GitHub: github.Options{
		Sleep: func(context.Context, time.Duration) error { return nil },
	}}
	edit(&deps)
	return Run(context.Background(), f.out, f.errb, func(k string) string { return f.env[k] }, deps)
}

func (f *fixture) file(t *testing.T, key string) string {
	t.Helper()
	b, err := os.ReadFile(f.env[key])
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	return string(b)
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func zipOf(t *testing.T, name, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create(name)
	_, _ = w.Write([]byte(body))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func prEvent(number int, sha string) map[string]any {
	return map[string]any{
		"action": "synchronize", "number": number,
		"pull_request": map[string]any{"number": number, "head": map[string]any{"sha": sha, "ref": "feature"},
			"base": map[string]any{"ref": "main", "sha": "basesha"}},
		"repository": repository,
	}
}

// repository is the payload's repository object.
var repository = map[string]any{"id": ghfake.RepoID, "full_name": "o/r", "default_branch": "main"}

// expectReference registers main's newest unexpired artifact: a newer run
// from a fork's "main" is skipped.
func expectReference(t *testing.T, api *ghfake.API) {
	expectReferenceOn(t, api, "main")
}

// expectReferenceOn registers branch's newest unexpired artifact, from
// run 20: a newer run from a fork's branch of the same name is skipped.
func expectReferenceOn(t *testing.T, api *ghfake.API, branch string) {
	blob := ghfake.NewBlobHost(t, map[string][]byte{"/blob/11": zipOf(t, "parse_baseline.json", refBaseline)})
	api.On("GET", "/repos/o/r/actions/runs?branch="+branch+"&event=push&status=success", ghfake.JSON(200, ghfake.Runs(
		ghfake.Run(30, branch, "push", 777, now.Add(-time.Hour)),
		ghfake.Run(20, branch, "push", ghfake.RepoID, now.Add(-48*time.Hour)),
	)))
	api.On("GET", "/repos/o/r/actions/artifacts?name=parse-baseline", ghfake.JSON(200, ghfake.Artifacts(
		ghfake.Artifact(12, 30, "parse-baseline", 777, false, ""),
		ghfake.Artifact(11, 20, "parse-baseline", ghfake.RepoID, false, ""),
	)))
	api.On("GET", "/repos/o/r/actions/artifacts/11/zip", ghfake.Redirect(blob.URL+"/blob/11"))
}

func captureBody(t *testing.T, got *string, code int, id int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Body string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		*got = in.Body
		ghfake.JSON(code, ghfake.Comment(id, github.DefaultBot, in.Body))(w, r)
	}
}

func TestPullRequestRun(t *testing.T) {
	t.Parallel()
	api := ghfake.NewAPI(t, token)
	expectReference(t, api)
	var body string
	api.On("GET", "/repos/o/r/issues/7/comments", ghfake.JSON(200, []any{
		ghfake.Comment(5, "mallory", github.Marker("gonogo")+"\nfake"), // never touched
	}))
	api.On("POST", "/repos/o/r/issues/7/comments", captureBody(t, &body, 201, 900))
	var status map[string]string
	api.On("POST", "/repos/o/r/statuses/headsha", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewDecoder(r.Body).Decode(&status)
		ghfake.JSON(201, map[string]any{"id": 1})(w, r)
	})
	f := newFixture(t, api, "pull_request", prEvent(7, "headsha"), nil)
	if code := f.run(t); code != cli.ExitPass {
		t.Fatalf("exit %d; stderr:\n%s\nstdout:\n%s", code, f.errb, f.out)
	}
	for _, want := range []string{"## Go / no-go: ✅ GO", "| Smoke |", "Parse regression", "**Reference:** main at `0000000`, [run 20](https://github.com/o/r/actions/runs/20), 5 days old — the base branch\n", "[Run and full report](https://github.com/o/r/actions/runs/99)"} {
		if !strings.Contains(body, want) {
			t.Errorf("comment lacks %q:\n%s", want, body)
		}
	}
	if !strings.HasPrefix(body, github.Marker("gonogo")) || strings.Contains(body, "@here") {
		t.Errorf("comment marker or escaping wrong:\n%s", body)
	}
	if status["context"] != "gonogo" || status["state"] != "success" || status["target_url"] != "https://github.com/o/r/actions/runs/99" {
		t.Errorf("status = %v", status)
	}
	out := f.file(t, "GITHUB_OUTPUT")
	for _, want := range []string{"all-passed<<", "\ntrue\n", "comment-url<<", "issuecomment-900", "reference-run-id<<", "\n20\n", "results<<"} {
		if !strings.Contains(out, want) {
			t.Errorf("outputs lack %q:\n%s", want, out)
		}
	}
	if sum := f.file(t, "GITHUB_STEP_SUMMARY"); !strings.Contains(sum, "| Smoke |") {
		t.Errorf("summary:\n%s", sum)
	}
	stdout := f.out.String()
	if !strings.Contains(stdout, "::add-mask::"+token) {
		t.Error("token not masked")
	}
	if !strings.Contains(stdout, "::warning title=new PARSE_ERROR,file=wf/a.aether,line=3::unexpected @here %3A%3Aerror%3A%3Ax") &&
		!strings.Contains(stdout, "::warning title=new PARSE_ERROR,file=wf/a.aether,line=3::unexpected @here ::error::x") {
		t.Errorf("annotation missing:\n%s", stdout)
	}
	results, _ := os.ReadFile(filepath.Join(f.ws, "gate_results.json"))
	if !strings.Contains(string(results), `"reference_provenance": {`) || !strings.Contains(string(results), `"run_id": 20`) {
		t.Errorf("gate_results.json lacks the reference provenance:\n%s", results)
	}
	for _, p := range []string{"gate_results.json", "gate_sign_off.md", "parse_baseline.json"} {
		if _, err := os.Stat(filepath.Join(f.ws, p)); err != nil {
			t.Error(err)
		}
	}
}

func TestSecondRunEditsTheComment(t *testing.T) {
	t.Parallel()
	api := ghfake.NewAPI(t, token)
	expectReference(t, api)
	api.On("GET", "/repos/o/r/issues/7/comments", ghfake.JSON(200, []any{
		ghfake.Comment(5, "mallory", github.Marker("gonogo")+"\nfake"),
		ghfake.Comment(900, github.DefaultBot, github.Marker("gonogo")+"\nold"),
	}))
	var body string
	api.On("PATCH", "/repos/o/r/issues/comments/900", captureBody(t, &body, 200, 900))
	f := newFixture(t, api, "pull_request", prEvent(7, "headsha"), map[string]string{"statuses": "none"})
	if code := f.run(t); code != cli.ExitPass {
		t.Fatalf("exit %d; stderr:\n%s", code, f.errb)
	}
	if !strings.Contains(body, "Go / no-go") {
		t.Errorf("edited body:\n%s", body)
	}
}

func TestForkPullRequestWarnsAndPasses(t *testing.T) {
	t.Parallel()
	api := ghfake.NewAPI(t, token)
	expectReference(t, api)
	api.On("GET", "/repos/o/r/issues/7/comments", ghfake.JSON(200, []any{}))
	api.On("POST", "/repos/o/r/issues/7/comments", ghfake.Error(403, "Resource not accessible by integration"))
	api.On("POST", "/repos/o/r/statuses/forksha", ghfake.Error(403, "Resource not accessible by integration"))
	f := newFixture(t, api, "pull_request", prEvent(7, "forksha"), nil)
	if code := f.run(t); code != cli.ExitPass {
		t.Fatalf("exit %d; stderr:\n%s", code, f.errb)
	}
	if !strings.Contains(f.out.String(), "::warning title=gonogo::comment not written") {
		t.Errorf("no warning:\n%s", f.out)
	}
	if sum := f.file(t, "GITHUB_STEP_SUMMARY"); !strings.Contains(sum, "| Smoke |") {
		t.Errorf("summary:\n%s", sum)
	}
}

func TestPushToMainPostsNothing(t *testing.T) {
	t.Parallel()
	api := ghfake.NewAPI(t, token)
	expectReference(t, api) // the ratchet still compares with the previous main
	f := newFixture(t, api, "push", map[string]any{"ref": "refs/heads/main", "repository": repository}, nil)
	if code := f.run(t); code != cli.ExitPass {
		t.Fatalf("exit %d; stderr:\n%s", code, f.errb)
	}
	if _, err := os.Stat(filepath.Join(f.ws, "parse_baseline.json")); err != nil {
		t.Errorf("parse_baseline.json not left for upload: %v", err)
	}
	for _, c := range api.Calls() {
		if !strings.HasPrefix(c, "GET ") {
			t.Errorf("push wrote to the API: %s", c)
		}
	}
}

func TestReportMode(t *testing.T) {
	t.Parallel()
	results := `{"_meta": {"profile": "ci", "ts": 1764158400, "all_passed": false, "failed": ["smoke"]},
  "smoke": {"ok": false, "manual": false, "duration_sec": 0.1, "details": {"status": "fail"}, "title": "Smoke <img src=x>", "mandatory": true}}`
	tests := []struct {
		name     string
		pr       string
		runSHA   string
		pullSHA  string
		comments bool
	}{
		{"posts", `{"number": 7, "head_sha": "abc"}`, "abc", "abc", true},
		{"stale", `{"number": 7, "head_sha": "abc"}`, "abc", "newer", false},
		{"forged", `{"number": 8, "head_sha": "abc"}`, "other", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := ghfake.NewAPI(t, token)
			if tt.pullSHA != "" {
				api.On("GET", "/repos/o/r/pulls/7", ghfake.JSON(200, map[string]any{"number": 7, "state": "open", "head": map[string]any{"sha": tt.pullSHA}}))
			}
			var body string
			if tt.comments {
				api.On("GET", "/repos/o/r/issues/7/comments", ghfake.JSON(200, []any{}))
				api.On("POST", "/repos/o/r/issues/7/comments", captureBody(t, &body, 201, 901))
				api.On("POST", "/repos/o/r/statuses/abc", ghfake.JSON(201, map[string]any{"id": 1}))
			}
			ev := map[string]any{"workflow_run": map[string]any{"id": 55, "head_sha": tt.runSHA, "event": "pull_request"}}
			f := newFixture(t, api, "workflow_run", ev, map[string]string{"mode": "report", "working-directory": "results"})
			write(t, filepath.Join(f.ws, "results/gate_results.json"), results)
			write(t, filepath.Join(f.ws, "results/gonogo_pr.json"), tt.pr)
			if code := f.run(t); code != cli.ExitFail {
				t.Fatalf("exit %d, want %d (the gates failed); stderr:\n%s", code, cli.ExitFail, f.errb)
			}
			if tt.comments && (!strings.Contains(body, "❌ NO-GO") || strings.Contains(body, "<img")) {
				t.Errorf("comment:\n%s", body)
			}
			if !tt.comments && !strings.Contains(f.out.String(), "::warning title=gonogo::") {
				t.Errorf("no warning:\n%s", f.out)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []map[string]string{
		{"comment": "sometimes"}, {"statuses": "all"}, {"mode": "both"}, {"working-directory": "../x"},
		{"strict-manual": "yes"}, {"config": "missing.yml"},
	} {
		t.Run(fmt.Sprint(in), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, nil, "push", map[string]any{}, in)
			if code := f.run(t); code != cli.ExitError {
				t.Errorf("exit %d, want %d; stderr %s", code, cli.ExitError, f.errb)
			}
			if !strings.HasPrefix(f.errb.String(), "gate action: ") {
				t.Errorf("stderr = %q", f.errb)
			}
		})
	}
}

func TestMissingReferenceInput(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		input string
		code  int
	}{{"warn", cli.ExitPass}, {"fail", cli.ExitFail}} {
		t.Run(tt.input, func(t *testing.T) {
			t.Parallel()
			api := ghfake.NewAPI(t, token)
			api.On("GET", "/repos/o/r/actions/runs?branch=main", ghfake.JSON(200, ghfake.Runs()))
			f := newFixture(t, api, "push", map[string]any{"ref": "refs/heads/main", "repository": repository}, map[string]string{"missing-reference": tt.input})
			if code := f.run(t); code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, f.errb)
			}
		})
	}
}
