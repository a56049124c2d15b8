package signing

import (
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
)

// The trusted comment binds a signature to one file: minisign's own fields
// (timestamp, file, hashed) with the file's repository-relative path in
// "file:" and its SHA-256 in "sha256:", tab-separated:
//
//	timestamp:1764160000	file:scripts/deploy.sh	sha256:9f86d0…	hashed
//
// minisign signs "file:<base name>", so a minisign signature of a file at the
// repository's top level passes as it is; elsewhere sign with
// `minisign -t "file:dir/name"`.
const (
	fieldFile      = "file"
	fieldSHA256    = "sha256"
	fieldTimestamp = "timestamp"
)

// trustedComment renders the comment gate sign writes; note, if any, is the
// user's own text, appended as a last field.
func trustedComment(rel, sum string, now time.Time, note string) (string, error) {
	if !validPath(rel) {
		return "", fmt.Errorf("path %q cannot be recorded in a trusted comment", rel)
	}
	c := fmt.Sprintf("timestamp:%d\t%s:%s\t%s:%s\thashed", now.Unix(), fieldFile, rel, fieldSHA256, sum)
	if note == "" {
		return c, nil
	}
	if strings.ContainsAny(note, "\t\r\n\x00") {
		return "", fmt.Errorf("trusted comment text must be one line without tabs")
	}
	if k, _, _ := strings.Cut(note, ":"); k == fieldFile || k == fieldSHA256 {
		return "", fmt.Errorf("trusted comment text may not start with %q: the path and digest are recorded already", k+":")
	}
	return c + "\t" + note, nil
}

// validPath reports whether rel is a clean relative slash path that fits in
// one comment field.
func validPath(rel string) bool {
	return rel != "" && rel != "." && path.Clean(rel) == rel && !path.IsAbs(rel) &&
		rel != ".." && !strings.HasPrefix(rel, "../") && !strings.ContainsAny(rel, "\t\r\n\x00")
}

// checkComment verifies that a trusted comment names rel and, when it records
// a digest, that the digest is sum. It returns why not, or "".
func checkComment(comment, rel, sum string) string {
	var files, sums []string
	for _, f := range strings.Split(comment, "\t") {
		k, v, _ := strings.Cut(f, ":")
		switch k {
		case fieldFile:
			files = append(files, v)
		case fieldSHA256:
			sums = append(sums, v)
		}
	}
	switch {
	case len(files) == 0:
		return "trusted comment names no file (want file:" + rel + ")"
	case len(files) > 1:
		return "trusted comment names more than one file"
	case files[0] != rel:
		return fmt.Sprintf("signature belongs to %q, not this file", files[0])
	case len(sums) > 1:
		return "trusted comment records more than one sha256"
	case len(sums) == 1 && !strings.EqualFold(sums[0], sum):
		return "sha256 in trusted comment differs from the file's"
	}
	return ""
}

// checkTimestamp verifies that a trusted comment records when it was signed
// ("timestamp:<unix seconds>", as gate sign and minisign write it) and that
// this is not before notBefore. It returns why not, or "". A comment without
// a timestamp fails: the signature's age cannot be shown.
func checkTimestamp(comment string, notBefore time.Time) string {
	var stamps []string
	for _, f := range strings.Split(comment, "\t") {
		if k, v, _ := strings.Cut(f, ":"); k == fieldTimestamp {
			stamps = append(stamps, v)
		}
	}
	switch len(stamps) {
	case 0:
		return "trusted comment records no timestamp, and signatures must be from " + notBefore.UTC().Format(time.RFC3339) + " on"
	case 1:
	default:
		return "trusted comment records more than one timestamp"
	}
	n, err := strconv.ParseInt(stamps[0], 10, 64)
	if err != nil || n < 0 {
		return fmt.Sprintf("trusted comment timestamp %q is not seconds since 1970", stamps[0])
	}
	if signed := time.Unix(n, 0); signed.Before(notBefore) {
		return fmt.Sprintf("signed %s, before %s: an older signature (re-sign the file, or restore its current one)",
			signed.UTC().Format(time.RFC3339), notBefore.UTC().Format(time.RFC3339))
	}
	return ""
}

// ParseNotBefore reads the earliest accepted signing time, for the
// signatures gate's not_before and gate verify --not-before alike: a date
// (2026-01-15, midnight UTC) or an RFC 3339 time (2026-01-15T09:30:00Z).
func ParseNotBefore(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, errors.New("want a date (2026-01-15) or an RFC 3339 time (2026-01-15T09:30:00Z)")
}
