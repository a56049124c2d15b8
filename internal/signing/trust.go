package signing

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/org/gonogo-action/internal/minisign"
)

// maxKeyFile bounds a public key file or revocation list we read.
const maxKeyFile = 1 << 20

// keyring holds the trusted public keys, by id.
type keyring map[minisign.KeyID][]minisign.PublicKey

// loadKeys reads each entry as an inline key (the base64 line, or a whole key
// file's text) or else as the path of a key file, relative to root unless
// absolute.
func loadKeys(root string, entries []string) (keyring, error) {
	if len(entries) == 0 {
		return nil, fmt.Errorf("no trusted keys: give at least one public key")
	}
	ring := keyring{}
	for _, e := range entries {
		e = strings.TrimSpace(e)
		pk, err := minisign.ParsePublicKey([]byte(e))
		if err != nil && strings.Contains(e, "\n") {
			return nil, fmt.Errorf("inline key: %w", err)
		}
		if err != nil {
			p := e
			if !filepath.IsAbs(p) {
				p = filepath.Join(root, p)
			}
			data, rerr := readCapped(p)
			if rerr != nil {
				return nil, fmt.Errorf("read key %s: %w", e, rerr)
			}
			if pk, err = minisign.ParsePublicKey(data); err != nil {
				return nil, fmt.Errorf("key file %s: %w", e, err)
			}
		}
		ring[pk.ID] = append(ring[pk.ID], pk)
	}
	return ring, nil
}

// readCapped reads a small file whole.
func readCapped(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxKeyFile {
		return nil, fmt.Errorf("over %d bytes", maxKeyFile)
	}
	return data, nil
}

// Revocations lists what no longer counts as a valid signature.
type Revocations struct {
	keyIDs     map[minisign.KeyID]bool
	keys       map[string]bool // raw Ed25519 public keys
	signatures map[string]bool // lower-case hex SHA-256 of .minisig files
}

// Len is the number of entries.
func (r Revocations) Len() int { return len(r.keyIDs) + len(r.keys) + len(r.signatures) }

// keyRevoked reports whether signatures by this key id or key are void.
func (r Revocations) keyRevoked(id minisign.KeyID, key []byte) bool {
	return r.keyIDs[id] || (key != nil && r.keys[string(key)])
}

// ParseRevocations reads a revocation list: one entry a line, each a key id
// (16 hex digits, as minisign prints it), a public key (its base64 line), or
// "sha256:<hex>" of a revoked .minisig file. "#" starts a comment at the start
// of a line or after whitespace; blank lines and the "untrusted comment:" lines
// of pasted key files are ignored. Anything else is an error, so a damaged
// list fails closed instead of revoking less than it says.
func ParseRevocations(r io.Reader, name string) (Revocations, error) {
	rev := Revocations{keyIDs: map[minisign.KeyID]bool{}, keys: map[string]bool{}, signatures: map[string]bool{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxKeyFile)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.Index(line, "#"); i == 0 || (i > 0 && (line[i-1] == ' ' || line[i-1] == '\t')) {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "untrusted comment:") {
			continue
		}
		if h, ok := strings.CutPrefix(line, "sha256:"); ok {
			b, err := hex.DecodeString(h)
			if err != nil || len(b) != sha256.Size {
				return rev, fmt.Errorf("%s:%d: sha256: wants 64 hex digits", name, n)
			}
			rev.signatures[hex.EncodeToString(b)] = true
			continue
		}
		if len(line) == 16 {
			id, err := minisign.ParseKeyID(line)
			if err != nil {
				return rev, fmt.Errorf("%s:%d: %w", name, n, err)
			}
			rev.keyIDs[id] = true
			continue
		}
		pk, err := minisign.ParsePublicKey([]byte(line))
		if err != nil {
			return rev, fmt.Errorf("%s:%d: want a key id, a public key or sha256:<hex>", name, n)
		}
		rev.keyIDs[pk.ID] = true
		rev.keys[string(pk.Key)] = true
	}
	if err := sc.Err(); err != nil {
		return rev, fmt.Errorf("%s: %w", name, err)
	}
	return rev, nil
}

// loadRevocations reads the list at path (relative to root unless absolute);
// "" means no list. A list that is named but missing or unreadable is an
// error: revocation fails closed.
func loadRevocations(root, path string) (Revocations, error) {
	if path == "" {
		return ParseRevocations(strings.NewReader(""), "")
	}
	p := path
	if !filepath.IsAbs(p) {
		p = filepath.Join(root, p)
	}
	data, err := readCapped(p)
	if err != nil {
		return Revocations{}, fmt.Errorf("read revocation list %s: %w", path, err)
	}
	return ParseRevocations(bytes.NewReader(data), path)
}
