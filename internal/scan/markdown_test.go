package scan

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/baseline"
)

func TestMarkdownGolden(t *testing.T) {
	t.Parallel()
	b, err := baseline.Read(filepath.Join("testdata", "golden", "build.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Hostile text must not become markdown structure or a mention.
	b.Files = append(b.Files, baseline.File{Path: "evil|<b>@team #1.aether", CodeName: "PARSE_ERROR",
		Message: "| x | <!-- `code` [link](http://x) @someone", Fingerprint: "ffffffffffffffff", Category: "ParseError"})
	b.ByCode["PARSE_ERROR"]++
	b.ByCategory["ParseError"]++
	b.Normalize()
	b.Checker = "aether --check {file}"
	got := Markdown(b)
	path := filepath.Join("testdata", "golden", "build.md")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
