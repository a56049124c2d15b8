package signing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/org/gonogo-action/internal/minisign"
	"github.com/org/gonogo-action/internal/outfile"
)

// SignOptions tune SignFiles.
type SignOptions struct {
	// Note is extra trusted text appended to the trusted comment.
	Note string
	// UntrustedComment replaces minisign's default untrusted comment.
	UntrustedComment string
	// Now stamps the trusted comment's timestamp.
	Now time.Time
}

// SignFiles writes FILE.minisig beside each of files (root-relative, slash
// paths) with a prehashed signature by k whose trusted comment records the
// path and the file's SHA-256. Each signature file is written atomically; it
// stops at the first error, and returns the signatures written so far.
func SignFiles(ctx context.Context, root string, files []string, k minisign.SecretKey, opt SignOptions) ([]string, error) {
	var done []string
	for _, rel := range files {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		sig, err := signFile(root, rel, k, opt)
		if err != nil {
			return done, fmt.Errorf("sign %s: %w", rel, err)
		}
		done = append(done, sig)
	}
	return done, nil
}

func signFile(root, rel string, k minisign.SecretKey, opt SignOptions) (string, error) {
	if !validPath(rel) {
		return "", fmt.Errorf("want a clean path inside the repository")
	}
	p := filepath.Join(root, filepath.FromSlash(rel))
	// Hash first, for the comment; the signature then reads the file again.
	// A file that changes in between gets a signature that fails to verify.
	sum, err := fileSHA256(p)
	if err != nil {
		return "", err
	}
	tc, err := trustedComment(rel, sum, opt.Now, opt.Note)
	if err != nil {
		return "", err
	}
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sig, err := minisign.Sign(k, f, tc, opt.UntrustedComment)
	if err != nil {
		return "", err
	}
	text, err := sig.MarshalText()
	if err != nil {
		return "", err
	}
	if err := outfile.Write(p+SigExt, text); err != nil {
		return "", err
	}
	return rel + SigExt, nil
}

func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("not a regular file")
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// LoadSecretKey reads a minisign secret key file (at most 1 MiB); password
// is asked only when the key is encrypted (see PasswordSource).
func LoadSecretKey(path string, password func() ([]byte, error)) (minisign.SecretKey, error) {
	data, err := readCapped(path)
	if err != nil {
		return minisign.SecretKey{}, fmt.Errorf("read secret key: %w", err)
	}
	return minisign.ParseSecretKey(data, password)
}
