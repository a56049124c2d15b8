package report_test

import (
	"github.com/org/gonogo-action/internal/golden"
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/compare"
	"github.com/org/gonogo-action/internal/report"
)

// golden compares got with testdata/name, or rewrites it under -update.
func goldenFile(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), []byte(got))
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
	goldenFile(t, "regression_fail.md", report.RegressionMarkdown(compare.Compare(ref, next, compare.DefaultPolicy())))
	goldenFile(t, "regression_pass.md", report.RegressionMarkdown(compare.Compare(ref, ref, compare.DefaultPolicy())))
}
