package migrate

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseRulesRefuses: every mistake is one line with the file, the line,
// the key and the expected form; nothing is guessed.
func TestParseRulesRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml, want string
	}{
		{"empty file", "", `m.yml: empty: want a mapping with rules: a list of {name, match, replace} or {name, normalize}`},
		{"comments only", "# nothing\n", `m.yml: empty: want a mapping with rules: a list of {name, match, replace} or {name, normalize}`},
		{"not a mapping", "- a\n", `m.yml:1: want a mapping with rules: a list of {name, match, replace} or {name, normalize}`},
		{"no rules key", "version: 1\n", `m.yml:1: rules: missing: want a mapping with rules: a list of {name, match, replace} or {name, normalize}`},
		{"empty rule list", "rules: []\n", `m.yml:1: rules: empty: want at least one rule`},
		{"null rule list", "rules:\n", `m.yml:1: rules: want a list of rules, got nothing`},
		{"unknown top key", "rules: []\nrule: x\n", `m.yml:2: rule: unknown key (expected one of: rules, version)`},
		{"bad version", "version: 2\nrules: [{name: a, normalize: crlf}]\n", `m.yml:1: version: want 1, got 2`},
		{"unknown rule key", "rules:\n  - name: a\n    match: x\n    replace: y\n    replacement: z\n", `m.yml:5: rules[1].replacement: unknown key (expected one of: match, name, normalize, replace)`},
		{"repeated key", "rules:\n  - name: a\n    name: b\n    normalize: crlf\n", `m.yml:3: rules[1].name: repeated key: want each key once`},
		{"missing name", "rules:\n  - normalize: crlf\n", `m.yml:2: rules[1].name: missing: want a name such as intent-to-goal`},
		{"bad name", "rules:\n  - {name: 'a b', normalize: crlf}\n", `m.yml:2: rules[1].name: want letters, digits, '.', '_' or '-' (at most 64, such as intent-to-goal), got "a b"`},
		{"duplicate name", "rules:\n  - {name: a, normalize: crlf}\n  - {name: a, normalize: final-newline}\n", `m.yml:3: rules[2].name: "a" is already the name of the rule at line 2: want unique names`},
		{"bad regex", "rules:\n  - name: a\n    match: '^(intent:'\n    replace: x\n", "m.yml:3: rules[1].match: want a regular expression (Go RE2 syntax) such as '^(\\s*)intent:': missing closing ): `^(intent:`"},
		{"empty regex", "rules:\n  - {name: a, match: '', replace: x}\n", `m.yml:2: rules[1].match: want a regular expression such as '^(\s*)intent:', got an empty one`},
		{"match without replace", "rules:\n  - {name: a, match: x}\n", `m.yml:2: rules[1].replace: missing: want the replacement for match (replace: '' deletes the match)`},
		{"neither", "rules:\n  - {name: a}\n", `m.yml:2: rules[1]: want match and replace, or normalize (trailing-space, crlf, final-newline)`},
		{"both", "rules:\n  - {name: a, match: x, replace: y, normalize: crlf}\n", `m.yml:2: rules[1].normalize: a rule either rewrites (match, replace) or normalizes: split it in two rules`},
		{"unknown normalisation", "rules:\n  - {name: a, normalize: tabs}\n", `m.yml:2: rules[1].normalize: want one of trailing-space, crlf, final-newline, got "tabs"`},
		{"replace with normalize", "rules:\n  - {name: a, normalize: crlf, replace: x}\n", `m.yml:2: rules[1].replace: replace goes with match, not with normalize`},
		{"number as string", "rules:\n  - {name: a, match: x, replace: 5}\n", `m.yml:2: rules[1].replace: want a string (quote it), got 5`},
		{"list as string", "rules:\n  - {name: a, match: [x], replace: y}\n", `m.yml:2: rules[1].match: want a string (quote it), got a list`},
		{"unknown group", "rules:\n  - {name: a, match: '^(\\s*)intent:', replace: '$2goal:'}\n", `m.yml:2: rules[1].replace: $2goal names no group of match (it has 1) (write ${2}goal for group 2 followed by goal)`},
		{"group glued to text", "rules:\n  - {name: a, match: '^(\\s*)intent:', replace: '$1goal:'}\n", `m.yml:2: rules[1].replace: $1goal names no group of match (it has 1) (write ${1}goal for group 1 followed by goal)`},
		{"unknown named group", "rules:\n  - {name: a, match: '^(?P<indent>\\s*)intent:', replace: '${ind}goal:'}\n", `m.yml:2: rules[1].replace: $ind names no group of match (it has 1)`},
		{"lone dollar", "rules:\n  - {name: a, match: x, replace: 'cost $'}\n", `m.yml:2: rules[1].replace: want $1, ${1} or ${name} after $, got "$": write $$ for a dollar`},
		{"line break in replace", "rules:\n  - {name: a, match: x, replace: \"a\\nb\"}\n", `m.yml:2: rules[1].replace: want one line: rules rewrite lines and never split them`},
		{"rule not a mapping", "rules:\n  - intent-to-goal\n", `m.yml:2: rules[1]: want a mapping {name, match, replace} or {name, normalize}, got "intent-to-goal"`},
		{"alias", "x: &n crlf\nrules:\n  - {name: a, normalize: *n}\n", `m.yml:1: x: unknown key (expected one of: rules, version)`},
		{"alias in a rule", "rules:\n  - {name: &n a, normalize: crlf}\n  - {name: *n, normalize: crlf}\n", `m.yml:3: rules[2].name: YAML aliases are not supported: write the value`},
		{"two documents", "rules: [{name: a, normalize: crlf}]\n---\nrules: []\n", `m.yml:2: a second YAML document: want one`},
		{"bad YAML", "version: 1\nrules:\n\t- x\n", `m.yml:3: not valid YAML: found character that cannot start any token`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseRules("m.yml", []byte(tt.yaml))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want an *Error", err)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRules(t *testing.T) {
	t.Parallel()
	rs, err := ParseRules("m.yml", []byte(`version: 1
rules:
  - name: intent-to-goal
    match: '^(?P<indent>\s*)intent:'
    replace: '${indent}goal:'
  - name: cost
    match: 'USD (\d+)'
    replace: '$$$1'
  - name: drop-todo
    match: '\s*# TODO$'
    replace: ''
  - {name: eol, normalize: crlf}
`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs.Rules {
		got = append(got, fmt.Sprintf("%s@%d", r.Name, r.Line))
	}
	if diff := cmp.Diff([]string{"intent-to-goal@3", "cost@6", "drop-todo@9", "eol@12"}, got); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	r := rs.Rewrite("  intent: pay USD 5 # TODO\r\n")
	if got, want := r.Content(), "  goal: pay $5\n"; got != want {
		t.Errorf("content = %q, want %q", got, want)
	}
	if diff := cmp.Diff([]int{1, 1, 1, 1}, r.Rules); diff != "" {
		t.Errorf("lines per rule (-want +got):\n%s", diff)
	}
}
