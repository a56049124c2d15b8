package safetext

import (
	"strings"
	"testing"
	"unicode"
)

func TestLogLine(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"plain", "plain: ok", "plain: ok"},
		{"letters", "fichier é 文件.aether", "fichier é 文件.aether"},
		// A new line could start a workflow command.
		{"newline", "a\n::set-output name=x::y", "a ::set-output name=x::y"},
		{"carriage return", "a\r::error::z", "a ::error::z"},
		{"other breaks", "bad \xff utf-8\u2028next\u0085next\u2029p\vq\fr\ts", "bad \uFFFD utf-8 next next p q r s"},
		// The runner takes "##[name]data" anywhere in a line.
		{"old-style command", "x ##[set-output name=a;]b", "x ##\u200b[set-output name=a;]b"},
		{"repeated", "###[add-mask]s ##[##[", "###\u200b[add-mask]s ##\u200b[##\u200b["},
		// A file name (signing) or an error quoting one must not drive the
		// terminal it is printed on, nor hide or reorder text.
		{"terminal sequence", "a\x1b[2Kb\x07", `a\x1b[2Kb\x07`},
		{"delete and C1", "a\x7fb\u009bc", `a\x7fb\u009bc`},
		{"bidi override", "file\u202etxt.exe", `file\u202etxt.exe`},
		{"zero width", "ad\u200bmin\ufeff", `ad\u200bmin\ufeff`},
		{"private use", "x\U000F0000", `x\U000f0000`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := LogLine(tt.in)
			if got != tt.want {
				t.Errorf("LogLine(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if strings.Contains(got, "##[") {
				t.Errorf("LogLine(%q) = %q: still a runner command", tt.in, got)
			}
			// What we return is visible text only, apart from the
			// zero-width space we put into "##[" ourselves.
			for _, r := range strings.ReplaceAll(got, "##\u200b[", "##[") {
				if !unicode.IsGraphic(r) {
					t.Errorf("LogLine(%q) = %q: holds %U", tt.in, got, r)
				}
			}
		})
	}
}
