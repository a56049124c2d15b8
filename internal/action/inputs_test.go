package action

import (
	"io"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/githubactions"
)

// otherValues holds, for each input of action.yml, a valid value other
// than its default. A new input needs a row here, and then must change
// what readInputs returns.
var otherValues = map[string]string{
	"config":            "ci/gates.yml",
	"gates":             "smoke, memory",
	"strict-manual":     "true",
	"profile":           "nightly",
	"github-token":      "ghs_token",
	"comment":           "always",
	"comment-key":       "gonogo-nightly",
	"comment-author":    "release-bot",
	"reference-branch":  "release/2",
	"missing-reference": "fail",
	"statuses":          "per-gate",
	"mode":              "report",
	"working-directory": "services/api",
	"report-timeout":    "90s",
}

// actionInputs returns action.yml's inputs and their defaults.
func actionInputs(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Inputs map[string]struct {
			Default string `yaml:"default"`
		} `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(data, &meta); err != nil {
		t.Fatal(err)
	}
	if len(meta.Inputs) == 0 {
		t.Fatal("action.yml declares no inputs")
	}
	out := map[string]string{}
	for name, in := range meta.Inputs {
		out[name] = in.Default
	}
	return out
}

// readWith runs readInputs on an environment holding env's inputs as the
// runner passes them (INPUT_<NAME>, upper-cased, hyphens kept).
func readWith(t *testing.T, env map[string]string) Inputs {
	t.Helper()
	getenv := func(k string) string {
		for name, v := range env {
			if k == "INPUT_"+strings.ToUpper(name) {
				return v
			}
		}
		return ""
	}
	in, err := readInputs(githubactions.New(getenv, io.Discard))
	if err != nil {
		t.Fatalf("readInputs(%v): %v", env, err)
	}
	return in
}

// TestEveryInputIsRead: the runner sets every input of action.yml (its
// default when the workflow gives none). Each default must read as the
// action's own default, and each input, set to another value, must reach
// the settings: an input that is declared but never read would be a knob
// that does nothing. Every setting is reached by some input.
func TestEveryInputIsRead(t *testing.T) {
	t.Parallel()
	inputs := actionInputs(t)
	defaults := map[string]string{}
	for name, def := range inputs {
		if strings.Contains(def, "${{") {
			def = "" // an expression (github-token): the runner's value, none here
		}
		defaults[name] = def
	}
	base := readWith(t, defaults)
	if d := cmp.Diff(readWith(t, nil), base); d != "" {
		t.Errorf("action.yml's defaults read otherwise than no input at all (-none +defaults):\n%s", d)
	}
	reached := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(inputs)) {
		other, ok := otherValues[name]
		if !ok {
			t.Errorf("input %s: add a valid value other than its default to otherValues", name)
			continue
		}
		if other == defaults[name] {
			t.Errorf("input %s: otherValues holds its default %q", name, other)
			continue
		}
		env := maps.Clone(defaults)
		env[name] = other
		got := readWith(t, env)
		changed := changedFields(base, got)
		if len(changed) == 0 {
			t.Errorf("input %s = %q changes nothing readInputs returns: it is not read", name, other)
		}
		for _, f := range changed {
			reached[f] = true
		}
	}
	for name := range otherValues {
		if _, ok := inputs[name]; !ok {
			t.Errorf("otherValues names %s, which action.yml does not declare", name)
		}
	}
	typ := reflect.TypeFor[Inputs]()
	for i := range typ.NumField() {
		if f := typ.Field(i).Name; !reached[f] {
			t.Errorf("Inputs.%s is set by no input of action.yml", f)
		}
	}
}

// changedFields names the fields of Inputs that differ between a and b.
func changedFields(a, b Inputs) []string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	var out []string
	for i := range va.NumField() {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			out = append(out, va.Type().Field(i).Name)
		}
	}
	return out
}
