package signing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/minisign"
)

var epoch = time.Unix(1764160000, 0).UTC()

type testKey struct {
	pub    minisign.PublicKey
	sec    minisign.SecretKey
	inline string
}

func newKey(t testing.TB) testKey {
	t.Helper()
	pk, sk, err := minisign.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{pk, sk, pk.String()}
}

// writeFiles lays out name → content under dir.
func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func sign(t testing.TB, dir string, k testKey, files ...string) {
	t.Helper()
	if _, err := SignFiles(context.Background(), dir, files, k.sec, SignOptions{Now: epoch}); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sigSHA(t testing.TB, p string) string {
	sum := sha256.Sum256([]byte(readFile(t, p)))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// resign rewrites dir/rel.minisig with the given trusted comment.
func resign(t testing.TB, dir, rel string, k testKey, comment string, legacy bool) {
	t.Helper()
	data := readFile(t, filepath.Join(dir, rel))
	var s minisign.Signature
	var err error
	if legacy {
		s, err = minisign.SignLegacy(k.sec, []byte(data), comment, "")
	} else {
		s, err = minisign.Sign(k.sec, strings.NewReader(data), comment, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	text, _ := s.MarshalText()
	writeFiles(t, dir, map[string]string{rel + SigExt: string(text)})
}

func TestCheck(t *testing.T) {
	t.Parallel()
	trusted, stranger := newKey(t), newKey(t)
	base := map[string]string{
		"scripts/a.sh":        "#!/bin/sh\necho a\n",
		"scripts/b.sh":        "#!/bin/sh\necho b\n",
		"scripts/vendor/c.sh": "#!/bin/sh\necho c\n",
		"README.md":           "not a script\n",
	}
	spec := Spec{Include: []string{"scripts/**/*.sh"}, Exclude: []string{"scripts/vendor/**"}, Keys: []string{trusted.inline}, Strict: true}
	tests := []struct {
		name   string
		spec   func(s *Spec, dir string)
		setup  func(t *testing.T, dir string)
		want   map[string]Status
		reason string // substring of the one offending file's reason
		ok     bool
	}{
		{
			name: "all signed",
			want: map[string]Status{"scripts/a.sh": Signed, "scripts/b.sh": Signed}, ok: true,
		},
		{
			name: "tampered file",
			setup: func(t *testing.T, dir string) {
				writeFiles(t, dir, map[string]string{"scripts/a.sh": "#!/bin/sh\necho pwned\n"})
			},
			want: map[string]Status{"scripts/a.sh": Invalid, "scripts/b.sh": Signed}, reason: "does not match the file",
		},
		{
			name: "tampered trusted comment",
			setup: func(t *testing.T, dir string) {
				p := filepath.Join(dir, "scripts/a.sh.minisig")
				writeFiles(t, dir, map[string]string{"scripts/a.sh.minisig": strings.Replace(readFile(t, p), "timestamp:", "timestamp:9", 1)})
			},
			want: map[string]Status{"scripts/a.sh": Invalid, "scripts/b.sh": Signed}, reason: "trusted comment was altered",
		},
		{
			name:  "wrong key",
			setup: func(t *testing.T, dir string) { sign(t, dir, stranger, "scripts/b.sh") },
			want:  map[string]Status{"scripts/a.sh": Signed, "scripts/b.sh": Invalid}, reason: "untrusted key " + stranger.pub.ID.String(),
		},
		{
			name: "revoked key id",
			spec: func(s *Spec, dir string) { s.Revoked = "revoked.txt" },
			setup: func(t *testing.T, dir string) {
				writeFiles(t, dir, map[string]string{"revoked.txt": "# leaked\n" + trusted.pub.ID.String() + " # 2026-11\n"})
			},
			want: map[string]Status{"scripts/a.sh": Revoked, "scripts/b.sh": Revoked},
		},
		{
			name: "revoked public key",
			spec: func(s *Spec, dir string) { s.Revoked = "revoked.txt" },
			setup: func(t *testing.T, dir string) {
				writeFiles(t, dir, map[string]string{"revoked.txt": trusted.inline + "\n"})
			},
			want: map[string]Status{"scripts/a.sh": Revoked, "scripts/b.sh": Revoked},
		},
		{
			name: "revoked signature file",
			spec: func(s *Spec, dir string) { s.Revoked = filepath.Join(dir, "revoked.txt") },
			setup: func(t *testing.T, dir string) {
				writeFiles(t, dir, map[string]string{"revoked.txt": sigSHA(t, filepath.Join(dir, "scripts/b.sh.minisig")) + "\n"})
			},
			want: map[string]Status{"scripts/a.sh": Signed, "scripts/b.sh": Revoked}, reason: "signature file revoked",
		},
		{
			name:  "legacy refused",
			setup: func(t *testing.T, dir string) { resign(t, dir, "scripts/a.sh", trusted, "file:scripts/a.sh", true) },
			want:  map[string]Status{"scripts/a.sh": Invalid, "scripts/b.sh": Signed}, reason: "legacy",
		},
		{
			name:  "legacy allowed",
			spec:  func(s *Spec, dir string) { s.AllowLegacy = true },
			setup: func(t *testing.T, dir string) { resign(t, dir, "scripts/a.sh", trusted, "file:scripts/a.sh", true) },
			want:  map[string]Status{"scripts/a.sh": Signed, "scripts/b.sh": Signed}, ok: true,
		},
		{
			name: "signature copied to another file",
			setup: func(t *testing.T, dir string) {
				// Same bytes, so the signature itself verifies: only the
				// trusted comment's path tells the two files apart.
				writeFiles(t, dir, map[string]string{
					"scripts/b.sh":         base["scripts/a.sh"],
					"scripts/b.sh.minisig": readFile(t, filepath.Join(dir, "scripts/a.sh.minisig")),
				})
			},
			want: map[string]Status{"scripts/a.sh": Signed, "scripts/b.sh": Invalid}, reason: `belongs to "scripts/a.sh"`,
		},
		{
			name:  "no file in trusted comment",
			setup: func(t *testing.T, dir string) { resign(t, dir, "scripts/a.sh", trusted, "timestamp:1\thashed", false) },
			want:  map[string]Status{"scripts/a.sh": Invalid, "scripts/b.sh": Signed}, reason: "names no file",
		},
		{
			name: "wrong sha256 in trusted comment",
			setup: func(t *testing.T, dir string) {
				resign(t, dir, "scripts/a.sh", trusted, "file:scripts/a.sh\tsha256:00", false)
			},
			want: map[string]Status{"scripts/a.sh": Invalid, "scripts/b.sh": Signed}, reason: "sha256",
		},
		{
			name: "minisign-style comment without sha256",
			setup: func(t *testing.T, dir string) {
				resign(t, dir, "scripts/a.sh", trusted, "timestamp:1\tfile:scripts/a.sh\thashed", false)
			},
			want: map[string]Status{"scripts/a.sh": Signed, "scripts/b.sh": Signed}, ok: true,
		},
		{
			name: "malformed signature",
			setup: func(t *testing.T, dir string) {
				writeFiles(t, dir, map[string]string{"scripts/a.sh.minisig": "untrusted comment: x\ngarbage\n"})
			},
			want: map[string]Status{"scripts/a.sh": Invalid, "scripts/b.sh": Signed}, reason: "malformed signature",
		},
		{
			name:  "signature is a directory",
			setup: func(t *testing.T, dir string) { replaceWithDir(t, filepath.Join(dir, "scripts/a.sh.minisig")) },
			want:  map[string]Status{"scripts/a.sh": Invalid, "scripts/b.sh": Signed}, reason: "read signature",
		},
		{
			name:  "unsigned, strict",
			setup: func(t *testing.T, dir string) { removeFile(t, filepath.Join(dir, "scripts/b.sh.minisig")) },
			want:  map[string]Status{"scripts/a.sh": Signed, "scripts/b.sh": Unsigned}, reason: "no b.sh.minisig",
		},
		{
			name:  "unsigned, not strict",
			spec:  func(s *Spec, dir string) { s.Strict = false },
			setup: func(t *testing.T, dir string) { removeFile(t, filepath.Join(dir, "scripts/b.sh.minisig")) },
			want:  map[string]Status{"scripts/a.sh": Signed, "scripts/b.sh": Unsigned}, reason: "no b.sh.minisig", ok: true,
		},
		{
			name: "nothing matched",
			spec: func(s *Spec, dir string) { s.Include = []string{"*.py"} },
			want: map[string]Status{},
		},
		{
			name: "explicit files",
			spec: func(s *Spec, dir string) { s.Files = []string{"scripts/b.sh", "README.md", "scripts/b.sh"} },
			want: map[string]Status{"scripts/b.sh": Signed, "README.md": Unsigned}, reason: "no README.md.minisig",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, base)
			sign(t, dir, trusted, "scripts/a.sh", "scripts/b.sh")
			s := spec
			if tt.spec != nil {
				tt.spec(&s, dir)
			}
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			rep, err := Check(context.Background(), dir, s)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Status{}
			for _, r := range rep.Results {
				got[r.Path] = r.Status
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			if rep.OK() != tt.ok {
				t.Errorf("OK = %v, want %v (%s)", rep.OK(), tt.ok, rep.Summary())
			}
			if tt.reason != "" {
				off := rep.Offending(1)
				if len(off) != 1 || !strings.Contains(off[0].Reason, tt.reason) {
					t.Errorf("offending = %+v, want a reason with %q", off, tt.reason)
				}
			}
			if n := rep.Signed + rep.Unsigned + rep.Invalid + rep.Revoked; n != rep.Files || n != len(rep.Results) {
				t.Errorf("counts do not add up: %s, %d results", rep.Summary(), len(rep.Results))
			}
		})
	}
}

func replaceWithDir(t *testing.T, p string) {
	t.Helper()
	removeFile(t, p)
	if err := os.Mkdir(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

func removeFile(t *testing.T, p string) {
	t.Helper()
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
}

// TestCheckErrors: a spec that cannot be applied is an error, never a pass;
// in particular a revocation list that is missing or damaged fails closed.
func TestCheckErrors(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.sh": "x", "bad-revoked.txt": "not-a-key-id\n", "k.pub": "garbage\n"})
	sign(t, dir, k, "a.sh")
	ok := Spec{Include: []string{"*.sh"}, Keys: []string{k.inline}}
	tests := []struct {
		name string
		edit func(s *Spec)
		want string
	}{
		{"missing revocation list", func(s *Spec) { s.Revoked = "nope.txt" }, "read revocation list nope.txt"},
		{"damaged revocation list", func(s *Spec) { s.Revoked = "bad-revoked.txt" }, "bad-revoked.txt:1"},
		{"no keys", func(s *Spec) { s.Keys = nil }, "no trusted keys"},
		{"missing key file", func(s *Spec) { s.Keys = []string{"keys/none.pub"} }, "read key keys/none.pub"},
		{"bad key file", func(s *Spec) { s.Keys = []string{"k.pub"} }, "key file k.pub"},
		{"no include", func(s *Spec) { s.Include = nil }, "no include patterns"},
		{"bad include", func(s *Spec) { s.Include = []string{"[.sh"} }, "syntax error"},
		{"absolute include", func(s *Spec) { s.Include = []string{"/etc/*"} }, "relative"},
		{"file outside root", func(s *Spec) { s.Files = []string{"../x"} }, "inside the root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := ok
			tt.edit(&s)
			_, err := Check(context.Background(), dir, s)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Check error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	if rep, err := Check(context.Background(), dir, ok); err != nil || !rep.OK() {
		t.Errorf("baseline spec: %v %s", err, rep.Summary())
	}
}

func TestParseRevocations(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	in := "# revoked keys\n\n" + k.pub.ID.String() + "\n" +
		"untrusted comment: minisign public key\n" + k.inline + "  # pasted key file\n" +
		"sha256:" + strings.Repeat("AB", 32) + "\n"
	rev, err := ParseRevocations(strings.NewReader(in), "r")
	if err != nil {
		t.Fatal(err)
	}
	if rev.Len() != 3 || !rev.keyRevoked(k.pub.ID, nil) || !rev.signatures[strings.Repeat("ab", 32)] {
		t.Errorf("revocations = %+v", rev)
	}
	for _, bad := range []string{"sha256:abc", "XYZ", "0123456789abcdeg", "RWQ"} {
		if _, err := ParseRevocations(strings.NewReader(bad), "r"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestTrustedComment(t *testing.T) {
	t.Parallel()
	got, err := trustedComment("scripts/a.sh", "abc", epoch, "release:1.2")
	if err != nil {
		t.Fatal(err)
	}
	if want := "timestamp:1764160000\tfile:scripts/a.sh\tsha256:abc\thashed\trelease:1.2"; got != want {
		t.Errorf("trusted comment = %q, want %q", got, want)
	}
	for _, note := range []string{"a\tb", "a\nb", "file:x", "sha256:00"} {
		if _, err := trustedComment("a", "abc", epoch, note); err == nil {
			t.Errorf("note %q accepted", note)
		}
	}
	for _, p := range []string{"../a", "/a", "a/../b", "a\tb", ""} {
		if _, err := trustedComment(p, "abc", epoch, ""); err == nil {
			t.Errorf("path %q accepted", p)
		}
	}
}

// FuzzParseRevocations: any input either fails or yields entries that all
// came from its lines; it never panics.
func FuzzParseRevocations(f *testing.F) {
	f.Add("# c\n624DD95BABB23CFB # old\nsha256:" + strings.Repeat("0", 64) + "\n")
	f.Add("RWT7PLKrW9lNYozFf0wr7Z0Mx5AKKio0JgfaF9PlK2YmKwm5rOrxgpPm\n")
	f.Add("untrusted comment: x\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		rev, err := ParseRevocations(strings.NewReader(in), "f")
		if err == nil && rev.Len() > 2*(strings.Count(in, "\n")+1) {
			t.Fatalf("%d entries from %d lines", rev.Len(), strings.Count(in, "\n")+1)
		}
	})
}
