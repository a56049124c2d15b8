package github

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/org/gonogo-action/internal/safetext"

	gh "github.com/google/go-github/v62/github"
)

// MaxCommentChars is GitHub's limit on a comment body; above it the API
// answers 422.
const MaxCommentChars = 65536

// DefaultBot is the login behind GITHUB_TOKEN.
const DefaultBot = "github-actions[bot]"

var keyChars = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// Marker is the hidden first line that identifies the sticky comment for
// key; key is reduced to [A-Za-z0-9._-] so it cannot close the HTML comment.
func Marker(key string) string {
	key = keyChars.ReplaceAllString(key, "_")
	if key == "" {
		key = "default"
	}
	return "<!-- gonogo-sign-off key=" + key + " -->"
}

// StickyBody prefixes body with the marker and keeps the whole within
// MaxCommentChars: a longer body is cut at a line, open code fences are
// closed, and a note points to the job summary (summaryURL, the run's page)
// for the rest. The marker always survives.
func StickyBody(key, body, summaryURL string) string {
	marker := Marker(key) + "\n"
	note := "> [!NOTE]\n> This comment was cut to GitHub's size limit; the job summary has the full report"
	if summaryURL != "" {
		note += ": " + summaryURL
	}
	note += ".\n"
	return marker + safetext.Truncate(body, MaxCommentChars-safetext.Runes(marker), safetext.Runes, note)
}

// Comment is a sticky comment found or written.
type Comment struct {
	ID   int64
	URL  string
	Body string
}

// FindComment returns the sticky comment for key on issue (a pull request
// number), or nil. Only comments authored by author (the token's identity,
// DefaultBot for GITHUB_TOKEN) and starting with the marker qualify: anyone
// can paste the marker into a comment of their own. Pages of 100 are read
// until the end; the oldest match wins.
func (c *Client) FindComment(ctx context.Context, repo Repo, issue int, key, author string) (*Comment, error) {
	marker := Marker(key)
	opts := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	for {
		cctx, err := c.ready(ctx)
		if err != nil {
			return nil, apiError("list comments", err)
		}
		list, resp, err := c.gh.Issues.ListComments(cctx, repo.Owner, repo.Name, issue, opts)
		if err != nil {
			return nil, apiError("list comments", err)
		}
		for _, cm := range list {
			if strings.EqualFold(cm.GetUser().GetLogin(), author) && strings.HasPrefix(cm.GetBody(), marker) {
				return &Comment{ID: cm.GetID(), URL: cm.GetHTMLURL(), Body: cm.GetBody()}, nil
			}
		}
		if resp.NextPage == 0 {
			return nil, nil
		}
		opts.Page = resp.NextPage
	}
}

// UpsertComment edits the sticky comment for key in place, or creates it
// when there is none. body must come from StickyBody. A create that fails
// ambiguously (5xx, connection lost) may still have happened, so the
// comments are listed again before one more try: no duplicates.
func (c *Client) UpsertComment(ctx context.Context, repo Repo, issue int, key, author, body string) (*Comment, error) {
	if !strings.HasPrefix(body, Marker(key)) {
		return nil, fmt.Errorf("comment body does not start with the marker for key %q", key)
	}
	for attempt := 1; ; attempt++ {
		found, err := c.FindComment(ctx, repo, issue, key, author)
		if err != nil {
			return nil, err
		}
		if found != nil {
			if found.Body == body {
				return found, nil // nothing changed: spare a write
			}
			return c.EditComment(ctx, repo, found.ID, body)
		}
		cctx, err := c.ready(ctx)
		if err != nil {
			return nil, apiError("create comment", err)
		}
		cm, _, err := c.gh.Issues.CreateComment(cctx, repo.Owner, repo.Name, issue, &gh.IssueComment{Body: &body})
		if err == nil {
			return &Comment{ID: cm.GetID(), URL: cm.GetHTMLURL(), Body: body}, nil
		}
		if attempt >= 2 || !ambiguous(err) {
			return nil, apiError("create comment", err)
		}
	}
}

// ambiguous reports whether a failed write may have been applied.
func ambiguous(err error) bool {
	code := status(err)
	return code == 0 && ctxAlive(err) || code >= http.StatusInternalServerError
}

func ctxAlive(err error) bool {
	return !strings.Contains(err.Error(), "context canceled") && !strings.Contains(err.Error(), "deadline exceeded")
}

// EditComment replaces the body of comment id (the sign-off flow rewrites
// the sticky comment it found through an event).
func (c *Client) EditComment(ctx context.Context, repo Repo, id int64, body string) (*Comment, error) {
	ctx, err := c.ready(ctx)
	if err != nil {
		return nil, apiError("edit comment", err)
	}
	cm, _, err := c.gh.Issues.EditComment(ctx, repo.Owner, repo.Name, id, &gh.IssueComment{Body: &body})
	if err != nil {
		return nil, apiError("edit comment", err)
	}
	return &Comment{ID: cm.GetID(), URL: cm.GetHTMLURL(), Body: body}, nil
}
