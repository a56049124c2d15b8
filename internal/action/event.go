package action

import (
	"encoding/json"
	"fmt"
	"os"
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
	} `json:"pull_request"`
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

// prRecord is gonogo_pr.json, which the pull request run hands to the
// report phase along with its results.
type prRecord struct {
	Number  int    `json:"number"`
	HeadSHA string `json:"head_sha"`
}
