package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestRun(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, content string
		code, line    int
	}{
		{"clean", "workflow a {\n  start memory_system\n  start plugin_manager\n  call audit_log\n}\n", Success, 0},
		{"unknown service", "workflow a {\n  start warp_drive\n}\n", RuntimeError, 2},
		{"plugins first", "workflow a {\n  start plugin_manager\n  start memory_system\n}\n", RuntimeError, 2},
		{"no runtime", "workflow a {\n  call audit_log\n  call hmr_swap\n}\n", Unsupported, 3},
		{"arguments", "workflow a {\n  call net_fetch(\"http://x.invalid/\")\n}\n", Success, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if code, _, msg := Check(tc.content); code != Success {
				t.Fatalf("Check: %d %s", code, msg)
			}
			if code, line, msg := Run(tc.content); code != tc.code || line != tc.line {
				t.Errorf("Run = %d at %d (%s), want %d at %d", code, line, msg, tc.code, tc.line)
			}
		})
	}
}

// TestMainRun: with --run a success is said (the execute phase must say
// it), a lone file's message carries no name, several files' do.
func TestMainRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ok, bad := filepath.Join(dir, "ok.aether"), filepath.Join(dir, "bad.aether")
	if err := os.WriteFile(ok, []byte("workflow a {\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("workflow b {\n  call nope\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--run", ok}, Success, "AETHER_ERROR_CODE:0\n"},
		{[]string{ok}, Success, ""},
		{[]string{"--run", bad}, Unsupported, "NotImplementedError line 2: nope has no runtime\nAETHER_ERROR_CODE:24\n"},
		{[]string{bad}, Success, ""},
		{[]string{"--run", ok, bad}, Unsupported, "AETHER_ERROR_CODE:0\n" + bad + ": NotImplementedError line 2: nope has no runtime\nAETHER_ERROR_CODE:24\n"},
		{[]string{"--run"}, 2, "usage: aether-lint [--run] FILE ...\n"},
	} {
		var stderr bytes.Buffer
		if code := Main(tc.args, &stderr); code != tc.code || stderr.String() != tc.want {
			t.Errorf("Main(%q) = %d, %q; want %d, %q", tc.args, code, stderr.String(), tc.code, tc.want)
		}
	}
}
