package gate

import (
	"strings"
	"testing"
	"time"
)

func TestParseConfigErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown top key", "version: 1\ngatez: []\n", "g.yml:2: unknown key \"gatez\""},
		{"unknown gate key", "version: 1\ngates:\n  - id: a\n    run: true\n    timout: 5s\n", "g.yml:5: unknown key \"timout\""},
		{"unknown kind key", "version: 1\ngates:\n  - id: a\n    sse:\n      url: http://x\n      expect: {ordr: [a]}\n", "g.yml:6: unknown key \"ordr\""},
		{"unknown http key", "version: 1\ngates:\n  - id: a\n    http:\n      - request: {url: http://x}\n        expect: {stauts: [200]}\n", "g.yml:6: unknown key \"stauts\""},
		{"no kind", "version: 1\ngates:\n  - id: a\n", "g.yml:3: gate a declares no kind"},
		{"two kinds", "version: 1\ngates:\n  - id: a\n    run: true\n    quiet: {file: x}\n", "g.yml:5: gate a declares two kinds"},
		{"expect without run", "version: 1\ngates:\n  - id: a\n    quiet: {file: x}\n    expect: {}\n", "g.yml:5: key \"expect\" is not valid for a quiet gate"},
		{"bad id", "version: 1\ngates:\n  - id: A-b\n    run: true\n", "g.yml:3: gate id \"A-b\" must match"},
		{"dup id", "version: 1\ngates:\n  - id: a\n    run: true\n  - id: a\n    run: true\n", "g.yml:5: gate id \"a\" is declared twice"},
		{"unknown need", "version: 1\ngates:\n  - id: a\n    run: true\n    needs: [b]\n", "g.yml:3: gate a needs unknown gate \"b\""},
		{"cycle", "version: 1\ngates:\n  - id: a\n    run: true\n    needs: [b]\n  - id: b\n    run: true\n    needs: [a]\n", "needs form a cycle: a → b → a"},
		{"version", "version: 2\ngates:\n  - id: a\n    run: true\n", "g.yml:1: version must be 1"},
		{"bad timeout", "version: 1\ngates:\n  - id: a\n    run: true\n    timeout: soon\n", "g.yml:5: \"timeout\": want a duration such as 10s or 5m, got \"soon\""},
		{"bad type", "version: 1\ngates:\n  - id: a\n    run: true\n    mandatory: maybe\n", "g.yml:5: \"mandatory\": want true or false, got the string \"maybe\""},
		{"bad type in flow mapping", "version: 1\ngates:\n  - id: a\n    coverage: {profile: c.out, min: high}\n", "g.yml:4: \"min\": want a number, got the string \"high\""},
		{"bad type in list", "version: 1\ngates:\n  - id: a\n    http:\n      - request: {url: http://x}\n        expect:\n          status: abc\n", "g.yml:7: \"status\": cannot unmarshal"},
		{"bad version type", "version: one\ngates: []\n", "g.yml:1: \"version\": want a whole number, got the string \"one\""},
		{"bad service timeout", "version: 1\nservices:\n  - name: s\n    run: x\n    ready_timeout: zz\ngates:\n  - id: a\n    run: true\n", "g.yml:5: \"ready_timeout\": want a duration such as 10s or 5m, got \"zz\""},
		{"coverage format", "version: 1\ngates:\n  - id: a\n    coverage: {profile: c.out, min: 1, format: xml}\n", "g.yml:4: coverage: format \"xml\""},
		{"service name", "version: 1\nservices:\n  - name: Api\n    run: x\ngates:\n  - id: a\n    run: true\n", "g.yml:3: service name \"Api\""},
		{"yaml syntax", "version: 1\ngates: [\n", "g.yml:2:"},
		{"yaml syntax named", "version: 1\ngates:\n\t- id: a\n", "g.yml:3: not valid YAML: found character that cannot start any token"},
		{"second document", "version: 1\ngates:\n  - {id: a, run: true}\n---\ngates:\n  - {id: b, run: false}\n", "g.yml:4: a second YAML document: want one"},
		{"alias", "version: 1\nenv: &e {A: x}\ngates:\n  - id: a\n    run: true\n    env: *e\n", "g.yml:6: YAML aliases are not supported: write the value"},
		{"comments only", "# no gates yet\n", "g.yml: empty configuration"},
		{"empty", "", "empty configuration"},
		{"no gates", "version: 1\n", "no gates declared"},
		{"env name", "version: 1\nenv: {\"A B\": x}\ngates:\n  - id: a\n    run: true\n", "env name \"A B\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseConfig("g.yml", []byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseConfigDefaults(t *testing.T) {
	t.Parallel()
	cfg, err := ParseConfig("g.yml", []byte(`version: 1
profile: test
env: {A: "1"}
services:
  - name: api
    run: ./api
    ready: http://127.0.0.1:1/healthz
gates:
  - id: smoke
    run: echo hi
    expect: {stdout_contains: [hi], stdout_json: {"a.b": true}}
  - id: hmr
    title: HMR swap
    manual: true
    mandatory: false
    timeout: 90
    needs: [smoke]
`))
	if err != nil {
		t.Fatal(err)
	}
	s, h := cfg.Gate("smoke"), cfg.Gate("hmr")
	if s.Title != "smoke" || !s.Mandatory || s.Timeout != DefaultTimeout || s.Kind != "run" {
		t.Errorf("smoke defaults: %+v", s)
	}
	if h.Kind != "" || h.Check != nil || h.Mandatory || !h.Manual || h.Timeout != 90*time.Second {
		t.Errorf("hmr: %+v", h)
	}
	if cfg.Services[0].ReadyTimeout != DefaultReadyTimeout {
		t.Errorf("ready timeout %v", cfg.Services[0].ReadyTimeout)
	}
}
