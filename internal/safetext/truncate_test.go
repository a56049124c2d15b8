package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTruncate(t *testing.T) {
	t.Parallel()
	const note = "(cut)\n"
	tests := []struct {
		name  string
		md    string
		limit int
		size  func(string) int
		want  string
	}{
		{"fits", "a\nb\n", 4, Bytes, "a\nb\n"},
		{"cut at line", "line one\nline two\nline three\n", 28, Bytes, "line one\nline two\n\n" + note},
		{"closes fence", "x\n```text\ncode\ncode\ncode\n```\n", 26, Bytes, "x\n```text\ncode\n```\n\n" + note},
		{"closes long fence", "x\n`````\n````\n" + strings.Repeat("c\n", 20), 28, Bytes, "x\n`````\n````\nc\n`````\n\n" + note},
		{"tilde fence", "~~~\n" + strings.Repeat("c\n", 30), 20, Bytes, "~~~\nc\nc\n~~~\n\n" + note},
		{"runes", strings.Repeat("é", 100), 10, Runes, "éé\n\n" + note},
		{"only note", "abcdefghij", 7, Bytes, note},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Truncate(tt.md, tt.limit, tt.size, note)
			if got != tt.want {
				t.Errorf("Truncate = %q, want %q", got, tt.want)
			}
			if tt.size(got) > tt.limit && tt.size(note) <= tt.limit {
				t.Errorf("size %d > limit %d", tt.size(got), tt.limit)
			}
			if !utf8.ValidString(got) {
				t.Errorf("invalid UTF-8: %q", got)
			}
		})
	}
}

func FuzzTruncate(f *testing.F) {
	f.Add("```\na\nb\n", 20)
	f.Add("ééé\n~~~~\nx", 9)
	f.Fuzz(func(t *testing.T, md string, limit int) {
		if limit < 0 || limit > 1<<16 {
			return
		}
		const note = "(cut)"
		md = strings.ToValidUTF8(md, "?")
		got := Truncate(md, limit, Runes, note)
		if Runes(got) > limit && Runes(md) > limit && Runes(note) <= limit {
			t.Fatalf("over limit: %d > %d", Runes(got), limit)
		}
		if Runes(md) > limit && Runes(got) <= limit && got != note && openFence(strings.TrimSuffix(got, note)) != "" {
			t.Fatalf("fence left open in %q", got)
		}
	})
}
