package baseline

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxFirstListed bounds the first= paths of one template entry: past it the
// entry names none and asks for a path= glob instead.
const maxFirstListed = 100

// maxQuoted bounds a message or path quoted in a template comment, in runes.
const maxQuoted = 200

// Candidate is an unsuppressed failing fingerprint of a baseline: how
// many files fail with it, its code, and the files (sorted).
type Candidate struct {
	Fingerprint string
	CodeName    string
	Message     string
	Paths       []string
}

// Candidates returns the fingerprints of b's failing files that no
// suppression hides, the most frequent first (ties by fingerprint). A file
// whose fingerprint is not one (16 hex characters) is refused: b was not
// written by this tool, and its entry could not be pasted.
func Candidates(b *Baseline) ([]Candidate, error) {
	byFP := map[string]*Candidate{}
	for i, f := range b.Files {
		if !f.Failing() || f.Suppressed {
			continue
		}
		if !IsFingerprint(f.Fingerprint) {
			return nil, fieldErr(fmt.Sprintf("files[%d].fingerprint", i), "%q: want 16 lower-case hex characters", f.Fingerprint)
		}
		c := byFP[f.Fingerprint]
		if c == nil {
			c = &Candidate{Fingerprint: f.Fingerprint, CodeName: f.CodeName, Message: FirstLine(f.Message)}
			byFP[f.Fingerprint] = c
		}
		c.Paths = append(c.Paths, f.Path)
	}
	out := make([]Candidate, 0, len(byFP))
	for _, c := range byFP {
		slices.Sort(c.Paths)
		out = append(out, *c)
	}
	slices.SortFunc(out, func(x, y Candidate) int {
		return cmp.Or(cmp.Compare(len(y.Paths), len(x.Paths)), strings.Compare(x.Fingerprint, y.Fingerprint))
	})
	return out, nil
}

// Template writes entries for cands in the suppressions file format, ready
// to paste: for each, comment lines with the count, the code, one example
// path and the message, then the entry with owner=? and expires=? to fill
// in (ParseSuppressions refuses them until they are), added= set to today
// (UTC) so that the entry ages, and first= naming the files it is written
// for.
//
// Paths and messages come from the checked files and the checker: they
// are quoted (Go syntax, one line, control characters escaped) and only
// ever written in "#" comment lines, never in an entry's comment, where a
// "path=" or "expires=" in a message would become a key. A path goes into
// first= only when it is one token of printable characters.
func Template(cands []Candidate, today time.Time) string {
	var sb strings.Builder
	date := day(today).Format(dateForm)
	for _, c := range cands {
		fmt.Fprintf(&sb, "\n# %d file(s) · %s · e.g. %s\n", len(c.Paths), quote(c.CodeName), quote(c.Paths[0]))
		fmt.Fprintf(&sb, "# message: %s\n", quote(c.Message))
		var first []string
		unnamed := 0
		for _, p := range c.Paths {
			if token(p) {
				first = append(first, "first="+p)
			} else {
				unnamed++
			}
		}
		switch {
		case len(first) > maxFirstListed:
			fmt.Fprintf(&sb, "# %d files: too many to name with first=; add path=GLOB, or each file it hides is reported as unscoped\n", len(c.Paths))
			first = nil
		case unnamed > 0:
			fmt.Fprintf(&sb, "# %d path(s) have spaces or control characters and cannot be named with first=; add path=GLOB, or they are reported as unscoped\n", unnamed)
		}
		fmt.Fprintf(&sb, "%s # owner=%s expires=%s added=%s", c.Fingerprint, Placeholder, Placeholder, date)
		for _, f := range first {
			sb.WriteString(" " + f)
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

// quote returns s as a Go string literal of at most maxQuoted runes: one
// line whatever s holds.
func quote(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) > maxQuoted {
		s = string([]rune(s)[:maxQuoted-1]) + "…"
	}
	return strconv.Quote(s)
}

// token reports whether path can stand as the value of first=: relative,
// not empty, printable, without spaces.
func token(path string) bool {
	if path == "" || strings.HasPrefix(path, "/") || !utf8.ValidString(path) {
		return false
	}
	for _, r := range path {
		if unicode.IsSpace(r) || !unicode.IsGraphic(r) {
			return false
		}
	}
	return true
}
