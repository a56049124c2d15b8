package scan

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/safetext"
)

// topFailures is how many fingerprints the markdown lists.
const topFailures = 10

// Markdown renders b as the classifier's human summary: a category table,
// a code table and the most frequent failures by fingerprint (what a team
// fixes or suppresses first). Every string from outside (paths, messages,
// the checker's name) goes through safetext.Cell or safetext.Inline.
func Markdown(b *baseline.Baseline) string {
	var sb strings.Builder
	failed := b.Total - b.ByCode[baseline.Success]
	sb.WriteString("## Parse baseline\n\n")
	fmt.Fprintf(&sb, "**%d** files checked", b.Total)
	if b.Checker != "" {
		fmt.Fprintf(&sb, " by %s", safetext.Inline(b.Checker, 120))
	}
	fmt.Fprintf(&sb, " · **%d** failing (%.2f%%) · **%d** suppressed", failed, b.FailureRate*100, b.SuppressedFailures)
	if b.Timestamp != "" {
		fmt.Fprintf(&sb, " · %s", safetext.Inline(b.Timestamp, 40))
	}
	sb.WriteString("\n\n")

	if len(b.ByCategory) > 0 {
		sb.WriteString("| Category | Files | Share of failures |\n|---|---:|---:|\n")
		cats := slices.Collect(maps.Keys(b.ByCategory))
		slices.SortFunc(cats, func(x, y string) int {
			return cmp.Or(cmp.Compare(b.ByCategory[y], b.ByCategory[x]), strings.Compare(x, y))
		})
		for _, c := range cats {
			fmt.Fprintf(&sb, "| %s | %d | %.1f%% |\n", safetext.Cell(c, 60), b.ByCategory[c], share(b.ByCategory[c], failed))
		}
		sb.WriteString("\n")
	}

	sb.WriteString("| Code | Files | Suppressed |\n|---|---:|---:|\n")
	codes := slices.Collect(maps.Keys(b.ByCode))
	baseline.SortCodes(codes)
	for _, c := range codes {
		fmt.Fprintf(&sb, "| %s | %d | %d |\n", safetext.Cell(c, 40), b.ByCode[c], b.SuppressedByCode[c])
	}

	type group struct {
		fp, code, path, msg string
		n                   int
		suppressed          bool
	}
	groups := map[string]*group{}
	for _, f := range b.Files {
		if !f.Failing() || f.Fingerprint == "" {
			continue
		}
		g := groups[f.Fingerprint]
		if g == nil {
			g = &group{fp: f.Fingerprint, code: f.CodeName, path: f.Path, msg: f.Message, suppressed: f.Suppressed}
			groups[f.Fingerprint] = g
		}
		g.n++
	}
	if len(groups) > 0 {
		list := slices.Collect(maps.Values(groups))
		slices.SortFunc(list, func(x, y *group) int { return cmp.Or(cmp.Compare(y.n, x.n), strings.Compare(x.fp, y.fp)) })
		fmt.Fprintf(&sb, "\n### Most frequent failures\n\n| Fingerprint | Code | Files | Example | Message |\n|---|---|---:|---|---|\n")
		for _, g := range list[:min(topFailures, len(list))] {
			fp := "`" + g.fp + "`" // 16 hex digits: safe in a code span
			if g.suppressed {
				fp += " (suppressed)"
			}
			fmt.Fprintf(&sb, "| %s | %s | %d | %s | %s |\n", fp, safetext.Cell(g.code, 40), g.n,
				safetext.Cell(g.path, 80), safetext.Cell(g.msg, 120))
		}
	}
	writeUnscoped(&sb, b)
	owners := b.StaleOwners()
	for _, l := range []struct {
		title string
		fps   []string
	}{{"Expired suppressions (no longer suppress)", b.ExpiredSuppressions}, {"Unused suppressions (match nothing)", b.UnusedSuppressions}} {
		if len(l.fps) == 0 {
			continue
		}
		// Every entry, each with its owners: the file's words, escaped so
		// that owner=@team names the team without notifying it.
		fmt.Fprintf(&sb, "\n%s: ", l.title)
		for i, n := range StaleNames(l.fps, owners, len(l.fps)) {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString(safetext.Inline(n, 200))
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

// maxUnscoped bounds the unscoped suppressions the markdown lists.
const maxUnscoped = 20

// writeUnscoped lists the files hidden by a suppression entry that was
// not written for them: a fingerprint is path-free, so one entry may hide
// a new file that happens to fail with the same message at the same line.
func writeUnscoped(sb *strings.Builder, b *baseline.Baseline) {
	list := Unscoped(b)
	if len(list) == 0 {
		return
	}
	fmt.Fprintf(sb, "\n### Suppressions hiding files they were not written for (%d)\n\n", len(list))
	sb.WriteString("The entry has no `path=` matching the file and no `first=` naming it. Add one to the entry, or fix the file.\n\n")
	sb.WriteString("| Fingerprint | File | Code | Message |\n|---|---|---|---|\n")
	for _, f := range list[:min(maxUnscoped, len(list))] {
		fmt.Fprintf(sb, "| %s | %s | %s | %s |\n", safetext.Cell(f.Fingerprint, 40), safetext.Cell(f.Path, 120),
			safetext.Cell(f.CodeName, 40), safetext.Cell(f.Message, 120))
	}
	if len(list) > maxUnscoped {
		fmt.Fprintf(sb, "\n… and %d more in `files[]` (`unscoped_suppression`).\n", len(list)-maxUnscoped)
	}
}

// Unscoped returns the files of b hidden by a suppression entry not
// written for them.
func Unscoped(b *baseline.Baseline) []baseline.File {
	var out []baseline.File
	for _, f := range b.Files {
		if f.UnscopedSuppression {
			out = append(out, f)
		}
	}
	return out
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of) * 100
}
