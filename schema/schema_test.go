// Package schema_test checks that schema/gonogo.schema.json accepts the
// project's example configurations and rejects broken ones. It carries a
// small JSON Schema validator for the subset of keywords the schema uses
// (an unknown keyword fails the test, so the subset cannot drift).
package schema_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"gopkg.in/yaml.v3"

	"github.com/org/gonogo-action/internal/gate"
)

func loadSchema(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile("gonogo.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// yamlToJSON decodes YAML into the JSON data model the schema speaks of:
// objects with string keys, numbers as float64. A YAML .nan or .inf stays
// a float64, which hasType does not take for a JSON number (JSON has none).
func yamlToJSON(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return jsonModel(t, v)
}

func jsonModel(t *testing.T, v any) any {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = jsonModel(t, e)
		}
		return out
	case map[any]any:
		t.Fatalf("a mapping key that is not a string: %v", v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = jsonModel(t, e)
		}
		return out
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case uint64:
		return float64(v)
	}
	return v
}

// configs are the repository's example configurations: the demo, its
// post-release watch and every gonogo.yml in the CLI's scripts.
func configs(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, name := range []string{"gonogo.yml", "watch.yml"} {
		data, err := os.ReadFile("../examples/aetherra/" + name)
		if err != nil {
			t.Fatal(err)
		}
		out["examples/aetherra/"+name] = data
	}
	scripts, _ := filepath.Glob("../cmd/gate/testdata/script/*.txtar")
	for _, s := range scripts {
		a, err := txtar.ParseFile(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if f.Name == "gonogo.yml" {
				out[filepath.Base(s)+"/"+f.Name] = f.Data
			}
		}
	}
	if len(out) < 3 {
		t.Fatalf("found only %d configurations", len(out))
	}
	return out
}

func TestExamplesValidate(t *testing.T) {
	t.Parallel()
	schema := loadSchema(t)
	for name, data := range configs(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := gate.ParseConfig(name, data); err != nil {
				t.Fatalf("the gate rejects it: %v", err)
			}
			if errs := validate(schema, schema, yamlToJSON(t, data), "$"); len(errs) > 0 {
				t.Errorf("schema rejects it:\n%s", strings.Join(errs, "\n"))
			}
		})
	}
}

func TestSchemaRejects(t *testing.T) {
	t.Parallel()
	schema := loadSchema(t)
	for name, y := range map[string]string{
		"unknown top key":     "version: 1\ngatez: []\ngates: [{id: a, run: x}]",
		"unknown gate key":    "version: 1\ngates: [{id: a, run: x, timout: 5}]",
		"no kind":             "version: 1\ngates: [{id: a}]",
		"two kinds":           "version: 1\ngates: [{id: a, run: x, quiet: {file: f}}]",
		"bad id":              "version: 1\ngates: [{id: A, run: x}]",
		"version":             "version: 2\ngates: [{id: a, run: x}]",
		"sse unknown key":     "version: 1\ngates: [{id: a, sse: {url: 'http://x', expect: {ordr: []}}}]",
		"coverage format":     "version: 1\ngates: [{id: a, coverage: {profile: p, format: xml}}]",
		"missing reference":   "version: 1\ngates: [{id: a, parse-regression: {statuses: s, reference: {file: f}, missing_reference: maybe}}]",
		"ok_exit empty":       "version: 1\ngates: [{id: a, run: x, ok_exit: []}]",
		"ok_exit range":       "version: 1\ngates: [{id: a, run: x, ok_exit: [0, 256]}]",
		"tests no reports":    "version: 1\ngates: [{id: a, tests: {max_test_drop: 1}}]",
		"tests drop":          "version: 1\ngates: [{id: a, tests: {reports: [r.xml], max_test_drop: -1}}]",
		"unknown operator":    "version: 1\ngates: [{id: a, http: [{request: {url: 'http://x'}, expect: {json: {n: {gte: 1}}}}]}]",
		"lt not a number":     "version: 1\ngates: [{id: a, run: x, expect: {stdout_json: {n: {lt: abc}}}}]",
		"header ge":           "version: 1\ngates: [{id: a, sse: {url: 'http://x', expect: {headers: {X-P: {ge: 1}}}}}]",
		"metrics two sources": "version: 1\ngates: [{id: a, metrics: {url: 'http://x', file: f, expect: [{name: m, value: 1}]}}]",
		"metrics no value":    "version: 1\ngates: [{id: a, metrics: {url: 'http://x', expect: [{name: m}]}}]",
		"kind and checks":     "version: 1\ngates: [{id: a, run: x, checks: [{run: y}]}]",
		"checks empty":        "version: 1\ngates: [{id: a, checks: []}]",
		"check no kind":       "version: 1\ngates: [{id: a, checks: [{title: t}]}]",
		"check two kinds":     "version: 1\ngates: [{id: a, checks: [{run: x, quiet: {file: f}}]}]",
		"check unknown key":   "version: 1\ngates: [{id: a, checks: [{run: x, timeout: 3s}]}]",
		"capture path":        "version: 1\ngates: [{id: a, run: x, capture: {s: services}}]",
		"capture reserved":    "version: 1\ngates: [{id: a, run: x, capture: {exit_code: $.x}}]",
		"capture empty":       "version: 1\ngates: [{id: a, run: x, capture: {}}]",
		"risk no priority":    "version: 1\ngates: [{id: a, run: x}]\nrisks: [{area: A, impact: I, mitigation: M}]",
		"risk unknown key":    "version: 1\ngates: [{id: a, run: x}]\nrisks: [{area: A, impact: I, mitigation: M, priority: P, owner: o}]",
	} {
		if errs := validate(schema, schema, yamlToJSON(t, []byte(y)), "$"); len(errs) == 0 {
			t.Errorf("%s: schema accepts it", name)
		}
	}
	// The gate limit of internal/gate: at the limit accepted, past it refused.
	for n, ok := range map[int]bool{gate.MaxGates: true, gate.MaxGates + 1: false} {
		gates := make([]any, n)
		for i := range gates {
			gates[i] = map[string]any{"id": fmt.Sprintf("g%d", i), "manual": true}
		}
		errs := validate(schema, schema, map[string]any{"version": 1.0, "gates": gates}, "$")
		if ok != (len(errs) == 0) {
			t.Errorf("%d gates: accepted = %v, want %v (%v)", n, len(errs) == 0, ok, errs)
		}
	}
	// A manual gate needs no kind; the forms of tests, ok_exit and checks.
	for _, y := range []string{
		"version: 1\ngates: [{id: a, manual: true}]",
		"version: 1\ngates: [{id: a, run: x, ok_exit: [0, 2]}]",
		"version: 1\ngates: [{id: a, tests: reports/*.xml}]",
		"version: 1\ngates: [{id: a, title: T, checks: [{title: s, run: x, ok_exit: [0, 2]}, {http: [{request: {url: 'http://x'}}]}]}]",
		"version: 1\ngates: [{id: a, manual: true, checks: [{run: x}]}]",
		"version: 1\ngates: [{id: a, run: x, capture: {services: $.services, all: $}}]",
		"version: 1\ngates: [{id: a, run: x}]\nrisks: [{area: A, impact: I, mitigation: M, priority: Med-High, mitigated_by: [a]}]",
		"version: 1\ngates: [{id: a, tests: {reports: [r.xml], reference: {artifact: gate-results}, gate: b, max_test_drop: 2, missing_reference: fail}}]",
	} {
		if errs := validate(schema, schema, yamlToJSON(t, []byte(y)), "$"); len(errs) > 0 {
			t.Errorf("%s rejected: %v", y, errs)
		}
		if _, err := gate.ParseConfig("t.yml", []byte(y)); err != nil {
			t.Errorf("%s: the gate command refuses it: %v", y, err)
		}
	}
}

// TestSchemaKnowsEveryKind keeps the schema in step with the list of kinds.
func TestSchemaKnowsEveryKind(t *testing.T) {
	t.Parallel()
	defs := loadSchema(t)["$defs"].(map[string]any)
	for _, k := range gate.KindKeys() {
		if defs[k] == nil {
			t.Errorf("kind %s has no $defs entry in the schema", k)
		}
	}
}

var annotations = []string{"$schema", "$id", "title", "description", "$defs"}

// validate returns the violations of v against s (root for $ref).
func validate(root, s map[string]any, v any, at string) []string {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kw := s[k]
		switch k {
		case "$ref":
			name := strings.TrimPrefix(kw.(string), "#/$defs/")
			errs = append(errs, validate(root, root["$defs"].(map[string]any)[name].(map[string]any), v, at)...)
		case "type":
			types, ok := kw.([]any)
			if !ok {
				types = []any{kw}
			}
			if !slices.ContainsFunc(types, func(t any) bool { return hasType(v, t.(string)) }) {
				fail("want type %v, got %T", kw, v)
			}
		case "const":
			if !reflect.DeepEqual(v, kw) {
				fail("want %v", kw)
			}
		case "enum":
			if !slices.ContainsFunc(kw.([]any), func(e any) bool { return reflect.DeepEqual(e, v) }) {
				fail("%v not in %v", v, kw)
			}
		case "pattern":
			if str, ok := v.(string); ok && !regexp.MustCompile(kw.(string)).MatchString(str) {
				fail("%q does not match %s", str, kw)
			}
		case "minLength":
			if str, ok := v.(string); ok && len([]rune(str)) < int(kw.(float64)) {
				fail("shorter than %v", kw)
			}
		case "minimum":
			if n, ok := v.(float64); ok && n < kw.(float64) {
				fail("%v < %v", n, kw)
			}
		case "exclusiveMinimum":
			if n, ok := v.(float64); ok && n <= kw.(float64) {
				fail("%v <= %v", n, kw)
			}
		case "maximum":
			if n, ok := v.(float64); ok && n > kw.(float64) {
				fail("%v > %v", n, kw)
			}
		case "exclusiveMaximum":
			if n, ok := v.(float64); ok && n >= kw.(float64) {
				fail("%v >= %v", n, kw)
			}
		case "minItems":
			if a, ok := v.([]any); ok && len(a) < int(kw.(float64)) {
				fail("fewer than %v items", kw)
			}
		case "minProperties":
			if o, ok := v.(map[string]any); ok && len(o) < int(kw.(float64)) {
				fail("fewer than %v properties", kw)
			}
		case "maxItems":
			if a, ok := v.([]any); ok && len(a) > int(kw.(float64)) {
				fail("more than %v items", kw)
			}
		case "items":
			if a, ok := v.([]any); ok {
				for i, e := range a {
					errs = append(errs, validate(root, kw.(map[string]any), e, fmt.Sprintf("%s[%d]", at, i))...)
				}
			}
		case "dependentRequired":
			if o, ok := v.(map[string]any); ok {
				for key, needs := range kw.(map[string]any) {
					if _, ok := o[key]; !ok {
						continue
					}
					for _, r := range needs.([]any) {
						if _, ok := o[r.(string)]; !ok {
							fail("%s without %s", key, r)
						}
					}
				}
			}
		case "required":
			if o, ok := v.(map[string]any); ok {
				for _, r := range kw.([]any) {
					if _, ok := o[r.(string)]; !ok {
						fail("missing %s", r)
					}
				}
			}
		case "properties", "additionalProperties", "propertyNames":
			if o, ok := v.(map[string]any); ok && k == "properties" {
				errs = append(errs, validateObject(root, s, o, at)...)
			}
		case "oneOf", "anyOf":
			n := 0
			for _, sub := range kw.([]any) {
				if len(validate(root, sub.(map[string]any), v, at)) == 0 {
					n++
				}
			}
			if (k == "oneOf" && n != 1) || (k == "anyOf" && n == 0) {
				fail("%s: %d alternatives match", k, n)
			}
		case "not":
			if len(validate(root, kw.(map[string]any), v, at)) == 0 {
				fail("matches a forbidden schema")
			}
		default:
			if !slices.Contains(annotations, k) {
				panic("validator does not support keyword " + k)
			}
		}
	}
	// Objects without "properties" (maps) still get additionalProperties
	// and propertyNames.
	if o, ok := v.(map[string]any); ok && s["properties"] == nil && (s["additionalProperties"] != nil || s["propertyNames"] != nil) {
		errs = append(errs, validateObject(root, s, o, at)...)
	}
	return errs
}

func validateObject(root, s map[string]any, o map[string]any, at string) []string {
	var errs []string
	props, _ := s["properties"].(map[string]any)
	for name, val := range o {
		if pn, ok := s["propertyNames"].(map[string]any); ok {
			errs = append(errs, validate(root, pn, name, at+"{"+name+"}")...)
		}
		if ps, ok := props[name]; ok {
			errs = append(errs, validate(root, ps.(map[string]any), val, at+"."+name)...)
			continue
		}
		switch ap := s["additionalProperties"].(type) {
		case bool:
			if !ap {
				errs = append(errs, fmt.Sprintf("%s: unknown key %q", at, name))
			}
		case map[string]any:
			errs = append(errs, validate(root, ap, val, at+"."+name)...)
		}
	}
	return errs
}

func hasType(v any, t string) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		n, ok := v.(float64)
		return ok && !math.IsNaN(n) && !math.IsInf(n, 0)
	case "integer":
		n, ok := v.(float64)
		return ok && n == math.Trunc(n) && !math.IsInf(n, 0)
	case "null":
		return v == nil
	}
	panic("unknown type " + t)
}

// TestCorpusAgrees feeds testdata/corpus.txtar to the schema and to the
// validator of gate --validate (gate.ParseConfig): both must accept every
// file under valid/ and refuse every file under invalid/. The schema sees
// the YAML's data, not its spelling: a plain True is the boolean true to
// it, while the gate asks for true; such a file cannot be in the corpus.
func TestCorpusAgrees(t *testing.T) {
	t.Parallel()
	schema := loadSchema(t)
	a, err := txtar.ParseFile("testdata/corpus.txtar")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[bool]int{}
	for _, f := range a.Files {
		valid := strings.HasPrefix(f.Name, "valid/")
		if !valid && !strings.HasPrefix(f.Name, "invalid/") {
			t.Fatalf("%s: put it under valid/ or invalid/", f.Name)
		}
		seen[valid]++
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			_, gateErr := gate.ParseConfig(f.Name, f.Data)
			schemaErrs := validate(schema, schema, yamlToJSON(t, f.Data), "$")
			if (gateErr == nil) != valid {
				t.Errorf("gate --validate: accepted = %v, want %v (error: %v)", gateErr == nil, valid, gateErr)
			}
			if (len(schemaErrs) == 0) != valid {
				t.Errorf("schema: accepted = %v, want %v (%s)", len(schemaErrs) == 0, valid, strings.Join(schemaErrs, "; "))
			}
		})
	}
	if seen[true] == 0 || seen[false] == 0 {
		t.Fatalf("the corpus needs valid and invalid files: %v", seen)
	}
}
