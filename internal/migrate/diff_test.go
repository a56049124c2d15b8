package migrate

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// allRules rewrites intent: to goal:, then cleans whitespace: every kind of
// change a diff must carry.
func allRules(t *testing.T) *Rules {
	t.Helper()
	rs, err := ParseRules("rules.yml", []byte(`rules:
  - name: intent-to-goal
    match: '^(\s*)intent:'
    replace: '${1}goal:'
  - {name: trailing, normalize: trailing-space}
  - {name: crlf, normalize: crlf}
  - {name: eof, normalize: final-newline}
`))
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// diffCases are contents whose diffs exercise hunk grouping, line endings
// and the ends of files.
var diffCases = map[string]string{
	"one change":        "workflow a {\n  intent: x\n}\n",
	"far apart":         "intent: a\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\nintent: b\n",
	"within 2 contexts": "intent: a\n1\n2\n3\n4\n5\n6\nintent: b\n7\n",
	"just apart":        "intent: a\n1\n2\n3\n4\n5\n6\n7\nintent: b\n8\n",
	"no final newline":  "a\nb\nintent: c",
	"unchanged last":    "intent: a\n1\n2\n3\n4\n5\nz",
	"trailing blanks":   "a\n1\n2\n3\n4\nb\n\n\n\n",
	"only blanks":       "\n\n\n",
	"blank then text":   "\n\nx",
	"crlf":              "a\r\nintent: b \r\nc\r\n",
	"crlf no eol":       "a\r\nb",
	"tabs":              "a\t\t\nb \t \n",
	"unicode":           "intent: «ünï» \nsecond\n",
}

// TestDiffAppliesWithRealTools: the diff is read by the tools users apply
// it with. GNU patch -p0 and git apply -p0 each turn the old content into
// exactly the new one, for every case, in a directory where the file name
// is the name in the headers.
func TestDiffAppliesWithRealTools(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"patch", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	rs := allRules(t)
	names := []string{"w.aether", "sub dir/with space.aether", "tab\tname.aether", `quote"back\slash.aether`, "new\nline.aether", "ünï.aether"}
	for name, content := range diffCases {
		for _, file := range names {
			t.Run(name+"/"+file, func(t *testing.T) {
				t.Parallel()
				r := rs.Rewrite(content)
				if !r.Changed() {
					t.Fatal("the rules changed nothing; the case tests nothing")
				}
				d := r.Diff(file)
				for _, tool := range [][]string{{"patch", "-p0", "--batch", "--no-backup-if-mismatch", "-i", "-"}, {"git", "apply", "-p0", "--unsafe-paths", "-"}} {
					dir := t.TempDir()
					p := filepath.Join(dir, filepath.FromSlash(file))
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
						t.Fatal(err)
					}
					cmd := exec.Command(tool[0], tool[1:]...)
					cmd.Dir, cmd.Stdin = dir, strings.NewReader(d)
					var out bytes.Buffer
					cmd.Stdout, cmd.Stderr = &out, &out
					if err := cmd.Run(); err != nil {
						t.Fatalf("%s: %v\n%s\ndiff:\n%s", tool[0], err, out.String(), d)
					}
					got, err := os.ReadFile(p)
					if err != nil && r.Content() != "" {
						t.Fatal(err)
					}
					if diff := cmp.Diff(r.Content(), string(got)); diff != "" {
						t.Errorf("%s applied the diff to %q (-want +got):\n%s\ndiff:\n%s", tool[0], content, diff, d)
					}
				}
			})
		}
	}
}

// TestDiffMatchesGNUDiff: where GNU diff -u has a choice of its own (hunk
// grouping, ranges, the no-newline marker), ours is the same, headers
// aside.
func TestDiffMatchesGNUDiff(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("diff"); err != nil {
		t.Skip("diff not installed")
	}
	rs := allRules(t)
	for name, content := range diffCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := rs.Rewrite(content)
			dir := t.TempDir()
			a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
			if err := os.WriteFile(a, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(b, []byte(r.Content()), 0o644); err != nil {
				t.Fatal(err)
			}
			out, _ := exec.Command("diff", "-u", a, b).Output()
			_, want, _ := strings.Cut(string(out), "\n@@")
			_, got, _ := strings.Cut(r.Diff("x"), "\n@@")
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("hunks (-diff -u +ours):\n%s", diff)
			}
		})
	}
}

func TestDiffUnchanged(t *testing.T) {
	t.Parallel()
	r := allRules(t).Rewrite("goal: x\n")
	if r.Changed() || r.Diff("x") != "" {
		t.Errorf("an unchanged file: changed %v, diff %q", r.Changed(), r.Diff("x"))
	}
}
