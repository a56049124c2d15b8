package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

func ghComment(id int64, login, body string) map[string]any {
	return map[string]any{
		"id": id, "node_id": "x", "body": body,
		"html_url": fmt.Sprintf("https://github.com/o/r/pull/7#issuecomment-%d", id),
		"user":     map[string]any{"login": login, "id": id, "type": "User"},
	}
}

// page replies with comments and, when next > 0, a Link header to page next.
func page(f *fakeAPI, comments []any, next int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if next > 0 {
			w.Header().Set("Link", fmt.Sprintf(`<%s/repos/o/r/issues/7/comments?page=%d&per_page=100>; rel="next"`, f.srv.URL, next))
		}
		jsonReply(comments)(w, r)
	}
}

// expectBody checks a create or edit request's body and echoes a comment.
func expectBody(t *testing.T, id int64, want string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Body string }
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			t.Error(err)
		}
		if in.Body != want {
			t.Errorf("body = %q, want %q", in.Body, want)
		}
		jsonStatus(http.StatusOK, ghComment(id, DefaultBot, in.Body))(w, r)
	}
}

const commentsPath = "/repos/o/r/issues/7/comments"

func TestUpsertComment(t *testing.T) {
	t.Parallel()
	body := StickyBody("release", "## Go / no-go: ✅\n", "")
	old := StickyBody("release", "old\n", "")
	other := StickyBody("other-key", "x\n", "")
	filler := make([]any, 100)
	for i := range filler {
		filler[i] = ghComment(int64(i+1), "someone", "hello")
	}
	// A user pasting the marker must never be matched.
	filler[50] = ghComment(51, "mallory", body)
	filler[60] = ghComment(61, DefaultBot, other)

	tests := []struct {
		name   string
		setup  func(t *testing.T, f *fakeAPI)
		wantID int64
	}{
		{"edits in place across pages", func(t *testing.T, f *fakeAPI) {
			f.on("GET", commentsPath+"?per_page=100", page(f, filler, 2))
			f.on("GET", commentsPath+"?page=2&per_page=100", page(f, []any{ghComment(900, DefaultBot, old)}, 0))
			f.on("PATCH", "/repos/o/r/issues/comments/900", expectBody(t, 900, body))
		}, 900},
		{"unchanged body spares the write", func(t *testing.T, f *fakeAPI) {
			f.on("GET", commentsPath, page(f, []any{ghComment(900, DefaultBot, body)}, 0))
		}, 900},
		{"creates when none", func(t *testing.T, f *fakeAPI) {
			f.on("GET", commentsPath+"?per_page=100", page(f, filler, 2))
			f.on("GET", commentsPath+"?page=2", page(f, []any{}, 0))
			f.on("POST", commentsPath, expectBody(t, 901, body))
		}, 901},
		{"failed create that happened is not repeated", func(t *testing.T, f *fakeAPI) {
			f.on("GET", commentsPath, page(f, []any{}, 0))
			f.on("POST", commentsPath, jsonStatus(502, ghError("Server Error")))
			f.on("GET", commentsPath, page(f, []any{ghComment(902, DefaultBot, body)}, 0))
		}, 902},
		{"failed create that did not happen is tried once more", func(t *testing.T, f *fakeAPI) {
			f.on("GET", commentsPath, page(f, []any{}, 0)).n(2)
			f.on("POST", commentsPath, jsonStatus(502, ghError("Server Error")))
			f.on("POST", commentsPath, expectBody(t, 903, body))
		}, 903},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAPI(t)
			tt.setup(t, f)
			c, _ := newTestClient(t, f)
			got, err := c.UpsertComment(context.Background(), Repo{"o", "r"}, 7, "release", DefaultBot, body)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != tt.wantID {
				t.Errorf("comment id = %d, want %d", got.ID, tt.wantID)
			}
		})
	}
}

func TestUpsertCommentForkIsNotAccessible(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	f.on("GET", commentsPath, page(f, []any{}, 0))
	f.on("POST", commentsPath, jsonStatus(403, ghError("Resource not accessible by integration")))
	c, _ := newTestClient(t, f)
	_, err := c.UpsertComment(context.Background(), Repo{"o", "r"}, 7, "k", DefaultBot, StickyBody("k", "x", ""))
	if !errors.Is(err, ErrNotAccessible) {
		t.Fatalf("err = %v, want ErrNotAccessible", err)
	}
}

func TestStickyBody(t *testing.T) {
	t.Parallel()
	if got := Marker(`a --> <script> b`); got != "<!-- gonogo-sign-off key=a_--___script__b -->" {
		t.Errorf("Marker = %q", got)
	}
	huge := "| gate | ok |\n|---|---|\n```text\n" + strings.Repeat("ünïcödé line\n", 10000)
	got := StickyBody("k", huge, "https://github.com/o/r/actions/runs/1")
	if n := utf8.RuneCountInString(got); n > MaxCommentChars {
		t.Errorf("body has %d characters", n)
	}
	if !strings.HasPrefix(got, Marker("k")+"\n") {
		t.Error("marker lost")
	}
	if !strings.Contains(got, "line\n```\n\n> [!NOTE]") || !strings.HasSuffix(got, "the job summary has the full report: https://github.com/o/r/actions/runs/1.\n") {
		t.Errorf("body ends %q", got[len(got)-200:])
	}
	if small := StickyBody("k", "ok\n", ""); small != Marker("k")+"\nok\n" {
		t.Errorf("small body = %q", small)
	}
}
