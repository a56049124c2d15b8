package gate

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRunCapture: named values of stdout's JSON land in details, in the
// specification's shape; an absent value fails the gate, and a failing
// exit still captures what it can.
func TestRunCapture(t *testing.T) {
	t.Parallel()
	const smoke = `echo starting; echo '{"ok": true, "services": ["aetherra_engine"], "missing": [], "n": {"a": [1, 2]}}'`
	for _, tt := range []struct {
		name, gate, status, summary string
		want                        map[string]any
	}{
		{"seed shape", "run: " + quote(smoke) + "\n    capture: {services: $.services, missing: $.missing}", StatusPass, "exit 0",
			map[string]any{"services": []any{"aetherra_engine"}, "missing": []any{}}},
		{"nested and whole", "run: " + quote(smoke) + "\n    capture: {second: $.n.a.1, all: $}", StatusPass, "exit 0",
			map[string]any{"second": float64(2), "all": map[string]any{"ok": true, "services": []any{"aetherra_engine"}, "missing": []any{}, "n": map[string]any{"a": []any{float64(1), float64(2)}}}}},
		{"absent fails", "run: " + quote(smoke) + "\n    capture: {services: $.services, gone: $.gone}", StatusFail, "capture gone: $.gone is absent from stdout's JSON",
			map[string]any{"services": []any{"aetherra_engine"}}},
		{"not JSON fails", "run: echo hello\n    capture: {x: $.x}", StatusFail, "capture: stdout is not JSON",
			map[string]any{}},
		{"failing exit still captures", "run: " + quote(`echo '{"missing": ["plugin_manager"]}'; exit 1`) + "\n    capture: {missing: $.missing}", StatusFail, "exit 1",
			map[string]any{"missing": []any{"plugin_manager"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := runConfig(t, "version: 1\ngates:\n  - id: r\n    "+tt.gate+"\n", Options{}).Gate("r")
			if g.Status() != tt.status || !strings.HasPrefix(g.Summary, tt.summary) {
				t.Fatalf("status %s summary %q; want %s %q…", g.Status(), g.Summary, tt.status, tt.summary)
			}
			got := map[string]any{}
			for k := range tt.want {
				if v, ok := g.Details[k]; ok {
					got[k] = v
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("captured (-want +got):\n%s", diff)
			}
			if _, ok := g.Details["gone"]; ok {
				t.Error("an absent value was captured")
			}
		})
	}
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func TestRunCaptureRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ value, want string }{
		{"{}", "t.yml:5: capture must be a mapping"},
		{"[a]", "t.yml:5: capture must be a mapping"},
		{"{Services: $.s}", `t.yml:5: capture: name "Services" must match`},
		{"{exit_code: $.x}", `t.yml:5: capture: "exit_code" is a detail the gate writes itself`},
		{"{status: $.x}", `t.yml:5: capture: "status" is a detail the gate writes itself`},
		{"{s: services}", `t.yml:5: capture s: "services" is not a JSON path`},
		{"{s: $.}", `t.yml:5: capture s: "$." is not a JSON path`},
		{"{s: [1]}", "t.yml:5: capture s:"},
	} {
		_, err := ParseConfig("t.yml", []byte("version: 1\ngates:\n  - id: r\n    run: \"true\"\n    capture: "+tt.value+"\n"))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("capture: %s: error %v, want %q…", tt.value, err, tt.want)
		}
	}
	_, err := ParseConfig("t.yml", []byte("version: 1\ngates:\n  - id: r\n    http: [{request: {url: 'http://x'}}]\n    capture: {s: $.s}\n"))
	if err == nil || !strings.Contains(err.Error(), `key "capture" is not valid for a http gate`) {
		t.Errorf("capture on an http gate: %v", err)
	}
}
