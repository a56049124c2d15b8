package main

import (
	"context"
	"io"

	"github.com/org/gonogo-action/internal/action"
	"github.com/org/gonogo-action/internal/reap"
)

// `gate action` is the Docker action's entry point (the image's
// ENTRYPOINT): it takes no arguments, only the INPUT_* and GITHUB_*
// environment the runner sets (see docs/action.md).
func init() {
	subcommands["action"] = func(ctx context.Context, _ []string, _ io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
		// As PID 1 in the container, become a minimal init first: the
		// work then runs in a child and orphans are reaped.
		if code, ok := reap.Init(getenv); ok {
			return code
		}
		return action.Run(ctx, stdout, stderr, getenv, action.Deps{})
	}
}
