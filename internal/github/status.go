package github

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"unicode/utf8"

	gh "github.com/google/go-github/v62/github"
)

// MaxDescription is the API's limit on a commit status description.
const MaxDescription = 140

// Status is one commit status.
// https://docs.github.com/en/rest/commits/statuses#create-a-commit-status
type Status struct {
	Context     string // "gonogo" or "gonogo/<gate id>"
	State       string // success, failure, error or pending
	Description string // cut to MaxDescription characters
	TargetURL   string // the run
}

// SetStatus posts st on sha, which must be the pull request's head SHA
// (pull_request.head.sha), not GITHUB_SHA: that is the merge commit, which
// branch protection never looks at. Re-posting a status is harmless (the
// newest per context wins), so this POST is retried on 5xx once.
func (c *Client) SetStatus(ctx context.Context, repo Repo, sha string, st Status) error {
	switch st.State {
	case "success", "failure", "error", "pending":
	default:
		return fmt.Errorf("status %s: state %q: want success, failure, error or pending", st.Context, st.State)
	}
	desc := st.Description
	if utf8.RuneCountInString(desc) > MaxDescription {
		desc = string([]rune(desc)[:MaxDescription-1]) + "…"
	}
	rs := &gh.RepoStatus{State: &st.State, Context: &st.Context, Description: &desc}
	if st.TargetURL != "" {
		rs.TargetURL = &st.TargetURL
	}
	var err error
	for attempt := 1; attempt <= 2; attempt++ {
		var cctx context.Context
		if cctx, err = c.ready(ctx); err != nil {
			break
		}
		_, _, err = c.gh.Repositories.CreateStatus(cctx, repo.Owner, repo.Name, sha, rs)
		if err == nil || status(err) < http.StatusInternalServerError {
			break
		}
	}
	if err != nil {
		return apiError("set status "+st.Context, err)
	}
	return nil
}

// CanWrite reports whether user has write, maintain or admin permission on
// repo: the bar for ticking a manual sign-off box in the comment.
// https://docs.github.com/en/rest/collaborators/collaborators#get-repository-permissions-for-a-user
func (c *Client) CanWrite(ctx context.Context, repo Repo, user string) (bool, error) {
	var p struct {
		Permission string `json:"permission"` // admin, write, read, none
		RoleName   string `json:"role_name"`  // admin, maintain, write, triage, read or a custom role
	}
	u := fmt.Sprintf("repos/%s/%s/collaborators/%s/permission", url.PathEscape(repo.Owner), url.PathEscape(repo.Name), url.PathEscape(user))
	if err := c.get(ctx, u, &p); err != nil {
		if status(err) == http.StatusNotFound {
			return false, nil // not a collaborator
		}
		return false, apiError("check permission of "+user, err)
	}
	switch {
	case p.Permission == "admin" || p.Permission == "write":
		return true, nil
	case p.RoleName == "maintain":
		return true, nil
	}
	return false, nil
}

// PullHead returns the head SHA of pull request number and whether it is
// open. The report phase checks it against the results it posts, so an
// artifact cannot aim the comment at another pull request.
// https://docs.github.com/en/rest/pulls/pulls#get-a-pull-request
func (c *Client) PullHead(ctx context.Context, repo Repo, number int) (sha string, open bool, err error) {
	ctx, err = c.ready(ctx)
	if err != nil {
		return "", false, apiError(fmt.Sprintf("get pull request %d", number), err)
	}
	pr, _, err := c.gh.PullRequests.Get(ctx, repo.Owner, repo.Name, number)
	if err != nil {
		return "", false, apiError(fmt.Sprintf("get pull request %d", number), err)
	}
	return pr.GetHead().GetSHA(), pr.GetState() == "open", nil
}
