package action

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/gate"
	"github.com/org/gonogo-action/internal/github"
	"github.com/org/gonogo-action/internal/github/ghfake"
)

var (
	head  = strings.Repeat("a", 40)
	older = strings.Repeat("b", 40)
)

func TestApplyEdit(t *testing.T) {
	t.Parallel()
	open := renderBox(box{ID: "qa"}, "**QA**")
	signed := renderBox(box{ID: "qa", Checked: true, By: "alice", SHA: head}, "**QA**")
	ticked := strings.Replace(open, "- [ ]", "- [x]", 1)
	unticked := strings.Replace(signed, "- [x]", "- [ ]", 1)
	forged := strings.Replace(signed, "by=alice", "by=mallory", 1)
	tests := []struct {
		name, old, edited, sender string
		canWrite                  bool
		want                      string
		changed                   bool
	}{
		{"writer signs", open, ticked, "bob", true, renderBox(box{ID: "qa", Checked: true, By: "bob", SHA: head}, "**QA**"), true},
		{"reader is reverted", open, ticked, "eve", false, open, true},
		{"writer withdraws", signed, unticked, "bob", true, open, true},
		{"reader cannot withdraw", signed, unticked, "eve", false, signed, true},
		{"forged marker is ignored", signed, forged, "bob", true, signed, false},
		{"other text is restored", open + "\nhello", open + "\nedited", "bob", true, open + "\nhello", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, changes := applyEdit(tt.old, tt.edited, tt.sender, head, tt.canWrite)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if (len(changes) > 0) != tt.changed {
				t.Errorf("changes = %v", changes)
			}
		})
	}
	if got := approvalsFor(signed+"\n"+renderBox(box{ID: "ux", Checked: true, By: "bob", SHA: older}, "**UX**"), head); len(got) != 1 || got["qa"].By != "alice" {
		t.Errorf("approvalsFor = %v", got)
	}
}

const manualConfig = `version: 1
gates:
  - id: smoke
    run: "true"
  - id: qa
    title: QA pass
    manual: true
`

func TestSignOffFromTheComment(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		sha    string
		passes bool
	}{
		{"signed for the head", head, true},
		{"signed for an older commit", older, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := ghfake.NewAPI(t, token)
			existing := github.Marker("gonogo") + "\n" + renderBox(box{ID: "qa", Checked: true, By: "alice", SHA: tt.sha}, "**QA pass**")
			comments := ghfake.JSON(200, []any{ghfake.Comment(900, github.DefaultBot, existing)})
			api.On("GET", "/repos/o/r/issues/7/comments", comments).Times(3) // approvals before and after the gates, then the upsert
			if tt.passes {
				api.On("GET", "/repos/o/r/collaborators/alice/permission", ghfake.JSON(200, map[string]any{"permission": "write", "role_name": "write"}))
			}
			var body string
			api.On("PATCH", "/repos/o/r/issues/comments/900", captureBody(t, &body, 200, 900))
			f := newFixture(t, api, "pull_request", prEvent(7, head), map[string]string{"strict-manual": "true", "statuses": "none"})
			write(t, filepath.Join(f.ws, ".github/gonogo.yml"), manualConfig)
			code := f.run(t)
			if tt.passes != (code == cli.ExitPass) {
				t.Fatalf("exit %d; stderr:\n%s", code, f.errb)
			}
			want := "- [ ] <!-- gonogo-signoff id=qa --> **QA pass**: tick to sign off"
			if tt.passes {
				want = "- [x] <!-- gonogo-signoff id=qa by=alice sha=" + head + " --> **QA pass**: signed off by alice for `aaaaaaa`"
			}
			if !strings.Contains(body, want) {
				t.Errorf("comment lacks %q:\n%s", want, body)
			}
		})
	}
}

func TestCommentEditedRecordsSignOff(t *testing.T) {
	t.Parallel()
	old := github.Marker("gonogo") + "\n## Go / no-go\n\n" + renderBox(box{ID: "qa"}, "**QA pass**") + "\n"
	edited := strings.Replace(old, "- [ ]", "- [x]", 1)
	api := ghfake.NewAPI(t, token)
	api.On("GET", "/repos/o/r/pulls/7", ghfake.JSON(200, map[string]any{"number": 7, "state": "open", "head": map[string]any{"sha": head}}))
	api.On("GET", "/repos/o/r/collaborators/bob/permission", ghfake.JSON(200, map[string]any{"permission": "write", "role_name": "write"}))
	var body string
	api.On("PATCH", "/repos/o/r/issues/comments/900", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Body string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		body = in.Body
		ghfake.JSON(200, ghfake.Comment(900, github.DefaultBot, in.Body))(w, r)
	})
	ev := map[string]any{
		"action":  "edited",
		"comment": map[string]any{"id": 900, "body": edited, "user": map[string]any{"login": github.DefaultBot}},
		"changes": map[string]any{"body": map[string]any{"from": old}},
		"sender":  map[string]any{"login": "bob"},
		"issue":   map[string]any{"number": 7, "pull_request": map[string]any{"url": "https://api.github.com/repos/o/r/pulls/7"}},
	}
	f := newFixture(t, api, "issue_comment", ev, nil)
	if code := f.run(t); code != cli.ExitPass {
		t.Fatalf("exit %d; stderr:\n%s", code, f.errb)
	}
	if !strings.Contains(body, "by=bob sha="+head) || !strings.HasPrefix(body, github.Marker("gonogo")) {
		t.Errorf("body:\n%s", body)
	}
	// No gate ran: nothing was written into the workspace.
	if _, err := gate.ReadResults(filepath.Join(f.ws, "gate_results.json")); err == nil {
		t.Error("gates ran on issue_comment")
	}
}

// In the two-phase setup the results come from the pull request: a manual
// gate they claim approved is shown unsigned unless the bot's comment
// recorded the sign-off.
func TestReportModeIgnoresForgedApprovals(t *testing.T) {
	t.Parallel()
	results := `{"_meta": {"profile": "ci", "ts": 1764158400, "all_passed": true},
  "qa": {"ok": true, "manual": true, "duration_sec": 0, "details": {"status": "approved", "approved_by": "alice", "approved_sha": "` + head + `"}, "title": "QA pass", "mandatory": true}}`
	api := ghfake.NewAPI(t, token)
	api.On("GET", "/repos/o/r/pulls/7", ghfake.JSON(200, map[string]any{"number": 7, "state": "open", "head": map[string]any{"sha": head}}))
	api.On("GET", "/repos/o/r/issues/7/comments", ghfake.JSON(200, []any{})).Times(2) // approvals, then the upsert
	var body string
	api.On("POST", "/repos/o/r/issues/7/comments", captureBody(t, &body, 201, 901))
	ev := map[string]any{"workflow_run": map[string]any{"id": 55, "head_sha": head, "event": "pull_request"}}
	f := newFixture(t, api, "workflow_run", ev, map[string]string{"mode": "report", "statuses": "none"})
	write(t, filepath.Join(f.ws, "gate_results.json"), results)
	write(t, filepath.Join(f.ws, "gonogo_pr.json"), `{"number": 7, "head_sha": "`+head+`"}`)
	if code := f.run(t); code != cli.ExitPass {
		t.Fatalf("exit %d; stderr:\n%s", code, f.errb)
	}
	if !strings.Contains(body, "- [ ] <!-- gonogo-signoff id=qa --> **QA pass**: tick to sign off") || strings.Contains(body, "by=alice") {
		t.Errorf("forged approval rendered:\n%s", body)
	}
}

// Every string of the results is the pull request's in the two-phase setup:
// none of them may write a sign-off line (or any markdown structure) into
// the comment, where a later run would read it as a recorded approval.
func TestHostileResultsForgeNoSignOff(t *testing.T) {
	t.Parallel()
	forged := "\n- [x] <!-- gonogo-signoff id=deploy by=boss sha=" + head + " --> **QA**: signed\n"
	hostile := "x | y " + forged + "@team #1 <b>"
	res := &gate.Results{Meta: gate.Meta{Profile: hostile, Failed: []string{hostile}}, Gates: []gate.GateResult{
		{ID: "qa", Title: "QA", Manual: true, Mandatory: true, Details: map[string]any{"status": "manual"}},
		{ID: hostile, Title: hostile, Summary: hostile, Evidence: hostile, Kind: "run", Mandatory: true,
			Details: map[string]any{"status": hostile, "approved_by": hostile}},
	}}
	body := github.StickyBody("gonogo", render(res, "", now, true, nil, head), "")
	if got := approvalsFor(body, head); len(got) != 0 {
		t.Errorf("approvals from hostile results: %v\n%s", got, body)
	}
	for line := range strings.Lines(body) {
		if strings.Contains(line, "<!-- gonogo-signoff") && !strings.HasPrefix(line, "- [ ] <!-- gonogo-signoff id=qa -->") &&
			line != "<!-- gonogo-signoff-for sha="+head+" -->\n" {
			t.Errorf("forged sign-off line: %q", line)
		}
		if strings.Contains(line, "<b>") || strings.Contains(line, "@team") {
			t.Errorf("unescaped text: %q", line)
		}
	}
}

// A sign-off recorded while the gates run (a box ticked during the run)
// survives the run's own comment update instead of being overwritten by
// the body rendered from what the comment said when the run started.
func TestSignOffDuringTheRunIsKept(t *testing.T) {
	t.Parallel()
	api := ghfake.NewAPI(t, token)
	before := github.Marker("gonogo") + "\n" + renderBox(box{ID: "qa"}, "**QA pass**")
	after := github.Marker("gonogo") + "\n" + renderBox(box{ID: "qa", Checked: true, By: "bob", SHA: head}, "**QA pass**")
	api.On("GET", "/repos/o/r/issues/7/comments", ghfake.JSON(200, []any{ghfake.Comment(900, github.DefaultBot, before)}))
	api.On("GET", "/repos/o/r/issues/7/comments", ghfake.JSON(200, []any{ghfake.Comment(900, github.DefaultBot, after)})).Times(2)
	api.On("GET", "/repos/o/r/collaborators/bob/permission", ghfake.JSON(200, map[string]any{"permission": "write", "role_name": "write"}))
	var body string
	api.On("PATCH", "/repos/o/r/issues/comments/900", captureBody(t, &body, 200, 900))
	f := newFixture(t, api, "pull_request", prEvent(7, head), map[string]string{"statuses": "none"})
	write(t, filepath.Join(f.ws, ".github/gonogo.yml"), manualConfig)
	if code := f.run(t); code != cli.ExitPass {
		t.Fatalf("exit %d; stderr:\n%s", code, f.errb)
	}
	if want := "by=bob sha=" + head; !strings.Contains(body, want) {
		t.Errorf("the sign-off made during the run was erased:\n%s", body)
	}
}

// A sign-off record counts only while its signer has write access: the
// marker is plain text that anyone able to edit the comment can change, so
// a record naming someone without write access (hand-edited, or written
// before their access was removed) validates nothing.
func TestSignOffBySomeoneWithoutWriteAccessDoesNotCount(t *testing.T) {
	t.Parallel()
	api := ghfake.NewAPI(t, token)
	existing := github.Marker("gonogo") + "\n" + renderBox(box{ID: "qa", Checked: true, By: "mallory", SHA: head}, "**QA pass**")
	api.On("GET", "/repos/o/r/issues/7/comments", ghfake.JSON(200, []any{ghfake.Comment(900, github.DefaultBot, existing)})).Times(3)
	api.On("GET", "/repos/o/r/collaborators/mallory/permission", ghfake.JSON(200, map[string]any{"permission": "read", "role_name": "triage"}))
	var body string
	api.On("PATCH", "/repos/o/r/issues/comments/900", captureBody(t, &body, 200, 900))
	f := newFixture(t, api, "pull_request", prEvent(7, head), map[string]string{"strict-manual": "true", "statuses": "none"})
	write(t, filepath.Join(f.ws, ".github/gonogo.yml"), manualConfig)
	if code := f.run(t); code != cli.ExitFail {
		t.Fatalf("exit %d, want %d (qa is not signed off); stderr:\n%s", code, cli.ExitFail, f.errb)
	}
	if !strings.Contains(body, "- [ ] <!-- gonogo-signoff id=qa --> **QA pass**: tick to sign off") {
		t.Errorf("comment still shows the sign-off:\n%s", body)
	}
}

// A box ticked in a comment that shows an older commit's results is not
// recorded for the new head: the reviewer has not seen what the new commit
// does. The comment names the commit it shows, and the edit run compares.
func TestTickOnAnOlderCommitsCommentIsReverted(t *testing.T) {
	t.Parallel()
	res := &gate.Results{Gates: []gate.GateResult{{ID: "qa", Title: "QA", Manual: true, Mandatory: true, OK: true,
		Details: map[string]any{"status": "manual", "manual_followup": true}}}}
	shown := github.StickyBody("gonogo", render(res, "", now, true, nil, older), "")
	ticked := strings.Replace(shown, "- [ ] <!-- gonogo-signoff id=qa -->", "- [x] <!-- gonogo-signoff id=qa -->", 1)
	if ticked == shown {
		t.Fatalf("no box to tick:\n%s", shown)
	}
	got, changes := applyEdit(shown, ticked, "bob", head, true)
	if got != shown || len(changes) != 1 || !strings.Contains(changes[0], "older commit") {
		t.Errorf("tick on %.7s's comment recorded for %.7s: changes %q\n%s", older, head, changes, got)
	}
	// The comment for the head itself records it.
	current := github.StickyBody("gonogo", render(res, "", now, true, nil, head), "")
	got, _ = applyEdit(current, strings.Replace(current, "- [ ]", "- [x]", 1), "bob", head, true)
	if !strings.Contains(got, "by=bob sha="+head) {
		t.Errorf("tick on the head's comment not recorded:\n%s", got)
	}
}
