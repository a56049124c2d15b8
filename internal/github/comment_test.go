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
		ghfake.JSON(http.StatusOK, ghfake.Comment(id, DefaultBot, in.Body))(w, r)
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
		filler[i] = ghfake.Comment(int64(i+1), "someone", "hello")
	}
	// A user pasting the marker must never be matched.
	filler[50] = ghfake.Comment(51, "mallory", body)
	filler[60] = ghfake.Comment(61, DefaultBot, other)

	tests := []struct {
		name   string
		setup  func(t *testing.T, f *ghfake.API)
		wantID int64
	}{
		{"edits in place across pages", func(t *testing.T, f *ghfake.API) {
			f.On("GET", commentsPath+"?per_page=100", ghfake.Page(f, commentsPath, filler, 2))
			f.On("GET", commentsPath+"?page=2&per_page=100", ghfake.Page(f, commentsPath, []any{ghfake.Comment(900, DefaultBot, old)}, 0))
			f.On("PATCH", "/repos/o/r/issues/comments/900", expectBody(t, 900, body))
		}, 900},
		{"unchanged body spares the write", func(t *testing.T, f *ghfake.API) {
			f.On("GET", commentsPath, ghfake.Page(f, commentsPath, []any{ghfake.Comment(900, DefaultBot, body)}, 0))
		}, 900},
		{"creates when none", func(t *testing.T, f *ghfake.API) {
			f.On("GET", commentsPath+"?per_page=100", ghfake.Page(f, commentsPath, filler, 2))
			f.On("GET", commentsPath+"?page=2", ghfake.Page(f, commentsPath, []any{}, 0))
			f.On("POST", commentsPath, expectBody(t, 901, body))
		}, 901},
		{"failed create that happened is not repeated", func(t *testing.T, f *ghfake.API) {
			f.On("GET", commentsPath, ghfake.Page(f, commentsPath, []any{}, 0))
			f.On("POST", commentsPath, ghfake.JSON(502, ghfake.ErrorBody("Server Error")))
			f.On("GET", commentsPath, ghfake.Page(f, commentsPath, []any{ghfake.Comment(902, DefaultBot, body)}, 0))
		}, 902},
		{"failed create that did not happen is tried once more", func(t *testing.T, f *ghfake.API) {
			f.On("GET", commentsPath, ghfake.Page(f, commentsPath, []any{}, 0)).Times(2)
			f.On("POST", commentsPath, ghfake.JSON(502, ghfake.ErrorBody("Server Error")))
			f.On("POST", commentsPath, expectBody(t, 903, body))
		}, 903},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t)
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
	f := newFake(t)
	f.On("GET", commentsPath, ghfake.Page(f, commentsPath, []any{}, 0))
	f.On("POST", commentsPath, ghfake.JSON(403, ghfake.ErrorBody("Resource not accessible by integration")))
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
