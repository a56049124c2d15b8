package signing

import (
	"fmt"

	"github.com/org/gonogo-action/internal/glob"
)

// checkGlobs rejects malformed patterns up front (glob.Validate), so a typo
// is an error instead of a pattern that silently matches nothing.
func checkGlobs(kind string, globs []string) error {
	for _, g := range globs {
		if err := glob.Validate(g); err != nil {
			return fmt.Errorf("%s pattern %q: %w", kind, g, err)
		}
	}
	return nil
}
