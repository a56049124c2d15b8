package action

import (
	"slices"

	"github.com/org/gonogo-action/internal/artifact"
	"github.com/org/gonogo-action/internal/glob"
)

// branchChoice is one branch to look for a reference baseline on, and why.
type branchChoice struct {
	Branch string
	Why    artifact.Why
	Wanted string // for ByFallback and ByNotReference: the branch passed over
}

// isReferenceBranch reports whether branch's push runs produce reference
// baselines: the default branch always, and every branch matching one of
// patterns (gonogo.yml's reference.branches) as a whole.
func isReferenceBranch(branch, defaultBranch string, patterns []string) bool {
	if branch == "" {
		return false
	}
	return branch == defaultBranch || slices.ContainsFunc(patterns, func(p string) bool { return glob.MatchWhole(p, branch) })
}

// referencePlan is where a reference that names no branch is looked for,
// in order, when the reference-branch input is not set either:
//   - a pull request or merge group into a reference branch: that branch,
//     then, when it has no baseline yet (a release branch just cut), the
//     default branch;
//   - one into any other branch (a stacked pull request): the default
//     branch, which is said;
//   - a push to a reference branch: that branch's previous baseline, then
//     the default branch's; a push elsewhere: the default branch's;
//   - any other event: the default branch.
//
// Only push runs of this repository count as a branch's baselines
// (github.Client.FindReference), so a fork's branch called release/1.x is
// never one. The plan is empty when the payload names no default branch.
func referencePlan(ev *event, patterns []string) []branchChoice {
	def := ev.defaultBranch()
	b, why := ev.branch()
	var plan []branchChoice
	switch {
	case b == "":
		plan = []branchChoice{{Branch: def, Why: artifact.ByDefault}}
	case b == def:
		plan = []branchChoice{{Branch: b, Why: why}}
	case isReferenceBranch(b, def, patterns):
		plan = []branchChoice{{Branch: b, Why: why}, {Branch: def, Why: artifact.ByFallback, Wanted: b}}
	default:
		plan = []branchChoice{{Branch: def, Why: artifact.ByNotReference, Wanted: b}}
	}
	return slices.DeleteFunc(plan, func(c branchChoice) bool { return c.Branch == "" })
}

// uploadsReference reports whether this run's outputs are the next
// reference: a push to a reference branch, or to a branch that pinned
// names as the one to take references from (the reference-branch input,
// a gate's reference: {branch}) — else a pinned branch outside
// reference.branches would never get a baseline.
func uploadsReference(ev *event, patterns, pinned []string) bool {
	b, why := ev.branch()
	if why != artifact.ByPush {
		return false
	}
	return isReferenceBranch(b, ev.defaultBranch(), patterns) || (b != "" && slices.Contains(pinned, b))
}
