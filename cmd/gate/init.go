package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/outfile"
	"github.com/org/gonogo-action/internal/starter"
)

// runInit is `gate init` (docs/gate.md, "Starting a project"):
//
//	gate init [--dir DIR] [--force]
//
// It looks at DIR (default: the working directory) for go.mod,
// pyproject.toml / setup.py / requirements.txt and package.json, and writes
// a commented starter .github/gonogo.yml and .github/workflows/gonogo.yml
// for what it found (internal/starter). It never overwrites a file unless
// --force: if either exists, it writes neither.
// Exit codes: 0 written, 2 usage error, nothing to start from, a file that
// exists, or a file that could not be written.
func runInit(_ context.Context, args []string, stdio cli.Stdio, _ func(string) string) int {
	const name = "gate init"
	return cli.Exit(stdio.Err, name, initProject(name, args, stdio))
}

func initProject(name string, args []string, stdio cli.Stdio) error {
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	var dir string
	var force bool
	flags.StringVar(&dir, "dir", ".", "the repository's root `DIR`")
	cli.BoolVar(flags, &force, "force", false, "overwrite existing files")
	flags.Usage = func() {
		fmt.Fprintln(flags.Output(), "usage: gate init [--dir DIR] [--force]   (writes .github/gonogo.yml and .github/workflows/gonogo.yml)")
		flags.PrintDefaults()
	}
	rest, err := cli.Parse(flags, args, stdio)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return cli.Usagef("unexpected argument %q (the directory is --dir DIR)", rest[0])
	}
	p, err := starter.Detect(dir)
	if errors.Is(err, starter.ErrNothingFound) {
		return fmt.Errorf("%w: gate init starts from a Go module, a Python project or a Node package at the repository's root", err)
	}
	if err != nil {
		return err
	}
	files := p.Files()
	if !force {
		for _, f := range files {
			path := filepath.Join(dir, filepath.FromSlash(f.Path))
			if _, err := os.Lstat(path); err == nil {
				return fmt.Errorf("%s exists; gate init never overwrites a file (move it away, or --force)", path)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	for _, f := range files {
		if err := outfile.WriteIn(dir, filepath.FromSlash(f.Path), f.Data); err != nil {
			return err
		}
		fmt.Fprintf(stdio.Out, "wrote %s\n", filepath.Join(dir, filepath.FromSlash(f.Path)))
	}
	fmt.Fprint(stdio.Out, nextSteps(p))
	return nil
}

func nextSteps(p *starter.Project) string {
	s := `
Next steps:
  1. In .github/workflows/gonogo.yml, replace <release commit SHA> with the full
     commit SHA of a gonogo-action release.
  2. Try it here: run the workflow's host steps, then "gate" (from the repository root).
     gate --validate checks .github/gonogo.yml.
  3. Set each coverage gate's min to your current figure (gate prints it).
  4. Add reports/, gate_results.json, gate_sign_off.md and parse_baseline.json to .gitignore.
  5. If your default branch is not main, name it under push: branches in the workflow.
     After its first push has uploaded the baselines, require the "gonogo" status in
     its branch protection rule.
`
	if p.Has(starter.Node) && p.NodeTest == "" {
		s += "\nNote: package.json has no test script; the Node tests gate fails until it has one.\n"
	}
	return s
}
