package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/classify"
	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/outfile"
	"github.com/org/gonogo-action/internal/scan"
	"github.com/org/gonogo-action/internal/signing"
)

// classifyFlags are the flags of the classifier artifacts.
type classifyFlags struct {
	json, markdown string
	// sig is the signatures policy; sigRoot the repository root its
	// paths are relative to.
	sig     signing.Spec
	sigRoot string
	// root is sigRoot resolved by trust, before the run.
	root string
}

func (c *classifyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.json, "classification", "", "write the classifier's workflow_failures.json to `FILE`")
	fs.StringVar(&c.markdown, "classification-md", "", "write the classifier's category table (workflow_failures.md) to `FILE`")
	fs.Var((*cli.List)(&c.sig.Keys), "signatures-key", "trusted public `KEY` (minisign .pub file or base64 line), repeatable: record each file's signature state in the classification")
	fs.StringVar(&c.sig.Revoked, "signatures-revoked", "", "signature revocation list `FILE`")
	cli.BoolVar(fs, &c.sig.AllowLegacy, "signatures-allow-legacy", false, "accept legacy (non-prehashed) minisign signatures")
	fs.Func("signatures-not-before", "signatures made before `DATE` (2026-01-15 or RFC 3339), or recording no time, are invalid", func(v string) (err error) {
		c.sig.NotBefore, err = signing.ParseNotBefore(v)
		return err
	})
	fs.StringVar(&c.sigRoot, "signatures-root", "", "repository root `DIR` signatures name paths from (default: nearest .git above the working directory)")
}

// validate refuses flags that would do nothing or could not be honoured.
func (c *classifyFlags) validate(fs *flag.FlagSet) error {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	for _, a := range []struct{ flag, file string }{{"classification", c.json}, {"classification-md", c.markdown}} {
		if set[a.flag] && (a.file == "" || a.file == "-") {
			return cli.Usagef("--%s %q: name a file", a.flag, a.file)
		}
	}
	if c.json != "" && c.json == c.markdown {
		return cli.Usagef("--classification and --classification-md name the same file %s", c.json)
	}
	for _, name := range []string{"signatures-revoked", "signatures-allow-legacy", "signatures-not-before", "signatures-root"} {
		if set[name] && len(c.sig.Keys) == 0 {
			return cli.Usagef("--%s needs --signatures-key: a policy without trusted keys checks nothing", name)
		}
	}
	if len(c.sig.Keys) > 0 && c.json == "" && c.markdown == "" {
		return cli.Usagef("--signatures-key records signature states in the classification: give --classification or --classification-md")
	}
	return nil
}

// trust finds the repository root and checks the signatures policy (its
// keys and revocation list) before the run, so that a bad policy costs
// no checker pass; signatures then uses that root. Nothing to do without
// --signatures-key.
func (c *classifyFlags) trust() error {
	if len(c.sig.Keys) == 0 {
		return nil
	}
	root, err := signing.FindRoot(c.sigRoot)
	if err == nil {
		err = signing.CheckTrust(root, c.sig)
	}
	if err != nil {
		return fmt.Errorf("signatures: %w", err)
	}
	c.root = root
	return nil
}

// wanted reports whether any classifier artifact is asked for.
func (c *classifyFlags) wanted() bool { return c.json != "" || c.markdown != "" }

// write builds and writes the classifier artifacts of b. paths are the
// PATHs of the run, to find the files for the signature check.
func (c *classifyFlags) write(ctx context.Context, b *baseline.Baseline, paths []string, o classify.Options) error {
	if len(c.sig.Keys) > 0 {
		sigs, err := c.signatures(ctx, b, paths)
		if err != nil {
			return err
		}
		o.Signatures = sigs
	}
	d, err := classify.Build(b, o)
	if err != nil {
		return fmt.Errorf("classification: %w", err)
	}
	if c.json != "" {
		data, err := classify.Encode(d)
		if err != nil {
			return err
		}
		if err := outfile.Write(c.json, data); err != nil {
			return err
		}
	}
	if c.markdown != "" {
		if err := outfile.Write(c.markdown, []byte(classify.Markdown(d))); err != nil {
			return err
		}
	}
	return nil
}

// signatures applies the policy to every checked file that could be read
// and returns the verdicts by baseline path.
func (c *classifyFlags) signatures(ctx context.Context, b *baseline.Baseline, paths []string) (map[string]signing.FileResult, error) {
	root := c.root
	if root == "" {
		return nil, errors.New("signatures: no repository root: the policy was not checked before the run")
	}
	paths = scan.PathsOrDot(paths)
	roots, err := statRoots(paths)
	if err != nil {
		return nil, fmt.Errorf("signatures: %w", err)
	}
	byRootRel := map[string]string{}
	spec := c.sig
	spec.Files = []string{}
	add := func(rel string) error {
		abs, ok := locate(roots, rel)
		if !ok {
			return fmt.Errorf("signatures: %s: not found under %s", rel, strings.Join(paths, ", "))
		}
		r, err := filepath.Rel(root, abs)
		if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return cli.Usagef("signatures: %s lies outside the repository root %s (give --signatures-root)", rel, root)
		}
		r = filepath.ToSlash(r)
		byRootRel[r] = rel
		spec.Files = append(spec.Files, r)
		return nil
	}
	for _, f := range b.Files {
		// An unreadable file (IO_ERROR) has no bytes to verify.
		if f.CodeName == baseline.IOError {
			continue
		}
		if err := add(f.Path); err != nil {
			return nil, err
		}
	}
	if err := b.EachPassed(add); err != nil {
		return nil, err
	}
	out := map[string]signing.FileResult{}
	if len(spec.Files) == 0 {
		return out, nil
	}
	rep, err := signing.Check(ctx, root, spec)
	if err != nil {
		return nil, fmt.Errorf("signatures: %w", err)
	}
	for _, r := range rep.Results {
		out[byRootRel[r.Path]] = r
	}
	return out, nil
}

// pathRoot is one PATH of the run that exists, stat'ed once for every
// file looked up under it.
type pathRoot struct {
	abs string // the PATH made absolute
	rel string // a file PATH as the run reports it; "" for a folder
}

// statRoots reads each PATH once: whether it is there (a PATH that is
// not holds no file), a file or a folder, and where it lies.
func statRoots(paths []string) ([]pathRoot, error) {
	var roots []pathRoot
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			continue
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		r := pathRoot{abs: abs}
		if !fi.IsDir() {
			r.rel = filepath.ToSlash(filepath.Clean(p))
		}
		roots = append(roots, r)
	}
	return roots, nil
}

// locate finds on disk, as an absolute path, the file a run reported as
// rel: a PATH that is that file, or rel under a PATH that is a folder.
// The run refused PATHs whose files share a reported name, so at most
// one holds it.
func locate(roots []pathRoot, rel string) (string, bool) {
	for _, r := range roots {
		if r.rel != "" {
			if r.rel == rel {
				return r.abs, true
			}
			continue
		}
		cand := filepath.Join(r.abs, filepath.FromSlash(rel))
		if _, err := os.Lstat(cand); err == nil {
			return cand, true
		}
	}
	return "", false
}
