package migrate

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/yamlstrict"
)

// Normalization is a whitespace clean-up a rule may apply instead of a
// rewrite.
type Normalization string

// The normalisations, in the words a rules file uses.
const (
	// TrailingSpace removes spaces and tabs at the end of every line.
	TrailingSpace Normalization = "trailing-space"
	// CRLF turns every CR LF line ending into LF.
	CRLF Normalization = "crlf"
	// FinalNewline ends the file with exactly one line ending: empty lines
	// at the end are removed, a missing ending is added (the one the line
	// before uses, else LF). A file of empty lines only becomes empty.
	FinalNewline Normalization = "final-newline"
)

var normalizations = []Normalization{TrailingSpace, CRLF, FinalNewline}

// Rule is one named step of a migration: a rewrite (Match → Replace) of
// each line, or a Normalize clean-up.
type Rule struct {
	Name string
	// Line is where the rule starts in its file.
	Line int
	// Match is matched against each line by itself, without its line
	// ending, so ^ and $ are the line's start and end and a match never
	// spans lines; every match on the line is replaced.
	Match *regexp.Regexp
	// Replace is the replacement, with $1, ${1} and ${name} for groups
	// and $$ for a dollar (regexp.Regexp.Expand).
	Replace   string
	Normalize Normalization
}

// Rules are the ordered rules of one file.
type Rules struct {
	File  string
	Rules []Rule
}

// Error is a problem in a rules file: where it is, which key, and what was
// expected there.
type Error = yamlstrict.Error

// maxRulesBytes bounds a rules file: rules are written by hand.
const maxRulesBytes = 1 << 20

// namePattern is the form of a rule's name: it heads a section of the
// report and is typed on command lines.
var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// ParseRules validates a rules file; file names it in errors. Everything
// not understood is refused with the file, line and key: an unknown key, a
// value of the wrong type, a regular expression that does not compile, a
// replacement naming a group the expression lacks, no rule at all, two
// rules of one name. The form:
//
//	version: 1            # optional
//	rules:
//	  - name: intent-to-goal
//	    match: '^(\s*)intent:'
//	    replace: '${1}goal:'
//	  - name: trailing-space
//	    normalize: trailing-space
func ParseRules(file string, data []byte) (*Rules, error) {
	d := &yamlstrict.Decoder{File: file}
	const form = "want a mapping with rules: a list of {name, match, replace} or {name, normalize}"
	if len(data) > maxRulesBytes {
		return nil, d.Errorf(nil, "over the size limit of 1 MiB")
	}
	root, err := d.Document(data)
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, d.Errorf(nil, "empty: %s", form)
	}
	if root.Kind != yaml.MappingNode {
		return nil, d.KeyErrorf(root, "", "%s", form)
	}
	top, err := d.Mapping(root, "", []string{"version", "rules"})
	if err != nil {
		return nil, err
	}
	if v, ok := top["version"]; ok {
		if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || v.Value != "1" {
			return nil, d.KeyErrorf(v, "version", "want 1, got %s", shown(v))
		}
	}
	list, ok := top["rules"]
	if !ok {
		return nil, d.KeyErrorf(root, "rules", "missing: %s", form)
	}
	if list.Kind != yaml.SequenceNode {
		return nil, d.KeyErrorf(list, "rules", "want a list of rules, got %s", shown(list))
	}
	if len(list.Content) == 0 {
		return nil, d.KeyErrorf(list, "rules", "empty: want at least one rule")
	}
	rs := &Rules{File: file}
	seen := map[string]int{}
	for i, n := range list.Content {
		key := fmt.Sprintf("rules[%d]", i+1)
		r, err := parseRule(d, key, n)
		if err != nil {
			return nil, err
		}
		if at, dup := seen[r.Name]; dup {
			return nil, d.KeyErrorf(n, key+".name", "%q is already the name of the rule at line %d: want unique names", r.Name, at)
		}
		seen[r.Name] = r.Line
		rs.Rules = append(rs.Rules, r)
	}
	return rs, nil
}

func parseRule(d *yamlstrict.Decoder, key string, n *yaml.Node) (Rule, error) {
	fail := func(at *yaml.Node, k, format string, a ...any) error {
		return d.KeyErrorf(at, key+k, format, a...)
	}
	if n.Kind != yaml.MappingNode {
		return Rule{}, fail(n, "", "want a mapping {name, match, replace} or {name, normalize}, got %s", shown(n))
	}
	m, err := d.Mapping(n, key+".", []string{"name", "match", "replace", "normalize"})
	if err != nil {
		return Rule{}, err
	}
	str := func(k string) (string, *yaml.Node, error) {
		v, ok := m[k]
		if !ok {
			return "", nil, nil
		}
		if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
			return "", v, fail(v, "."+k, "want a string (quote it), got %s", shown(v))
		}
		return v.Value, v, nil
	}
	r := Rule{Line: n.Line}
	name, nameNode, err := str("name")
	if err != nil {
		return Rule{}, err
	}
	if nameNode == nil {
		return Rule{}, fail(n, ".name", "missing: want a name such as intent-to-goal")
	}
	if !namePattern.MatchString(name) {
		return Rule{}, fail(nameNode, ".name", "want letters, digits, '.', '_' or '-' (at most 64, such as intent-to-goal), got %q", name)
	}
	r.Name = name
	match, matchNode, err := str("match")
	if err != nil {
		return Rule{}, err
	}
	repl, replNode, err := str("replace")
	if err != nil {
		return Rule{}, err
	}
	norm, normNode, err := str("normalize")
	if err != nil {
		return Rule{}, err
	}
	var names []string
	for _, x := range normalizations {
		names = append(names, string(x))
	}
	switch {
	case matchNode != nil && normNode != nil:
		return Rule{}, fail(normNode, ".normalize", "a rule either rewrites (match, replace) or normalizes: split it in two rules")
	case normNode != nil:
		if replNode != nil {
			return Rule{}, fail(replNode, ".replace", "replace goes with match, not with normalize")
		}
		if !slices.Contains(normalizations, Normalization(norm)) {
			return Rule{}, fail(normNode, ".normalize", "want one of %s, got %q", strings.Join(names, ", "), norm)
		}
		r.Normalize = Normalization(norm)
		return r, nil
	case matchNode == nil:
		return Rule{}, fail(n, "", "want match and replace, or normalize (%s)", strings.Join(names, ", "))
	}
	if match == "" {
		return Rule{}, fail(matchNode, ".match", "want a regular expression such as '^(\\s*)intent:', got an empty one")
	}
	re, err := regexp.Compile(match)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "error parsing regexp: ")
		return Rule{}, fail(matchNode, ".match", "want a regular expression (Go RE2 syntax) such as '^(\\s*)intent:': %s", msg)
	}
	if replNode == nil {
		return Rule{}, fail(n, ".replace", "missing: want the replacement for match (replace: '' deletes the match)")
	}
	if strings.ContainsAny(repl, "\r\n") {
		return Rule{}, fail(replNode, ".replace", "want one line: rules rewrite lines and never split them")
	}
	if err := checkGroups(re, repl); err != nil {
		return Rule{}, fail(replNode, ".replace", "%s", err)
	}
	r.Match, r.Replace = re, repl
	return r, nil
}

// checkGroups refuses a replacement that names a group the expression
// lacks. regexp expands it to nothing, silently, and "$1x" is the group
// "1x", not group 1 followed by x.
func checkGroups(re *regexp.Regexp, repl string) error {
	known := map[string]bool{}
	for i, n := range re.SubexpNames() {
		known[strconv.Itoa(i)] = true
		if n != "" {
			known[n] = true
		}
	}
	for i := 0; i < len(repl); i++ {
		if repl[i] != '$' {
			continue
		}
		rest := repl[i+1:]
		var name string
		switch {
		case strings.HasPrefix(rest, "$"):
			i++
			continue
		case strings.HasPrefix(rest, "{"):
			end := strings.IndexByte(rest, '}')
			if end < 0 {
				return fmt.Errorf("want ${name} closed by }, got %q: write $$ for a dollar", repl[i:])
			}
			name = rest[1:end]
			i += end + 1
		default:
			j := 0
			for j < len(rest) && (rest[j] == '_' || rest[j] >= '0' && rest[j] <= '9' || rest[j] >= 'a' && rest[j] <= 'z' || rest[j] >= 'A' && rest[j] <= 'Z') {
				j++
			}
			if j == 0 {
				return fmt.Errorf("want $1, ${1} or ${name} after $, got %q: write $$ for a dollar", repl[i:])
			}
			name = rest[:j]
			i += j
		}
		if !known[name] {
			hint := ""
			if _, err := strconv.Atoi(name); err != nil && name[0] >= '0' && name[0] <= '9' {
				hint = fmt.Sprintf(" (write ${%c}%s for group %c followed by %s)", name[0], name[1:], name[0], name[1:])
			}
			return fmt.Errorf("$%s names no group of match (it has %d)%s", name, re.NumSubexp(), hint)
		}
	}
	return nil
}

// shown names what a node holds, for "got …".
func shown(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!null":
		return "nothing"
	case "!!str":
		return strconv.Quote(n.Value)
	}
	return n.Value
}
