package signing

import (
	"fmt"
	"path"
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
	fieldFile   = "file"
	fieldSHA256 = "sha256"
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
