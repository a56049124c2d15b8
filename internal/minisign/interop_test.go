package minisign

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// minisignTool returns the path of the real minisign program. These tests
// prove the formats against it; they skip, loudly, only where it is missing
// (CI installs it: apt-get install minisign).
func minisignTool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("minisign")
	if err != nil && os.Getenv("GONOGO_FULL_TESTS") != "" {
		t.Fatal("minisign not installed, and GONOGO_FULL_TESTS forbids skipping: apt-get install minisign")
	}
	if err != nil {
		t.Skip("minisign not installed (apt-get install minisign): interoperability not tested")
	}
	return p
}

// runTool runs minisign in dir with stdin and returns its combined output.
func runTool(t *testing.T, dir, stdin string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, minisignTool(t), args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + dir}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestInteropToolSignsWeVerify: keys and signatures made by minisign verify here.
func TestInteropToolSignsWeVerify(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if out, err := runTool(t, dir, "", "-G", "-W", "-p", "k.pub", "-s", "k.key"); err != nil {
		t.Fatalf("minisign -G: %v\n%s", err, out)
	}
	write(t, filepath.Join(dir, "a.sh"), "#!/bin/sh\necho a\n")
	if out, err := runTool(t, dir, "", "-S", "-s", "k.key", "-m", "a.sh", "-t", "file:a.sh\tnote"); err != nil {
		t.Fatalf("minisign -S: %v\n%s", err, out)
	}
	if out, err := runTool(t, dir, "", "-S", "-l", "-s", "k.key", "-m", "a.sh", "-x", "legacy.minisig"); err != nil {
		t.Fatalf("minisign -S -l: %v\n%s", err, out)
	}
	pk, err := ParsePublicKey(read(t, filepath.Join(dir, "k.pub")))
	if err != nil {
		t.Fatal(err)
	}
	sk, err := ParseSecretKey(read(t, filepath.Join(dir, "k.key")), nil)
	if err != nil {
		t.Fatalf("secret key from minisign -W: %v", err)
	}
	if sk.ID != pk.ID || !sk.Public().Key.Equal(pk.Key) {
		t.Error("secret and public key from minisign do not pair")
	}
	sig, err := ParseSignature(read(t, filepath.Join(dir, "a.sh.minisig")))
	if err != nil {
		t.Fatal(err)
	}
	if sig.Algorithm != AlgPrehashed || sig.TrustedComment != "file:a.sh\tnote" {
		t.Errorf("signature = %s %q, want ED and the given trusted comment", sig.Algorithm, sig.TrustedComment)
	}
	msg := read(t, filepath.Join(dir, "a.sh"))
	if err := Verify(pk, sig, bytes.NewReader(msg), VerifyOptions{}); err != nil {
		t.Errorf("verify minisign's signature: %v", err)
	}
	if err := Verify(pk, sig, bytes.NewReader(append(msg, '\n')), VerifyOptions{}); !errors.Is(err, ErrSignature) {
		t.Errorf("tampered file: %v, want ErrSignature", err)
	}
	legacy, err := ParseSignature(read(t, filepath.Join(dir, "legacy.minisig")))
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(pk, legacy, bytes.NewReader(msg), VerifyOptions{}); !errors.Is(err, ErrLegacy) {
		t.Errorf("legacy by default: %v, want ErrLegacy", err)
	}
	if err := Verify(pk, legacy, bytes.NewReader(msg), VerifyOptions{AllowLegacy: true}); err != nil {
		t.Errorf("legacy allowed: %v", err)
	}
}

// TestInteropWeSignToolVerifies: keys and signatures made here work in minisign,
// including a secret key we encrypted.
func TestInteropWeSignToolVerifies(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pk, sk := mustKey(t)
	pub, _ := pk.MarshalText()
	write(t, filepath.Join(dir, "k.pub"), string(pub))
	enc, err := sk.MarshalText([]byte("s3cret"), fastKDF)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "enc.key"), string(enc))
	plain, _ := sk.MarshalText(nil, KDF{})
	write(t, filepath.Join(dir, "plain.key"), string(plain))

	const msg = "payload\n"
	write(t, filepath.Join(dir, "f.txt"), msg)
	s := mustSign(t, sk, msg, "timestamp:1\tfile:f.txt\tsha256:x\thashed")
	text, _ := s.MarshalText()
	write(t, filepath.Join(dir, "f.txt.minisig"), string(text))
	out, err := runTool(t, dir, "", "-V", "-H", "-p", "k.pub", "-m", "f.txt")
	if err != nil || !strings.Contains(out, "file:f.txt") {
		t.Errorf("minisign -V of our signature: %v\n%s", err, out)
	}
	if out, err := runTool(t, dir, "", "-V", "-P", pk.String(), "-m", "f.txt"); err != nil {
		t.Errorf("minisign -V -P (inline key): %v\n%s", err, out)
	}

	tampered := s
	tampered.TrustedComment = "timestamp:1\tfile:g.txt\thashed"
	text, _ = tampered.MarshalText()
	write(t, filepath.Join(dir, "tampered.minisig"), string(text))
	if out, err := runTool(t, dir, "", "-V", "-p", "k.pub", "-m", "f.txt", "-x", "tampered.minisig"); err == nil {
		t.Errorf("minisign accepted a tampered trusted comment:\n%s", out)
	}

	// minisign signs with the keys we wrote, encrypted and plain.
	for _, k := range []struct{ file, stdin string }{{"enc.key", "s3cret\n"}, {"plain.key", ""}} {
		if out, err := runTool(t, dir, k.stdin, "-S", "-s", k.file, "-m", "f.txt", "-x", k.file+".minisig"); err != nil {
			t.Errorf("minisign -S with our %s: %v\n%s", k.file, err, out)
			continue
		}
		got, err := ParseSignature(read(t, filepath.Join(dir, k.file+".minisig")))
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(pk, got, strings.NewReader(msg), VerifyOptions{}); err != nil {
			t.Errorf("verify minisign's signature with our %s: %v", k.file, err)
		}
	}
	if out, err := runTool(t, dir, "wrong\n", "-S", "-s", "enc.key", "-m", "f.txt", "-x", "wrong.minisig"); err == nil {
		t.Errorf("minisign signed with a wrong password:\n%s", out)
	}
}

// TestInteropEncryptedToolKey decrypts a key minisign encrypted with its own
// (1 GiB, several seconds) scrypt limits, so the libsodium parameter mapping is
// proven on the real thing. Password: "test". It takes ~15 s and 1 GiB, so it
// runs only with GONOGO_SLOW_TESTS=1; TestInteropWeSignToolVerifies covers the
// other branch of the mapping on every run.
func TestInteropEncryptedToolKey(t *testing.T) {
	if os.Getenv("GONOGO_SLOW_TESTS") != "1" {
		t.Skip("set GONOGO_SLOW_TESTS=1: scrypt at minisign's default limits takes ~15 s and 1 GiB")
	}
	data := read(t, filepath.Join("testdata", "minisign-encrypted.key"))
	pk, err := ParsePublicKey(read(t, filepath.Join("testdata", "minisign-encrypted.pub")))
	if err != nil {
		t.Fatal(err)
	}
	sk, err := ParseSecretKey(data, func() ([]byte, error) { return []byte("test"), nil })
	if err != nil {
		t.Fatalf("decrypt minisign's key: %v", err)
	}
	if sk.ID != pk.ID || !sk.Public().Key.Equal(pk.Key) {
		t.Error("decrypted key does not pair with its public key")
	}
}
