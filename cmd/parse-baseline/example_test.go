package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/org/gonogo-action/internal/cli"
)

// TestExampleWorkflow keeps examples/workflows/classify-sample.yml true:
// actionlint accepts it (where installed), and every flag it gives
// parse-baseline exists.
func TestExampleWorkflow(t *testing.T) {
	t.Parallel()
	path := filepath.Join("..", "..", "examples", "workflows", "classify-sample.yml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var usage bytes.Buffer
	run(context.Background(), []string{"-h"}, cli.Stdio{In: strings.NewReader(""), Out: &usage, Err: &usage}, func(string) string { return "" })
	_, cmd, ok := strings.Cut(string(data), "parse-baseline --limit")
	if !ok {
		t.Fatal("the example runs no parse-baseline --limit")
	}
	cmd, _, _ = strings.Cut(cmd, "- name:")
	// The checkers' own flags sit in quotes.
	cmd = regexp.MustCompile(`'[^']*'`).ReplaceAllString(cmd, "")
	flags := regexp.MustCompile(`(?m)(?:^|\s)--([a-z][a-z-]+)`).FindAllStringSubmatch("--limit"+cmd, -1)
	if len(flags) < 6 {
		t.Fatalf("found %d flags in the example's command", len(flags))
	}
	for _, f := range flags {
		if !strings.Contains(usage.String(), "  -"+f[1]+" ") && !strings.Contains(usage.String(), "  -"+f[1]+"\n") {
			t.Errorf("the example passes --%s, which parse-baseline does not define", f[1])
		}
	}
	if _, err := exec.LookPath("actionlint"); err != nil {
		if os.Getenv("GONOGO_FULL_TESTS") != "" {
			t.Fatal("actionlint not installed, and GONOGO_FULL_TESTS forbids skipping")
		}
		t.Log("actionlint not installed (go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12): workflow not linted")
		return
	}
	if out, err := exec.CommandContext(t.Context(), "actionlint", "-no-color", path).CombinedOutput(); err != nil {
		t.Errorf("actionlint %s: %v\n%s", path, err, out)
	}
}
