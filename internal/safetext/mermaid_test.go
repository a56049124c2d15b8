package safetext

import (
	"strings"
	"testing"
)

func TestMermaidString(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"PARSE_ERROR", `"PARSE_ERROR"`},
		{"Sep 12 #2", `"Sep 12 #2"`},
		{`a"]` + "\nline [1]", `"a___line _1_"`},
		{"%%{init: {'theme':'dark'}}%%", `"___init: __theme_:_d"`},
		{"```\n<script>", `"_____script_"`},
		{"`md`", `"_md_"`},
		{"é→x", `"__x"`},
		{strings.Repeat("a", 50), `"` + strings.Repeat("a", 20) + `"`},
	}
	for _, tt := range tests {
		got := MermaidString(tt.in, 20)
		if got != tt.want {
			t.Errorf("MermaidString(%q) = %s, want %s", tt.in, got, tt.want)
		}
		inner := got[1 : len(got)-1]
		if strings.ContainsAny(inner, "\"`%\n\r{}[]") {
			t.Errorf("MermaidString(%q) = %s keeps a character that can leave the string", tt.in, got)
		}
	}
}
