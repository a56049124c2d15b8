package githubactions

import (
	"bytes"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// env is a fake environment for one test.
type env map[string]string

func (e env) get(k string) string { return e[k] }

// rigged yields the given 16-byte blocks in turn, then zeros: it lets a test
// make the first random token collide with a forged one.
type rigged struct{ blocks [][]byte }

func (r *rigged) Read(p []byte) (int, error) {
	if len(r.blocks) == 0 {
		clear(p)
		return len(p), nil
	}
	n := copy(p, r.blocks[0])
	r.blocks = r.blocks[1:]
	return n, nil
}

func block(b byte) []byte { return bytes.Repeat([]byte{b}, 16) }

func newTest(t *testing.T, e env) (*Action, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	e["GITHUB_ACTIONS"] = "true"
	return New(e.get, &out), &out
}

func TestInput(t *testing.T) {
	t.Parallel()
	e := env{"INPUT_GITHUB-TOKEN": " tok \n", "INPUT_COMMENT_KEY": "k", "INPUT_MISSING-REFERENCE": ""}
	a := New(e.get, io.Discard)
	tests := []struct{ name, def, want string }{
		{"github-token", "", "tok"},
		{"Comment Key", "", "k"}, // spaces become underscores, as in the toolkit
		{"comment-key", "none", "none"},
		{"missing-reference", "warn", "warn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := a.InputOr(tt.name, tt.def); got != tt.want {
				t.Errorf("InputOr(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

// parseOutputs reads a GITHUB_OUTPUT file the way the runner does
// (actions/runner FileCommandManager: "name<<delim" heredocs, else name=value).
func parseOutputs(t *testing.T, s string) map[string]string {
	t.Helper()
	got := map[string]string{}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if name, delim, ok := strings.Cut(line, "<<"); ok && (!strings.Contains(line, "=") || strings.Index(line, "<<") < strings.Index(line, "=")) {
			var val []string
			for i++; i < len(lines) && lines[i] != delim; i++ {
				val = append(val, lines[i])
			}
			if i == len(lines) {
				t.Fatalf("heredoc %q not closed", delim)
			}
			got[name] = strings.Join(val, "\n")
			continue
		}
		name, val, _ := strings.Cut(line, "=")
		got[name] = val
	}
	return got
}

func TestSetOutputCannotBeForged(t *testing.T) {
	t.Parallel()
	forged := "ghadelimiter_" + hex.EncodeToString(block(0xab))
	tests := []struct{ name, value string }{
		{"plain", "true"},
		{"multiline", "a\nb\n"},
		{"fixed delimiter of go-githubactions", "x\n_GitHubActionsFileCommandDelimeter_\nall-passed=true"},
		{"forged random delimiter", "x\n" + forged + "\nall-passed<<EOF\ntrue\nEOF"},
		{"empty", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "output")
			a, _ := newTest(t, env{"GITHUB_OUTPUT": path})
			a.random = &rigged{blocks: [][]byte{block(0xab), block(0xcd)}}
			if err := a.SetOutput("failed-gates", tt.value); err != nil {
				t.Fatal(err)
			}
			if err := a.SetOutput("all-passed", "false"); err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"failed-gates": tt.value, "all-passed": "false"}
			got := parseOutputs(t, string(raw))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("outputs (-want +got):\n%s\nfile:\n%s", diff, raw)
			}
		})
	}
}

func TestSetOutputRejectsBadNames(t *testing.T) {
	t.Parallel()
	a, _ := newTest(t, env{"GITHUB_OUTPUT": filepath.Join(t.TempDir(), "o")})
	for _, name := range []string{"", "a\nb", "a=b", "a<<b", "-x"} {
		if err := a.SetOutput(name, "v"); err == nil {
			t.Errorf("SetOutput(%q) succeeded", name)
		}
	}
}

func TestOutsideActionsIsNoOp(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	a := New(env{}.get, &out)
	if err := a.SetOutput("x", "y"); err != nil {
		t.Error(err)
	}
	if cut, err := a.AppendSummary("# hi"); cut || err != nil {
		t.Error(cut, err)
	}
	if err := a.AddMask("secret"); err != nil {
		t.Error(err)
	}
	if err := a.Annotate(Annotation{Level: Error, Message: "m"}); err != nil {
		t.Error(err)
	}
	if err := a.Close(); err != nil {
		t.Error(err)
	}
	if out.Len() != 0 {
		t.Errorf("wrote %q outside Actions", out.String())
	}
	var relayed bytes.Buffer
	if err := a.Relay(&relayed, []byte("::error::x\n")); err != nil || relayed.String() != "::error::x\n" {
		t.Errorf("Relay outside Actions = %q, %v", relayed.String(), err)
	}
}
