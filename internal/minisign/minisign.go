// Package minisign reads and writes minisign's formats — public keys, secret
// keys (plain or scrypt-encrypted) and .minisig signatures with their trusted
// comments — and signs and verifies with them, so files signed with the
// minisign tool verify here and the reverse.
//
// The formats, as written by minisign 0.11 (https://jedisct1.github.io/minisign/):
//
//	public key  = "Ed" | key id (8) | Ed25519 public key (32)             base64, 42 bytes
//	secret key  = "Ed" | kdf ("Sc" or 0,0) | "B2" | salt (32) | opslimit (8, LE)
//	              | memlimit (8, LE) | key id (8) | Ed25519 secret key (64)
//	              | BLAKE2b-256 checksum (32)                              base64, 158 bytes
//	              (the last 104 bytes XORed with scrypt(password) when kdf is "Sc")
//	signature   = "ED" | key id (8) | Ed25519(BLAKE2b-512(file)) (64)   base64, 74 bytes
//	              ("Ed": the legacy form, Ed25519 over the file itself)
//	global sig  = Ed25519(signature (64) | trusted comment)              base64, 64 bytes
//
// A .minisig file is four lines: "untrusted comment: …", the signature,
// "trusted comment: …", the global signature. Only the trusted comment is
// covered by a signature; the untrusted one is free text anybody can edit.
package minisign

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
)

// Algorithm names, as they appear in the first two bytes of keys and signatures.
const (
	// AlgLegacy signs the file itself (minisign -l; the only form before 0.8).
	AlgLegacy = "Ed"
	// AlgPrehashed signs the BLAKE2b-512 digest of the file, minisign's default.
	AlgPrehashed = "ED"
)

// Comment prefixes of the key and signature files.
const (
	untrustedPrefix = "untrusted comment: "
	trustedPrefix   = "trusted comment: "
)

// Limits follow minisign's buffers (COMMENTMAXBYTES, TRUSTEDCOMMENTMAXBYTES),
// which count the prefix, the line feed and a NUL: longer comments would be
// cut by minisign and so could not verify there.
const (
	MaxUntrustedComment = 1024 - len(untrustedPrefix) - 2
	MaxTrustedComment   = 8192 - len(trustedPrefix) - 2
)

// Errors a caller may tell apart with errors.Is.
var (
	ErrMalformed            = errors.New("malformed minisign data")
	ErrUnsupportedAlgorithm = errors.New("unsupported signature algorithm")
	ErrLegacy               = errors.New("legacy (non-prehashed) signature not allowed")
	ErrKeyMismatch          = errors.New("signature key id differs from the public key's")
	ErrSignature            = errors.New("signature does not match the file")
	ErrTrustedComment       = errors.New("trusted comment signature is invalid")
	ErrPassword             = errors.New("wrong password for the secret key")
	ErrPasswordRequired     = errors.New("secret key is encrypted and no password was given")
)

// KeyID names a key pair; signatures carry the id of the key that made them.
type KeyID [8]byte

// String is the id as minisign prints it: the 8 bytes read as a little-endian
// integer, in upper-case hex ("minisign public key 624DD95BABB23CFB").
func (id KeyID) String() string {
	return strings.ToUpper(hex.EncodeToString(binary.BigEndian.AppendUint64(nil, binary.LittleEndian.Uint64(id[:]))))
}

// ParseKeyID reads an id in the form String prints, in either case.
func ParseKeyID(s string) (KeyID, error) {
	var id KeyID
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(id) {
		return id, errors.New("key id must be 16 hex digits")
	}
	binary.LittleEndian.PutUint64(id[:], binary.BigEndian.Uint64(b))
	return id, nil
}

// lines splits text into lines without their line ends (LF or CRLF).
func lines(data []byte) []string {
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	return strings.Split(s, "\n")
}

// validComment reports whether s can stand on one comment line.
func validComment(s string, max int) bool {
	return len(s) <= max && !strings.ContainsAny(s, "\r\n\x00")
}
