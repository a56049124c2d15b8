package action

import (
	"cmp"
	"fmt"
	"regexp"
	"strings"

	"github.com/org/gonogo-action/internal/gate"
	"github.com/org/gonogo-action/internal/github"
	"github.com/org/gonogo-action/internal/githubactions"
	"github.com/org/gonogo-action/internal/safetext"
)

// Manual sign-off from the pull request: each manual gate is a task-list
// box in the sticky comment. The hidden marker on the line carries the gate
// id and, once signed off, who signed and for which head commit. Only the
// bot writes those markers: an `issue_comment: edited` run validates a
// ticked box (the editor must have write access) and rewrites the line from
// the previous, trusted body; a pull request run reads the approvals whose
// commit is the current head, so a new commit clears them.

var (
	// shownLine names the commit whose results the comment shows.
	shownLine = regexp.MustCompile(`(?m)^<!-- gonogo-signoff-for sha=([0-9a-f]{40,64}) -->\r?$`)
	boxLine   = regexp.MustCompile(`(?m)^- \[([ xX])\] <!-- gonogo-signoff id=([A-Za-z0-9._-]+)(?: by=([A-Za-z0-9-]+(?:\[bot\])?) sha=([0-9a-f]{40,64}))? -->.*$`)
	idChars   = regexp.MustCompile(`[^A-Za-z0-9._-]`)
)

// box is one sign-off line.
type box struct {
	ID      string
	Checked bool
	By, SHA string // set when the bot recorded a valid sign-off
	Title   string
}

// parseBoxes reads the sign-off lines of a comment body, keyed by gate id.
func parseBoxes(body string) map[string]box {
	out := map[string]box{}
	for _, m := range boxLine.FindAllStringSubmatch(body, -1) {
		out[m[2]] = box{ID: m[2], Checked: m[1] != " ", By: m[3], SHA: m[4]}
	}
	return out
}

var (
	loginRE = regexp.MustCompile(`^[A-Za-z0-9-]+(?:\[bot\])?$`)
	shaRE   = regexp.MustCompile(`^[0-9a-f]{40,64}$`)
)

// validRecord reports whether a sign-off record can be written into the
// marker without breaking it.
func validRecord(by, sha string) bool { return loginRE.MatchString(by) && shaRE.MatchString(sha) }

// approvalsFor returns the sign-offs recorded for head.
func approvalsFor(body, head string) map[string]gate.Approval {
	out := map[string]gate.Approval{}
	for id, b := range parseBoxes(body) {
		if b.Checked && b.By != "" && head != "" && b.SHA == head {
			out[id] = gate.Approval{By: b.By, SHA: b.SHA, Source: "pull request comment"}
		}
	}
	return out
}

// renderBox is the line for b; title is escaped markdown.
func renderBox(b box, title string) string {
	id := idChars.ReplaceAllString(b.ID, "_")
	if b.Checked && validRecord(b.By, b.SHA) {
		return fmt.Sprintf("- [x] <!-- gonogo-signoff id=%s by=%s sha=%s --> %s: signed off by %s for `%.7s`",
			id, b.By, b.SHA, title, safetext.Inline(b.By, 60), b.SHA)
	}
	return fmt.Sprintf("- [ ] <!-- gonogo-signoff id=%s --> %s: tick to sign off", id, title)
}

// signoffSection lists the manual gates as boxes, for a pull request.
// Ticked boxes come only from approvals, which were read from the bot's own
// comment: never from the results, which a pull request can forge in the
// two-phase setup.
func signoffSection(res *gate.Results, approvals map[string]gate.Approval, head string) string {
	var b strings.Builder
	for _, g := range res.Gates {
		if !g.Manual {
			continue
		}
		if b.Len() == 0 {
			b.WriteString("\n### Manual sign-off\n\nTick a box to sign off a manual gate for this commit (write access needed); a new commit clears it.\n\n")
			if shaRE.MatchString(head) {
				b.WriteString("<!-- gonogo-signoff-for sha=" + head + " -->\n")
			}
		}
		bx := box{ID: g.ID}
		if a, ok := approvals[g.ID]; ok {
			bx = box{ID: g.ID, Checked: true, By: a.By, SHA: a.SHA}
		}
		b.WriteString(renderBox(bx, "**"+safetext.Inline(cmp.Or(g.Title, g.ID), 80)+"**") + "\n")
	}
	return b.String()
}

// applyEdit decides each box after an edit by sender: old is the body the
// bot wrote (trusted), edited the body after the edit. A box ticked or
// unticked by someone allowed (canWrite) is recorded for head; any other
// change, including edits of the hidden markers, is reverted. It returns
// the body to write back and the changes made.
func applyEdit(old, edited, sender, head string, canWrite bool) (string, []string) {
	before, after := parseBoxes(old), parseBoxes(edited)
	// A comment showing another commit's results (a push came after it
	// was written) cannot sign off the head: its reader has not seen what
	// the head does. Comments written before the line existed name none.
	var shown string
	if m := shownLine.FindStringSubmatch(old); m != nil {
		shown = m[1]
	}
	stale := shown != "" && shown != head
	var changes []string
	body := boxLine.ReplaceAllStringFunc(old, func(line string) string {
		m := boxLine.FindStringSubmatch(line)
		id := m[2]
		was, now := before[id], after[id]
		// The title is the text after the marker, up to the colon the
		// bot wrote; it is the bot's own (escaped) text.
		title := line[strings.Index(line, "-->")+4:]
		if i := strings.LastIndex(title, ": "); i >= 0 {
			title = title[:i]
		}
		switch {
		case was.Checked != now.Checked && stale:
			changes = append(changes, fmt.Sprintf("%s: the comment shows an older commit (%.7s, head %.7s); box reverted, tick it again once the run for the head has updated the comment", id, shown, head))
		case !was.Checked && now.Checked && canWrite:
			changes = append(changes, fmt.Sprintf("%s signed off by %s", id, sender))
			return renderBox(box{ID: id, Checked: true, By: sender, SHA: head}, title)
		case was.Checked && !now.Checked && canWrite:
			changes = append(changes, fmt.Sprintf("%s sign-off withdrawn by %s", id, sender))
			return renderBox(box{ID: id}, title)
		case was.Checked != now.Checked:
			changes = append(changes, fmt.Sprintf("%s: %s has no write access; box reverted", id, sender))
		}
		return line
	})
	return body, changes
}

func hasManualResults(res *gate.Results) bool {
	for _, g := range res.Gates {
		if g.Manual {
			return true
		}
	}
	return false
}

func hasManual(cfg *gate.Config) bool {
	for _, g := range cfg.Gates {
		if g.Manual {
			return true
		}
	}
	return false
}

// commentApprovals reads the sign-offs recorded in the sticky comment for
// the pull request's current head.
func (r *runner) commentApprovals(prNum int, head string) map[string]gate.Approval {
	c, err := r.gh.FindComment(r.api, r.repo, prNum, r.in.CommentKey, r.in.CommentAuthor)
	if err != nil && r.pastDeadline(err) {
		r.warn("manual sign-offs not read: " + r.deadlineNote(err))
		return nil
	}
	if err != nil {
		r.warn("manual sign-offs not read: " + err.Error())
		return nil
	}
	if c == nil {
		return nil
	}
	out := approvalsFor(c.Body, head)
	// The bot checked the signer's access when it wrote the record, but
	// the record is text that anyone able to edit the comment can change:
	// it counts only while the signer has write access.
	for id, a := range out {
		ok, err := r.canWrite(a.By)
		if err != nil {
			r.warn(fmt.Sprintf("sign-off of %s not applied: %v", id, err))
		}
		if !ok {
			delete(out, id)
		}
	}
	return out
}

// canWrite is Client.CanWrite, asked once per login and run.
func (r *runner) canWrite(login string) (bool, error) {
	key := strings.ToLower(login)
	if ok, seen := r.writers[key]; seen {
		return ok, nil
	}
	ok, err := r.gh.CanWrite(r.api, r.repo, login)
	if err != nil {
		return false, err
	}
	if r.writers == nil {
		r.writers = map[string]bool{}
	}
	r.writers[key] = ok
	return ok, nil
}

// onCommentEdited handles `issue_comment: edited`: when the sticky comment's
// boxes changed, the editor's write permission is checked and the comment
// rewritten from its previous body with the sign-off recorded (or the box
// reverted). No gate runs: the event runs on the default branch and the next
// pull request run (or a re-run) applies the sign-off.
func (r *runner) onCommentEdited() {
	ev := r.ev
	if r.gh == nil || ev.Comment == nil || ev.Issue == nil || ev.Issue.PullRequest == nil || ev.Sender == nil ||
		ev.Changes == nil || ev.Changes.Body == nil {
		return
	}
	marker := github.Marker(r.in.CommentKey)
	if !strings.EqualFold(ev.Comment.User.Login, r.in.CommentAuthor) || !strings.HasPrefix(ev.Comment.Body, marker) ||
		!strings.HasPrefix(ev.Changes.Body.From, marker) || strings.EqualFold(ev.Sender.Login, r.in.CommentAuthor) {
		return // not our comment, or our own edit
	}
	head, open, err := r.gh.PullHead(r.api, r.repo, ev.Issue.Number)
	if err != nil || !open {
		if err != nil {
			r.warn("sign-off not recorded: " + err.Error())
		}
		return
	}
	can, err := r.gh.CanWrite(r.api, r.repo, ev.Sender.Login)
	if err != nil {
		r.warn("sign-off not recorded: " + err.Error())
		return
	}
	body, changes := applyEdit(ev.Changes.Body.From, ev.Comment.Body, ev.Sender.Login, head, can)
	if body == ev.Comment.Body {
		return
	}
	if _, err := r.gh.EditComment(r.api, r.repo, ev.Comment.ID, body); err != nil {
		r.writeWarning("sign-off", err)
		return
	}
	for _, c := range changes {
		_ = r.act.Annotate(githubactions.Annotation{Level: githubactions.Notice, Title: "gonogo sign-off", Message: c})
	}
}
