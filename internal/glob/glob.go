// Package glob is the one glob language of gonogo.yml and the CLIs: the
// include and exclude patterns of parse-baseline and parse-regression gates
// and the file patterns of signature gates.
//
// Patterns are slash-separated and relative to a root. Within a segment they
// are path.Match patterns (*, ?, [a-z]); a "**" segment matches any number
// of directories, none included. A pattern without "/" matches the base
// name at any depth, as in .gitignore: "*.sh" is every shell script.
package glob

import (
	"errors"
	"path"
	"slices"
	"strings"
)

// ErrNotRelative is returned by Validate for an empty or absolute pattern,
// which could never match a relative path.
var ErrNotRelative = errors.New("want a relative path pattern")

// Validate checks a pattern once, up front, so that a typo is an error and
// not a pattern that silently matches nothing.
func Validate(pattern string) error {
	if pattern == "" || path.IsAbs(pattern) {
		return ErrNotRelative
	}
	for _, seg := range strings.Split(pattern, "/") {
		if seg == "**" {
			continue
		}
		if _, err := path.Match(seg, ""); err != nil {
			return err
		}
	}
	return nil
}

// Match reports whether rel (a /-separated relative path) matches pattern.
// A malformed pattern matches nothing: Validate it first.
func Match(pattern, rel string) bool {
	if !strings.Contains(pattern, "/") {
		ok, _ := path.Match(pattern, path.Base(rel))
		return ok
	}
	return matchSegs(strings.Split(pattern, "/"), strings.Split(rel, "/"))
}

func matchSegs(pat, segs []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for len(pat) > 0 && pat[0] == "**" {
				pat = pat[1:]
			}
			if len(pat) == 0 {
				return true
			}
			for i := range len(segs) + 1 {
				if matchSegs(pat, segs[i:]) {
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

// MatchWhole reports whether name matches pattern as a whole, segment by
// segment, without Match's base-name rule: "main" is the branch main and
// never feature/main. Branch names are matched so (reference.branches in
// gonogo.yml), as GitHub's on.push.branches filters them: "*" stops at "/",
// "**" crosses it. Unlike GitHub's filter, "**" also matches no segment, so
// "release/**" covers a branch named release itself.
func MatchWhole(pattern, name string) bool {
	return matchSegs(strings.Split(pattern, "/"), strings.Split(name, "/"))
}

// MatchAny reports whether rel matches one of patterns.
func MatchAny(patterns []string, rel string) bool {
	return slices.ContainsFunc(patterns, func(p string) bool { return Match(p, rel) })
}
