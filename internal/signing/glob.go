package signing

import (
	"fmt"
	"path"
	"strings"

	"github.com/org/gonogo-action/internal/scan"
)

// Globs are slash-separated and relative to the repository root. Within a
// segment they are path.Match patterns (*, ?, [a-z]); a "**" segment matches
// any number of directories, none included. A pattern without "/" matches the
// base name at any depth, as in .gitignore: "*.sh" is every shell script.

// checkGlobs rejects malformed patterns up front, so a typo is an error
// instead of a pattern that silently matches nothing.
func checkGlobs(kind string, globs []string) error {
	for _, g := range globs {
		if g == "" || path.IsAbs(g) {
			return fmt.Errorf("%s pattern %q: want a relative path pattern", kind, g)
		}
		for _, seg := range strings.Split(g, "/") {
			if seg == "**" {
				continue
			}
			if _, err := path.Match(seg, ""); err != nil {
				return fmt.Errorf("%s pattern %q: %w", kind, g, err)
			}
		}
	}
	return nil
}

// matchAny reports whether rel matches one of globs, with the same rules
// as parse-baseline's --include (scan.Match), so one gonogo.yml speaks one
// glob language.
func matchAny(globs []string, rel string) bool {
	for _, g := range globs {
		if scan.Match(g, rel) {
			return true
		}
	}
	return false
}
