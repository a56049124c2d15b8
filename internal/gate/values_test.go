package gate

import (
	"strings"
	"testing"
)

// TestRefusedValues holds the mistakes users make in gonogo.yml: each is
// refused with the file, the line and the key, never read as something
// else (docs/gate.md, "Values").
func TestRefusedValues(t *testing.T) {
	t.Parallel()
	const pr = "version: 1\ngates:\n  - id: a\n    parse-regression:\n      statuses: s.jsonl\n      reference: {file: r.json}\n"
	const cov = "version: 1\ngates:\n  - id: a\n    coverage:\n      profile: c.out\n"
	const run = "version: 1\ngates:\n  - id: a\n    run: true\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"rel_threshold as a percentage", pr + "      rel_threshold: 10\n", `g.yml:7: "rel_threshold": want a fraction between 0 and 1, got 10: write 0.10 for 10 %`},
		{"rel_threshold NaN", pr + "      rel_threshold: .nan\n", `g.yml:7: "rel_threshold": want a finite number, got .nan`},
		{"rel_threshold Inf", pr + "      rel_threshold: .inf\n", `g.yml:7: "rel_threshold": want a finite number, got .inf`},
		{"rel_threshold negative", pr + "      rel_threshold: -0.1\n", `g.yml:7: "rel_threshold": want a fraction between 0 and 1`},
		{"abs_threshold fraction", pr + "      abs_threshold: 2.5\n", `g.yml:7: "abs_threshold": want a whole number, got 2.5`},
		{"abs_threshold negative", pr + "      abs_threshold: -1\n", `g.yml:7: "abs_threshold": want a number of files, 0 or more, got -1`},
		{"abs_threshold string", pr + "      abs_threshold: \"5\"\n", `g.yml:7: "abs_threshold": want a whole number, got the string "5"`},
		{"include_suppressed yes", pr + "      include_suppressed: yes\n", `g.yml:7: "include_suppressed": want true or false, got the string "yes"`},
		{"mandatory quoted no", run + "    mandatory: \"no\"\n", `g.yml:5: "mandatory": want true or false, got the string "no"`},
		{"mandatory no", run + "    mandatory: no\n", `g.yml:5: "mandatory": want true or false, got the string "no"`},
		{"manual quoted true", run + "    manual: \"true\"\n", `g.yml:5: "manual": want true or false, got the string "true"`},
		{"manual on", run + "    manual: on\n", `g.yml:5: "manual": want true or false, got the string "on"`},
		{"manual True", run + "    manual: True\n", `g.yml:5: "manual": want true or false, got "True"`},
		{"mandatory empty", run + "    mandatory:\n", `g.yml:5: "mandatory": want true or false, got nothing`},
		{"timeout zero", run + "    timeout: 0\n", `g.yml:5: "timeout": want a duration more than 0 such as 10s, got 0s`},
		{"timeout 0s", run + "    timeout: 0s\n", `g.yml:5: "timeout": want a duration more than 0`},
		{"timeout negative", run + "    timeout: -5\n", `g.yml:5: "timeout": want a duration more than 0`},
		{"timeout NaN", run + "    timeout: .nan\n", `g.yml:5: "timeout": want a duration such as 30s or a number of seconds, got .nan`},
		{"timeout huge", run + "    timeout: 1e300\n", `g.yml:5: "timeout": want a duration, got 1e300 seconds (out of range)`},
		{"ready_timeout zero", "version: 1\nservices:\n  - name: s\n    run: x\n    ready_timeout: 0s\n" + run[11:], `g.yml:5: "ready_timeout": want a duration more than 0`},
		{"sse timeout", "version: 1\ngates:\n  - id: a\n    sse: {url: 'http://x', timeout: 0}\n", `g.yml:4: "timeout": want a duration more than 0`},
		{"sse monotonic_ids", "version: 1\ngates:\n  - id: a\n    sse:\n      url: http://x\n      expect: {monotonic_ids: yes}\n", `g.yml:6: "monotonic_ids": want true or false`},
		{"sse within", "version: 1\ngates:\n  - id: a\n    sse:\n      url: http://x\n      expect:\n        within: {policy: 0}\n", `g.yml:7: "within.policy": want 1 or more, got 0`},
		{"sse min_events", "version: 1\ngates:\n  - id: a\n    sse:\n      url: http://x\n      expect:\n        min_events: -1\n", `g.yml:7: "min_events": want 0 or more, got -1`},
		{"quiet max", "version: 1\ngates:\n  - id: a\n    quiet: {file: f, max: 1.5}\n", `g.yml:4: "max": want a whole number, got 1.5`},
		{"quiet since", "version: 1\ngates:\n  - id: a\n    quiet:\n      file: f\n      since: 0s\n", `g.yml:6: "since": want a duration more than 0`},
		{"quiet since word", "version: 1\ngates:\n  - id: a\n    quiet:\n      file: f\n      since: yesterday\n", `g.yml:6: "since": want run or a duration such as 24h, got "yesterday"`},
		{"http status", "version: 1\ngates:\n  - id: a\n    http:\n      - request: {url: 'http://x'}\n        expect: {status: [20]}\n", `g.yml:6: "status": want an HTTP status between 100 and 599, got 20`},
		{"signatures strict", "version: 1\ngates:\n  - id: a\n    signatures: {include: [x], keys: [k], strict: \"true\"}\n", `g.yml:4: "strict": want true or false, got the string "true"`},
		{"coverage min", cov + "      min: 101\n", `g.yml:6: "min": want a percentage between 0 and 100, got 101`},
		{"coverage min NaN", cov + "      min: .nan\n", `g.yml:6: "min": want a finite number, got .nan`},
		{"coverage max_drop", cov + "      min: 1\n      max_drop: -1\n", `g.yml:7: "max_drop": want percentage points between 0 and 100, got -1`},
		{"coverage baseline over 100", cov + "      baseline: 179\n", `g.yml:6: "baseline": want a percentage between 0 and 100, got 179`},
		{"coverage baseline quoted", cov + "      baseline: \"79.0\"\n", `g.yml:6: "baseline": want a percentage such as 79.5, {percent: 79.5}, or a file, got the string "79.0": write it without quotes or %`},
		{"coverage baseline percent key", cov + "      baseline: {pct: 79}\n", `g.yml:6: "baseline": want a percentage such as 79.5, {percent: 79.5}, or a file; a mapping holds percent only`},
		{"coverage baseline percent NaN", cov + "      baseline: {percent: .nan}\n", `g.yml:6: "baseline": want a finite number, got .nan`},
		{"coverage baseline list", cov + "      baseline: [79]\n", `g.yml:6: "baseline": want a percentage such as 79.5`},
		{"checker syntax", "version: 1\ngates:\n  - id: a\n    parse-regression:\n      checker: \"lint {file} {files}\"\n      reference: {file: r.json}\n", `g.yml:5: "checker": checker command: use {file} or {files} once`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseConfig("g.yml", []byte(tt.yaml))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error = %v\nwant it to start %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

// TestAcceptedValues: the forms the documentation shows are accepted, with
// their meaning.
func TestAcceptedValues(t *testing.T) {
	t.Parallel()
	cfg, err := ParseConfig("g.yml", []byte(`version: 1
gates:
  - id: a
    mandatory: false
    timeout: 0.5
    parse-regression:
      statuses: s.jsonl
      reference: {file: r.json}
      abs_threshold: 0
      rel_threshold: 1
      include_suppressed: true
  - id: b
    manual: true
    timeout: 1m30s
  - id: c
    coverage: {profile: c.out, baseline: {percent: 0}, max_drop: 100}
`))
	if err != nil {
		t.Fatal(err)
	}
	a := cfg.Gate("a")
	p := a.Check.(*parseRegressionCheck).policy
	if a.Mandatory || a.Timeout.Seconds() != 0.5 || p.AbsThreshold != 0 || p.RelThreshold != 1 || !p.IncludeSuppressed {
		t.Errorf("gate a: %+v, policy %+v", a, p)
	}
	if b := cfg.Gate("b"); !b.Manual || b.Timeout.Seconds() != 90 {
		t.Errorf("gate b: %+v", b)
	}
	if c := cfg.Gate("c").Check.(*coverageCheck); c.Baseline.Percent == nil || *c.Baseline.Percent != 0 || c.MaxDrop != 100 {
		t.Errorf("gate c: %+v", c)
	}
}

func TestCheckPrograms(t *testing.T) {
	t.Parallel()
	conf := func(checker string) *Config {
		t.Helper()
		cfg, err := ParseConfig("g.yml", []byte("version: 1\ngates:\n  - id: ok\n    run: true\n  - id: lint\n    parse-regression:\n      checker: "+checker+"\n      reference: {file: r.json}\n"))
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	if err := conf("'sh -c true'").CheckPrograms(); err != nil {
		t.Errorf("sh is in PATH: %v", err)
	}
	for checker, want := range map[string]string{
		"no-such-checker-xyz":   `g.yml:7: gate lint: "checker": program "no-such-checker-xyz": not found in PATH (install it, or give its path)`,
		"./tools/no-such-check": `g.yml:7: gate lint: "checker": program "./tools/no-such-check": stat ./tools/no-such-check: no such file or directory`,
	} {
		if err := conf(checker).CheckPrograms(); err == nil || err.Error() != want {
			t.Errorf("%s: error = %v\nwant %s", checker, err, want)
		}
	}
	// A checker inside checks:, or under a previous: comparison, is
	// looked for too.
	cfg, err := ParseConfig("g.yml", []byte(`version: 1
gates:
  - id: lint
    checks:
      - run: "true"
      - parse-regression: {checker: no-such-checker-xyz, reference: {file: r.json}}
    previous: {file: p.json, value: checks.1.details.total, tolerance: {abs: 0}}
`))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.CheckPrograms(); err == nil || !strings.HasPrefix(err.Error(), `g.yml:6: gate lint: "checker": program "no-such-checker-xyz": not found`) {
		t.Errorf("nested checker: %v", err)
	}
}

// TestCheckProgramsExecChecker: the execute phase's program is looked for
// too, and named with its own line.
func TestCheckProgramsExecChecker(t *testing.T) {
	t.Parallel()
	cfg, err := ParseConfig("g.yml", []byte("version: 1\ngates:\n  - id: lint\n    parse-regression:\n      checker: 'sh -c true'\n      exec_checker: no-such-exec-xyz\n      reference: {file: r.json}\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := `g.yml:6: gate lint: "exec_checker": program "no-such-exec-xyz": not found in PATH (install it, or give its path)`
	if err := cfg.CheckPrograms(); err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
}

// TestCodeNames: gonogo.yml reads code names as --codes does, in any case.
func TestCodeNames(t *testing.T) {
	t.Parallel()
	cfg, err := ParseConfig("g.yml", []byte("version: 1\ngates:\n  - id: pr\n    parse-regression:\n      statuses: s\n      reference: {file: r}\n      codes: [parse_error, Validation_Error]\n      fail_on_new: [internal_error]\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Gate("pr").Check.(*parseRegressionCheck).policy
	if strings.Join(p.Codes, ",") != "PARSE_ERROR,VALIDATION_ERROR" || strings.Join(p.FailOnNew, ",") != "INTERNAL_ERROR" {
		t.Errorf("policy %+v", p)
	}
}
