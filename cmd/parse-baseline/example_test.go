package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/clitest"
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
	clitest.Actionlint(t, path)
}
