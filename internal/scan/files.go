package scan

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

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
	// Root is the index of the PATH it was found under (or is).
	Root int
	// cached is what the cache holds for the file, if anything.
	cached *cacheEntry
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

// discover lists the files under roots, sorted by Rel (walk), and refuses
// two files reported alike.
func discover(roots, include, exclude []string) ([]target, error) {
	var out []target
	for tg, err := range distinct(walk(roots, include, exclude)) {
		if err != nil {
			return nil, err
		}
		out = append(out, tg)
	}
	return out, nil
}

// walk yields the files under roots in the order of their Rel (as
// strings.Compare sorts), holding only the folders being read: a root
// that is a file is taken as it is (only --exclude applies); a directory
// is walked without following symbolic links below it, skipping SkipDirs
// and SkipFiles. A directory that cannot be read becomes a target with an
// error, so that what it hides is reported, not lost. The roots are
// checked first, in order, and the first that cannot be walked ends the
// sequence with an error. The roots that are files are one sorted list
// (they are named on the command line, which can name thousands); the
// directories' walks are merged with it by a heap, so a run given many
// PATHs costs what it walks, not PATHs × files.
func walk(roots, include, exclude []string) iter.Seq2[target, error] {
	return func(yield func(target, error) bool) {
		var files []target
		var dirs []iter.Seq2[target, error]
		for i, root := range roots {
			tg, isDir, err := rootTarget(root, exclude)
			switch {
			case err != nil:
				yield(target{}, err)
				return
			case isDir:
				dirs = append(dirs, walkDir(i, root, include, exclude))
			case tg.Rel != "":
				tg.Root = i
				files = append(files, tg)
			}
		}
		// Alike paths keep the order of their roots (distinct names them).
		slices.SortStableFunc(files, func(a, b target) int { return strings.Compare(a.Rel, b.Rel) })
		seqs := dirs
		if len(files) > 0 {
			seqs = append(seqs, func(yield func(target, error) bool) {
				for _, tg := range files {
					if !yield(tg, nil) {
						return
					}
				}
			})
		}
		switch len(seqs) {
		case 0:
			return
		case 1:
			for tg, err := range seqs[0] {
				if !yield(tg, err) {
					return
				}
			}
			return
		}
		merge(seqs, yield)
	}
}

// rootTarget checks one PATH: a directory to walk (isDir), a file to
// check (tg; none when --exclude drops it), or an error.
func rootTarget(root string, exclude []string) (tg target, isDir bool, err error) {
	fi, err := os.Stat(root)
	if err != nil {
		return tg, false, fmt.Errorf("path %s: %w", root, unwrapPath(err))
	}
	if fi.IsDir() {
		// As below it: a link to a directory is not followed, and a PATH
		// that is one is said so rather than found empty.
		if li, err := os.Lstat(root); err == nil && li.Mode()&fs.ModeSymlink != 0 {
			return tg, false, fmt.Errorf("path %s: a symbolic link to a directory, which the walk does not follow; name the directory itself", root)
		}
		return tg, true, nil
	}
	if !fi.Mode().IsRegular() {
		return tg, false, fmt.Errorf("path %s: not a regular file or directory", root)
	}
	rel := filepath.ToSlash(filepath.Clean(root))
	if glob.MatchAny(exclude, rel) {
		return tg, false, nil
	}
	return target{Rel: rel, Arg: argPath(filepath.Clean(root))}, false, nil
}

// merge yields the targets of sorted sequences in Rel order (equal Rels
// in the order of their Root), through a heap of their heads. The
// sequences yield no errors.
func merge(seqs []iter.Seq2[target, error], yield func(target, error) bool) {
	type head struct {
		next func() (target, error, bool)
		tg   target
	}
	var h []head
	less := func(a, b target) bool { return a.Rel < b.Rel || a.Rel == b.Rel && a.Root < b.Root }
	down := func(i int) {
		for {
			l, m := 2*i+1, i
			if l < len(h) && less(h[l].tg, h[m].tg) {
				m = l
			}
			if r := l + 1; r < len(h) && less(h[r].tg, h[m].tg) {
				m = r
			}
			if m == i {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for _, seq := range seqs {
		next, stop := iter.Pull2(seq)
		defer stop()
		if tg, _, ok := next(); ok {
			h = append(h, head{next, tg})
		}
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		down(i)
	}
	for len(h) > 0 {
		if !yield(h[0].tg, nil) {
			return
		}
		if tg, _, ok := h[0].next(); ok {
			h[0].tg = tg
		} else {
			h[0] = h[len(h)-1]
			h = h[:len(h)-1]
		}
		down(0)
	}
}

// distinct passes seq on and ends it with an error at two files reported
// alike (the same path under two roots).
//
// A name that is not UTF-8 is written in JSON with U+FFFD for each invalid
// byte, so two such names (Latin-1 "r\xe9sum\xe9" and "r\xe8sum\xe8")
// would be one path in the baseline, a file listed twice or, passed and
// failing at once: those are refused too. Only the names that hold an
// invalid byte or a U+FFFD are remembered, so memory does not grow with
// the files.
func distinct(seq iter.Seq2[target, error]) iter.Seq2[target, error] {
	return func(yield func(target, error) bool) {
		var prev target
		n := 0
		var written map[string]target
		for tg, err := range seq {
			if err == nil && n > 0 && tg.Rel == prev.Rel {
				err = fmt.Errorf("%s and %s are both reported as %q; pass their common parent as the PATH", prev.Arg, tg.Arg, tg.Rel)
				if sameFile(prev.Arg, tg.Arg) {
					err = fmt.Errorf("%s is reached through two PATHs (a PATH given twice, or spelled two ways); name it once", tg.Arg)
				}
			}
			if err == nil && (!utf8.ValidString(tg.Rel) || strings.ContainsRune(tg.Rel, utf8.RuneError)) {
				w := jsonText(tg.Rel)
				if other, ok := written[w]; ok && other.Rel != tg.Rel {
					err = fmt.Errorf("%q and %q are both written as %q in a baseline (a name that is not UTF-8 has U+FFFD for each invalid byte), so it could not tell them apart; rename one, or leave it out with --exclude",
						other.Arg, tg.Arg, w)
				}
				if written == nil {
					written = map[string]target{}
				}
				written[w] = tg
			}
			if !yield(tg, err) || err != nil {
				return
			}
			prev = tg
			n++
		}
	}
}

// sameFile reports whether two paths name one file.
func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// jsonText is s as encoding/json writes it: each byte that is not part of
// valid UTF-8 becomes U+FFFD.
func jsonText(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
	return b.String()
}

// walkDir yields the files under the directory root, sorted by Rel.
func walkDir(index int, root string, include, exclude []string) iter.Seq2[target, error] {
	return func(yield func(target, error) bool) {
		w := walker{root: index, include: include, exclude: exclude, yield: yield}
		w.dir(root, "")
	}
}

// walker is one root's walk.
type walker struct {
	root             int
	include, exclude []string
	yield            func(target, error) bool
}

// dir yields the files of the directory p (reported as rel, "" for the
// root) and of its subdirectories, in Rel order, and reports whether to
// go on. Its entries are visited in the order of their name with a "/"
// after a directory's: everything below a directory d starts with "d/",
// so it sorts there, between the entries that sort before and after
// "d/", and the walk comes out sorted as a whole.
func (w *walker) dir(p, rel string) bool {
	ents, err := os.ReadDir(p)
	if err != nil {
		return w.yield(target{Rel: cmp.Or(rel, ".") + "/", Arg: argPath(p), Root: w.root, Err: unwrapPath(err)}, nil)
	}
	key := func(d fs.DirEntry) string {
		if d.IsDir() {
			return d.Name() + "/"
		}
		return d.Name()
	}
	slices.SortFunc(ents, func(a, b fs.DirEntry) int { return strings.Compare(key(a), key(b)) })
	for _, d := range ents {
		name := d.Name()
		sub, subRel := filepath.Join(p, name), name
		if rel != "" {
			subRel = rel + "/" + name
		}
		if d.IsDir() {
			if slices.Contains(SkipDirs, name) {
				continue
			}
			if !w.dir(sub, subRel) {
				return false
			}
			continue
		}
		tg, ok := w.file(d, sub, subRel)
		if ok && !w.yield(tg, nil) {
			return false
		}
	}
	return true
}

// file makes the target of a non-directory entry, if it is one to check.
func (w *walker) file(d fs.DirEntry, p, rel string) (target, bool) {
	if glob.MatchAny(SkipFiles, rel) || !selected(w.include, w.exclude, rel) {
		return target{}, false
	}
	tg := target{Rel: rel, Arg: argPath(p), Root: w.root}
	mode := d.Type()
	if mode&fs.ModeSymlink != 0 {
		// A link to a file is checked, a dangling one is an IO_ERROR; a
		// link to a directory is not followed (no loops, no escaping the
		// tree).
		fi, err := os.Stat(p)
		if err != nil {
			tg.Err = unwrapPath(err)
			return tg, true
		}
		mode = fi.Mode().Type()
	}
	return tg, mode.IsRegular()
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
