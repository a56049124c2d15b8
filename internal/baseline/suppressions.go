package baseline

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// Suppression is one entry of a suppressions file: a fingerprint whose
// failures are reported but not gated on, optionally until a date.
type Suppression struct {
	Fingerprint string
	Comment     string
	// Expires is the first day on which the entry no longer suppresses;
	// zero when the entry has no expires= in its comment.
	Expires time.Time
	Line    int
}

var (
	fingerprintRE = regexp.MustCompile(`^[0-9a-f]{16}$`)
	expiresRE     = regexp.MustCompile(`(?:^|\s)expires=(\S+)`)
)

// ParseSuppressions reads the specification's suppressions format: one
// fingerprint a line, lines starting with # ignored, a comment allowed after
// whitespace. A comment may carry expires=YYYY-MM-DD. name is used in errors.
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
