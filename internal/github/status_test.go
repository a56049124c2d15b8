package github

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/org/gonogo-action/internal/github/ghfake"
)

func TestSetStatus(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	long := strings.Repeat("é", 200)
	f.On("POST", "/repos/o/r/statuses/headsha", func(w http.ResponseWriter, r *http.Request) {
		var in map[string]string
		_ = json.NewDecoder(r.Body).Decode(&in)
		if n := utf8.RuneCountInString(in["description"]); n != MaxDescription {
			t.Errorf("description has %d characters", n)
		}
		if in["context"] != "gonogo/lint" || in["state"] != "failure" || in["target_url"] != "https://run" {
			t.Errorf("status = %v", in)
		}
		ghfake.JSON(201, map[string]any{"id": 1})(w, r)
	})
	f.On("POST", "/repos/o/r/statuses/headsha", ghfake.JSON(502, ghfake.ErrorBody("Server Error")))
	f.On("POST", "/repos/o/r/statuses/headsha", ghfake.JSON(201, map[string]any{"id": 2}))
	f.On("POST", "/repos/o/r/statuses/forksha", ghfake.JSON(403, ghfake.ErrorBody("Resource not accessible by integration")))
	c, _ := newTestClient(t, f)
	ctx := context.Background()
	if err := c.SetStatus(ctx, Repo{"o", "r"}, "headsha", Status{Context: "gonogo/lint", State: "failure", Description: long, TargetURL: "https://run"}); err != nil {
		t.Fatal(err)
	}
	if err := c.SetStatus(ctx, Repo{"o", "r"}, "headsha", Status{Context: "gonogo", State: "success"}); err != nil {
		t.Fatalf("status not retried after 502: %v", err)
	}
	if err := c.SetStatus(ctx, Repo{"o", "r"}, "forksha", Status{Context: "gonogo", State: "success"}); !errors.Is(err, ErrNotAccessible) {
		t.Errorf("fork err = %v", err)
	}
	if err := c.SetStatus(ctx, Repo{"o", "r"}, "x", Status{Context: "gonogo", State: "ok"}); err == nil {
		t.Error("bad state accepted")
	}
}

func TestCanWrite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		perm, role string
		code       int
		want       bool
	}{
		{"admin", "admin", 200, true},
		{"write", "write", 200, true},
		{"write", "maintain", 200, true},
		{"read", "triage", 200, false},
		{"read", "read", 200, false},
		{"none", "", 200, false},
		{"", "", 404, false},
	}
	for _, tt := range tests {
		t.Run(tt.perm+"/"+tt.role, func(t *testing.T) {
			t.Parallel()
			f := newFake(t)
			body := map[string]any{"permission": tt.perm, "role_name": tt.role, "user": map[string]any{"login": "u"}}
			if tt.code == 404 {
				body = ghfake.ErrorBody("Not Found")
			}
			f.On("GET", "/repos/o/r/collaborators/u/permission", ghfake.JSON(tt.code, body))
			c, _ := newTestClient(t, f)
			got, err := c.CanWrite(context.Background(), Repo{"o", "r"}, "u")
			if err != nil || got != tt.want {
				t.Errorf("CanWrite = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestPullHead(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.On("GET", "/repos/o/r/pulls/7", ghfake.JSON(200, map[string]any{
		"number": 7, "state": "open", "head": map[string]any{"sha": "abc", "ref": "feature"},
	}))
	c, _ := newTestClient(t, f)
	sha, open, err := c.PullHead(context.Background(), Repo{"o", "r"}, 7)
	if err != nil || sha != "abc" || !open {
		t.Errorf("PullHead = %q, %v, %v", sha, open, err)
	}
}
