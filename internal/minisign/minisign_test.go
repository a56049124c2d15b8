package minisign

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fastKDF keeps scrypt at 1 MiB so tests of encrypted keys take milliseconds.
var fastKDF = KDF{OpsLimit: 32768, MemLimit: 16 << 20}

func mustKey(t *testing.T) (PublicKey, SecretKey) {
	t.Helper()
	pk, sk, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return pk, sk
}

func mustSign(t *testing.T, sk SecretKey, msg, trusted string) Signature {
	t.Helper()
	s, err := Sign(sk, strings.NewReader(msg), trusted, "")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestKeyIDString(t *testing.T) {
	t.Parallel()
	// The id of a key minisign 0.11 generated, as its public key file names it.
	pk, err := ParsePublicKey([]byte("untrusted comment: minisign public key 624DD95BABB23CFB\nRWT7PLKrW9lNYozFf0wr7Z0Mx5AKKio0JgfaF9PlK2YmKwm5rOrxgpPm\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := pk.ID.String(); got != "624DD95BABB23CFB" {
		t.Errorf("ID = %s, want 624DD95BABB23CFB", got)
	}
	id, err := ParseKeyID("624dd95babb23cfb")
	if err != nil || id != pk.ID {
		t.Errorf("ParseKeyID = %v, %v; want %v", id, err, pk.ID)
	}
	for _, bad := range []string{"", "624DD95BABB23CF", "624DD95BABB23CFBX", "zz4DD95BABB23CFB"} {
		if _, err := ParseKeyID(bad); err == nil {
			t.Errorf("ParseKeyID(%q) accepted", bad)
		}
	}
}

func TestPublicKeyRoundTrip(t *testing.T) {
	t.Parallel()
	pk, _ := mustKey(t)
	text, err := pk.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string][]byte{
		"file":   text,
		"crlf":   bytes.ReplaceAll(text, []byte("\n"), []byte("\r\n")),
		"inline": []byte(pk.String()),
	} {
		got, err := ParsePublicKey(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.ID != pk.ID || !got.Key.Equal(pk.Key) {
			t.Errorf("%s: key changed in round trip", name)
		}
	}
	for _, bad := range []string{"", "untrusted comment: x\n", pk.String() + "\n" + pk.String(), "RWQ" + pk.String()[3:] + "A", "not base64!"} {
		if _, err := ParsePublicKey([]byte(bad)); err == nil {
			t.Errorf("ParsePublicKey(%q) accepted", bad)
		}
	}
}

func TestSecretKeyRoundTrip(t *testing.T) {
	t.Parallel()
	_, sk := mustKey(t)
	tests := []struct {
		name      string
		password  []byte
		give      func() ([]byte, error)
		encrypted bool
		wantErr   error
	}{
		{name: "plain"},
		{name: "encrypted", password: []byte("hunter2"), give: func() ([]byte, error) { return []byte("hunter2"), nil }, encrypted: true},
		{name: "empty password", password: []byte{}, give: func() ([]byte, error) { return nil, nil }, encrypted: true},
		{name: "wrong password", password: []byte("hunter2"), give: func() ([]byte, error) { return []byte("hunter3"), nil }, encrypted: true, wantErr: ErrPassword},
		{name: "no password", password: []byte("hunter2"), encrypted: true, wantErr: ErrPasswordRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			text, err := sk.MarshalText(tt.password, fastKDF)
			if err != nil {
				t.Fatal(err)
			}
			if got := IsEncrypted(text); got != tt.encrypted {
				t.Errorf("IsEncrypted = %v, want %v", got, tt.encrypted)
			}
			got, err := ParseSecretKey(text, tt.give)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ParseSecretKey error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && (got.ID != sk.ID || !got.Key.Equal(sk.Key)) {
				t.Error("secret key changed in round trip")
			}
		})
	}
}

func TestSecretKeyCorrupt(t *testing.T) {
	t.Parallel()
	_, sk := mustKey(t)
	text, err := sk.MarshalText(nil, KDF{})
	if err != nil {
		t.Fatal(err)
	}
	// Flip one bit of the secret key: the checksum must catch it.
	l := strings.Split(string(text), "\n")
	b := []byte(l[1])
	b[100] ^= 1
	if b[100] == '+' || b[100] == '/' || b[100] == '=' {
		b[100] = 'A'
	}
	l[1] = string(b)
	if _, err := ParseSecretKey([]byte(strings.Join(l, "\n")), nil); !errors.Is(err, ErrMalformed) {
		t.Errorf("corrupt key: error = %v, want ErrMalformed", err)
	}
	if _, err := (KDF{OpsLimit: 1 << 40, MemLimit: 1 << 40}).stream([]byte("x"), make([]byte, 32)); !errors.Is(err, ErrMalformed) {
		t.Errorf("huge scrypt limits: error = %v, want ErrMalformed", err)
	}
}

func TestScryptParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kdf     KDF
		logN    uint
		r, p    int
		comment string
	}{
		{DefaultKDF, 20, 8, 1, "minisign's default: 1 GiB"},
		{fastKDF, 10, 8, 1, "ops-bound branch"},
		{KDF{OpsLimit: 1 << 30, MemLimit: 1 << 24}, 14, 8, 2048, "memory-bound branch with parallelism"},
	}
	for _, tt := range tests {
		logN, r, p := tt.kdf.scryptParams()
		if logN != tt.logN || r != tt.r || p != tt.p {
			t.Errorf("%s: params = 2^%d,%d,%d; want 2^%d,%d,%d", tt.comment, logN, r, p, tt.logN, tt.r, tt.p)
		}
	}
}

func TestSignVerify(t *testing.T) {
	t.Parallel()
	pk, sk := mustKey(t)
	other, _ := mustKey(t)
	const msg = "#!/bin/sh\necho hello\n"
	good := mustSign(t, sk, msg, "timestamp:1\tfile:a.sh")
	legacy, err := SignLegacy(sk, []byte(msg), "timestamp:1\tfile:a.sh", "")
	if err != nil {
		t.Fatal(err)
	}
	tampered := good
	tampered.TrustedComment = "timestamp:1\tfile:b.sh"
	otherID := other
	otherID.ID = pk.ID
	tests := []struct {
		name string
		key  PublicKey
		sig  Signature
		msg  string
		opt  VerifyOptions
		want error
	}{
		{name: "good", key: pk, sig: good, msg: msg},
		{name: "tampered file", key: pk, sig: good, msg: msg + " ", want: ErrSignature},
		{name: "tampered trusted comment", key: pk, sig: tampered, msg: msg, want: ErrTrustedComment},
		{name: "wrong key", key: other, sig: good, msg: msg, want: ErrKeyMismatch},
		{name: "wrong key, same id", key: otherID, sig: good, msg: msg, want: ErrSignature},
		{name: "legacy refused", key: pk, sig: legacy, msg: msg, want: ErrLegacy},
		{name: "legacy allowed", key: pk, sig: legacy, msg: msg, opt: VerifyOptions{AllowLegacy: true}},
		{name: "legacy tampered", key: pk, sig: legacy, msg: "x", opt: VerifyOptions{AllowLegacy: true}, want: ErrSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Verify(tt.key, tt.sig, strings.NewReader(tt.msg), tt.opt)
			if !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSignatureRoundTrip(t *testing.T) {
	t.Parallel()
	_, sk := mustKey(t)
	s := mustSign(t, sk, "data", "timestamp:1\tfile:x\thashed")
	text, err := s.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseSignature(text)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	crlf, err := ParseSignature(bytes.ReplaceAll(text, []byte("\n"), []byte("\r\n")))
	if err != nil || crlf != s {
		t.Errorf("CRLF signature: %v", err)
	}
}

func TestParseSignatureMalformed(t *testing.T) {
	t.Parallel()
	_, sk := mustKey(t)
	text, err := mustSign(t, sk, "data", "ok").MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	l := strings.Split(strings.TrimSuffix(string(text), "\n"), "\n")
	join := func(ls ...string) string { return strings.Join(ls, "\n") + "\n" }
	bad := map[string]string{
		"empty":                   "",
		"three lines":             join(l[0], l[1], l[2]),
		"five lines":              join(l[0], l[1], l[2], l[3], "extra"),
		"no untrusted prefix":     join("comment: x", l[1], l[2], l[3]),
		"no trusted prefix":       join(l[0], l[1], "trusted: x", l[3]),
		"short signature":         join(l[0], l[1][:40], l[2], l[3]),
		"short global":            join(l[0], l[1], l[2], l[3][:40]),
		"bad base64":              join(l[0], "!"+l[1][1:], l[2], l[3]),
		"unknown algorithm":       join(l[0], "RVg"+l[1][3:], l[2], l[3]), // "EX"
		"long trusted comment":    join(l[0], l[1], "trusted comment: "+strings.Repeat("x", MaxTrustedComment+1), l[3]),
		"swapped lines":           join(l[2], l[3], l[0], l[1]),
		"public key as signature": join(l[0], "RWT7PLKrW9lNYozFf0wr7Z0Mx5AKKio0JgfaF9PlK2YmKwm5rOrxgpPm", l[2], l[3]),
	}
	for name, in := range bad {
		if _, err := ParseSignature([]byte(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzParseSignature(f *testing.F) {
	_, sk, err := GenerateKey(nil)
	if err != nil {
		f.Fatal(err)
	}
	s, err := Sign(sk, strings.NewReader("seed"), "timestamp:1\tfile:seed.sh\thashed", "")
	if err != nil {
		f.Fatal(err)
	}
	text, _ := s.MarshalText()
	f.Add(text)
	f.Add([]byte("untrusted comment: x\nRUQ=\ntrusted comment: y\nAAAA\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSignature(data)
		if err != nil {
			return
		}
		// Whatever parses must write back and parse to the same signature.
		out, err := s.MarshalText()
		if err != nil {
			t.Fatalf("parsed signature does not marshal: %v", err)
		}
		again, err := ParseSignature(out)
		if err != nil {
			t.Fatalf("marshalled signature does not parse: %v", err)
		}
		if again != s {
			t.Fatalf("round trip changed the signature")
		}
	})
}
