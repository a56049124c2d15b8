package scan

import (
	"path/filepath"
	"testing"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/golden"
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
	// The entries a run applied name the stale ones' owners, escaped.
	b.Suppressions = []baseline.Suppression{{Fingerprint: "aaaaaaaaaaaaaaaa", Owner: "@lang-team"},
		{Fingerprint: "bbbbbbbbbbbbbbbb", Owner: "[me](http://x)<b>"}, {Fingerprint: "bbbbbbbbbbbbbbbb", Owner: "@b"}}
	got := Markdown(b)
	golden.Check(t, filepath.Join("testdata", "golden", "build.md"), []byte(got))
}
