package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/gate"
)

// TestValidateHonoursInterrupt: a SIGTERM (the cancelled context main
// derives from it) during --validate stops it with exit 1, instead of being
// ignored until validation ends and reported as "valid".
func TestValidateHonoursInterrupt(t *testing.T) {
	t.Parallel()
	cfg := filepath.Join(t.TempDir(), "gonogo.yml")
	if err := os.WriteFile(cfg, []byte("version: 1\ngates:\n  - id: a\n    run: \"true\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"--config", cfg, "--validate"}, cli.Stdio{In: strings.NewReader(""), Out: &stdout, Err: &stderr}, func(string) string { return "" })
	if code != cli.ExitFail || stdout.Len() != 0 {
		t.Fatalf("exit %d, stdout %q; want exit %d and nothing on stdout", code, stdout.String(), cli.ExitFail)
	}
	if want := "gate: interrupted while validating " + cfg + "\n"; stderr.String() != want {
		t.Errorf("stderr = %q, want %q", stderr.String(), want)
	}
}

// TestValidateRefusesOversizedConfig: one line naming the file and the
// limit, exit 2.
func TestValidateRefusesOversizedConfig(t *testing.T) {
	t.Parallel()
	cfg := filepath.Join(t.TempDir(), "gonogo.yml")
	data := "version: 1\ngates:\n  - id: a\n    run: \"true\"\n#" + strings.Repeat("x", gate.MaxConfigBytes) + "\n"
	if err := os.WriteFile(cfg, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"--config", cfg, "--validate"}, cli.Stdio{In: strings.NewReader(""), Out: &stdout, Err: &stderr}, func(string) string { return "" })
	want := "gate: " + cfg + ": configuration over the size limit of 1 MiB (1048576 bytes): declare fewer or shorter gates\n"
	if code != cli.ExitError || stderr.String() != want {
		t.Errorf("exit %d, stderr %q; want exit %d, %q", code, stderr.String(), cli.ExitError, want)
	}
}
