package action

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/artifact"
	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/github/ghfake"
)

func TestReferencePlan(t *testing.T) {
	t.Parallel()
	repo := &struct {
		DefaultBranch string `json:"default_branch"`
	}{"main"}
	pr := func(base string) *event {
		ev := &event{Name: "pull_request", Repository: repo}
		if err := json.Unmarshal([]byte(`{"pull_request": {"number": 7, "base": {"ref": "`+base+`"}}}`), ev); err != nil {
			t.Fatal(err)
		}
		return ev
	}
	release := []string{"release/**"}
	tests := []struct {
		name     string
		ev       *event
		patterns []string
		want     []branchChoice
		upload   bool
	}{
		{"pull request into main", pr("main"), release, []branchChoice{{"main", artifact.ByBase, ""}}, false},
		{"pull request into a release branch", pr("release/1.x"), release,
			[]branchChoice{{"release/1.x", artifact.ByBase, ""}, {"main", artifact.ByFallback, "release/1.x"}}, false},
		{"pull request into another branch", pr("feature/main"), release,
			[]branchChoice{{"main", artifact.ByNotReference, "feature/main"}}, false},
		{"reference.branches: []", pr("release/1.x"), []string{},
			[]branchChoice{{"main", artifact.ByNotReference, "release/1.x"}}, false},
		{"merge group", &event{Name: "merge_group", Repository: repo, MergeGroup: &mergeGroup{BaseRef: "refs/heads/release/2.0", HeadSHA: "q"}}, release,
			[]branchChoice{{"release/2.0", artifact.ByBase, ""}, {"main", artifact.ByFallback, "release/2.0"}}, false},
		{"push to main", &event{Name: "push", Ref: "refs/heads/main", Repository: repo}, release,
			[]branchChoice{{"main", artifact.ByPush, ""}}, true},
		{"push to a release branch", &event{Name: "push", Ref: "refs/heads/release/1.2", Repository: repo}, release,
			[]branchChoice{{"release/1.2", artifact.ByPush, ""}, {"main", artifact.ByFallback, "release/1.2"}}, true},
		{"push to a feature branch", &event{Name: "push", Ref: "refs/heads/feature", Repository: repo}, release,
			[]branchChoice{{"main", artifact.ByNotReference, "feature"}}, false},
		{"push of a tag", &event{Name: "push", Ref: "refs/tags/release/1.2", Repository: repo}, release,
			[]branchChoice{{"main", artifact.ByDefault, ""}}, false},
		{"schedule", &event{Name: "schedule", Repository: repo}, release, []branchChoice{{"main", artifact.ByDefault, ""}}, false},
		{"no default branch", &event{Name: "workflow_dispatch"}, release, []branchChoice{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if d := cmp.Diff(tt.want, referencePlan(tt.ev, tt.patterns)); d != "" {
				t.Errorf("plan (-want +got):\n%s", d)
			}
			if got := uploadsReference(tt.ev, tt.patterns, nil); got != tt.upload {
				t.Errorf("uploadsReference = %v, want %v", got, tt.upload)
			}
		})
	}
}

// A branch pinned by the reference-branch input or a gate's reference:
// {branch} gets its baseline uploaded even outside reference.branches,
// since an explicit branch never falls back; its pull requests do not.
func TestPinnedBranchUploads(t *testing.T) {
	t.Parallel()
	repo := &struct {
		DefaultBranch string `json:"default_branch"`
	}{"main"}
	push := func(b string) *event { return &event{Name: "push", Ref: "refs/heads/" + b, Repository: repo} }
	pr := &event{Name: "pull_request", Repository: repo}
	if err := json.Unmarshal([]byte(`{"pull_request": {"number": 7, "base": {"ref": "develop"}}}`), pr); err != nil {
		t.Fatal(err)
	}
	release := []string{"release/**"}
	for _, tt := range []struct {
		ev     *event
		pinned []string
		want   bool
	}{
		{push("develop"), []string{"develop"}, true},
		{push("develop"), nil, false},
		{push("feature"), []string{"develop"}, false},
		{pr, []string{"develop"}, false},
	} {
		b, _ := tt.ev.branch()
		if got := uploadsReference(tt.ev, release, tt.pinned); got != tt.want {
			t.Errorf("%s %s pinned %v: uploadsReference = %v, want %v", tt.ev.Name, b, tt.pinned, got, tt.want)
		}
	}
}

// prInto is a pull_request payload for a pull request into base.
func prInto(base string) map[string]any {
	ev := prEvent(7, "headsha")
	ev["pull_request"].(map[string]any)["base"] = map[string]any{"ref": base, "sha": "basesha"}
	return ev
}

// expectComment registers the sticky comment's list and creation and
// returns where its body lands.
func expectComment(t *testing.T, api *ghfake.API) *string {
	var body string
	api.On("GET", "/repos/o/r/issues/7/comments", ghfake.JSON(200, []any{}))
	api.On("POST", "/repos/o/r/issues/7/comments", captureBody(t, &body, 201, 900))
	return &body
}

// provenanceOf returns the parse gate's details.reference_provenance.
func provenanceOf(t *testing.T, f *fixture) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(f.ws, "gate_results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	p, _ := doc["parse"]["details"].(map[string]any)["reference_provenance"].(map[string]any)
	return p
}

func wantOutput(t *testing.T, f *fixture, key, value string) {
	t.Helper()
	out := f.file(t, "GITHUB_OUTPUT")
	if !strings.Contains(out, key+"<<") {
		t.Fatalf("no output %s:\n%s", key, out)
	}
	_, rest, _ := strings.Cut(out, key+"<<")
	lines := strings.SplitN(rest, "\n", 3)
	if len(lines) < 2 || lines[1] != value {
		t.Errorf("output %s = %q, want %q", key, lines[1], value)
	}
}

// A pull request is judged against its base branch's own baseline when the
// base is a reference branch: release/1.x's, not main's, and a newer run of
// a fork's branch named release/1.x is passed over (expectReferenceOn lists
// it first). A release branch just cut has none yet, and a stacked pull
// request's base is no reference branch: main's is used then, and the
// comment, the summary and the provenance say why.
func TestPullRequestReferenceBranch(t *testing.T) {
	t.Parallel()
	const found = "at `0000000`, [run 20](https://github.com/o/r/actions/runs/20), 5 days old — "
	tests := []struct {
		name, config, base string
		setup              func(t *testing.T, api *ghfake.API)
		line               string
		prov               map[string]any
	}{
		{"release branch", "", "release/1.x",
			func(t *testing.T, api *ghfake.API) { expectReferenceOn(t, api, "release/1.x") },
			"**Reference:** release/1.x " + found + "the base branch\n",
			map[string]any{"branch": "release/1.x", "branch_reason": "base"}},
		{"release branch without a baseline", "", "release/2.x",
			func(t *testing.T, api *ghfake.API) {
				api.On("GET", "/repos/o/r/actions/runs?branch=release/2.x&event=push&status=success", ghfake.JSON(200, ghfake.Runs(
					ghfake.Run(40, "release/2.x", "push", 777, now.Add(-time.Hour)), // only a fork's: none of ours
				)))
				expectReference(t, api)
			},
			"**Reference:** main " + found + "the default branch, since release/2.x has no baseline yet\n",
			map[string]any{"branch": "main", "branch_reason": "fallback", "branch_wanted": "release/2.x"}},
		{"feature branch", "", "feature/login",
			func(t *testing.T, api *ghfake.API) { expectReference(t, api) },
			"**Reference:** main " + found + "the default branch, since feature/login is not a reference branch (`reference.branches`)\n",
			map[string]any{"branch": "main", "branch_reason": "not_reference", "branch_wanted": "feature/login"}},
		{"release branch not listed", "reference:\n  branches: [stable/*]\n", "release/1.x",
			func(t *testing.T, api *ghfake.API) { expectReference(t, api) },
			"**Reference:** main " + found + "the default branch, since release/1.x is not a reference branch (`reference.branches`)\n",
			map[string]any{"branch": "main", "branch_reason": "not_reference", "branch_wanted": "release/1.x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := ghfake.NewAPI(t, token)
			tt.setup(t, api)
			body := expectComment(t, api)
			api.On("POST", "/repos/o/r/statuses/headsha", ghfake.JSON(201, map[string]any{"id": 1}))
			f := newFixture(t, api, "pull_request", prInto(tt.base), nil)
			write(t, filepath.Join(f.ws, ".github/gonogo.yml"), strings.Replace(config, "version: 1\n", "version: 1\n"+tt.config, 1))
			if code := f.run(t); code != cli.ExitPass {
				t.Fatalf("exit %d; stderr:\n%s", code, f.errb)
			}
			if !strings.Contains(*body, tt.line) {
				t.Errorf("comment lacks %q:\n%s", tt.line, *body)
			}
			if sum := f.file(t, "GITHUB_STEP_SUMMARY"); !strings.Contains(sum, tt.line) {
				t.Errorf("summary lacks %q:\n%s", tt.line, sum)
			}
			p := provenanceOf(t, f)
			for k, v := range tt.prov {
				if p[k] != v {
					t.Errorf("reference_provenance.%s = %v, want %v (%v)", k, p[k], v, p)
				}
			}
			if p["run_id"] != 20.0 {
				t.Errorf("reference_provenance.run_id = %v, want 20", p["run_id"])
			}
			wantOutput(t, f, "reference-run-id", "20")
			wantOutput(t, f, "upload-reference", "false")
		})
	}
}

// A merge group is judged against the newest baseline of the branch it
// merges into; the run posts no comment (ghfake fails on any call not
// registered) and puts the gonogo status on the queue's commit.
func TestMergeGroupRun(t *testing.T) {
	t.Parallel()
	api := ghfake.NewAPI(t, token)
	expectReferenceOn(t, api, "release/1.x")
	var status map[string]string
	api.On("POST", "/repos/o/r/statuses/2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewDecoder(r.Body).Decode(&status)
		ghfake.JSON(201, map[string]any{"id": 1})(w, r)
	})
	// The documented checks_requested payload (octokit/webhooks example).
	ev := map[string]any{
		"action": "checks_requested",
		"merge_group": map[string]any{
			"head_sha":    "2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d",
			"head_ref":    "refs/heads/gh-readonly-queue/release/1.x/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64",
			"base_sha":    "929f8209d40f77f4abc622a499c93a83babdbe64",
			"base_ref":    "refs/heads/release/1.x",
			"head_commit": map[string]any{"id": "2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d", "message": "Merge pull request #104"},
		},
		"repository": repository,
	}
	f := newFixture(t, api, "merge_group", ev, nil)
	if code := f.run(t); code != cli.ExitPass {
		t.Fatalf("exit %d; stderr:\n%s", code, f.errb)
	}
	if status["context"] != "gonogo" || status["state"] != "success" {
		t.Errorf("status = %v", status)
	}
	if sum := f.file(t, "GITHUB_STEP_SUMMARY"); !strings.Contains(sum, "**Reference:** release/1.x at `0000000`") {
		t.Errorf("summary:\n%s", sum)
	}
	wantOutput(t, f, "comment-url", "")
	wantOutput(t, f, "upload-reference", "false")
}

// A push to any reference branch leaves its baseline for upload and says
// so in upload-reference; it is compared with that branch's previous
// baseline. A push elsewhere is not the next reference.
func TestPushUploadsReference(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		branch, lookup, upload string
	}{
		{"release/1.2", "release/1.2", "true"},
		{"main", "main", "true"},
		{"feature/x", "main", "false"},
	} {
		t.Run(tt.branch, func(t *testing.T) {
			t.Parallel()
			api := ghfake.NewAPI(t, token)
			expectReferenceOn(t, api, tt.lookup)
			f := newFixture(t, api, "push", map[string]any{"ref": "refs/heads/" + tt.branch, "repository": repository}, nil)
			if code := f.run(t); code != cli.ExitPass {
				t.Fatalf("exit %d; stderr:\n%s", code, f.errb)
			}
			wantOutput(t, f, "upload-reference", tt.upload)
			if _, err := os.Stat(filepath.Join(f.ws, "parse_baseline.json")); err != nil {
				t.Errorf("parse_baseline.json not written: %v", err)
			}
		})
	}
}

// An explicit branch wins: the reference-branch input over everything,
// then the gate's reference: {branch}, each without a fallback.
func TestExplicitReferenceBranchWins(t *testing.T) {
	t.Parallel()
	gateBranch := strings.Replace(config, "reference: {artifact: parse-baseline}", "reference: {artifact: parse-baseline, branch: develop}", 1)
	for _, tt := range []struct {
		name, config, input, lookup, why string
	}{
		{"input", config, "stable", "stable", "set by the `reference-branch` input"},
		{"config", gateBranch, "", "develop", "set by the gate's `reference: {branch}`"},
		{"input over config", gateBranch, "stable", "stable", "set by the `reference-branch` input"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := ghfake.NewAPI(t, token)
			expectReferenceOn(t, api, tt.lookup)
			body := expectComment(t, api)
			api.On("POST", "/repos/o/r/statuses/headsha", ghfake.JSON(201, map[string]any{"id": 1}))
			f := newFixture(t, api, "pull_request", prInto("release/1.x"), map[string]string{"reference-branch": tt.input})
			write(t, filepath.Join(f.ws, ".github/gonogo.yml"), tt.config)
			if code := f.run(t); code != cli.ExitPass {
				t.Fatalf("exit %d; stderr:\n%s", code, f.errb)
			}
			if !strings.Contains(*body, "**Reference:** "+tt.lookup+" at") || !strings.Contains(*body, "— "+tt.why+"\n") {
				t.Errorf("comment does not name %s and why:\n%s", tt.lookup, *body)
			}
		})
	}
}

// An explicit branch without a baseline is a missing reference: it never
// falls back to another branch's.
func TestExplicitBranchDoesNotFallBack(t *testing.T) {
	t.Parallel()
	api := ghfake.NewAPI(t, token)
	api.On("GET", "/repos/o/r/actions/runs?branch=stable&event=push&status=success", ghfake.JSON(200, ghfake.Runs()))
	expectComment(t, api)
	f := newFixture(t, api, "pull_request", prInto("release/1.x"),
		map[string]string{"reference-branch": "stable", "missing-reference": "fail", "statuses": "none"})
	if code := f.run(t); code != cli.ExitFail {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, cli.ExitFail, f.errb)
	}
}

// Every branch tried is named when none has a baseline.
func TestNoBaselineOnAnyBranch(t *testing.T) {
	t.Parallel()
	api := ghfake.NewAPI(t, token)
	api.On("GET", "/repos/o/r/actions/runs?branch=release/1.x&event=push&status=success", ghfake.JSON(200, ghfake.Runs()))
	api.On("GET", "/repos/o/r/actions/runs?branch=main&event=push&status=success", ghfake.JSON(200, ghfake.Runs()))
	body := expectComment(t, api)
	f := newFixture(t, api, "pull_request", prInto("release/1.x"), map[string]string{"statuses": "none"})
	if code := f.run(t); code != cli.ExitPass { // missing-reference: warn
		t.Fatalf("exit %d; stderr:\n%s", code, f.errb)
	}
	data, _ := os.ReadFile(filepath.Join(f.ws, "gate_results.json"))
	for _, want := range []string{"no successful push run on release/1.x", "no successful push run on main"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("gate_results.json lacks %q:\n%s", want, data)
		}
	}
	if strings.Contains(*body, "**Reference:**") {
		t.Errorf("comment names a reference that was not found:\n%s", *body)
	}
}
