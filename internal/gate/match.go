package gate

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/yamlstrict"
)

// This file is the one matcher of the gate kinds: JSON bodies (http), a
// run's stdout, headers (http, sse), SSE event data, audit records and
// metric samples are all judged by an expectation.
//
// An expectation written as a plain value (a scalar or a list) means
// equality, as it always has. Written as a mapping, it is a set of
// operators that must all hold: {ge: 1, le: 10}. A mapping is never read as
// an object to compare: an unknown key is a configuration error (a typo
// such as gte must not turn into a silent equality), and an object is
// compared with {eq: {...}}.

// operators lists the operator keys, in the order messages show them.
var operators = []string{"eq", "lt", "le", "gt", "ge", "in", "regex", "exists", "absent", "len"}

// expectation is one value's expectation. The zero value holds nothing;
// decodeExpectation fills it.
type expectation struct {
	eq     any
	hasEq  bool
	cmps   []numCmp
	in     []any
	re     *regexp.Regexp
	exists bool
	absent bool
	length *expectation
}

type numCmp struct {
	op string
	n  float64
}

// decodeExpectation reads a plain value (equality) or an operator mapping.
// key names the expectation in errors ("json \"dp.epsilon\"").
func decodeExpectation(node *yaml.Node, key string) (*expectation, error) {
	if node.Kind == yaml.AliasNode {
		return nil, nodeError(node, "%s: %s", key, yamlstrict.AliasMsg)
	}
	if node.Kind != yaml.MappingNode {
		var v any
		if err := node.Decode(&v); err != nil {
			return nil, nodeError(node, "%s: %v", key, err)
		}
		return &expectation{eq: normalizeJSON(v), hasEq: true}, nil
	}
	if len(node.Content) == 0 {
		return nil, nodeError(node, "%s: empty operator mapping (operators: %s; compare an object with {eq: {...}})", key, strings.Join(operators, ", "))
	}
	e := &expectation{}
	seen := map[string]bool{}
	for i := 0; i+1 < len(node.Content); i += 2 {
		k, v := node.Content[i], node.Content[i+1]
		opKey := fmt.Sprintf("%s: %s", key, k.Value)
		// yaml.v3 leaves repeated keys to a custom unmarshaler: {le: 1,
		// le: 10} would hold both, {eq: 1, eq: 2} the last.
		if seen[k.Value] {
			return nil, nodeError(k, "%s: %s is given twice; give each operator once", key, k.Value)
		}
		seen[k.Value] = true
		switch k.Value {
		case "eq":
			var x any
			if err := v.Decode(&x); err != nil {
				return nil, nodeError(v, "%s: %v", opKey, err)
			}
			e.eq, e.hasEq = normalizeJSON(x), true
		case "lt", "le", "gt", "ge":
			n, err := yamlNumber(v)
			if err != nil {
				return nil, nodeError(v, "%s: %v", opKey, err)
			}
			e.cmps = append(e.cmps, numCmp{op: k.Value, n: n})
		case "in":
			var xs []any
			if v.Kind != yaml.SequenceNode || v.Decode(&xs) != nil || len(xs) == 0 {
				return nil, nodeError(v, "%s: want a non-empty list of values", opKey)
			}
			e.in = normalizeJSON(xs).([]any)
		case "regex":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
				return nil, nodeError(v, "%s: want a regular expression (a string)", opKey)
			}
			re, err := regexp.Compile(v.Value)
			if err != nil {
				return nil, nodeError(v, "%s: bad regular expression: %v", opKey, err)
			}
			e.re = re
		case "exists", "absent":
			var b bool
			if err := v.Decode(&b); err != nil || !b {
				other := map[string]string{"exists": "absent", "absent": "exists"}[k.Value]
				return nil, nodeError(v, "%s: want true (the opposite is %s: true)", opKey, other)
			}
			if k.Value == "exists" {
				e.exists = true
			} else {
				e.absent = true
			}
		case "len":
			sub, err := decodeExpectation(v, opKey)
			if err != nil {
				return nil, err
			}
			if err := sub.numericOnly(); err != nil {
				return nil, nodeError(v, "%s: %v", opKey, err)
			}
			e.length = sub
		default:
			return nil, nodeError(k, "%s: unknown operator %q (operators: %s; compare an object with {eq: {...}})", key, k.Value, strings.Join(operators, ", "))
		}
	}
	if e.absent && (e.hasEq || len(e.cmps) > 0 || e.in != nil || e.re != nil || e.exists || e.length != nil) {
		return nil, nodeError(node, "%s: absent cannot be combined with other operators", key)
	}
	return e, nil
}

// numericOnly refuses what a length can never satisfy (len: {regex: x}).
func (e *expectation) numericOnly() error {
	if e.re != nil || e.exists || e.absent || e.length != nil {
		return fmt.Errorf("a length takes a number or lt/le/gt/ge/eq/in")
	}
	return nil
}

// nodeError is a ConfigError at node's line; Decoder.Decode fills in the
// file.
func nodeError(node *yaml.Node, format string, args ...any) error {
	return &ConfigError{Line: node.Line, Msg: fmt.Sprintf(format, args...)}
}

// check judges got (present says whether the path exists) and returns ""
// or a problem such as "got 12, want le 10".
func (e *expectation) check(got any, present bool) string {
	if !present {
		if e.absent {
			return ""
		}
		return "absent, want " + e.String()
	}
	if e.absent {
		return fmt.Sprintf("got %s, want absent", compactJSON(got))
	}
	fail := func(why string) string {
		return fmt.Sprintf("got %s, want %s%s", compactJSON(got), e.String(), why)
	}
	if e.hasEq && !reflect.DeepEqual(got, e.eq) {
		return fail("")
	}
	if len(e.cmps) > 0 {
		f, ok := got.(float64)
		if !ok {
			return fail(" (not a number)")
		}
		for _, c := range e.cmps {
			if !c.holds(f) {
				return fail("")
			}
		}
	}
	if e.in != nil && !slices.ContainsFunc(e.in, func(w any) bool { return reflect.DeepEqual(got, w) }) {
		return fail("")
	}
	if e.re != nil {
		s, ok := got.(string)
		if !ok {
			return fail(" (not a string)")
		}
		if !e.re.MatchString(s) {
			return fail("")
		}
	}
	if e.length != nil {
		var n int
		switch v := got.(type) {
		case string:
			n = utf8.RuneCountInString(v)
		case []any:
			n = len(v)
		case map[string]any:
			n = len(v)
		default:
			return fail(" (no length: not a string, list or object)")
		}
		if p := e.length.check(float64(n), true); p != "" {
			return fmt.Sprintf("length %d, want len %s", n, e.length.String())
		}
	}
	return ""
}

func (c numCmp) holds(f float64) bool {
	switch c.op {
	case "lt":
		return f < c.n
	case "le":
		return f <= c.n
	case "gt":
		return f > c.n
	default:
		return f >= c.n
	}
}

// String writes the expectation back for messages: "ge 1 le 10".
func (e *expectation) String() string {
	var parts []string
	if e.hasEq {
		parts = append(parts, compactJSON(e.eq))
	}
	for _, c := range e.cmps {
		parts = append(parts, c.op+" "+strconv.FormatFloat(c.n, 'g', -1, 64))
	}
	if e.in != nil {
		parts = append(parts, "in "+compactJSON(e.in))
	}
	if e.re != nil {
		parts = append(parts, "regex "+strconv.Quote(e.re.String()))
	}
	if e.exists {
		parts = append(parts, "exists")
	}
	if e.absent {
		parts = append(parts, "absent")
	}
	if e.length != nil {
		parts = append(parts, "len "+e.length.String())
	}
	return strings.Join(parts, " ")
}

// lookup follows a dotted path ("services.engine", "items.0.id") through
// decoded JSON.
func lookup(doc any, path string) (any, bool) {
	cur := doc
	for _, part := range strings.Split(path, ".") {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[part]
			if !ok {
				return nil, false
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(v) {
				return nil, false
			}
			cur = v[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// normalizeJSON turns a YAML-decoded value into what encoding/json would
// produce, so expected and actual values compare with reflect.DeepEqual.
func normalizeJSON(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	_ = json.Unmarshal(data, &out)
	return out
}

// jsonExpect is {"dotted.path": expectation}; every path must meet its
// expectation.
type jsonExpect map[string]*expectation

// UnmarshalYAML decodes {path: value-or-operators}, refusing unknown
// operators and bad regular expressions with the line and the path.
func (e *jsonExpect) UnmarshalYAML(node *yaml.Node) error { return e.decode(node, "json") }

func (e *jsonExpect) decode(node *yaml.Node, key string) error {
	if node.Kind != yaml.MappingNode {
		return nodeError(node, "%s: want a mapping of dotted paths to expectations", key)
	}
	out := jsonExpect{}
	for i := 0; i+1 < len(node.Content); i += 2 {
		k, v := node.Content[i], node.Content[i+1]
		if k.Value == "" {
			return nodeError(k, "%s: empty path", key)
		}
		if _, dup := out[k.Value]; dup {
			return nodeError(k, "%s: path %q given twice", key, k.Value)
		}
		x, err := decodeExpectation(v, fmt.Sprintf("%s %q", key, k.Value))
		if err != nil {
			return err
		}
		out[k.Value] = x
	}
	*e = out
	return nil
}

// check returns a problem per path that misses its expectation, sorted by
// path.
func (e jsonExpect) check(doc any) []string {
	var problems []string
	for _, path := range sortedKeys(e) {
		got, ok := lookup(doc, path)
		if p := e[path].check(got, ok); p != "" {
			problems = append(problems, fmt.Sprintf("json %s: %s", path, p))
		}
	}
	return problems
}

func compactJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return truncate(string(data), 120)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// headerRule is one header expectation. As a string: "present", "json"
// (valid JSON), "/regex/", or an exact value. As a mapping: operators on
// the header's text ({regex: ..., absent: true}) and/or {json: {path:
// expectation}} matched inside a header whose value is JSON.
type headerRule struct {
	key   string // "header \"X-Name\"", for errors
	Raw   string
	re    *regexp.Regexp
	exact bool
	// text holds operators on the header's value as a string.
	text *expectation
	// inner holds expectations inside a JSON header value.
	inner jsonExpect
}

// decode reads one header's expectation.
func (r *headerRule) decode(node *yaml.Node) error {
	if node.Kind == yaml.MappingNode {
		if len(node.Content) == 0 {
			// {} would only ask that the header be there: say present.
			return nodeError(node, "%s: an empty mapping expects nothing; write present, a value, or operators", r.key)
		}
		rest := &yaml.Node{Kind: yaml.MappingNode, Line: node.Line, Column: node.Column}
		for i := 0; i+1 < len(node.Content); i += 2 {
			k, v := node.Content[i], node.Content[i+1]
			if k.Value == "json" {
				if err := r.inner.decode(v, r.key+" json"); err != nil {
					return err
				}
				continue
			}
			rest.Content = append(rest.Content, k, v)
		}
		if len(rest.Content) > 0 {
			x, err := decodeExpectation(rest, r.key)
			if err != nil {
				return err
			}
			if len(x.cmps) > 0 {
				// A header is text; numbers live inside a JSON value.
				return nodeError(node, "%s: lt/le/gt/ge compare numbers; a header is text (match inside a JSON header with json:)", r.key)
			}
			r.text = x
		}
		if r.text != nil && r.text.absent && r.inner != nil {
			return nodeError(node, "%s: absent cannot be combined with json", r.key)
		}
		return nil
	}
	if node.Kind != yaml.ScalarNode {
		return nodeError(node, "%s: want a string or an operator mapping", r.key)
	}
	r.Raw = node.Value
	switch {
	case r.Raw == "json" || r.Raw == "present":
	case len(r.Raw) >= 2 && strings.HasPrefix(r.Raw, "/") && strings.HasSuffix(r.Raw, "/"):
		re, err := regexp.Compile(r.Raw[1 : len(r.Raw)-1])
		if err != nil {
			return nodeError(node, "%s: bad regular expression: %v", r.key, err)
		}
		r.re = re
	default:
		r.exact = true
	}
	return nil
}

// headerExpect is {Name: rule}.
type headerExpect map[string]headerRule

// UnmarshalYAML decodes {Name: rule}, naming the header in errors.
func (h *headerExpect) UnmarshalYAML(node *yaml.Node) error {
	if node.Kind != yaml.MappingNode {
		return nodeError(node, "headers: want a mapping of header names to expectations")
	}
	out := headerExpect{}
	seen := map[string]bool{}
	for i := 0; i+1 < len(node.Content); i += 2 {
		k, v := node.Content[i], node.Content[i+1]
		// yaml.v3 leaves repeated keys to a custom unmarshaler; header
		// names are case-insensitive too.
		name := http.CanonicalHeaderKey(k.Value)
		if seen[name] {
			return nodeError(k, "headers: %s is given twice; give each header once", k.Value)
		}
		seen[name] = true
		r := headerRule{key: fmt.Sprintf("header %q", k.Value)}
		if err := r.decode(v); err != nil {
			return err
		}
		out[k.Value] = r
	}
	*h = out
	return nil
}

func checkHeaders(rules headerExpect, h http.Header) []string {
	var problems []string
	for _, name := range sortedKeys(rules) {
		r := rules[name]
		key := http.CanonicalHeaderKey(name)
		vals, ok := h[key]
		v := strings.Join(vals, ", ")
		if r.text != nil || r.inner != nil {
			problems = append(problems, r.checkMapping(key, v, ok)...)
			continue
		}
		switch {
		case !ok:
			problems = append(problems, "header "+key+": absent")
		case r.Raw == "json" && !json.Valid([]byte(v)):
			problems = append(problems, "header "+key+": not valid JSON: "+truncate(v, 80))
		case r.re != nil && !r.re.MatchString(v):
			problems = append(problems, fmt.Sprintf("header %s: %q does not match %s", key, truncate(v, 80), r.Raw))
		case r.exact && v != r.Raw:
			problems = append(problems, fmt.Sprintf("header %s: got %q, want %q", key, truncate(v, 80), r.Raw))
		}
	}
	return problems
}

func (r headerRule) checkMapping(key, v string, present bool) []string {
	var problems []string
	if r.text != nil {
		if p := r.text.check(v, present); p != "" {
			return []string{"header " + key + ": " + p}
		}
	}
	if r.inner == nil {
		return nil
	}
	if !present {
		return []string{"header " + key + ": absent"}
	}
	var doc any
	if err := json.Unmarshal([]byte(v), &doc); err != nil {
		return []string{"header " + key + ": not valid JSON: " + truncate(v, 80)}
	}
	for _, p := range r.inner.check(doc) {
		problems = append(problems, "header "+key+" "+p)
	}
	return problems
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
