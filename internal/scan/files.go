package scan

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/org/gonogo-action/internal/glob"
)

// target is one file to check.
type target struct {
	// Rel is the path reported in the baseline: relative to the PATH it
	// was found under, with / separators.
	Rel string
	// Arg is the path handed to the checker: relative to the working
	// directory (or absolute), never starting with "-".
	Arg string
	// Err is set when the file (or a directory) could not be read.
	Err error
}

// The default include is every regular file under the PATHs: an empty
// Include selects all files. A walk never enters SkipDirs and never checks
// SkipFiles, whatever the include says (a PATH given by name is taken as
// it is): version control, dependency and cache folders, and the files
// this project itself writes. vendor/ is not skipped: a Go vendor tree is
// source a team has chosen to commit; --exclude 'vendor/**' skips it.
// docs/parse-baseline.md lists them; the gate's parse-regression kind
// walks with the same lists.
var (
	SkipDirs = []string{
		".git", ".hg", ".svn", // version control
		"node_modules", ".venv", "venv", ".tox", // dependencies
		"__pycache__", ".mypy_cache", ".pytest_cache", // caches
		".gonogo", // this project's own settings (suppressions)
	}
	SkipFiles = []string{
		"*.pyc",
		// What parse-baseline, regression and the gate write by default.
		"parse_baseline.json", DefaultCacheFile, "gate_results.json", "gate_sign_off.md", "*_classification.json", "migration_report.md",
		// The specification's suppressions file and history folder (its
		// trends.json), read and written by default when they exist.
		"**/.aetherra/workflow_suppressions.txt", "**/.aetherra/workflow_history/trends.json",
	}
)

// validGlobs checks patterns once (glob.Validate), so a typo is a usage
// error and not a silent "no files".
func validGlobs(flag string, patterns []string) error {
	for _, p := range patterns {
		if err := glob.Validate(p); err != nil {
			return fmt.Errorf("--%s %q: %w", flag, p, err)
		}
	}
	return nil
}

// selected applies the include and exclude globs; no include means all.
func selected(include, exclude []string, rel string) bool {
	return (len(include) == 0 || glob.MatchAny(include, rel)) && !glob.MatchAny(exclude, rel)
}

// discover lists the files under roots. A root that is a file is taken as
// it is (only --exclude applies); directories are walked without following
// symbolic links, skipping SkipDirs and SkipFiles. A directory that cannot be read becomes a
// target with an error, so that what it hides is reported, not lost.
func discover(roots, include, exclude []string) ([]target, error) {
	var out []target
	for _, root := range roots {
		fi, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("path %s: %w", root, unwrapPath(err))
		}
		if !fi.IsDir() {
			if !fi.Mode().IsRegular() {
				return nil, fmt.Errorf("path %s: not a regular file or directory", root)
			}
			rel := filepath.ToSlash(filepath.Clean(root))
			if !glob.MatchAny(exclude, rel) {
				out = append(out, target{Rel: rel, Arg: argPath(filepath.Clean(root))})
			}
			continue
		}
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			rel, rerr := filepath.Rel(root, p)
			if rerr != nil {
				return rerr
			}
			rel = filepath.ToSlash(rel)
			if err != nil {
				if d != nil && d.IsDir() || p == root {
					out = append(out, target{Rel: rel + "/", Arg: argPath(p), Err: unwrapPath(err)})
					return fs.SkipDir
				}
				out = append(out, target{Rel: rel, Arg: argPath(p), Err: unwrapPath(err)})
				return nil
			}
			if d.IsDir() {
				if p != root && slices.Contains(SkipDirs, d.Name()) {
					return fs.SkipDir
				}
				return nil
			}
			if glob.MatchAny(SkipFiles, rel) || !selected(include, exclude, rel) {
				return nil
			}
			mode := d.Type()
			if mode&fs.ModeSymlink != 0 {
				// A link to a file is checked, a dangling one is an
				// IO_ERROR; a link to a directory is not followed (no
				// loops, no escaping the tree).
				fi, err := os.Stat(p)
				if err != nil {
					out = append(out, target{Rel: rel, Arg: argPath(p), Err: unwrapPath(err)})
					return nil
				}
				if !fi.Mode().IsRegular() {
					return nil
				}
				mode = 0
			}
			if !mode.IsRegular() {
				return nil
			}
			out = append(out, target{Rel: rel, Arg: argPath(p)})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("walk %s: %w", root, err)
		}
	}
	slices.SortFunc(out, func(a, b target) int { return strings.Compare(a.Rel, b.Rel) })
	for i := 1; i < len(out); i++ {
		if out[i].Rel == out[i-1].Rel {
			return nil, fmt.Errorf("%s and %s are both reported as %q; pass their common parent as the PATH",
				out[i-1].Arg, out[i].Arg, out[i].Rel)
		}
	}
	return out, nil
}

// argPath makes a path safe to pass as an argument: a relative path that
// starts with "-" would read as a flag, so it gets a "./".
func argPath(p string) string {
	if strings.HasPrefix(p, "-") {
		return "." + string(filepath.Separator) + p
	}
	return p
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// inShard reports whether rel belongs to shard k (1-based) of n. The
// partition hashes the path, so a file stays in its shard when others
// come and go, and the shards are disjoint and cover everything.
func inShard(rel string, k, n int) bool {
	if n <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(rel))
	return int(h.Sum64()%uint64(n)) == k-1
}

// narrow applies --limit (a sample, see sample) and then --shard. items
// are sorted by path, and stay so.
func narrow[T any](items []T, rel func(T) string, limit, k, n int) []T {
	if limit > 0 && len(items) > limit {
		items = sample(items, rel, limit)
	}
	if n <= 1 {
		return items
	}
	out := items[:0:0]
	for _, it := range items {
		if inShard(rel(it), k, n) {
			out = append(out, it)
		}
	}
	return out
}

func sortBy[T any](items []T, key func(T) string) {
	slices.SortStableFunc(items, func(a, b T) int { return strings.Compare(key(a), key(b)) })
}

// sample keeps limit of items: those whose paths have the smallest
// SHA-256 (ties, which need equal paths, by path), returned in path order.
// A hash spreads the sample over the whole tree, where the first N paths
// would all come from the folders that sort first; it depends only on
// the paths, so the same N over the same files checks the same files on
// every run and machine, and a larger N checks a superset. A file added or
// removed swaps at most one file of the sample.
func sample[T any](items []T, rel func(T) string, limit int) []T {
	type keyed struct {
		sum [sha256.Size]byte
		i   int
	}
	keys := make([]keyed, len(items))
	for i, it := range items {
		keys[i] = keyed{sha256.Sum256([]byte(rel(it))), i}
	}
	slices.SortFunc(keys, func(a, b keyed) int {
		return cmp.Or(bytes.Compare(a.sum[:], b.sum[:]), a.i-b.i)
	})
	idx := make([]int, limit)
	for j := range idx {
		idx[j] = keys[j].i
	}
	slices.Sort(idx) // back to path order
	out := make([]T, limit)
	for j, i := range idx {
		out[j] = items[i]
	}
	return out
}
