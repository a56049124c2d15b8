package baseline

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/org/gonogo-action/internal/glob"
)

// Suppression is one entry of a suppressions file: a fingerprint whose
// failures are reported but not gated on, optionally until a date.
//
// As the specification wants, an entry is "without path coupling": it
// hides every file that fails with its fingerprint. path=GLOB restricts it
// to the files a glob matches. first=PATH records the files it was written
// for. A file it hides that neither names is an unscoped use (see
// WrittenFor): still hidden, never silently.
type Suppression struct {
	Fingerprint string
	Comment     string
	// Expires is the first day on which the entry no longer suppresses;
	// zero when the entry has no expires= in its comment.
	Expires time.Time
	// Added is the day the entry was written (added=), the start of its
	// age; zero when the entry has no added=.
	Added time.Time
	// Owner is who owns the fix (owner=); empty when not given. Reports
	// of stale entries name it (Owners).
	Owner string
	// Paths are the path= globs (internal/glob); empty: any path.
	Paths []string
	// First are the first= paths: the files the entry was written for.
	First []string
	Line  int
}

// Placeholder is the value the suppression template (see Template) leaves
// in owner= and expires= for a person to fill in. An entry that still
// holds it is refused: a suppression needs an owner and a plan.
const Placeholder = "?"

// dateForm is the form of expires= and added=.
const dateForm = "2006-01-02"

var (
	fingerprintRE = regexp.MustCompile(`^[0-9a-f]{16}$`)
	expiresRE     = regexp.MustCompile(`(?:^|\s)expires=(\S*)`)
	addedRE       = regexp.MustCompile(`(?:^|\s)added=(\S*)`)
	ownerRE       = regexp.MustCompile(`(?:^|\s)owner=(\S*)`)
	pathRE        = regexp.MustCompile(`(?:^|\s)path=(\S*)`)
	firstRE       = regexp.MustCompile(`(?:^|\s)first=(\S*)`)
)

// IsFingerprint reports whether s is a fingerprint as Fingerprint writes
// it: 16 lower-case hex characters.
func IsFingerprint(s string) bool { return fingerprintRE.MatchString(s) }

// ParseSuppressions reads the specification's suppressions format: one
// fingerprint a line, lines starting with # ignored, a comment allowed after
// whitespace. A comment may carry expires=YYYY-MM-DD, added=YYYY-MM-DD and
// owner=NAME (each at most once), and any number of path=GLOB and
// first=PATH (relative, slash-separated, as baselines report paths). name
// is used in errors. now is the clock: an added= day after today (UTC) is
// refused, as a typo that would keep the entry young.
func ParseSuppressions(r io.Reader, name string, now time.Time) ([]Suppression, error) {
	var out []Suppression
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, err := parseEntry(line, n, now)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// parseEntry reads the entry on line n.
func parseEntry(line string, n int, now time.Time) (Suppression, error) {
	fp, comment := line, ""
	if i := strings.IndexAny(line, " \t"); i >= 0 {
		fp, comment = line[:i], line[i+1:]
	}
	comment = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(comment), "#"))
	fp = strings.ToLower(fp)
	if !IsFingerprint(fp) {
		return Suppression{}, fmt.Errorf("%q is not a fingerprint (16 hex characters)", fp)
	}
	s := Suppression{Fingerprint: fp, Comment: comment, Line: n}
	owner, err := once(ownerRE, comment, "owner")
	if err != nil {
		return s, err
	}
	if owner != nil {
		if *owner == "" || *owner == Placeholder {
			return s, fmt.Errorf("owner=%s: fill in who owns the fix, e.g. owner=@lang-team", *owner)
		}
		s.Owner = *owner
	}
	expires, err := once(expiresRE, comment, "expires")
	if err != nil {
		return s, err
	}
	if expires != nil {
		t, err := date("expires", *expires)
		if err != nil {
			return s, err
		}
		s.Expires = t.AddDate(0, 0, 1)
	}
	added, err := once(addedRE, comment, "added")
	if err != nil {
		return s, err
	}
	if added != nil {
		if s.Added, err = date("added", *added); err != nil {
			return s, err
		}
		if today := day(now); s.Added.After(today) {
			return s, fmt.Errorf("added=%s is after today (%s UTC): want the day the entry was written, YYYY-MM-DD", *added, today.Format(dateForm))
		}
	}
	for _, m := range pathRE.FindAllStringSubmatch(comment, -1) {
		if err := glob.Validate(m[1]); err != nil {
			return s, fmt.Errorf("path=%s: %v", m[1], err)
		}
		s.Paths = append(s.Paths, m[1])
	}
	for _, m := range firstRE.FindAllStringSubmatch(comment, -1) {
		if m[1] == "" || strings.HasPrefix(m[1], "/") {
			return s, fmt.Errorf("first=%s: want the relative path of a file", m[1])
		}
		s.First = append(s.First, m[1])
	}
	return s, nil
}

// once returns the value of the key re matches in comment, nil when it is
// absent. A key given twice is refused: which one would count is a guess.
func once(re *regexp.Regexp, comment, key string) (*string, error) {
	m := re.FindAllStringSubmatch(comment, -1)
	switch len(m) {
	case 0:
		return nil, nil
	case 1:
		return &m[0][1], nil
	}
	return nil, fmt.Errorf("%s= given %d times: want it once", key, len(m))
}

// date parses the value of a date key.
func date(key, v string) (time.Time, error) {
	if v == Placeholder {
		return time.Time{}, fmt.Errorf("%s=%s: fill in a date, YYYY-MM-DD", key, v)
	}
	t, err := time.Parse(dateForm, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s=%s is not a date (want YYYY-MM-DD)", key, v)
	}
	return t, nil
}

// day is the UTC day of t, at midnight.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Active reports whether s still suppresses at now. An entry that expires on
// a day suppresses through that whole day (UTC). With maxAgeDays > 0, an
// entry with added= suppresses through the day maxAgeDays after it was
// added: one added on 2026-09-01 under a 90-day limit suppresses through
// 2026-11-30. An entry without added= has no age and does not expire by it.
func (s Suppression) Active(now time.Time, maxAgeDays int) bool {
	if !s.Expires.IsZero() && !now.UTC().Before(s.Expires) {
		return false
	}
	return maxAgeDays <= 0 || s.Added.IsZero() || now.UTC().Before(s.Added.AddDate(0, 0, maxAgeDays+1))
}

// Covers reports whether s may hide a failure of the file at path: any
// path when the entry has no path=, else one its globs match.
func (s Suppression) Covers(path string) bool {
	if len(s.Paths) == 0 {
		return true
	}
	for _, p := range s.Paths {
		if glob.Match(p, path) {
			return true
		}
	}
	return false
}

// WrittenFor reports whether the entry names the file at path: a path=
// glob matches it, or first= lists it. Hiding any other file is an
// unscoped use, which the baseline records.
func (s Suppression) WrittenFor(path string) bool {
	return len(s.Paths) > 0 && s.Covers(path) || slices.Contains(s.First, path)
}

// Owners maps each of fps to the owners (owner=) its entries name, sorted,
// each once; a fingerprint none of whose entries names an owner is left
// out. A report of expired or unused entries uses it to say whom to ask.
func Owners(entries []Suppression, fps []string) map[string][]string {
	out := map[string][]string{}
	for _, e := range entries {
		if e.Owner == "" || !slices.Contains(fps, e.Fingerprint) {
			continue
		}
		if o := out[e.Fingerprint]; !slices.Contains(o, e.Owner) {
			out[e.Fingerprint] = append(o, e.Owner)
		}
	}
	for _, o := range out {
		slices.Sort(o)
	}
	return out
}

// StaleOwners maps each expired or unused fingerprint of b to the owners
// its entries name (Owners), from the entries the run applied
// (b.Suppressions): empty for a baseline that does not carry them.
func (b *Baseline) StaleOwners() map[string][]string {
	return Owners(b.Suppressions, slices.Concat(b.ExpiredSuppressions, b.UnusedSuppressions))
}
