package gate

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/artifact"
)

// artifactFetcher serves the files of one reference artifact by name.
type artifactFetcher struct {
	files map[string][]byte
	asked []string
}

func (f *artifactFetcher) FetchReference(_ context.Context, ref artifact.Ref) ([]byte, artifact.Provenance, error) {
	f.asked = append(f.asked, ref.File)
	data, ok := f.files[ref.File]
	if !ok {
		return nil, artifact.Provenance{}, fmt.Errorf("%w: the artifact has no %s", ErrReferenceNotFound, ref.File)
	}
	return data, artifact.Provenance{Branch: "main", RunID: 7}, nil
}

var _ ReferenceFetcher = (*artifactFetcher)(nil)

// TestParseRegressionCacheFromReference: main's run uploads its cache
// beside its baseline; a pull request's run takes the cache from that
// artifact (never from its own checkout), checks only the file it
// changed, and says so; its baseline is a full run's.
func TestParseRegressionCacheFromReference(t *testing.T) {
	t.Parallel()
	const gate = `version: 1
gates:
  - id: pr
    env: {CHECK_LOG: %q}
    parse-regression:
      checker: "sh -c 'echo \"$1\" >>\"$CHECK_LOG\"; grep -q bad \"$1\" && exit 20 || exit 0' _ {file}"
      paths: [wf]
      reference: {artifact: parse-baseline}
      output: parse_baseline.json
%s`
	fixed := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	run := func(t *testing.T, dir, cache string, f ReferenceFetcher) (*GateResult, []byte, int) {
		t.Helper()
		os.Remove(filepath.Join(filepath.Dir(dir), "checked"))
		res := runConfig(t, fmt.Sprintf(gate, filepath.Join(filepath.Dir(dir), "checked"), cache), Options{Dir: dir, Reference: f, Now: func() time.Time { return fixed }})
		g := res.Gate("pr")
		out, err := os.ReadFile(filepath.Join(dir, "parse_baseline.json"))
		if err != nil {
			t.Fatal(err)
		}
		checked, _ := os.ReadFile(filepath.Join(filepath.Dir(dir), "checked"))
		return g, out, strings.Count(string(checked), "\n")
	}
	dir := filepath.Join(t.TempDir(), "ws")
	for i := range 12 {
		writeFile(t, dir, fmt.Sprintf("wf/f%02d.aether", i), []string{"fine\n", "bad\n", "fine too\n"}[i%3])
	}
	main := &artifactFetcher{files: map[string][]byte{"parse_baseline.json": []byte(refBaseline(4))}}
	g, _, checked := run(t, dir, "      cache: parse_baseline.cache\n", main)
	if g.Cache == nil || g.Cache.Rechecked != 12 || checked != 12 || len(g.Cache.Warnings) != 1 ||
		!strings.Contains(g.Cache.Warnings[0], "no cache from artifact parse-baseline on the reference branch (parse_baseline.cache)") {
		t.Fatalf("first run: %+v, checker ran %d times", g.Cache, checked)
	}
	if d := cmp.Diff([]string{"parse_baseline.json", "parse_baseline.cache"}, main.asked); d != "" {
		t.Errorf("asked the artifact for (-want +got):\n%s", d)
	}
	mainCache, err := os.ReadFile(filepath.Join(dir, "parse_baseline.cache"))
	if err != nil {
		t.Fatal(err)
	}

	// The pull request edits one file and commits a forged cache that
	// says every file passes: it is never read.
	writeFile(t, dir, "wf/f00.aether", "bad now\n")
	writeFile(t, dir, "parse_baseline.cache", strings.ReplaceAll(string(mainCache), "PARSE_ERROR", "SUCCESS"))
	pr := &artifactFetcher{files: map[string][]byte{"parse_baseline.json": []byte(refBaseline(4)), "parse_baseline.cache": mainCache}}
	g, cached, checked := run(t, dir, "      cache: parse_baseline.cache\n", pr)
	want := &CacheUse{File: "parse_baseline.cache", Rechecked: 1, Reused: 11,
		Sources: []string{"artifact parse-baseline on the reference branch (parse_baseline.cache), run 7"}}
	if d := cmp.Diff(want, g.Cache); d != "" || checked != 1 {
		t.Errorf("pull request run: checker ran %d times; cache (-want +got):\n%s", checked, d)
	}
	if !strings.HasSuffix(g.Summary, "; 1 file(s) re-checked, 11 reused (cache)") {
		t.Errorf("summary %q", g.Summary)
	}
	data, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"cache":{"file":"parse_baseline.cache","rechecked":1,"reused":11,`) {
		t.Errorf("details.cache missing from %s", data)
	}
	var back GateResult
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	back.Kind = "parse-regression"
	if err := back.decodeTyped(data); err != nil || back.Cache == nil || back.Cache.Reused != 11 {
		t.Errorf("read back: %v %+v", err, back.Cache)
	}

	// A full run of the same tree writes the same baseline.
	_, full, checked := run(t, dir, "", pr)
	if d := cmp.Diff(string(full), string(cached)); d != "" || checked != 12 {
		t.Errorf("full run checked %d files; baseline (-full +cached):\n%s", checked, d)
	}
}

func TestParseRegressionCacheConfigErrors(t *testing.T) {
	t.Parallel()
	for spec, want := range map[string]string{
		"{statuses: s, reference: {file: r}, cache: c}":                      "statuses: runs no checker; drop cache",
		"{checker: c, reference: {file: r}, cache_key: k}":                   "cache_key needs cache: FILE",
		"{checker: c, reference: {file: r}, cache: o.json, output: o.json}":  `"cache": o.json is the output too`,
		"{checker: c, reference: {file: r}, cache: out/}":                    `"cache": want a file, not a folder`,
		"{checker: c, reference: {file: r}, cache: c, cache_key: \"a\\nb\"}": `"cache_key": want printable text`,
	} {
		_, err := ParseConfig("g.yml", []byte("version: 1\ngates:\n  - id: pr\n    parse-regression: "+spec+"\n"))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want %q", spec, err, want)
		}
	}
}
