package gate

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestExpectation judges real JSON against each operator, passing and
// failing at its boundary.
func TestExpectation(t *testing.T) {
	t.Parallel()
	doc := `{"n": 10, "f": 0.5, "s": "idle", "z": null, "list": [1, 2, 3], "obj": {"a": 1},
		"dp": {"epsilon": 1.0}, "empty": []}`
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, exp, want string // want "" = passes, else a substring of the problem
	}{
		{"n", `10`, ""},
		{"n", `11`, "got 10, want 11"},
		{"s", `idle`, ""},
		{"list", `[1, 2, 3]`, ""},
		{"obj", `{eq: {a: 1}}`, ""},
		{"obj", `{eq: {a: 2}}`, `want {"a":2}`},
		{"n", `{le: 10}`, ""},
		{"n", `{lt: 10}`, "want lt 10"},
		{"n", `{ge: 10, le: 10}`, ""},
		{"n", `{gt: 10}`, "want gt 10"},
		{"f", `{gt: 0, lt: 1}`, ""},
		{"s", `{lt: 1}`, "(not a number)"},
		{"z", `{ge: 0}`, "(not a number)"},
		{"missing", `{le: 10}`, "absent, want le 10"},
		{"s", `{in: [idle, busy]}`, ""},
		{"s", `{in: [busy]}`, `want in ["busy"]`},
		{"n", `{in: [1, 10]}`, ""},
		{"s", `{regex: '^id'}`, ""},
		{"s", `{regex: '^busy$'}`, "want regex"},
		{"n", `{regex: '1'}`, "(not a string)"},
		{"dp.epsilon", `{exists: true}`, ""},
		{"z", `{exists: true}`, ""},
		{"dp.delta", `{exists: true}`, "absent, want exists"},
		{"dp.delta", `{absent: true}`, ""},
		{"dp.epsilon", `{absent: true}`, "want absent"},
		{"list", `{len: 3}`, ""},
		{"list", `{len: {ge: 1}}`, ""},
		{"empty", `{len: {ge: 1}}`, "length 0, want len ge 1"},
		{"s", `{len: 4}`, ""},
		{"obj", `{len: 1}`, ""},
		{"n", `{len: 1}`, "no length"},
		{"list.2", `3`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.exp, func(t *testing.T) {
			t.Parallel()
			var n yaml.Node
			if err := yaml.Unmarshal([]byte(tt.exp), &n); err != nil {
				t.Fatal(err)
			}
			e, err := decodeExpectation(n.Content[0], "json")
			if err != nil {
				t.Fatal(err)
			}
			got, ok := lookup(v, tt.path)
			p := e.check(got, ok)
			switch {
			case tt.want == "" && p != "":
				t.Errorf("problem %q, want a pass", p)
			case tt.want != "" && !strings.Contains(p, tt.want):
				t.Errorf("problem %q, want one containing %q", p, tt.want)
			}
		})
	}
}

// TestExpectationConfigErrors: each bad operator is refused when the
// configuration loads, at its line, naming the path.
func TestExpectationConfigErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ expect, want string }{
		{`{json: {n: {gte: 1}}}`, `gonogo.yml:5: json "n": unknown operator "gte"`},
		{`{json: {s: {regex: '(['}}}`, `gonogo.yml:5: json "s": regex: bad regular expression`},
		{`{json: {n: {lt: abc}}}`, `json "n": lt: want a number, got the string "abc"`},
		{`{json: {n: {lt: .inf}}}`, `gonogo.yml:5: json "n": lt: want a finite number, got .inf`},
		{`{json: {n: {lt: 0x10}}}`, `json "n": lt: want a number such as 0.5, got "0x10"`},
		{`{json: {n: {lt: 1, lt: 2}}}`, `gonogo.yml:5: json "n": lt is given twice; give each operator once`},
		{`{json: {n: {eq: 1, eq: 2}}}`, `gonogo.yml:5: json "n": eq is given twice`},
		{`{json: {n: {in: []}}}`, `json "n": in: want a non-empty list`},
		{`{json: {n: {exists: false}}}`, `exists: want true (the opposite is absent: true)`},
		{`{json: {n: {absent: true, eq: 1}}}`, `absent cannot be combined`},
		{`{json: {n: {len: {regex: x}}}}`, `a length takes a number`},
		{`{json: {n: {}}}`, `empty operator mapping`},
		{`{json: {obj: {a: 1}}}`, `unknown operator "a" (operators: eq, lt`},
		{`{headers: {X-P: {json: {dp.epsilon: {exist: true}}}}}`, `header "X-P" json "dp.epsilon": unknown operator "exist"`},
		{`{headers: {X-P: {ge: 1}}}`, `header "X-P": lt/le/gt/ge compare numbers`},
		{`{headers: {X-P: '/([/'}}`, `header "X-P": bad regular expression`},
		{`{headers: {X-P: {}}}`, `header "X-P": an empty mapping expects nothing`},
		{`{headers: {X-P: present, x-p: v2}}`, `headers: x-p is given twice`},
	}
	for _, tt := range tests {
		t.Run(tt.expect, func(t *testing.T) {
			t.Parallel()
			cfg := "version: 1\ngates:\n  - id: h\n    http:\n      - {request: {url: 'http://x/'}, expect: " + tt.expect + "}\n"
			_, err := ParseConfig("gonogo.yml", []byte(cfg))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestHeaderExpectations: operators on a header's text and inside a JSON
// header (the policy header's DP keys).
func TestHeaderExpectations(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	h.Set("X-Aetherra-Policy", `{"dp": {"epsilon": 1.5}, "mode": "strict"}`)
	h.Set("X-Version", "v1.2.3")
	tests := []struct{ rules, want string }{
		{`{X-Aetherra-Policy: {json: {dp.epsilon: {exists: true}}}}`, ""},
		{`{X-Aetherra-Policy: {json: {dp.epsilon: {le: 1}}}}`, `header X-Aetherra-Policy json dp.epsilon: got 1.5, want le 1`},
		{`{X-Aetherra-Policy: {json: {dp.delta: {exists: true}}}}`, `json dp.delta: absent, want exists`},
		{`{X-Version: {json: {a: 1}}}`, `header X-Version: not valid JSON`},
		{`{X-Version: {regex: '^v1\.', len: 6}}`, ""},
		{`{X-Version: {in: [v2]}}`, `want in ["v2"]`},
		{`{X-Debug: {absent: true}}`, ""},
		{`{X-Version: {absent: true}}`, `want absent`},
		{`{X-Missing: {json: {a: {exists: true}}}}`, `header X-Missing: absent`},
		{`{X-Version: v1.2.3}`, ""},
		{`{X-Version: '/^v2/'}`, `does not match`},
	}
	for _, tt := range tests {
		t.Run(tt.rules, func(t *testing.T) {
			t.Parallel()
			var rules headerExpect
			if err := yaml.Unmarshal([]byte(tt.rules), &rules); err != nil {
				t.Fatal(err)
			}
			p := strings.Join(checkHeaders(rules, h), "; ")
			switch {
			case tt.want == "" && p != "":
				t.Errorf("problem %q, want a pass", p)
			case tt.want != "" && !strings.Contains(p, tt.want):
				t.Errorf("problem %q, want one containing %q", p, tt.want)
			}
		})
	}
}
