package gate

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/glob"
)

// DefaultReferenceBranches are the reference branches besides the default
// branch when gonogo.yml sets no reference.branches.
var DefaultReferenceBranches = []string{"release/**"}

// referenceYAML is gonogo.yml's top-level reference: which branches'
// push runs produce the baselines that pull requests are judged against.
type referenceYAML struct {
	Branches *[]string `yaml:"branches"`
}

// referenceBranches validates reference.branches: branch name patterns
// (glob.MatchWhole), not refs. Unset gives DefaultReferenceBranches; an
// empty list leaves the default branch alone.
func (d *Decoder) referenceBranches(root *yaml.Node, raw referenceYAML) ([]string, error) {
	if raw.Branches == nil {
		return slices.Clone(DefaultReferenceBranches), nil
	}
	node := valueNode(root, "reference", root)
	for _, p := range *raw.Branches {
		err := glob.Validate(p)
		if err == nil && strings.HasPrefix(p, "refs/") {
			err = fmt.Errorf("want a branch name pattern (release/**), not a ref")
		}
		if err != nil {
			return nil, d.settingError(node, "branches", fmt.Errorf("%q: %w", p, err))
		}
	}
	return *raw.Branches, nil
}
