package report_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/compare"
	"github.com/org/gonogo-action/internal/report"
)

// update is -update. It must be defined before the test binary parses its
// command line (a package variable, not lazily inside a test), or
// `go test ./internal/report -update` stops at "flag provided but not
// defined". No other test file of this binary defines it.
var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func TestInline(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"plain text 1.5", "plain text 1.5"},
		{"a | b", `a \| b`},
		{"`code`", "\\`code\\`"},
		{"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
		{"ping @octocat and @org/team", "ping @&#8203;octocat and @&#8203;org/team"},
		{"fixes #12", `fixes \#&#8203;12`},
		{"line one\nline two\r\n", "line one line two  "},
		{"[click](http://evil)", `\[click\](http\://evil)`},
		{"- not a list", `\- not a list`},
		{"12. not a list", `12\. not a list`},
		{"**bold** _it_ ~~s~~", `\*\*bold\*\* \_it\_ \~\~s\~\~`},
		{"<!-- gonogo:marker -->", "&lt;!-- gonogo\\:marker --&gt;"},
		{"bad \xff utf8 \x1b[31m", "bad \uFFFD utf8 \uFFFD\\[31m"},
		{"::set-output name=x::y", `\:\:set-output name=x\:\:y`},
	}
	for _, tt := range tests {
		if got := report.Inline(tt.in, 0); got != tt.want {
			t.Errorf("Inline(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestInlineTruncatesOnRunes(t *testing.T) {
	t.Parallel()
	got := report.Inline(strings.Repeat("é", 50), 10)
	if got != strings.Repeat("é", 9)+"…" {
		t.Errorf("Inline truncation = %q", got)
	}
	if report.Cell("  ", 5) != "–" {
		t.Error("an empty cell must keep the table's shape")
	}
}

func TestCodeCannotBeEscaped(t *testing.T) {
	t.Parallel()
	got := report.Code("before\n````\n<!-- marker -->\nafter")
	if !strings.HasPrefix(got, "`````text\n") || !strings.HasSuffix(got, "\n`````\n") {
		t.Errorf("fence not longer than the content's backtick runs:\n%s", got)
	}
	if strings.Contains(got, "<!--") {
		t.Errorf("an HTML comment opener survived:\n%s", got)
	}
}

func TestRegressionMarkdownGolden(t *testing.T) {
	t.Parallel()
	ref := &baseline.Baseline{ByCode: map[string]int{"PARSE_ERROR": 1800, "VALIDATION_ERROR": 30, "RUNTIME_ERROR": 2}}
	next := &baseline.Baseline{ByCode: map[string]int{"PARSE_ERROR": 1810, "VALIDATION_ERROR": 42, "RUNTIME_ERROR": 9, "INTERNAL_ERROR": 1}}
	for i := range 12 {
		next.Files = append(next.Files, baseline.File{
			Path: "workflows/n" + string(rune('a'+i)) + ".aether", CodeName: "VALIDATION_ERROR", Line: i + 1,
			Message: "Unknown function `pwn|x` @admin #1 <b>",
		})
	}
	next.Files[0].Suppressed = true
	ref.Files = []baseline.File{{Path: "workflows/old.aether", CodeName: "PARSE_ERROR", Line: 3}}
	golden(t, "regression_fail.md", report.RegressionMarkdown(compare.Compare(ref, next, compare.DefaultPolicy())))
	golden(t, "regression_pass.md", report.RegressionMarkdown(compare.Compare(ref, ref, compare.DefaultPolicy())))
}
