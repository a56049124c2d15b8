package action

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/org/gonogo-action/internal/artifact"
)

// event is what the run needs from the event payload (GITHUB_EVENT_PATH).
// https://docs.github.com/en/webhooks/webhook-events-and-payloads
type event struct {
	Name        string // GITHUB_EVENT_NAME
	PullRequest *struct {
		Number int `json:"number"`
		Head   struct {
			SHA string `json:"sha"`
		} `json:"head"`
		// Base.Ref is the branch the pull request merges into
		// (release/1.x, no refs/heads/).
		Base struct {
			Ref string `json:"ref"`
		} `json:"base"`
	} `json:"pull_request"`
	// push: the full ref pushed, refs/heads/<branch> or refs/tags/<tag>.
	// https://docs.github.com/en/webhooks/webhook-events-and-payloads#push
	Ref string `json:"ref"`
	// merge_group (checks_requested): the merge queue's commit, head_sha,
	// on the temporary branch head_ref
	// (refs/heads/gh-readonly-queue/main/pr-…), to be merged into base_ref
	// (refs/heads/main), whose head is base_sha. Both refs are full.
	// https://docs.github.com/en/webhooks/webhook-events-and-payloads#merge_group
	MergeGroup  *mergeGroup `json:"merge_group"`
	WorkflowRun *struct {
		ID      int64  `json:"id"`
		HeadSHA string `json:"head_sha"`
		Event   string `json:"event"`
	} `json:"workflow_run"`
	// issue_comment: the edited comment, its previous body and the editor.
	Comment *struct {
		ID   int64  `json:"id"`
		Body string `json:"body"`
		User struct {
			Login string `json:"login"`
		} `json:"user"`
	} `json:"comment"`
	Changes *struct {
		Body *struct {
			From string `json:"from"`
		} `json:"body"`
	} `json:"changes"`
	Sender *struct {
		Login string `json:"login"`
	} `json:"sender"`
	Issue *struct {
		Number      int `json:"number"`
		PullRequest *struct {
			URL string `json:"url"`
		} `json:"pull_request"`
	} `json:"issue"`
	Repository *struct {
		DefaultBranch string `json:"default_branch"`
	} `json:"repository"`
}

// mergeGroup is a merge_group event's merge_group object.
type mergeGroup struct {
	HeadSHA string `json:"head_sha"`
	HeadRef string `json:"head_ref"`
	BaseSHA string `json:"base_sha"`
	BaseRef string `json:"base_ref"`
}

func readEvent(getenv func(string) string) (*event, error) {
	ev := &event{}
	if p := getenv("GITHUB_EVENT_PATH"); p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read event payload: %w", err)
		}
		if err := json.Unmarshal(data, ev); err != nil {
			return nil, fmt.Errorf("read event payload %s: %w", p, err)
		}
	}
	ev.Name = getenv("GITHUB_EVENT_NAME")
	return ev, nil
}

// isPullRequest reports whether the run belongs to a pull request.
func (e *event) isPullRequest() bool {
	return (e.Name == "pull_request" || e.Name == "pull_request_target") && e.PullRequest != nil
}

// isMergeGroup reports whether the run checks a merge queue's commit.
func (e *event) isMergeGroup() bool {
	return e.Name == "merge_group" && e.MergeGroup != nil
}

// defaultBranch is the repository's default branch, "" when the payload
// has none.
func (e *event) defaultBranch() string {
	if e.Repository == nil {
		return ""
	}
	return e.Repository.DefaultBranch
}

// branch is the branch the run is about and why: the base branch of a
// pull request or merge group, or the branch a push went to. It is ""
// for other events and for a pushed tag.
func (e *event) branch() (string, artifact.Why) {
	switch {
	case e.isPullRequest():
		return e.PullRequest.Base.Ref, artifact.ByBase
	case e.isMergeGroup():
		b, _ := strings.CutPrefix(e.MergeGroup.BaseRef, "refs/heads/")
		return b, artifact.ByBase
	case e.Name == "push":
		if b, ok := strings.CutPrefix(e.Ref, "refs/heads/"); ok {
			return b, artifact.ByPush
		}
	}
	return "", artifact.ByDefault
}

// prRecord is gonogo_pr.json, which the pull request run hands to the
// report phase along with its results.
type prRecord struct {
	Number  int    `json:"number"`
	HeadSHA string `json:"head_sha"`
}
