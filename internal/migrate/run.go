package migrate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/outfile"
	"github.com/org/gonogo-action/internal/scan"
)

// Options say what to migrate and how.
type Options struct {
	Rules *Rules
	// Paths, Include and Exclude select the files as parse-baseline does
	// (scan.Select).
	Paths, Include, Exclude []string
	// Apply rewrites the files; otherwise the run is a dry run that
	// writes the diffs to Diffs and changes nothing.
	Apply bool
	Diffs io.Writer
	// Leave are files never rewritten even when selected: the rules file
	// and the report.
	Leave []string
	// Check, when set, classifies the files before and after the
	// migration (its Paths, Include and Exclude are set here). In a dry
	// run the after-classification runs on a copy of the selected files
	// with the new content, in a temporary folder.
	Check *scan.Options
	// TempDir is where that copy is made ("" = the system's).
	TempDir string
}

// Report is what a migration did, or in a dry run would do.
type Report struct {
	RulesFile string
	Rules     []string // names, in order
	Applied   bool
	// Selected counts the files selected; Changed lists those the rules
	// change, sorted by path; Skipped those left alone, and why.
	Selected int
	Changed  []Change
	Skipped  []Skip
	// Before and After are the classifications with Options.Check (nil
	// without). After's paths are the tree's, also in a dry run.
	Before, After *baseline.Baseline
	// paths maps a baseline's path (relative to its PATH) to the path
	// the diff and Changed name, so that the report names a file one way.
	paths map[string]string
}

// Change is one changed file: its path (as passed to the checker and
// named in the diff) and the lines each rule changed, in rule order.
type Change struct {
	Path  string
	Lines []int
}

// Skip is a selected file the migration leaves alone.
type Skip struct {
	Path, Why string
}

// ErrNoFiles is a selection without a file: a migration that looked at
// nothing would report success about nothing.
var ErrNoFiles = errors.New("no file to migrate")

// planned is a change with the content it was computed from.
type planned struct {
	Change
	old, new string
}

// Run migrates (or, dry, diffs) the selected files. It reads and rewrites
// every file in memory before it writes any, so that an unreadable file
// stops the run before anything changed. A file that changed on disk since
// it was read is not overwritten.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Rules == nil || len(o.Rules.Rules) == 0 {
		return nil, errors.New("migrate: no rules")
	}
	sel, err := scan.Select(o.Paths, o.Include, o.Exclude)
	if err != nil {
		return nil, err
	}
	if len(sel) == 0 {
		what := "under " + strings.Join(scan.PathsOrDot(o.Paths), ", ")
		if len(o.Include) > 0 {
			what += " matching " + strings.Join(o.Include, ", ")
		}
		if len(o.Exclude) > 0 {
			what += " but " + strings.Join(o.Exclude, ", ")
		}
		return nil, fmt.Errorf("%w %s", ErrNoFiles, what)
	}
	rep := &Report{RulesFile: o.Rules.File, Applied: o.Apply, Selected: len(sel), paths: map[string]string{}}
	for _, r := range o.Rules.Rules {
		rep.Rules = append(rep.Rules, r.Name)
	}
	leave := leaveSet(o.Leave)
	var plan []planned
	copyDry := o.Check != nil && !o.Apply
	contents := map[string]string{} // Rel → new content, for the dry run's copy
	for _, s := range sel {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("interrupted: %w", err)
		}
		if s.Err != nil {
			return nil, fmt.Errorf("read %s: %w; nothing was changed", s.Path, s.Err)
		}
		fi, err := os.Lstat(s.Path)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w; nothing was changed", s.Path, err)
		}
		data, err := os.ReadFile(s.Path)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w; nothing was changed", s.Path, err)
		}
		if copyDry {
			contents[s.Rel] = string(data)
		}
		rep.paths[s.Rel] = s.Path
		why := ""
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			why = "a symbolic link: never written through; migrate its target where it lies"
		case leave(fi):
			why = "the rules file or the report of this run"
		case bytes.IndexByte(data, 0) >= 0:
			why = "binary (holds a NUL byte)"
		}
		if why != "" {
			rep.Skipped = append(rep.Skipped, Skip{s.Path, why})
			continue
		}
		res := o.Rules.Rewrite(string(data))
		if !res.Changed() {
			continue
		}
		if copyDry {
			contents[s.Rel] = res.Content()
		}
		plan = append(plan, planned{Change{s.Path, res.Rules}, string(data), res.Content()})
		if !o.Apply && o.Diffs != nil {
			if _, err := io.WriteString(o.Diffs, res.Diff(s.Path)); err != nil {
				return nil, fmt.Errorf("write the diff: %w", err)
			}
		}
	}
	for _, p := range plan {
		rep.Changed = append(rep.Changed, p.Change)
	}

	var check scan.Options
	if o.Check != nil {
		check = *o.Check
		check.Paths, check.Include, check.Exclude = o.Paths, o.Include, o.Exclude
		if rep.Before, err = scan.Build(ctx, check); err != nil {
			return nil, fmt.Errorf("classify before: %w", err)
		}
	}
	if o.Apply {
		for i, p := range plan {
			if err := rewrite(p); err != nil {
				return nil, fmt.Errorf("%w (%d of %d changed files rewritten before it)", err, i, len(plan))
			}
		}
	}
	if o.Check != nil {
		if o.Apply {
			rep.After, err = scan.Build(ctx, check)
		} else {
			rep.After, err = classifyCopy(ctx, check, sel, contents, o.TempDir)
		}
		if err != nil {
			return nil, fmt.Errorf("classify after: %w", err)
		}
	}
	return rep, nil
}

// rewrite writes one file's new content in place, unless it changed since
// it was read.
func rewrite(p planned) error {
	now, err := os.ReadFile(p.Path)
	if err != nil {
		return fmt.Errorf("read %s: %w", p.Path, err)
	}
	if string(now) != p.old {
		return fmt.Errorf("%s changed while it was migrated; rerun", p.Path)
	}
	return outfile.Rewrite(p.Path, []byte(p.new))
}

// classifyCopy classifies the new contents without touching the tree: it
// writes every selected file, changed or not, under a temporary folder (a
// folder PATH becomes a folder there, so the reported paths stay the
// same; a file PATH is renamed back), has the checker judge the copy, and
// removes it.
func classifyCopy(ctx context.Context, check scan.Options, sel []scan.Selected, contents map[string]string, tempDir string) (*baseline.Baseline, error) {
	tmp, err := os.MkdirTemp(tempDir, "parse-baseline-migrate-")
	if err != nil {
		return nil, fmt.Errorf("make the dry run's copy: %w", err)
	}
	defer os.RemoveAll(tmp)
	roots := scan.PathsOrDot(check.Paths)
	paths := make([]string, len(roots))
	back := map[string]string{} // reported path in the copy → in the tree
	for i, root := range roots {
		fi, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("path %s: %w", root, err)
		}
		paths[i] = filepath.Join(tmp, strconv.Itoa(i))
		if !fi.IsDir() {
			paths[i] = filepath.Join(paths[i], filepath.Base(root))
			back[filepath.ToSlash(filepath.Clean(paths[i]))] = filepath.ToSlash(filepath.Clean(root))
		}
	}
	for _, s := range sel {
		p := paths[s.Root]
		if _, fileRoot := back[filepath.ToSlash(filepath.Clean(p))]; !fileRoot {
			p = filepath.Join(p, filepath.FromSlash(s.Rel))
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			return nil, fmt.Errorf("make the dry run's copy: %w", err)
		}
		if err := os.WriteFile(p, []byte(contents[s.Rel]), 0o600); err != nil {
			return nil, fmt.Errorf("make the dry run's copy: %w", err)
		}
	}
	check.Paths = paths
	b, err := scan.Build(ctx, check)
	if err != nil {
		return nil, err
	}
	for i := range b.Files {
		if p, ok := back[b.Files[i].Path]; ok {
			b.Files[i].Path = p
		}
	}
	for i := range b.Passed {
		if p, ok := back[b.Passed[i]]; ok {
			b.Passed[i] = p
		}
	}
	b.Normalize()
	return b, nil
}

// leaveSet reports whether a file is one of paths (the same file, however
// named).
func leaveSet(paths []string) func(os.FileInfo) bool {
	var fis []os.FileInfo
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil {
			fis = append(fis, fi)
		}
	}
	return func(fi os.FileInfo) bool {
		for _, l := range fis {
			if os.SameFile(l, fi) {
				return true
			}
		}
		return false
	}
}
