package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/safetext"
	"github.com/org/gonogo-action/internal/signing"
)

// runSign is `gate sign` (docs/signing.md):
//
//	gate sign --secret-key FILE [--trusted-comment TEXT] [--untrusted-comment TEXT]
//	          [--root DIR] (FILE... | --include GLOB... [--exclude GLOB...])
//
// It writes FILE.minisig beside each FILE, or beside each file under the
// root that --include matches (the files gate verify --include and the
// signatures gate check, with the same globs): thousands of files in one
// command, with one password prompt and no argument-length limit. The trusted comment records the
// file's path relative to the repository root (--root, default: the nearest
// directory above the working directory holding .git) and its SHA-256;
// --trusted-comment appends text of your own. An encrypted secret key's
// password comes from MINISIGN_PASSWORD, else the terminal (not echoed),
// else the first line of stdin. SOURCE_DATE_EPOCH fixes the timestamp.
// Exit codes: 0 all signed, 2 usage or input error.
func runSign(ctx context.Context, args []string, stdio cli.Stdio, getenv func(string) string) int {
	const name = "gate sign"
	return cli.Exit(stdio.Err, name, sign(ctx, name, args, stdio, getenv))
}

func sign(ctx context.Context, name string, args []string, stdio cli.Stdio, getenv func(string) string) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var keyPath, root string
	var include, exclude cli.List
	var opt signing.SignOptions
	fs.StringVar(&keyPath, "secret-key", "", "minisign secret key `FILE` (required)")
	fs.Var(&include, "include", "sign the files under the root matching `GLOB` instead of FILEs; repeatable")
	fs.Var(&exclude, "exclude", "with --include, leave out files matching `GLOB`; repeatable")
	fs.StringVar(&opt.Note, "trusted-comment", "", "extra signed `TEXT` for the trusted comment (one line, no tabs)")
	fs.StringVar(&opt.UntrustedComment, "untrusted-comment", "", "unsigned `TEXT` for the first line of the signature")
	fs.StringVar(&root, "root", "", "repository root `DIR` that paths are recorded relative to (default: nearest .git above the working directory)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: gate sign --secret-key FILE [flags] (FILE... | --include GLOB...)")
		fs.PrintDefaults()
	}
	args, err := cli.Parse(fs, args, stdio)
	if err != nil {
		return err
	}
	switch {
	case keyPath == "" || (len(args) == 0 && len(include) == 0):
		return cli.Usagef("need --secret-key FILE and at least one FILE (or --include GLOB) to sign (see -h)")
	case len(args) > 0 && len(include) > 0:
		return cli.Usagef("give FILEs or --include GLOB, not both")
	case len(exclude) > 0 && len(include) == 0:
		return cli.Usagef("--exclude goes with --include")
	}
	var files []string
	if len(include) > 0 {
		if root, err = signing.FindRoot(root); err != nil {
			return err
		}
		if files, err = signing.Select(ctx, root, include, exclude); err != nil {
			return err
		}
		if len(files) == 0 {
			return fmt.Errorf("no file under %s matches --include %s: nothing signed", root, strings.Join(include, ", "))
		}
	} else if root, files, err = resolveFiles(root, args); err != nil {
		return err
	}
	k, err := signing.LoadSecretKey(keyPath, signing.PasswordSource(stdio.In, stdio.Err, getenv))
	if err != nil {
		return err
	}
	now, err := cli.Clock(getenv)
	if err != nil {
		return err
	}
	opt.Now = now()
	done, err := signing.SignFiles(ctx, root, files, k, opt)
	for _, s := range done {
		fmt.Fprintf(stdio.Out, "signed %s (key %s)\n", safetext.LogLine(s), k.ID)
	}
	return err
}

// runVerify is `gate verify`, the signatures gate for local use:
//
//	gate verify --key KEY... [--revoked FILE] [--strict] [--allow-legacy]
//	            [--include GLOB]... [--exclude GLOB]... [--root DIR] [--not-before DATE]
//	            [--json] [FILE...]
//
// It checks the FILEs, or else the files under the root matching --include.
// KEY is a public key file or the key's base64 line. It prints one line per
// file that is not properly signed and a summary (--json: the report).
// Exit codes: 0 pass, 1 invalid or revoked signatures (or unsigned files with
// --strict, or no file matched), 2 usage or input error.
func runVerify(ctx context.Context, args []string, stdio cli.Stdio, _ func(string) string) int {
	const name = "gate verify"
	return cli.Exit(stdio.Err, name, verify(ctx, name, args, stdio))
}

func verify(ctx context.Context, name string, args []string, stdio cli.Stdio) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var spec signing.Spec
	var root string
	var asJSON bool
	fs.Var((*cli.List)(&spec.Keys), "key", "trusted public `KEY` (file or base64 line); repeatable")
	fs.StringVar(&spec.Revoked, "revoked", "", "revocation list `FILE` (key ids, public keys, sha256:<hex> of .minisig files)")
	cli.BoolVar(fs, &spec.Strict, "strict", false, "unsigned files fail (default: they are warnings)")
	cli.BoolVar(fs, &spec.AllowLegacy, "allow-legacy", false, "accept legacy (non-prehashed) minisign signatures")
	fs.Var((*cli.List)(&spec.Include), "include", "`GLOB` of files that must be signed, relative to the root; repeatable")
	fs.Var((*cli.List)(&spec.Exclude), "exclude", "`GLOB` of files to leave out; repeatable")
	fs.StringVar(&root, "root", "", "repository root `DIR` (default: nearest .git above the working directory)")
	cli.BoolVar(fs, &asJSON, "json", false, "print the report as JSON")
	fs.Func("not-before", "refuse signatures made before `DATE` (2026-01-15 or RFC 3339), or recording no time", func(v string) (err error) {
		spec.NotBefore, err = signing.ParseNotBefore(v)
		return err
	})
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: gate verify --key KEY [flags] [FILE...]")
		fs.PrintDefaults()
	}
	args, err := cli.Parse(fs, args, stdio)
	if err != nil {
		return err
	}
	if len(spec.Keys) == 0 {
		return cli.Usagef("need at least one --key (public key file or base64 line)")
	}
	if len(args) == 0 && len(spec.Include) == 0 {
		return cli.Usagef("give FILEs or --include GLOB to say what must be signed")
	}
	if len(args) > 0 {
		root, spec.Files, err = resolveFiles(root, args)
	} else {
		root, err = signing.FindRoot(root)
	}
	if err != nil {
		return err
	}
	rep, err := signing.Check(ctx, root, spec)
	if err != nil {
		return err
	}
	if asJSON {
		data, err := json.MarshalIndent(struct {
			OK bool `json:"ok"`
			signing.Report
		}{rep.OK(), rep}, "", "  ")
		if err != nil {
			return err
		}
		// "##[" occurs only inside strings (file names, reasons); a CI
		// runner would act on it anywhere in a line, so it is written
		// with [ escaped, which decodes the same.
		data = bytes.ReplaceAll(data, []byte("##["), []byte(`##\u005b`))
		if _, err := stdio.Out.Write(append(data, '\n')); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	} else {
		for _, f := range rep.Offending(0) {
			word := "FAIL"
			if f.Status == signing.Unsigned && !rep.Strict {
				word = "warn"
			}
			fmt.Fprintf(stdio.Out, "%s %-8s %s: %s\n", word, f.Status, safetext.LogLine(f.Path), safetext.LogLine(f.Reason))
		}
	}
	verdict := "ok"
	if !rep.OK() {
		verdict = "FAILED"
	}
	fmt.Fprintf(stdio.Err, "%s: %s: %s\n", name, verdict, rep.Summary())
	if !rep.OK() {
		if rep.Files == 0 {
			return cli.Failf("no file matched: check --include")
		}
		return cli.ErrFailed
	}
	return nil
}

// resolveFiles turns command-line paths into root-relative slash paths.
func resolveFiles(root string, args []string) (string, []string, error) {
	root, err := signing.FindRoot(root)
	if err != nil {
		return "", nil, err
	}
	var out []string
	for _, a := range args {
		abs, err := filepath.Abs(a)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", a, err)
		}
		rel, err := filepath.Rel(root, abs)
		if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return "", nil, fmt.Errorf("%s is outside the repository root %s (use --root)", a, root)
		}
		out = append(out, filepath.ToSlash(rel))
	}
	return root, out, nil
}
