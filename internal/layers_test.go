package internal_test

import (
	"errors"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/org/gonogo-action/"

// Imports run one way: commands → orchestration and domain → leaf helpers,
// and the adapters to the outside world (the runner protocol, the GitHub
// API) sit beside the domain, not above it. An adapter that needs a helper
// of the domain (a truncation, a glob) gets it from a leaf package instead.
var (
	// adapters speak to the outside world.
	adapters = []string{"internal/githubactions", "internal/github", "internal/proc"}
	// domain holds the packages that decide or render a verdict.
	domain = []string{
		"internal/baseline", "internal/compare", "internal/coverage", "internal/checker", "internal/scan",
		"internal/gate", "internal/report", "internal/report/signoff", "internal/action", "internal/signing",
		"internal/migrate", "internal/classify",
	}
	// pure domain packages know nothing of the outside world.
	pure = []string{"internal/baseline", "internal/compare", "internal/coverage", "internal/classify"}
	// leaves are the helpers everyone may import; they import nothing of ours.
	leaves = []string{
		"internal/safetext", "internal/glob", "internal/artifact", "internal/outfile", "internal/setting",
		"internal/yamlstrict", "internal/jsonstrict", "internal/scratch",
	}
)

// TestLayers asserts, from `go list -deps`, which packages may depend on
// which; a move that sends an arrow back up the layers fails here.
func TestLayers(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs go list")
	}
	deps := listDeps(t)
	forbid := func(pkg string, banned []string, why string) {
		t.Helper()
		d, ok := deps[pkg]
		if !ok {
			t.Errorf("go list does not know %s: update this test's package lists", pkg)
			return
		}
		for _, b := range banned {
			if b != pkg && slices.Contains(d, b) {
				t.Errorf("%s depends on %s: %s", pkg, b, why)
			}
		}
	}
	for _, a := range adapters {
		forbid(a, domain, "an adapter imports leaf packages only, never the domain")
	}
	for _, p := range pure {
		forbid(p, adapters, "the domain imports no adapter")
	}
	for _, l := range leaves {
		if d := deps[l]; len(d) > 0 {
			t.Errorf("%s depends on %v: a leaf package imports nothing of ours", l, d)
		}
		if _, ok := deps[l]; !ok {
			t.Errorf("go list does not know %s: update this test's package lists", l)
		}
	}
	forbid("internal/signing", []string{"internal/scan"}, "signing needs globs, not the parse-baseline engine")
	forbid("internal/gate", []string{"internal/githubactions"}, "the engine does not speak the runner protocol")
	for _, p := range domain {
		if p != "internal/action" { // the action's entry point speaks in exit codes
			forbid(p, []string{"internal/cli"}, "the command scaffold sits on top; the domain returns errors")
		}
	}
	for _, a := range adapters {
		forbid(a, []string{"internal/cli"}, "the command scaffold sits on top")
	}
	for pkg, d := range deps {
		for _, dep := range d {
			if strings.HasPrefix(dep, "cmd/") {
				t.Errorf("%s depends on %s: nothing imports a command", pkg, dep)
			}
		}
	}
}

// listDeps maps each package of the module to its transitive dependencies
// within the module, both without the module prefix.
func listDeps(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, module+"...").Output()
	if err != nil {
		var msg string
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			msg = string(ee.Stderr)
		}
		t.Fatalf("go list: %v\n%s", err, msg)
	}
	deps := map[string][]string{}
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		var own []string
		for _, f := range fields[1:] {
			if rel, ok := strings.CutPrefix(f, module); ok {
				own = append(own, rel)
			}
		}
		deps[strings.TrimPrefix(fields[0], module)] = own
	}
	if len(deps) == 0 {
		t.Fatal("go list listed no packages")
	}
	return deps
}
