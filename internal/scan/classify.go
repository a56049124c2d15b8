package scan

import (
	"slices"
	"time"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/checker"
)

// Category is the specification's category of a failure: the code's
// own category first; for GENERIC_FAILURE (the legacy "something failed"
// of a checker without structured codes) the words of its message second,
// by the checker's heuristics; else Other. VALIDATION_ERROR, IO_ERROR and
// INTERNAL_ERROR are specific codes without a category of their own: they
// stay Other whatever their message says (an INTERNAL_ERROR is a
// checker's crash or a broken status line, not a fact about the file).
// docs/parse-baseline.md has the same rules as one table.
func Category(codeName, message string) string {
	if c, ok := baseline.CodeCategory(codeName); ok {
		return c
	}
	if codeName == baseline.GenericFailure {
		if code, _, _, ok := checker.Heuristic(message); ok {
			if c, ok := baseline.CodeCategory(code); ok {
				return c
			}
		}
	}
	return baseline.CatOther
}

// tally builds a baseline from statuses as they arrive: the counts, the
// failing files (and successes when listAll) and the paths of the files
// that passed.
type tally struct {
	b *baseline.Baseline
	// active holds the entries in force by fingerprint (an entry may
	// be listed more than once, with different path= or first=).
	active  map[string][]baseline.Suppression
	used    map[string]bool
	listAll bool
	// matched is how many files the run selected, before --limit and
	// --shard.
	matched int
	// partial: the statuses named only files with findings, so Passed
	// is not recorded.
	partial bool
	// spill, when set, receives the passed list (Options.Spill), in
	// order; err is its first failure.
	spill *baseline.PassedSpill
	err   error
}

func newTally(supp []baseline.Suppression, now time.Time, maxAgeDays int, listAll bool) *tally {
	t := &tally{
		b: &baseline.Baseline{
			ByCode: map[string]int{}, ByCategory: map[string]int{}, SuppressedByCode: map[string]int{},
		},
		active: map[string][]baseline.Suppression{}, used: map[string]bool{}, listAll: listAll,
	}
	for _, s := range supp {
		if s.Active(now, maxAgeDays) {
			t.active[s.Fingerprint] = append(t.active[s.Fingerprint], s)
		} else {
			t.b.ExpiredSuppressions = append(t.b.ExpiredSuppressions, s.Fingerprint)
		}
	}
	return t
}

// add records the status of the file reported as rel.
func (t *tally) add(rel string, s checker.Status) {
	t.b.ByCode[s.CodeName]++
	if s.OK() {
		switch {
		case t.listAll:
			t.b.Files = append(t.b.Files, baseline.File{Path: rel, CodeName: s.CodeName, Phase: s.Phase})
		case t.spill != nil:
			if err := t.spill.Add(rel); err != nil && t.err == nil {
				t.err = err
			}
		default:
			t.b.Passed = append(t.b.Passed, rel)
		}
		return
	}
	f := baseline.File{
		Path: rel, CodeName: s.CodeName, Line: s.Line, Message: s.Message, Phase: s.Phase,
		Fingerprint: baseline.Fingerprint(s.CodeName, s.Line, s.Message), Category: Category(s.CodeName, s.Message),
	}
	if covers, written := t.suppress(f.Fingerprint, rel); covers {
		t.used[f.Fingerprint] = true
		f.Suppressed = true
		// The tool's own suppression already hides it where it stands.
		f.UnscopedSuppression = !written && !s.Suppressed
	}
	// The tool's own suppression (an eslint-disable, a #nosec) counts as
	// one of ours: reported, not gated.
	f.Suppressed = f.Suppressed || s.Suppressed
	if f.Suppressed {
		f.Category = baseline.SuppressedPrefix + f.Category
		t.b.SuppressedFailures++
		t.b.SuppressedByCode[f.CodeName]++
	}
	t.b.ByCategory[f.Category]++
	t.b.Files = append(t.b.Files, f)
}

// suppress reports whether an active entry hides fingerprint fp at path,
// and whether one that does was written for that path.
func (t *tally) suppress(fp, path string) (covers, written bool) {
	for _, s := range t.active[fp] {
		if s.Covers(path) {
			covers = true
			written = written || s.WrittenFor(path)
		}
	}
	return covers, written
}

// finish fills the derived fields and sorts everything.
func (t *tally) finish() *baseline.Baseline {
	for fp := range t.active {
		if !t.used[fp] {
			t.b.UnusedSuppressions = append(t.b.UnusedSuppressions, fp)
		}
	}
	t.b.ExpiredSuppressions = sortedUnique(t.b.ExpiredSuppressions)
	t.b.UnusedSuppressions = sortedUnique(t.b.UnusedSuppressions)
	if len(t.b.SuppressedByCode) == 0 {
		t.b.SuppressedByCode = nil
	}
	if len(t.b.ByCategory) == 0 {
		t.b.ByCategory = nil
	}
	switch {
	case t.partial:
		t.b.Passed = nil
		t.spill.Close()
	case t.spill != nil:
		t.b.PassedSpill = t.spill
	case t.b.Passed == nil:
		t.b.Passed = []string{} // recorded, and empty
	}
	t.b.Normalize()
	return t.b
}

func sortedUnique(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}
