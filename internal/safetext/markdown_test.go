package safetext

import (
	"strings"
	"testing"
)

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
		{"evil\u202etxt.exe", `evil\\u202etxt.exe`},
		{"a\u2066b\u2069c\u200fd\u061ce", `a\\u2066b\\u2069c\\u200fd\\u061ce`},
		{"résumé 中文 👩\u200d💻", "résumé 中文 👩\u200d💻"},
	}
	for _, tt := range tests {
		if got := Inline(tt.in, 0); got != tt.want {
			t.Errorf("Inline(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestInlineTruncatesOnRunes(t *testing.T) {
	t.Parallel()
	got := Inline(strings.Repeat("é", 50), 10)
	if got != strings.Repeat("é", 9)+"…" {
		t.Errorf("Inline truncation = %q", got)
	}
	if Cell("  ", 5) != "–" {
		t.Error("an empty cell must keep the table's shape")
	}
}

func TestCodeCannotBeEscaped(t *testing.T) {
	t.Parallel()
	got := Code("before\n````\n<!-- marker -->\nafter")
	if !strings.HasPrefix(got, "`````text\n") || !strings.HasSuffix(got, "\n`````\n") {
		t.Errorf("fence not longer than the content's backtick runs:\n%s", got)
	}
	if strings.Contains(got, "<!--") {
		t.Errorf("an HTML comment opener survived:\n%s", got)
	}
}
