package gate

import (
	"strings"
	"testing"
)

// TestRunOKExit: ok_exit lists the passing exit statuses; the default is
// [0], so exit 2 fails unless listed.
func TestRunOKExit(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, gate, status, summary string
	}{
		{"default fails 2", "run: exit 2", StatusFail, "exit 2"},
		{"default passes 0", "run: exit 0", StatusPass, "exit 0"},
		{"2 listed", "run: exit 2\n    ok_exit: [0, 2]", StatusPass, "exit 2"},
		{"0 listed", "run: exit 0\n    ok_exit: [0, 2]", StatusPass, "exit 0"},
		{"1 not listed", "run: exit 1\n    ok_exit: [0, 2]", StatusFail, "exit 1"},
		{"0 not listed", "run: exit 0\n    ok_exit: [2]", StatusFail, "exit 0"},
		{"expect still applies", "run: echo hi; exit 2\n    ok_exit: [2]\n    expect: {stdout_contains: [bye]}", StatusFail, `stdout lacks "bye"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runConfig(t, "version: 1\ngates:\n  - id: r\n    "+tt.gate+"\n", Options{})
			g := res.Gate("r")
			if g.Status() != tt.status || g.Summary != tt.summary {
				t.Fatalf("status %s summary %q; want %s %q", g.Status(), g.Summary, tt.status, tt.summary)
			}
		})
	}
}

func TestRunOKExitRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ value, want string }{
		{"[]", "ok_exit must be a non-empty list"},
		{"2", "ok_exit must be a non-empty list"},
		{"[0, 256]", `ok_exit: "256" is not an exit status`},
		{"[-1]", `ok_exit: "-1" is not an exit status`},
		{"[2.0]", `ok_exit: "2.0" is not an exit status`},
		{"[\"2\"]", `ok_exit: "2" is not an exit status`},
		{"[two]", `ok_exit: "two" is not an exit status`},
		{"[[0]]", "is not an exit status"},
		{"[0, 2, 0]", "ok_exit: 0 is listed twice"},
	} {
		_, err := ParseConfig("t.yml", []byte("version: 1\ngates:\n  - id: r\n    run: \"true\"\n    ok_exit: "+tt.value+"\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "t.yml:5: ") {
			t.Errorf("ok_exit: %s: error %v, want t.yml:5: …%q", tt.value, err, tt.want)
		}
	}
	_, err := ParseConfig("t.yml", []byte("version: 1\ngates:\n  - id: r\n    coverage: {profile: c.out, min: 1}\n    ok_exit: [0]\n"))
	if err == nil || !strings.Contains(err.Error(), `key "ok_exit" is not valid for a coverage gate`) {
		t.Errorf("ok_exit on a coverage gate: %v", err)
	}
}

// TestRunEmptyExpectRefused: an expectation that expects nothing would pass
// on the exit status alone; it is refused at its line.
func TestRunEmptyExpectRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ value, want string }{
		{"{}", "expect: an empty mapping expects nothing"},
		{"{stdout_contains: []}", "expect: stdout_contains: an empty list expects nothing"},
		{`{stdout_contains: [ready, ""]}`, "expect: stdout_contains: an empty string is in every output"},
		{"{stdout_json: {}}", "expect: stdout_json: an empty mapping expects nothing"},
	} {
		_, err := ParseConfig("t.yml", []byte("version: 1\ngates:\n  - id: r\n    run: \"true\"\n    expect: "+tt.value+"\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "t.yml:5: ") {
			t.Errorf("expect: %s: error %v, want t.yml:5: …%q", tt.value, err, tt.want)
		}
	}
	if _, err := ParseConfig("t.yml", []byte("version: 1\ngates:\n  - id: r\n    run: \"true\"\n    expect: {stdout_contains: [ready], stdout_json: {ok: true}}\n")); err != nil {
		t.Errorf("a real expectation: %v", err)
	}
}
