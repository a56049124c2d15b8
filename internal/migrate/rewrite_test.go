package migrate

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRewrite: each rule sees what the rules before it left, and counts
// the lines it changed itself.
func TestRewrite(t *testing.T) {
	t.Parallel()
	rs := allRules(t) // intent-to-goal, trailing, crlf, eof
	tests := []struct {
		name, in, want string
		lines          []int
	}{
		{"nothing to do", "goal: x\n", "goal: x\n", []int{0, 0, 0, 0}},
		{"empty file stays empty", "", "", []int{0, 0, 0, 0}},
		{"indent kept", "\tintent: a\n  intent: b\nintent: c\n", "\tgoal: a\n  goal: b\ngoal: c\n", []int{3, 0, 0, 0}},
		{"anchored: mid-line untouched", "say intent: x\n", "say intent: x\n", []int{0, 0, 0, 0}},
		{"trailing spaces and tabs", "a \t\nb\n c  \n", "a\nb\n c\n", []int{0, 2, 0, 0}},
		{"trailing space before a CR LF", "a  \r\nb\r\n", "a\nb\n", []int{0, 1, 2, 0}},
		{"lone CR is not an ending", "a\rb\n", "a\rb\n", []int{0, 0, 0, 0}},
		{"final newline added", "a\nb", "a\nb\n", []int{0, 0, 0, 1}},
		{"final newline follows the file's ending", "a\r\nb", "a\nb\n", []int{0, 0, 1, 1}},
		{"blank lines at the end removed", "a\n\n\n", "a\n", []int{0, 0, 0, 2}},
		{"whitespace-only lines at the end: trailing runs first", "a\n  \n\t\n", "a\n", []int{0, 2, 0, 2}},
		{"only blank lines", "\n\n", "", []int{0, 0, 0, 2}},
		{"every rule", "intent: x  \r\n\r\n", "goal: x\n", []int{1, 1, 2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := rs.Rewrite(tt.in)
			if got := r.Content(); got != tt.want {
				t.Errorf("content = %q, want %q", got, tt.want)
			}
			if r.Changed() != (tt.in != tt.want) {
				t.Errorf("Changed() = %v", r.Changed())
			}
			if diff := cmp.Diff(tt.lines, r.Rules); diff != "" {
				t.Errorf("lines per rule (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRewriteOrder: the same rules in another order give another result,
// the order the file gives.
func TestRewriteOrder(t *testing.T) {
	t.Parallel()
	first, err := ParseRules("a.yml", []byte("rules:\n  - {name: eof, normalize: final-newline}\n  - {name: trailing, normalize: trailing-space}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := first.Rewrite("a\n \n").Content(); got != "a\n\n" {
		t.Errorf("final-newline before trailing-space = %q, want %q (the blank line was not empty yet)", got, "a\n\n")
	}
}
