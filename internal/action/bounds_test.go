package action

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/github/ghfake"
)

// An API that answers one byte a second, or without end, must not hold the
// action nor cost its results: the reporting phase ends at report-timeout
// (or at the size cap) with one warning, and the results, outputs and job
// summary are written. Statuses are skipped once the deadline has passed.
func TestSlowOrHugeAPICostsAWarningOnly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		handler func() *ghfake.Stream // nil: trickle
		// timeout is report-timeout: the endless stream must be stopped by
		// the size cap, so its deadline is far enough not to win the race
		// on a loaded machine.
		timeout string
		warning string
	}{
		{"trickling", nil, "1s", "comment not written: the GitHub API did not finish within report-timeout (1s)"},
		{"endless", func() *ghfake.Stream { return ghfake.NewStream(256 << 20) }, "60s", "comment not written: list comments: response over the size limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := ghfake.NewAPI(t, token)
			var stream *ghfake.Stream
			if tt.handler == nil {
				// Incomplete JSON until its last byte: ~16 s to read whole.
				api.On("GET", "/repos/o/r/issues/7/comments", ghfake.Trickle("["+strings.Repeat(" ", 14)+"]", time.Second))
			} else {
				stream = tt.handler()
				api.On("GET", "/repos/o/r/issues/7/comments", stream.ServeHTTP)
				api.On("POST", "/repos/o/r/statuses/headsha", ghfake.JSON(201, map[string]any{"id": 1}))
			}
			f := newFixture(t, api, "pull_request", prEvent(7, "headsha"), map[string]string{"report-timeout": tt.timeout})
			write(t, filepath.Join(f.ws, ".github/gonogo.yml"), "version: 1\ngates:\n  - {id: smoke, title: Smoke, run: echo ok}\n")
			start := time.Now()
			code := f.runWith(t, func(d *Deps) { d.GitHub.MaxResponse = 1 << 20 })
			if code != cli.ExitPass {
				t.Fatalf("exit %d; stderr:\n%s", code, f.errb)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("the action took %s", d)
			}
			if !strings.Contains(f.out.String(), "::warning title=gonogo::"+tt.warning) {
				t.Errorf("no warning %q:\n%s", tt.warning, f.out)
			}
			if sum := f.file(t, "GITHUB_STEP_SUMMARY"); !strings.Contains(sum, "| Smoke |") {
				t.Errorf("summary:\n%s", sum)
			}
			if out := f.file(t, "GITHUB_OUTPUT"); !strings.Contains(out, "all-passed<<") {
				t.Errorf("outputs:\n%s", out)
			}
			if _, err := os.Stat(filepath.Join(f.ws, "gate_results.json")); err != nil {
				t.Error(err)
			}
			if stream != nil {
				if sent, cut := stream.Sent(); !cut {
					t.Errorf("the API sent all %d bytes: the action read on", sent)
				}
			}
		})
	}
}

func TestReportTimeoutInput(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"0s", "-1m", "3", "soon"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, nil, "push", map[string]any{}, map[string]string{"report-timeout": v})
			if code := f.run(t); code != cli.ExitError || !strings.Contains(f.errb.String(), "input report-timeout") {
				t.Errorf("exit %d, want %d; stderr %s", code, cli.ExitError, f.errb)
			}
		})
	}
}
