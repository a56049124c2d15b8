package signing

import (
	"fmt"
	"path"
	"strings"
)

// Globs are slash-separated and relative to the repository root. Within a
// segment they are path.Match patterns (*, ?, [a-z]); a "**" segment matches
// any number of directories, none included. "*.sh" matches only at the top;
// "**/*.sh" matches at any depth.

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

// matchAny reports whether rel matches one of globs.
func matchAny(globs []string, rel string) bool {
	segs := strings.Split(rel, "/")
	for _, g := range globs {
		if match(strings.Split(g, "/"), segs) {
			return true
		}
	}
	return false
}

func match(pat, segs []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(segs); i++ {
				if match(pat[1:], segs[i:]) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], segs[0]); !ok {
			return false
		}
		pat, segs = pat[1:], segs[1:]
	}
	return len(segs) == 0
}
