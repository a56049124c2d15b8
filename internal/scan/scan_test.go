package scan

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/org/gonogo-action/internal/golden"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/org/gonogo-action/internal/baseline"
)

// goldenDir is absolute because some tests change directory.
var goldenDir, _ = filepath.Abs(filepath.Join("testdata", "golden"))

var fixedNow = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

func clock() time.Time { return fixedNow }

// fakeScript is a checker in sh whose behaviour each file's first line
// chooses: ok, json <status line>, prefix <n> <text>, exit <n> <text>,
// say <text> (exit 1), crash.
const fakeScript = `read -r kind rest < "$1"
case "$kind" in
  ok) exit 0 ;;
  json) printf '%s\n' "$rest"; exit 1 ;;
  prefix) echo "${rest#* }" >&2; echo "AETHER_ERROR_CODE:${rest%% *}" >&2; exit 1 ;;
  exit) echo "${rest#* }" >&2; exit "${rest%% *}" ;;
  say) echo "$rest" >&2; exit 1 ;;
  crash) kill -9 $$ ;;
esac`

func fakeChecker() string {
	return "sh -c '" + strings.ReplaceAll(fakeScript, "'", `'\''`) + "' sh {file}"
}

var tree = map[string]string{
	"ok1.aether":            "ok",
	"sub/ok2.aether":        "ok",
	"json.aether":           `json {"ok":false,"code":20,"code_name":"PARSE_ERROR","file":"x","phase":"parse","message":"Parse error (assignment) line 12: goal","line":12}`,
	"prefix.aether":         "prefix 21 Runtime failure at line 4",
	"exit.aether":           "exit 24 feature quantum not available",
	"heur.aether":           "say Parse error line 3: unbalanced",
	"generic.aether":        "say something odd",
	"crash.aether":          "crash",
	"with space.aether":     "say missing signature for script",
	"-dash.aether":          "ok",
	"skip.txt":              "crash",
	"suppressed.aether":     "exit 25 unknown function foo",
	"suppressed-too.aether": "exit 25 unknown function foo",
}

func TestBuildGolden(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, tree)
	supp := filepath.Join(root, "supp.txt")
	fp := baseline.Fingerprint("VALIDATION_ERROR", 0, "unknown function foo")
	writeTree(t, root, map[string]string{"supp.txt": "# known\n" + fp + " # plugin migration expires=2026-12-31 first=suppressed.aether\n" +
		"aaaaaaaaaaaaaaaa # gone expires=2026-01-01\nbbbbbbbbbbbbbbbb # nothing matches\n"})
	t.Chdir(root)
	b, err := Build(context.Background(), Options{
		Checker: fakeChecker(), Include: []string{"**/*.aether"}, Suppressions: supp,
		Env: []string{"PATH=" + os.Getenv("PATH")}, Now: clock, Jobs: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	goldenFile(t, "build.json", b)

	b.Files = nil
	all, err := Build(context.Background(), Options{Checker: fakeChecker(), Include: []string{"ok*.aether"}, ListAll: true,
		Env: []string{"PATH=" + os.Getenv("PATH")}, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	goldenFile(t, "list-all.json", all)
}

func goldenFile(t *testing.T, name string, b *baseline.Baseline) {
	t.Helper()
	got, err := baseline.Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join(goldenDir, name), got)
}

func TestBuildOptionsErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]Options{
		"nothing to do":   {},
		"both":            {Checker: "x", Statuses: "-"},
		"exec, statuses":  {ExecChecker: "true", Statuses: "-", Stdin: strings.NewReader(`{"ok":true,"file":"a"}`)},
		"missing exec":    {Checker: "true", ExecChecker: "no-such-exec-xyz"},
		"bad shard":       {Checker: "true", ShardK: 3, ShardN: 2},
		"bad glob":        {Checker: "true", Include: []string{"[x"}},
		"missing checker": {Checker: "no-such-checker-xyz"},
		"bad command":     {Checker: "x 'y"},
		"missing path":    {Checker: "true", Paths: []string{"/no/such/dir/here"}},
		"missing supp":    {Checker: "true", Suppressions: "/no/such/supp.txt"},
		"missing status":  {Statuses: "/no/such/statuses.jsonl"},
		"empty statuses":  {Statuses: "-", Stdin: strings.NewReader("")},
	}
	for name, o := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			o.Env = []string{"PATH=" + os.Getenv("PATH")}
			if _, err := Build(context.Background(), o); err == nil {
				t.Error("Build returned no error")
			}
		})
	}
}

func TestBuildIngestRelativises(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	abs := filepath.Join(dir, "src", "b.aether")
	in := fmt.Sprintf(`{"ok":true,"file":"src/a.aether"}
{"ok":false,"code":20,"file":%q,"message":"Parse error line 1","line":1}
{"ok":false,"code":21,"file":"other/c.aether","message":"boom"}
{"ok":false,"code":21,"file":"./src/a.aether","message":"later word wins"}
`, abs)
	b, err := Build(context.Background(), Options{Paths: []string{"src"}, Statuses: "-", Stdin: strings.NewReader(in), Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range b.Files {
		got = append(got, f.Path+" "+f.CodeName)
	}
	want := []string{"a.aether RUNTIME_ERROR", "b.aether PARSE_ERROR", "other/c.aether RUNTIME_ERROR"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if b.Checker != "jsonl stdin" || b.Total != 3 {
		t.Errorf("checker %q total %d", b.Checker, b.Total)
	}
}

// TestShardMergeProperty: for random runs, merging the N shard baselines
// gives the unsharded baseline, timing aside.
func TestShardMergeProperty(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	codes := []string{"SUCCESS", "SUCCESS", "SUCCESS", "PARSE_ERROR", "RUNTIME_ERROR", "VALIDATION_ERROR", "IO_ERROR", "TIMEOUT_ERROR"}
	dir := t.TempDir()
	for round := range 30 {
		var lines strings.Builder
		var fps []string
		for i := range rng.IntN(300) {
			code := codes[rng.IntN(len(codes))]
			msg := fmt.Sprintf("problem %d", rng.IntN(5))
			line := rng.IntN(4)
			fmt.Fprintf(&lines, `{"ok":%v,"code_name":%q,"file":"d%d/f%d.aether","message":%q,"line":%d}`+"\n",
				code == "SUCCESS", code, i%7, i, msg, line)
			fps = append(fps, baseline.Fingerprint(code, line, msg))
		}
		supp := filepath.Join(dir, fmt.Sprintf("supp%d.txt", round))
		var sb strings.Builder
		for i := range 4 {
			if len(fps) > 0 {
				fmt.Fprintf(&sb, "%s # expires=2026-0%d-01\n", fps[rng.IntN(len(fps))], 1+i*2)
			}
		}
		sb.WriteString("cccccccccccccccc\n")
		if err := os.WriteFile(supp, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		limit := []int{0, 0, 50}[rng.IntN(3)]
		opts := func(k, n int) Options {
			return Options{Statuses: "-", Stdin: strings.NewReader(lines.String()), Now: clock,
				Suppressions: supp, Limit: limit, ShardK: k, ShardN: n}
		}
		full, err := Build(context.Background(), opts(0, 0))
		if err != nil {
			t.Fatal(err)
		}
		n := 1 + rng.IntN(5)
		var parts []*baseline.Baseline
		for k := 1; k <= n; k++ {
			p, err := Build(context.Background(), opts(k, n))
			if err != nil {
				t.Fatal(err)
			}
			parts = append(parts, p)
		}
		merged, err := Merge(parts)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(full, merged, cmpopts.IgnoreFields(baseline.Baseline{}, "Timestamp", "DurationSec", "Suppressions"), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round %d, %d shards: merged != full (-full +merged):\n%s", round, n, diff)
		}
	}
}

func TestMergeOverlap(t *testing.T) {
	t.Parallel()
	a := &baseline.Baseline{ByCode: map[string]int{"PARSE_ERROR": 1}, Files: []baseline.File{{Path: "x", CodeName: "PARSE_ERROR"}}}
	if _, err := Merge([]*baseline.Baseline{a, a}); err == nil {
		t.Error("Merge accepted overlapping shards")
	}
	if _, err := Merge(nil); err == nil {
		t.Error("Merge accepted nothing")
	}
}

func TestWriteHistory(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "hist")
	for i := range 22 {
		now := fixedNow.Add(time.Duration(i) * time.Hour)
		b := &baseline.Baseline{Timestamp: now.Format(time.RFC3339), ByCode: map[string]int{"SUCCESS": 10, "PARSE_ERROR": i}}
		b.Normalize()
		if _, err := WriteHistory(dir, b, now); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, TrendsFile))
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, want := range []string{`"file": "20260314T112653_classification.json"`, `"timestamp": "2026-03-15T06:26:53Z"`, `"failed": 21`, `"total": 31`} {
		if !strings.Contains(s, want) {
			t.Errorf("trends.json lacks %s:\n%s", want, s)
		}
	}
	if n := strings.Count(s, `"file"`); n != TrendsKeep {
		t.Errorf("trends.json has %d entries, want %d", n, TrendsKeep)
	}
	if strings.Contains(s, "T092653_") || strings.Contains(s, "T102653_") {
		t.Errorf("trends.json keeps the oldest snapshots:\n%s", s)
	}
}

func TestRelToCheckout(t *testing.T) {
	t.Parallel()
	checkout := filepath.FromSlash("/w/repo")
	roots := []string{filepath.FromSlash("/w/repo/src")}
	tests := []struct{ in, want string }{
		{"/w/repo/src/a.js", "a.js"},
		{"/w/repo/lib/b.js", "lib/b.js"},
		{"/home/runner/work/repo/repo/src/a.js", "a.js"},
		{"/home/runner/work/repo/repo/lib/b.js", "lib/b.js"},
		{"/Users/runner/work/repo/repo/lib/b.js", "lib/b.js"},
		{"/opt/runner/_work/repo/repo/lib/b.js", "lib/b.js"},
		{"/D:/a/repo/repo/lib/b.js", "lib/b.js"},
		{"/github/workspace/src/a.js", "a.js"},
		{"/github/workspace/lib/b.js", "lib/b.js"},
		{"/elsewhere/work/x/y/c.js", "/elsewhere/work/x/y/c.js"},
	}
	for _, tt := range tests {
		if got := relTo(roots, checkout, tt.in); got != tt.want {
			t.Errorf("relTo(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBuildIngestToolSuppressions(t *testing.T) {
	t.Parallel()
	const in = `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "ESLint"}},
	  "artifacts": [{"location": {"uri": "file:///github/workspace/ok.js"}}],
	  "results": [
	    {"level": "error", "ruleId": "no-unused-vars", "message": {"text": "x unused"}, "suppressions": [{"kind": "inSource"}],
	     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///github/workspace/quiet.js"}, "region": {"startLine": 2}}}]},
	    {"level": "error", "ruleId": "no-undef", "message": {"text": "y undefined"},
	     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///github/workspace/loud.js"}, "region": {"startLine": 1}}}]}
	  ]}]}`
	b, err := Build(context.Background(), Options{Statuses: "-", Stdin: strings.NewReader(in), Now: clock, Env: []string{"GITHUB_WORKSPACE=/github/workspace"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"SUCCESS": 1, "VALIDATION_ERROR": 2}
	if diff := cmp.Diff(want, b.ByCode); diff != "" {
		t.Errorf("by_code (-want +got):\n%s", diff)
	}
	if b.SuppressedFailures != 1 || b.GatedCounts()["VALIDATION_ERROR"] != 1 {
		t.Errorf("suppressed %d, gated %v; want 1 suppressed, 1 gated", b.SuppressedFailures, b.GatedCounts())
	}
	var got []string
	for _, f := range b.Files {
		got = append(got, fmt.Sprintf("%s %s %v", f.Path, f.Category, f.Suppressed))
	}
	if diff := cmp.Diff([]string{"loud.js Other false", "quiet.js Suppressed-Other true"}, got); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

// TestBuildSuppressionScope: the case. A suppression written for
// tools/old.py also matches app/new.py, a new file failing with the same
// generic message at the same line. Without path= it still hides it (no
// path coupling, as the specification wants) but marks it; path= keeps it
// to the files it names.
func TestBuildSuppressionScope(t *testing.T) {
	t.Parallel()
	const statuses = `{"ok": false, "code_name": "PARSE_ERROR", "file": "tools/old.py", "line": 1, "message": "SyntaxError: invalid syntax"}
{"ok": false, "code_name": "PARSE_ERROR", "file": "app/new.py", "line": 1, "message": "SyntaxError: invalid syntax"}
{"ok": true, "code_name": "SUCCESS", "file": "app/ok.py"}
`
	fp := baseline.Fingerprint("PARSE_ERROR", 1, "SyntaxError: invalid syntax")
	tests := []struct {
		name, entry string
		want        []string // path suppressed unscoped
		gated       int
	}{
		{"unscoped entry", fp + " # legacy", []string{"app/new.py true true", "tools/old.py true true"}, 0},
		{"first=", fp + " # first=tools/old.py", []string{"app/new.py true true", "tools/old.py true false"}, 0},
		{"path=", fp + " # path=tools/**", []string{"app/new.py false false", "tools/old.py true false"}, 1},
		{"path= and an unscoped duplicate", fp + " path=tools/**\n" + fp, []string{"app/new.py true true", "tools/old.py true false"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			supp := filepath.Join(dir, "supp.txt")
			if err := os.WriteFile(supp, []byte(tt.entry+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			b, err := Build(context.Background(), Options{Statuses: "-", Stdin: strings.NewReader(statuses), Suppressions: supp, Now: clock, Env: []string{}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range b.Files {
				got = append(got, fmt.Sprintf("%s %v %v", f.Path, f.Suppressed, f.UnscopedSuppression))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
			if n := b.GatedCounts()["PARSE_ERROR"]; n != tt.gated {
				t.Errorf("gated PARSE_ERROR %d, want %d", n, tt.gated)
			}
			md := Markdown(b)
			if listed := strings.Contains(md, "| app/new.py | PARSE\\_ERROR |"); listed != strings.Contains(tt.want[0], "true true") {
				t.Errorf("markdown lists app/new.py: %v\n%s", listed, md)
			}
		})
	}
}
