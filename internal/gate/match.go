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

	"gopkg.in/yaml.v3"
)

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

// jsonExpect is {"dotted.path": value}; the whole value must be equal.
type jsonExpect map[string]any

// check returns a problem per mismatching path, sorted by path.
func (e jsonExpect) check(doc any) []string {
	var problems []string
	for _, path := range sortedKeys(e) {
		want := normalizeJSON(e[path])
		got, ok := lookup(doc, path)
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("json %s: absent, want %s", path, compactJSON(want)))
		case !reflect.DeepEqual(got, want):
			problems = append(problems, fmt.Sprintf("json %s: got %s, want %s", path, compactJSON(got), compactJSON(want)))
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

// headerRule is one header expectation: "present", "json", "/regex/", or
// an exact value.
type headerRule struct {
	Name  string
	Raw   string
	re    *regexp.Regexp
	exact bool
}

// headerRules decodes {Name: json|present|/regex/|exact}.
func decodeHeaderRules(d *Decoder, node *yaml.Node, raw map[string]string) ([]headerRule, error) {
	var rules []headerRule
	for _, name := range sortedKeys(raw) {
		r := headerRule{Name: http.CanonicalHeaderKey(name), Raw: raw[name]}
		switch {
		case r.Raw == "json" || r.Raw == "present":
		case len(r.Raw) >= 2 && strings.HasPrefix(r.Raw, "/") && strings.HasSuffix(r.Raw, "/"):
			re, err := regexp.Compile(r.Raw[1 : len(r.Raw)-1])
			if err != nil {
				return nil, d.Errorf(node, "header %s: bad regular expression: %v", name, err)
			}
			r.re = re
		default:
			r.exact = true
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func checkHeaders(rules []headerRule, h http.Header) []string {
	var problems []string
	for _, r := range rules {
		vals, ok := h[r.Name]
		v := strings.Join(vals, ", ")
		switch {
		case !ok:
			problems = append(problems, "header "+r.Name+": absent")
		case r.Raw == "json" && !json.Valid([]byte(v)):
			problems = append(problems, "header "+r.Name+": not valid JSON: "+truncate(v, 80))
		case r.re != nil && !r.re.MatchString(v):
			problems = append(problems, fmt.Sprintf("header %s: %q does not match %s", r.Name, truncate(v, 80), r.Raw))
		case r.exact && v != r.Raw:
			problems = append(problems, fmt.Sprintf("header %s: got %q, want %q", r.Name, truncate(v, 80), r.Raw))
		}
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
