// Command aether-lint is the checker of the migration example (see package
// lint): go build -o aether-lint ./examples/aetherra/legacy/aether-lint.
package main

import (
	"os"

	"github.com/org/gonogo-action/examples/aetherra/legacy/lint"
)

func main() { os.Exit(lint.Main(os.Args[1:], os.Stderr)) }
