// Package signing is the policy over minisign signatures: which files must be
// signed, by which keys, what is revoked, and how a signature is bound to its
// file. It backs the `signatures` gate kind, `gate sign` and `gate verify`.
//
// A file passes when FILE.minisig beside it holds a prehashed signature by a
// trusted, unrevoked key that verifies over the file's exact bytes, and its
// trusted comment names the file's repository-relative path (and, when it
// records one, the file's SHA-256). A signature moved to another file fails.
package signing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"time"

	"github.com/org/gonogo-action/internal/glob"
	"github.com/org/gonogo-action/internal/minisign"
)

// SigExt is the extension of signature files, which sit beside their file.
const SigExt = ".minisig"

// Spec says what to check.
type Spec struct {
	// Include and Exclude are globs relative to the root (see glob.go);
	// .minisig files and the .git directory are never subjects.
	Include, Exclude []string
	// Files, when set, are checked instead of walking Include (root-relative,
	// slash-separated); Exclude still applies.
	Files []string
	// Keys are the trusted public keys: inline or key files.
	Keys []string
	// Revoked is the revocation list's path; "" for none.
	Revoked string
	// Strict makes unsigned files fail; otherwise they are warnings.
	Strict bool
	// AllowLegacy accepts minisign's legacy, non-prehashed signatures.
	AllowLegacy bool
	// NotBefore, when set, refuses signatures whose trusted comment records
	// a timestamp before it, or none: an older signed version of a file,
	// restored with its old signature, otherwise verifies (see
	// docs/signing.md, "Rollback").
	NotBefore time.Time
}

// Status is the verdict on one file.
type Status string

// The verdicts.
const (
	Signed   Status = "signed"
	Unsigned Status = "unsigned"
	Invalid  Status = "invalid"
	Revoked  Status = "revoked"
)

// FileResult is the verdict on one file.
type FileResult struct {
	Path   string `json:"path"`
	Status Status `json:"status"`
	KeyID  string `json:"key_id,omitempty"`
	// Reason says why a file is not signed; it may quote untrusted text.
	Reason string `json:"reason,omitempty"`
}

// Report is the outcome of a Check.
type Report struct {
	Strict   bool         `json:"strict"`
	Files    int          `json:"files"`
	Signed   int          `json:"signed"`
	Unsigned int          `json:"unsigned"`
	Invalid  int          `json:"invalid"`
	Revoked  int          `json:"revoked"`
	Results  []FileResult `json:"results"`
}

// OK reports whether the gate passes: no invalid or revoked signature, no
// unsigned file in strict mode, and at least one file checked (a pattern that
// matches nothing is more likely a typo than a fact).
func (r Report) OK() bool {
	return r.Files > 0 && r.Invalid == 0 && r.Revoked == 0 && (!r.Strict || r.Unsigned == 0)
}

// Summary is one line of counts.
func (r Report) Summary() string {
	return fmt.Sprintf("%d files: %d signed, %d unsigned, %d invalid, %d revoked", r.Files, r.Signed, r.Unsigned, r.Invalid, r.Revoked)
}

// Offending returns up to max results that are not signed (max <= 0: all):
// failures (invalid, revoked, and unsigned when strict) before warnings, each
// group in path order.
func (r Report) Offending(max int) []FileResult {
	var fail, warn []FileResult
	for _, f := range r.Results {
		switch {
		case f.Status == Signed:
		case f.Status == Unsigned && !r.Strict:
			warn = append(warn, f)
		default:
			fail = append(fail, f)
		}
	}
	out := append(fail, warn...)
	if max > 0 && len(out) > max {
		out = out[:max]
	}
	return out
}

// Validate checks what can be checked without reading files: patterns,
// and that there are files to check and keys to trust.
func (s Spec) Validate() error {
	if len(s.Include) == 0 && len(s.Files) == 0 {
		return errors.New("no include patterns: say which files must be signed")
	}
	if len(s.Keys) == 0 {
		return errors.New("no trusted keys: give at least one public key")
	}
	if err := checkGlobs("include", s.Include); err != nil {
		return err
	}
	return checkGlobs("exclude", s.Exclude)
}

// Check applies spec to the files under root. The error is for problems with
// the spec or its inputs (bad pattern, unreadable key or revocation list);
// problems with a file or its signature are verdicts in the report.
func Check(ctx context.Context, root string, spec Spec) (Report, error) {
	rep := Report{Strict: spec.Strict}
	if err := spec.Validate(); err != nil {
		return rep, err
	}
	ring, err := loadKeys(root, spec.Keys)
	if err != nil {
		return rep, err
	}
	rev, err := loadRevocations(root, spec.Revoked)
	if err != nil {
		return rep, err
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return rep, fmt.Errorf("open root: %w", err)
	}
	defer r.Close()
	files := spec.Files
	if files == nil {
		if files, err = walk(ctx, r, spec.Include); err != nil {
			return rep, err
		}
	}
	c := checker{root: r, ring: ring, rev: rev, notBefore: spec.NotBefore, opt: minisign.VerifyOptions{AllowLegacy: spec.AllowLegacy}}
	seen := map[string]bool{}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if !validPath(f) {
			return rep, fmt.Errorf("file %q: want a clean path inside the root", f)
		}
		if seen[f] || !judged(f, spec.Exclude) {
			continue
		}
		seen[f] = true
		if spec.Files != nil {
			// A file named explicitly must exist: a typo is no verdict.
			if st, err := r.Stat(filepath.FromSlash(f)); err != nil || st.IsDir() {
				return rep, fmt.Errorf("file %s: not a file in the root", f)
			}
		}
		res := c.check(f)
		rep.Results = append(rep.Results, res)
		rep.Files++
		switch res.Status {
		case Signed:
			rep.Signed++
		case Unsigned:
			rep.Unsigned++
		case Invalid:
			rep.Invalid++
		case Revoked:
			rep.Revoked++
		}
	}
	sort.Slice(rep.Results, func(i, j int) bool { return rep.Results[i].Path < rep.Results[j].Path })
	return rep, nil
}

// walk lists the files under r that match include, in lexical order.
func walk(ctx context.Context, r *os.Root, include []string) ([]string, error) {
	var out []string
	err := fs.WalkDir(r.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return fs.SkipDir
			}
			return nil
		}
		if p != "." && glob.MatchAny(include, p) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list files: %w", err)
	}
	return out, nil
}

type checker struct {
	root      *os.Root
	ring      keyring
	rev       Revocations
	notBefore time.Time
	opt       minisign.VerifyOptions
}

func (c checker) check(rel string) FileResult {
	res := FileResult{Path: rel, Status: Invalid}
	data, err := readSignature(c.root, rel+SigExt)
	if errors.Is(err, fs.ErrNotExist) {
		res.Status, res.Reason = Unsigned, "no "+path.Base(rel)+SigExt
		return res
	}
	if err != nil {
		res.Reason = "read signature: " + errorText(err)
		return res
	}
	digest := sha256.Sum256(data)
	if c.rev.signatures[hex.EncodeToString(digest[:])] {
		res.Status, res.Reason = Revoked, "signature file revoked (sha256:"+hex.EncodeToString(digest[:])+")"
		return res
	}
	sig, err := minisign.ParseSignature(data)
	if err != nil {
		res.Reason = "malformed signature: " + errorText(err)
		return res
	}
	res.KeyID = sig.KeyID.String()
	if c.rev.keyRevoked(sig.KeyID, nil) {
		res.Status, res.Reason = Revoked, "key "+res.KeyID+" revoked"
		return res
	}
	keys := c.ring[sig.KeyID]
	if len(keys) == 0 {
		res.Reason = "signed by untrusted key " + res.KeyID
		return res
	}
	var reason string
	for _, k := range keys {
		if c.rev.keyRevoked(k.ID, k.Key) {
			res.Status, res.Reason = Revoked, "key "+res.KeyID+" revoked"
			return res
		}
		var sum string
		sum, reason = c.verify(rel, k, sig)
		if reason == "" {
			if reason = checkComment(sig.TrustedComment, rel, sum); reason == "" && !c.notBefore.IsZero() {
				reason = checkTimestamp(sig.TrustedComment, c.notBefore)
			}
			if reason == "" {
				res.Status = Signed
				return res
			}
		}
	}
	res.Reason = reason
	return res
}

// verify checks sig over the file and returns the file's SHA-256, or why not.
func (c checker) verify(rel string, k minisign.PublicKey, sig minisign.Signature) (sum, reason string) {
	f, err := c.root.Open(filepath.FromSlash(rel))
	if err != nil {
		return "", "read file: " + errorText(err)
	}
	defer f.Close()
	h := sha256.New()
	err = minisign.Verify(k, sig, io.TeeReader(f, h), c.opt)
	switch {
	case err == nil:
		return hex.EncodeToString(h.Sum(nil)), ""
	case errors.Is(err, minisign.ErrSignature):
		return "", "signature does not match the file (changed after signing?)"
	case errors.Is(err, minisign.ErrTrustedComment):
		return "", "trusted comment was altered after signing"
	case errors.Is(err, minisign.ErrLegacy):
		return "", "legacy (non-prehashed) signature; re-sign, or allow legacy signatures"
	}
	return "", errorText(err)
}

// readSignature reads a .minisig file, no larger than minisign writes.
func readSignature(r *os.Root, name string) ([]byte, error) {
	f, err := r.Open(filepath.FromSlash(name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, minisign.MaxSignatureFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > minisign.MaxSignatureFile {
		return nil, fmt.Errorf("over %d bytes", minisign.MaxSignatureFile)
	}
	return data, nil
}

// errorText drops the root's absolute path from file errors: reasons name
// repository paths only.
func errorText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}
