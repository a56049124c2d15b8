package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/org/gonogo-action/internal/action"
	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/proc"
	"github.com/org/gonogo-action/internal/reap"
)

// runAction is `gate action`, the Docker action's entry point (the image's
// ENTRYPOINT): it takes no arguments besides --version, only the INPUT_*
// and GITHUB_* environment the runner sets (see docs/action.md).
func runAction(ctx context.Context, args []string, stdio cli.Stdio, getenv func(string) string) int {
	const name = "gate action"
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: gate action   (inputs come from INPUT_* variables; see docs/action.md)")
		fs.PrintDefaults()
	}
	rest, err := cli.Parse(fs, args, stdio)
	if err == nil && len(rest) > 0 {
		err = cli.Usagef("unexpected argument %q (the action reads its inputs from INPUT_* variables)", rest[0])
	}
	if err != nil {
		return cli.Exit(stdio.Err, name, err)
	}
	// Non-dumpable before any work, as PID 1 and as the child doing
	// the work: PID 1's environment holds the token, and neither it nor
	// either process's memory may be readable by a gate.
	if err := proc.Conceal(); err != nil {
		return cli.Exit(stdio.Err, name, err)
	}
	// As PID 1 in the container, become a minimal init: the work then
	// runs in a child, which gets the secrets over a pipe rather than in
	// its environment, and orphans are reaped.
	if code, ok := reap.Init(getenv, proc.Secret); ok {
		return code
	}
	getenv, err = reap.Getenv(getenv)
	if err != nil {
		return cli.Exit(stdio.Err, name, err)
	}
	// Gates, services and checkers run as the workspace's owner.
	return action.Run(ctx, stdio.Out, stdio.Err, getenv, action.Deps{GateUser: proc.Unprivileged})
}
