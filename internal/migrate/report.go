package migrate

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/safetext"
)

// DefaultReport is the report's name, the specification's.
const DefaultReport = "migration_report.md"

// Markdown renders the report as migration_report.md: what changed per rule
// and, with a checker, the failure rate before and after. Every path goes
// through safetext: a file name is the tree's, and the tree may be a pull
// request's.
func (r *Report) Markdown() string {
	var b strings.Builder
	b.WriteString("# Migration report\n\n")
	if r.Applied {
		fmt.Fprintf(&b, "**Applied**: %d of %d selected files rewritten", len(r.Changed), r.Selected)
	} else {
		fmt.Fprintf(&b, "**Dry run**: nothing was changed; `--apply` would rewrite %d of %d selected files", len(r.Changed), r.Selected)
	}
	fmt.Fprintf(&b, " by the rules of %s", safetext.Inline(r.RulesFile, 120))
	if len(r.Skipped) > 0 {
		fmt.Fprintf(&b, "; %d left alone (below)", len(r.Skipped))
	}
	b.WriteString(".\n\n## Files changed per rule\n\n| Rule | Files | Lines |\n|---|---:|---:|\n")
	for i, name := range r.Rules {
		files, lines := 0, 0
		for _, c := range r.Changed {
			if c.Lines[i] > 0 {
				files++
				lines += c.Lines[i]
			}
		}
		fmt.Fprintf(&b, "| `%s` | %d | %d |\n", name, files, lines) // names are [A-Za-z0-9_.-]
	}
	for i, name := range r.Rules {
		var list []string
		for _, c := range r.Changed {
			if n := c.Lines[i]; n > 0 {
				list = append(list, fmt.Sprintf("- %s (%s)\n", safetext.Inline(c.Path, 0), plural(n, "line")))
			}
		}
		if len(list) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n### `%s`: %s\n\n%s", name, plural(len(list), "file"), strings.Join(list, ""))
	}
	if r.Before != nil && r.After != nil {
		writeDelta(&b, r.Before, r.After, r.Applied, r.paths)
	}
	if len(r.Skipped) > 0 {
		b.WriteString("\n## Left alone\n\n")
		for _, s := range r.Skipped {
			fmt.Fprintf(&b, "- %s: %s\n", safetext.Inline(s.Path, 0), s.Why) // Why is ours
		}
	}
	return b.String()
}

// Delta is the failure rate's change in percentage points (after - before).
func Delta(before, after *baseline.Baseline) float64 {
	return (after.FailureRate - before.FailureRate) * 100
}

func writeDelta(b *strings.Builder, before, after *baseline.Baseline, applied bool, paths map[string]string) {
	shown := func(rel string) string {
		if p, ok := paths[rel]; ok {
			rel = p
		}
		return safetext.Inline(rel, 0)
	}
	failing := func(x *baseline.Baseline) int { return x.Total - x.ByCode[baseline.Success] }
	where := "the rewritten tree"
	if !applied {
		where = "a copy with the new content"
	}
	fmt.Fprintf(b, "\n## Failure rate\n\nClassified by %s before the migration and on %s after it.\n\n", safetext.Inline(before.Checker, 120), where)
	b.WriteString("| | Before | After | Change |\n|---|---:|---:|---:|\n")
	fmt.Fprintf(b, "| Files | %d | %d | %s |\n", before.Total, after.Total, signed(after.Total-before.Total))
	fmt.Fprintf(b, "| Failing | %d | %d | %s |\n", failing(before), failing(after), signed(failing(after)-failing(before)))
	fmt.Fprintf(b, "| **Failure rate** | %.2f%% | %.2f%% | **%s points** |\n", before.FailureRate*100, after.FailureRate*100, signedF(Delta(before, after)))
	codes := slices.Collect(maps.Keys(before.ByCode))
	for c := range after.ByCode {
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	baseline.SortCodes(codes)
	for _, c := range codes {
		fmt.Fprintf(b, "| %s | %d | %d | %s |\n", safetext.Cell(c, 40), before.ByCode[c], after.ByCode[c], signed(after.ByCode[c]-before.ByCode[c]))
	}
	was, now := failingFiles(before), failingFiles(after)
	var fixed, broke, moved []string
	for _, p := range slices.Sorted(maps.Keys(was)) {
		switch c, ok := now[p]; {
		case !ok:
			fixed = append(fixed, fmt.Sprintf("%s (was %s)", shown(p), safetext.Inline(was[p], 40)))
		case c != was[p]:
			moved = append(moved, fmt.Sprintf("%s (%s → %s)", shown(p), safetext.Inline(was[p], 40), safetext.Inline(c, 40)))
		}
	}
	for _, p := range slices.Sorted(maps.Keys(now)) {
		if _, ok := was[p]; !ok {
			broke = append(broke, fmt.Sprintf("%s (%s)", shown(p), safetext.Inline(now[p], 40)))
		}
	}
	for _, l := range []struct {
		title string
		items []string
	}{{"Passing after the migration", fixed}, {"Failing after the migration only", broke}, {"Failing with another code", moved}} {
		if len(l.items) == 0 {
			continue
		}
		fmt.Fprintf(b, "\n%s (%d):\n\n", l.title, len(l.items))
		for _, it := range l.items {
			b.WriteString("- " + it + "\n")
		}
	}
}

// failingFiles maps each failing file to its code.
func failingFiles(x *baseline.Baseline) map[string]string {
	out := map[string]string{}
	for _, f := range x.Files {
		if f.Failing() {
			out[f.Path] = f.CodeName
		}
	}
	return out
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func signed(n int) string {
	switch {
	case n > 0:
		return fmt.Sprintf("+%d", n)
	case n < 0:
		return fmt.Sprintf("−%d", -n)
	}
	return "0"
}

func signedF(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	switch {
	case s == "0.00" || s == "-0.00":
		return "0.00"
	case strings.HasPrefix(s, "-"):
		return "−" + s[1:]
	}
	return "+" + s
}
