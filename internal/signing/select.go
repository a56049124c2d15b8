package signing

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/org/gonogo-action/internal/glob"
)

// Select lists, in lexical order, the root-relative files that a Check
// with these globs judges: those under root matching include and not
// exclude, without .minisig files and .git/. gate sign --include signs
// exactly what gate verify --include and the signatures gate then check.
func Select(ctx context.Context, root string, include, exclude []string) ([]string, error) {
	if len(include) == 0 {
		return nil, fmt.Errorf("include: want at least one glob")
	}
	if err := checkGlobs("include", include); err != nil {
		return nil, err
	}
	if err := checkGlobs("exclude", exclude); err != nil {
		return nil, err
	}
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, fmt.Errorf("open root: %w", err)
	}
	defer r.Close()
	all, err := walk(ctx, r, include)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range all {
		if judged(f, exclude) {
			out = append(out, f)
		}
	}
	return out, nil
}

// judged reports whether a walked file is one Check judges: not excluded,
// not a signature. Select and Check share it, so that gate sign signs
// what the checks then judge.
func judged(f string, exclude []string) bool {
	return !glob.MatchAny(exclude, f) && !strings.HasSuffix(f, SigExt)
}
