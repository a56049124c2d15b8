package signing

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/org/gonogo-action/internal/minisign"
	"github.com/org/gonogo-action/internal/safetext"
)

// Exit codes of gate sign and gate verify.
const (
	ExitOK    = 0 // signed / verified
	ExitFail  = 1 // verification failed
	ExitUsage = 2 // usage or input error
)

// parseFlags parses args; when it cannot, it reports a bad flag as one line
// prefixed with name (the contract of every exit 2) and prints the flag
// list only for -h. ok is false when the command must return code.
func parseFlags(fs *flag.FlagSet, name string, args []string, stderr io.Writer) (code int, ok bool) {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	switch {
	case err == nil:
		return 0, true
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stderr)
		fs.Usage()
		return ExitOK, false
	}
	fmt.Fprintf(stderr, "%s: %v (see -h)\n", name, err)
	return ExitUsage, false
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// SignCommand is `gate sign`:
//
//	gate sign --secret-key FILE [--trusted-comment TEXT] [--untrusted-comment TEXT]
//	          [--root DIR] FILE...
//
// It writes FILE.minisig beside each FILE. The trusted comment records the
// file's path relative to the repository root (--root, default: the nearest
// directory above the working directory holding .git) and its SHA-256;
// --trusted-comment appends text of your own. An encrypted secret key's
// password comes from MINISIGN_PASSWORD, else the terminal (not echoed),
// else the first line of stdin. SOURCE_DATE_EPOCH fixes the timestamp.
// Exit codes: 0 all signed, 2 usage or input error.
func SignCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	const name = "gate sign"
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var keyPath, root string
	var opt SignOptions
	fs.StringVar(&keyPath, "secret-key", "", "minisign secret key `FILE` (required)")
	fs.StringVar(&opt.Note, "trusted-comment", "", "extra signed `TEXT` for the trusted comment (one line, no tabs)")
	fs.StringVar(&opt.UntrustedComment, "untrusted-comment", "", "unsigned `TEXT` for the first line of the signature")
	fs.StringVar(&root, "root", "", "repository root `DIR` that paths are recorded relative to (default: nearest .git above the working directory)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: gate sign --secret-key FILE [flags] FILE...")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, name, args, stderr); !ok {
		return code
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "%s: %s\n", name, safetext.LogLine(err.Error()))
		return ExitUsage
	}
	if keyPath == "" || fs.NArg() == 0 {
		return fail(errors.New("need --secret-key FILE and at least one FILE to sign (see -h)"))
	}
	root, files, err := resolveFiles(root, fs.Args())
	if err != nil {
		return fail(err)
	}
	data, err := readCapped(keyPath)
	if err != nil {
		return fail(fmt.Errorf("read secret key: %w", err))
	}
	k, err := minisign.ParseSecretKey(data, passwordSource(stdin, stderr, getenv))
	if err != nil {
		return fail(err)
	}
	if opt.Now, err = now(getenv); err != nil {
		return fail(err)
	}
	done, err := SignFiles(ctx, root, files, k, opt)
	for _, s := range done {
		fmt.Fprintf(stdout, "signed %s (key %s)\n", safetext.LogLine(s), k.ID)
	}
	if err != nil {
		return fail(err)
	}
	return ExitOK
}

// VerifyCommand is `gate verify`, the signatures gate for local use:
//
//	gate verify --key KEY... [--revoked FILE] [--strict] [--allow-legacy]
//	            [--include GLOB]... [--exclude GLOB]... [--root DIR] [--json] [FILE...]
//
// It checks the FILEs, or else the files under the root matching --include.
// KEY is a public key file or the key's base64 line. It prints one line per
// file that is not properly signed and a summary (--json: the report).
// Exit codes: 0 pass, 1 invalid or revoked signatures (or unsigned files with
// --strict, or no file matched), 2 usage or input error.
func VerifyCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	const name = "gate verify"
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var spec Spec
	var root string
	var asJSON bool
	fs.Var((*listFlag)(&spec.Keys), "key", "trusted public `KEY` (file or base64 line); repeatable")
	fs.StringVar(&spec.Revoked, "revoked", "", "revocation list `FILE` (key ids, public keys, sha256:<hex> of .minisig files)")
	fs.BoolVar(&spec.Strict, "strict", false, "unsigned files fail (default: they are warnings)")
	fs.BoolVar(&spec.AllowLegacy, "allow-legacy", false, "accept legacy (non-prehashed) minisign signatures")
	fs.Var((*listFlag)(&spec.Include), "include", "`GLOB` of files that must be signed, relative to the root; repeatable")
	fs.Var((*listFlag)(&spec.Exclude), "exclude", "`GLOB` of files to leave out; repeatable")
	fs.StringVar(&root, "root", "", "repository root `DIR` (default: nearest .git above the working directory)")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: gate verify --key KEY [flags] [FILE...]")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, name, args, stderr); !ok {
		return code
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "%s: %s\n", name, safetext.LogLine(err.Error()))
		return ExitUsage
	}
	if len(spec.Keys) == 0 {
		return fail(errors.New("need at least one --key (public key file or base64 line)"))
	}
	if fs.NArg() == 0 && len(spec.Include) == 0 {
		return fail(errors.New("give FILEs or --include GLOB to say what must be signed"))
	}
	var err error
	if fs.NArg() > 0 {
		root, spec.Files, err = resolveFiles(root, fs.Args())
	} else {
		root, err = resolveRoot(root)
	}
	if err != nil {
		return fail(err)
	}
	rep, err := Check(ctx, root, spec)
	if err != nil {
		return fail(err)
	}
	if asJSON {
		data, err := json.MarshalIndent(struct {
			OK bool `json:"ok"`
			Report
		}{rep.OK(), rep}, "", "  ")
		if err != nil {
			return fail(err)
		}
		// "##[" occurs only inside strings (file names, reasons); a CI
		// runner would act on it anywhere in a line, so it is written
		// with [ escaped, which decodes the same.
		data = bytes.ReplaceAll(data, []byte("##["), []byte(`##\u005b`))
		if _, err := stdout.Write(append(data, '\n')); err != nil {
			return fail(err)
		}
	} else {
		for _, f := range rep.Offending(0) {
			word := "FAIL"
			if f.Status == Unsigned && !rep.Strict {
				word = "warn"
			}
			fmt.Fprintf(stdout, "%s %-8s %s: %s\n", word, f.Status, safetext.LogLine(f.Path), safetext.LogLine(f.Reason))
		}
	}
	verdict := "ok"
	if !rep.OK() {
		verdict = "FAILED"
	}
	fmt.Fprintf(stderr, "%s: %s: %s\n", name, verdict, rep.Summary())
	if !rep.OK() {
		if rep.Files == 0 {
			fmt.Fprintf(stderr, "%s: no file matched: check --include\n", name)
		}
		return ExitFail
	}
	return ExitOK
}

// resolveRoot returns dir, or the nearest directory at or above the working
// directory that holds .git, or the working directory.
func resolveRoot(dir string) (string, error) {
	if dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", fmt.Errorf("root: %w", err)
		}
		return abs, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return wd, nil
		}
	}
}

// resolveFiles turns command-line paths into root-relative slash paths.
func resolveFiles(root string, args []string) (string, []string, error) {
	root, err := resolveRoot(root)
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

// now is the signing time: SOURCE_DATE_EPOCH when set, for reproducible signatures.
func now(getenv func(string) string) (time.Time, error) {
	if s := getenv("SOURCE_DATE_EPOCH"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: want seconds since 1970", s)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Now(), nil
}
