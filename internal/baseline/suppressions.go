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
	// Paths are the path= globs (internal/glob); empty: any path.
	Paths []string
	// First are the first= paths: the files the entry was written for.
	First []string
	Line  int
}

var (
	fingerprintRE = regexp.MustCompile(`^[0-9a-f]{16}$`)
	expiresRE     = regexp.MustCompile(`(?:^|\s)expires=(\S+)`)
	pathRE        = regexp.MustCompile(`(?:^|\s)path=(\S*)`)
	firstRE       = regexp.MustCompile(`(?:^|\s)first=(\S*)`)
)

// ParseSuppressions reads the specification's suppressions format: one
// fingerprint a line, lines starting with # ignored, a comment allowed after
// whitespace. A comment may carry expires=YYYY-MM-DD and any number of
// path=GLOB and first=PATH (relative, slash-separated, as baselines report
// paths). name is used in errors.
func ParseSuppressions(r io.Reader, name string) ([]Suppression, error) {
	var out []Suppression
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fp, comment := line, ""
		if i := strings.IndexAny(line, " \t"); i >= 0 {
			fp, comment = line[:i], line[i+1:]
		}
		comment = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(comment), "#"))
		fp = strings.ToLower(fp)
		if !fingerprintRE.MatchString(fp) {
			return nil, fmt.Errorf("%s:%d: %q is not a fingerprint (16 hex characters)", name, n, fp)
		}
		s := Suppression{Fingerprint: fp, Comment: comment, Line: n}
		if m := expiresRE.FindStringSubmatch(comment); m != nil {
			t, err := time.Parse("2006-01-02", m[1])
			if err != nil {
				return nil, fmt.Errorf("%s:%d: expires=%s is not a date (want YYYY-MM-DD)", name, n, m[1])
			}
			s.Expires = t.AddDate(0, 0, 1)
		}
		for _, m := range pathRE.FindAllStringSubmatch(comment, -1) {
			if err := glob.Validate(m[1]); err != nil {
				return nil, fmt.Errorf("%s:%d: path=%s: %v", name, n, m[1], err)
			}
			s.Paths = append(s.Paths, m[1])
		}
		for _, m := range firstRE.FindAllStringSubmatch(comment, -1) {
			if m[1] == "" || strings.HasPrefix(m[1], "/") {
				return nil, fmt.Errorf("%s:%d: first=%s: want the relative path of a file", name, n, m[1])
			}
			s.First = append(s.First, m[1])
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// Active reports whether s still suppresses at now. An entry that expires on
// a day suppresses through that whole day (UTC).
func (s Suppression) Active(now time.Time) bool {
	return s.Expires.IsZero() || now.UTC().Before(s.Expires)
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
