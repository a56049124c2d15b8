package signing

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/org/gonogo-action/internal/golden"
	"github.com/org/gonogo-action/internal/minisign"
)

// fixedKey is deterministic (Ed25519 signatures are too), so what gate sign
// writes can be compared byte for byte.
func fixedKey() testKey {
	sk := minisign.SecretKey{ID: minisign.KeyID{1, 2, 3, 4, 5, 6, 7, 8}, Key: ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))}
	return testKey{pub: sk.Public(), sec: sk, inline: sk.Public().String()}
}

func goldenFile(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "golden", name), got)
}

// TestGolden pins the user-visible formats: the .minisig that gate sign
// writes and the JSON report of gate verify --json.
func TestGolden(t *testing.T) {
	t.Parallel()
	k := fixedKey()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"scripts/deploy.sh":   "#!/bin/sh\necho deploy\n",
		"scripts/rollback.sh": "#!/bin/sh\necho rollback\n",
		"scripts/new.sh":      "#!/bin/sh\n",
	})
	if _, err := SignFiles(context.Background(), dir, []string{"scripts/deploy.sh", "scripts/rollback.sh"}, k.sec, SignOptions{Now: epoch, Note: "release:1.2"}); err != nil {
		t.Fatal(err)
	}
	goldenFile(t, "deploy.sh.minisig", []byte(readFile(t, filepath.Join(dir, "scripts/deploy.sh.minisig"))))
	writeFiles(t, dir, map[string]string{"scripts/rollback.sh": "#!/bin/sh\necho changed\n"})
	rep, err := Check(context.Background(), dir, Spec{Include: []string{"scripts/*.sh"}, Keys: []string{k.inline}, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	goldenFile(t, "report.json", append(data, '\n'))
}
