package minisign

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/scrypt"
)

const (
	publicKeyLen = 2 + 8 + ed25519.PublicKeySize
	secretKeyLen = 2 + 2 + 2 + 32 + 8 + 8 + secretPayloadLen
	// secretPayloadLen is the encrypted part: key id, secret key, checksum.
	secretPayloadLen = 8 + ed25519.PrivateKeySize + 32

	kdfScrypt = "Sc"
	kdfNone   = "\x00\x00"
	chkBlake2 = "B2"
)

// KDF is the cost of the scrypt key derivation of an encrypted secret key, in
// libsodium's terms (crypto_pwhash_scryptsalsa208sha256), as stored in the key.
type KDF struct {
	OpsLimit uint64
	MemLimit uint64
}

// DefaultKDF is what minisign uses (libsodium's "sensitive" limits): 1 GiB of
// memory and a few seconds of CPU, which is the point against guessing.
var DefaultKDF = KDF{OpsLimit: 33554432, MemLimit: 1073741824}

// maxMemLimit bounds what a key file may make us allocate.
const maxMemLimit = 4 << 30

// PublicKey verifies signatures made by the secret key with the same ID.
type PublicKey struct {
	ID  KeyID
	Key ed25519.PublicKey
	// Comment is the untrusted comment of the key file, if any.
	Comment string
}

// SecretKey signs.
type SecretKey struct {
	ID  KeyID
	Key ed25519.PrivateKey
	// Comment is the untrusted comment of the key file, if any.
	Comment string
}

// Public returns the public half of k.
func (k SecretKey) Public() PublicKey {
	return PublicKey{ID: k.ID, Key: k.Key.Public().(ed25519.PublicKey), Comment: "minisign public key " + k.ID.String()}
}

// GenerateKey makes a new key pair from rng (crypto/rand when nil).
func GenerateKey(rng io.Reader) (PublicKey, SecretKey, error) {
	if rng == nil {
		rng = rand.Reader
	}
	var sk SecretKey
	if _, err := io.ReadFull(rng, sk.ID[:]); err != nil {
		return PublicKey{}, sk, fmt.Errorf("generate key id: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rng)
	if err != nil {
		return PublicKey{}, sk, fmt.Errorf("generate key: %w", err)
	}
	sk.Key = priv
	return sk.Public(), sk, nil
}

// String is the key as one base64 line, as `minisign -P` takes it.
func (k PublicKey) String() string {
	b := make([]byte, 0, publicKeyLen)
	b = append(b, AlgLegacy...)
	b = append(b, k.ID[:]...)
	b = append(b, k.Key...)
	return base64.StdEncoding.EncodeToString(b)
}

// MarshalText is the key file: comment line and key line.
func (k PublicKey) MarshalText() ([]byte, error) {
	c := k.Comment
	if c == "" {
		c = "minisign public key " + k.ID.String()
	}
	if !validComment(c, MaxUntrustedComment) {
		return nil, fmt.Errorf("public key comment: %w", ErrMalformed)
	}
	return []byte(untrustedPrefix + c + "\n" + k.String() + "\n"), nil
}

// ParsePublicKey reads a public key file, or the bare base64 key line.
func ParsePublicKey(data []byte) (PublicKey, error) {
	comment, payload, err := keyLines(data)
	if err != nil {
		return PublicKey{}, fmt.Errorf("public key: %w", err)
	}
	b, err := decode(payload, publicKeyLen)
	if err != nil {
		return PublicKey{}, fmt.Errorf("public key: %w", err)
	}
	if string(b[:2]) != AlgLegacy {
		return PublicKey{}, fmt.Errorf("public key algorithm %q: %w", b[:2], ErrUnsupportedAlgorithm)
	}
	k := PublicKey{Key: ed25519.PublicKey(b[10:]), Comment: comment}
	copy(k.ID[:], b[2:10])
	return k, nil
}

// keyLines finds the optional untrusted comment and the base64 line of a key
// file; blank lines around them are allowed, anything else is not.
func keyLines(data []byte) (comment, payload string, err error) {
	var rest []string
	for _, l := range lines(data) {
		if strings.TrimSpace(l) != "" {
			rest = append(rest, l)
		}
	}
	if len(rest) > 0 && strings.HasPrefix(rest[0], untrustedPrefix) {
		comment, rest = strings.TrimPrefix(rest[0], untrustedPrefix), rest[1:]
	}
	if len(rest) != 1 {
		return "", "", fmt.Errorf("want one key line: %w", ErrMalformed)
	}
	return comment, strings.TrimSpace(rest[0]), nil
}

// decode reads strict base64 of exactly n bytes.
func decode(s string, n int) ([]byte, error) {
	if len(s) != base64.StdEncoding.EncodedLen(n) {
		return nil, fmt.Errorf("want %d bytes of base64: %w", n, ErrMalformed)
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != n {
		return nil, fmt.Errorf("bad base64: %w", ErrMalformed)
	}
	return b, nil
}

// IsEncrypted reports whether a secret key file needs a password.
func IsEncrypted(data []byte) bool {
	_, payload, err := keyLines(data)
	if err != nil {
		return false
	}
	b, err := decode(payload, secretKeyLen)
	return err == nil && string(b[2:4]) == kdfScrypt
}

// ParseSecretKey reads a secret key file. password is called only when the
// key is encrypted; nil then fails with ErrPasswordRequired.
func ParseSecretKey(data []byte, password func() ([]byte, error)) (SecretKey, error) {
	comment, payload, err := keyLines(data)
	if err != nil {
		return SecretKey{}, fmt.Errorf("secret key: %w", err)
	}
	b, err := decode(payload, secretKeyLen)
	if err != nil {
		return SecretKey{}, fmt.Errorf("secret key: %w", err)
	}
	if string(b[:2]) != AlgLegacy || string(b[4:6]) != chkBlake2 {
		return SecretKey{}, fmt.Errorf("secret key algorithms %q/%q: %w", b[:2], b[4:6], ErrUnsupportedAlgorithm)
	}
	salt, sealed := b[6:38], b[54:]
	kdf := KDF{OpsLimit: binary.LittleEndian.Uint64(b[38:46]), MemLimit: binary.LittleEndian.Uint64(b[46:54])}
	plain := bytes.Clone(sealed)
	encrypted := false
	switch string(b[2:4]) {
	case kdfNone:
	case kdfScrypt:
		encrypted = true
		if password == nil {
			return SecretKey{}, ErrPasswordRequired
		}
		pw, err := password()
		if err != nil {
			return SecretKey{}, fmt.Errorf("secret key password: %w", err)
		}
		stream, err := kdf.stream(pw, salt)
		if err != nil {
			return SecretKey{}, err
		}
		subtle.XORBytes(plain, plain, stream)
	default:
		return SecretKey{}, fmt.Errorf("secret key derivation %q: %w", b[2:4], ErrUnsupportedAlgorithm)
	}
	k := SecretKey{Key: ed25519.PrivateKey(bytes.Clone(plain[8:72])), Comment: comment}
	copy(k.ID[:], plain[:8])
	sum := checksum(k)
	stored := plain[72:]
	// minisign 0.11 writes an all-zero checksum for unencrypted keys (-W);
	// for those the public half of the key, checked below, is the guard.
	zero := !encrypted && bytes.Equal(stored, make([]byte, 32))
	if !zero && subtle.ConstantTimeCompare(sum[:], stored) != 1 {
		if encrypted {
			return SecretKey{}, ErrPassword
		}
		return SecretKey{}, fmt.Errorf("secret key checksum: %w", ErrMalformed)
	}
	seed := ed25519.NewKeyFromSeed(k.Key.Seed())
	if !bytes.Equal(seed, k.Key) {
		return SecretKey{}, fmt.Errorf("secret key halves disagree: %w", ErrMalformed)
	}
	return k, nil
}

// MarshalText writes k as a secret key file: encrypted with scrypt under kdf
// when password is not nil (an empty one is still a password), plain otherwise.
func (k SecretKey) MarshalText(password []byte, kdf KDF) ([]byte, error) {
	b := make([]byte, 0, secretKeyLen)
	b = append(b, AlgLegacy...)
	salt := make([]byte, 32)
	payload := make([]byte, 0, secretPayloadLen)
	payload = append(payload, k.ID[:]...)
	payload = append(payload, k.Key...)
	sum := checksum(k)
	payload = append(payload, sum[:]...)
	comment := k.Comment
	if password == nil {
		b = append(b, kdfNone...)
		kdf = KDF{}
		if comment == "" {
			comment = "minisign secret key"
		}
	} else {
		b = append(b, kdfScrypt...)
		if _, err := rand.Read(salt); err != nil {
			return nil, fmt.Errorf("secret key salt: %w", err)
		}
		stream, err := kdf.stream(password, salt)
		if err != nil {
			return nil, err
		}
		subtle.XORBytes(payload, payload, stream)
		if comment == "" {
			comment = "minisign encrypted secret key"
		}
	}
	if !validComment(comment, MaxUntrustedComment) {
		return nil, fmt.Errorf("secret key comment: %w", ErrMalformed)
	}
	b = append(b, chkBlake2...)
	b = append(b, salt...)
	b = binary.LittleEndian.AppendUint64(b, kdf.OpsLimit)
	b = binary.LittleEndian.AppendUint64(b, kdf.MemLimit)
	b = append(b, payload...)
	return []byte(untrustedPrefix + comment + "\n" + base64.StdEncoding.EncodeToString(b) + "\n"), nil
}

// checksum is minisign's seckey_compute_chk: BLAKE2b-256 over the algorithm,
// the key id and the secret key.
func checksum(k SecretKey) [32]byte {
	h, _ := blake2b.New256(nil) // cannot fail without a key
	h.Write([]byte(AlgLegacy))
	h.Write(k.ID[:])
	h.Write(k.Key)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// stream derives the keystream that encrypts the secret part of a key.
func (kdf KDF) stream(password, salt []byte) ([]byte, error) {
	logN, r, p := kdf.scryptParams()
	if kdf.MemLimit > maxMemLimit || uint64(128*r)<<logN > maxMemLimit {
		return nil, fmt.Errorf("secret key asks for more than %d bytes of scrypt memory: %w", uint64(maxMemLimit), ErrMalformed)
	}
	if p < 1 {
		return nil, fmt.Errorf("secret key scrypt limits give no parallelism: %w", ErrMalformed)
	}
	s, err := scrypt.Key(password, salt, 1<<logN, r, p, secretPayloadLen)
	if err != nil {
		return nil, fmt.Errorf("derive secret key password: %w", err)
	}
	return s, nil
}

// scryptParams turns libsodium's limits into scrypt's N (as log2), r and p,
// as crypto_pwhash_scryptsalsa208sha256's pickparams does; keys are only
// compatible with minisign if this matches exactly.
func (kdf KDF) scryptParams() (logN uint, r, p int) {
	ops, mem := kdf.OpsLimit, kdf.MemLimit
	if ops < 32768 {
		ops = 32768
	}
	r = 8
	var maxN uint64
	if ops < mem/32 {
		p = 1
		maxN = ops / uint64(r*4)
	} else {
		maxN = mem / uint64(r*128)
	}
	for logN = 1; logN < 63; logN++ {
		if uint64(1)<<logN > maxN/2 {
			break
		}
	}
	if ops >= mem/32 {
		maxrp := (ops / 4) / (uint64(1) << logN)
		if maxrp > 0x3fffffff {
			maxrp = 0x3fffffff
		}
		p = int(uint32(maxrp)) / r
	}
	return logN, r, p
}
