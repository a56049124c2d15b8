package minisign

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/blake2b"
)

const signatureLen = 2 + 8 + ed25519.SignatureSize

// MaxSignatureFile bounds a .minisig file: both comments at their longest,
// both signature lines and line ends. Anything longer is not minisign's.
const MaxSignatureFile = 1024 + 8192 + 2*128

// Signature is a parsed .minisig file.
type Signature struct {
	// Algorithm is AlgPrehashed or AlgLegacy.
	Algorithm        string
	KeyID            KeyID
	Signature        [ed25519.SignatureSize]byte
	UntrustedComment string
	// TrustedComment is covered by GlobalSignature, and so by the key.
	TrustedComment  string
	GlobalSignature [ed25519.SignatureSize]byte
}

// ParseSignature reads a .minisig file. It is strict: four lines with the
// right prefixes, exact base64 lengths, nothing but blank lines after.
func ParseSignature(data []byte) (Signature, error) {
	var s Signature
	if len(data) > MaxSignatureFile {
		return s, fmt.Errorf("signature file over %d bytes: %w", MaxSignatureFile, ErrMalformed)
	}
	ls := lines(data)
	for len(ls) > 4 && strings.TrimSpace(ls[len(ls)-1]) == "" {
		ls = ls[:len(ls)-1]
	}
	if len(ls) != 4 {
		return s, fmt.Errorf("signature file has %d lines, want 4: %w", len(ls), ErrMalformed)
	}
	var ok bool
	if s.UntrustedComment, ok = strings.CutPrefix(ls[0], untrustedPrefix); !ok || !validComment(s.UntrustedComment, MaxUntrustedComment) {
		return s, fmt.Errorf("first line must be %q and a short comment: %w", untrustedPrefix, ErrMalformed)
	}
	b, err := decode(strings.TrimSpace(ls[1]), signatureLen)
	if err != nil {
		return s, fmt.Errorf("signature line: %w", err)
	}
	s.Algorithm = string(b[:2])
	if s.Algorithm != AlgPrehashed && s.Algorithm != AlgLegacy {
		return s, fmt.Errorf("signature algorithm %q: %w", s.Algorithm, ErrUnsupportedAlgorithm)
	}
	copy(s.KeyID[:], b[2:10])
	copy(s.Signature[:], b[10:])
	if s.TrustedComment, ok = strings.CutPrefix(ls[2], trustedPrefix); !ok || !validComment(s.TrustedComment, MaxTrustedComment) {
		return s, fmt.Errorf("third line must be %q and a comment of at most %d bytes: %w", trustedPrefix, MaxTrustedComment, ErrMalformed)
	}
	g, err := decode(strings.TrimSpace(ls[3]), ed25519.SignatureSize)
	if err != nil {
		return s, fmt.Errorf("global signature line: %w", err)
	}
	copy(s.GlobalSignature[:], g)
	return s, nil
}

// MarshalText writes the .minisig file as minisign does.
func (s Signature) MarshalText() ([]byte, error) {
	if !validComment(s.UntrustedComment, MaxUntrustedComment) || !validComment(s.TrustedComment, MaxTrustedComment) {
		return nil, fmt.Errorf("signature comments must be single short lines: %w", ErrMalformed)
	}
	if s.Algorithm != AlgPrehashed && s.Algorithm != AlgLegacy {
		return nil, fmt.Errorf("signature algorithm %q: %w", s.Algorithm, ErrUnsupportedAlgorithm)
	}
	b := make([]byte, 0, signatureLen)
	b = append(b, s.Algorithm...)
	b = append(b, s.KeyID[:]...)
	b = append(b, s.Signature[:]...)
	var w strings.Builder
	w.WriteString(untrustedPrefix + s.UntrustedComment + "\n")
	w.WriteString(base64.StdEncoding.EncodeToString(b) + "\n")
	w.WriteString(trustedPrefix + s.TrustedComment + "\n")
	w.WriteString(base64.StdEncoding.EncodeToString(s.GlobalSignature[:]) + "\n")
	return []byte(w.String()), nil
}

// Prehash is the BLAKE2b-512 digest that prehashed signatures sign.
func Prehash(r io.Reader) ([blake2b.Size]byte, error) {
	h, _ := blake2b.New512(nil) // cannot fail without a key
	var d [blake2b.Size]byte
	if _, err := io.Copy(h, r); err != nil {
		return d, fmt.Errorf("hash message: %w", err)
	}
	h.Sum(d[:0])
	return d, nil
}

// Sign makes a prehashed signature of message, minisign's default form.
func Sign(k SecretKey, message io.Reader, trustedComment, untrustedComment string) (Signature, error) {
	d, err := Prehash(message)
	if err != nil {
		return Signature{}, err
	}
	return sign(k, AlgPrehashed, d[:], trustedComment, untrustedComment)
}

// SignLegacy makes a legacy signature over message itself (minisign -l).
// Verify refuses these unless told otherwise; it exists for compatibility.
func SignLegacy(k SecretKey, message []byte, trustedComment, untrustedComment string) (Signature, error) {
	return sign(k, AlgLegacy, message, trustedComment, untrustedComment)
}

func sign(k SecretKey, alg string, msg []byte, trusted, untrusted string) (Signature, error) {
	if untrusted == "" {
		untrusted = "signature from minisign secret key"
	}
	if !validComment(untrusted, MaxUntrustedComment) || !validComment(trusted, MaxTrustedComment) {
		return Signature{}, fmt.Errorf("comments must be single lines (trusted at most %d bytes): %w", MaxTrustedComment, ErrMalformed)
	}
	if len(k.Key) != ed25519.PrivateKeySize {
		return Signature{}, fmt.Errorf("secret key: %w", ErrMalformed)
	}
	s := Signature{Algorithm: alg, KeyID: k.ID, UntrustedComment: untrusted, TrustedComment: trusted}
	copy(s.Signature[:], ed25519.Sign(k.Key, msg))
	copy(s.GlobalSignature[:], ed25519.Sign(k.Key, s.globalMessage()))
	return s, nil
}

// globalMessage is what the global signature covers.
func (s Signature) globalMessage() []byte {
	m := make([]byte, 0, len(s.Signature)+len(s.TrustedComment))
	m = append(m, s.Signature[:]...)
	return append(m, s.TrustedComment...)
}

// VerifyOptions loosen verification.
type VerifyOptions struct {
	// AllowLegacy accepts AlgLegacy signatures, which hash nothing and so
	// need the whole message in memory.
	AllowLegacy bool
}

// Verify checks that s is k's signature of message and that its trusted
// comment is k's too. It reads message to the end.
func Verify(k PublicKey, s Signature, message io.Reader, opt VerifyOptions) error {
	if len(k.Key) != ed25519.PublicKeySize {
		return fmt.Errorf("public key: %w", ErrMalformed)
	}
	if s.KeyID != k.ID {
		return fmt.Errorf("signature by key %s, public key is %s: %w", s.KeyID, k.ID, ErrKeyMismatch)
	}
	var msg []byte
	switch s.Algorithm {
	case AlgPrehashed:
		d, err := Prehash(message)
		if err != nil {
			return err
		}
		msg = d[:]
	case AlgLegacy:
		if !opt.AllowLegacy {
			return ErrLegacy
		}
		var err error
		if msg, err = io.ReadAll(message); err != nil {
			return fmt.Errorf("read message: %w", err)
		}
	default:
		return fmt.Errorf("signature algorithm %q: %w", s.Algorithm, ErrUnsupportedAlgorithm)
	}
	if !ed25519.Verify(k.Key, msg, s.Signature[:]) {
		return ErrSignature
	}
	if !ed25519.Verify(k.Key, s.globalMessage(), s.GlobalSignature[:]) {
		return ErrTrustedComment
	}
	return nil
}
