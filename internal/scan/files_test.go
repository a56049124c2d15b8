package scan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestValidGlobs(t *testing.T) {
	t.Parallel()
	if err := validGlobs("include", []string{"a/[b"}); err == nil {
		t.Error("validGlobs accepted a bad pattern")
	}
	if err := validGlobs("exclude", []string{"/abs/*.aether"}); err == nil {
		t.Error("validGlobs accepted an absolute pattern, which matches nothing")
	}
}

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDiscover(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"a.aether": "", "-dash.aether": "", "with space.aether": "", "new\nline.aether": "",
		"sub/b.aether": "", "sub/c.txt": "", ".git/x.aether": "", "legacy/old.aether": "",
	})
	if err := os.Symlink(root, filepath.Join(root, "sub", "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("missing.aether", filepath.Join(root, "dangling.aether")); err != nil {
		t.Fatal(err)
	}
	got, err := discover([]string{root}, []string{"**/*.aether"}, []string{"legacy/**"})
	if err != nil {
		t.Fatal(err)
	}
	var rels, args []string
	for _, tg := range got {
		rels = append(rels, tg.Rel)
		args = append(args, strings.TrimPrefix(tg.Arg, root+"/"))
		if (tg.Err != nil) != (tg.Rel == "dangling.aether") {
			t.Errorf("%s: error %v", tg.Rel, tg.Err)
		}
	}
	wantRels := []string{"-dash.aether", "a.aether", "dangling.aether", "new\nline.aether", "sub/b.aether", "with space.aether"}
	if diff := cmp.Diff(wantRels, rels); diff != "" {
		t.Errorf("rels (-want +got):\n%s", diff)
	}
	wantArgs := []string{"-dash.aether", "a.aether", "dangling.aether", "new\nline.aether", "sub/b.aether", "with space.aether"}
	if diff := cmp.Diff(wantArgs, args); diff != "" {
		t.Errorf("args (-want +got):\n%s", diff)
	}
}

func TestDiscoverRelativeAndErrors(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{"d1/x.aether": "", "d2/x.aether": "", "-f.aether": ""})
	t.Chdir(root)
	got, err := discover([]string{"-f.aether", "d1"}, []string{"**/*.aether"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []target{{Rel: "-f.aether", Arg: "./-f.aether"}, {Rel: "x.aether", Arg: "d1/x.aether", Root: 1}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(target{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := discover([]string{"d1", "d2"}, nil, nil); err == nil || !strings.Contains(err.Error(), "common parent") {
		t.Errorf("colliding roots: err = %v", err)
	}
	if _, err := discover([]string{"nope"}, nil, nil); err == nil {
		t.Error("missing root: no error")
	}
	// A PATH that is a link to a directory is refused by name (the walk
	// follows no link to a directory, and once found it empty).
	if err := os.Symlink("d1", "linked"); err != nil {
		t.Fatal(err)
	}
	if _, err := discover([]string{"linked"}, nil, nil); err == nil || !strings.Contains(err.Error(), "path linked: a symbolic link to a directory") {
		t.Errorf("linked root: err = %v", err)
	}
}

func TestShardPartition(t *testing.T) {
	t.Parallel()
	var rels []string
	for i := range 500 {
		rels = append(rels, strings.Repeat("d/", i%7)+string(rune('a'+i%26))+".aether"+string(rune('0'+i%10))+strings.Repeat("x", i/26))
	}
	for n := 1; n <= 6; n++ {
		seen := map[string]int{}
		for k := 1; k <= n; k++ {
			for _, r := range narrow(rels, func(s string) string { return s }, 0, k, n) {
				seen[r]++
			}
		}
		for _, r := range rels {
			if seen[r] != 1 {
				t.Fatalf("n=%d: %q in %d shards", n, r, seen[r])
			}
		}
	}
}

func TestSplit(t *testing.T) {
	t.Parallel()
	mk := func(n, pathLen int) []target {
		out := make([]target, n)
		for i := range out {
			out[i] = target{Arg: strings.Repeat("p", pathLen)}
		}
		return out
	}
	sizes := func(units [][]target) []int {
		var s []int
		for _, u := range units {
			s = append(s, len(u))
		}
		return s
	}
	tests := []struct {
		name             string
		n, pathLen, size int
		jobs             int
		batch            bool
		want             []int
	}{
		{"per file", 3, 5, 0, 2, false, []int{1, 1, 1}},
		{"one batch per job", 10, 5, 0, 2, true, []int{5, 5}},
		{"capped at maxBatch", 600, 5, 0, 1, true, []int{256, 256, 88}},
		{"explicit size", 10, 5, 4, 2, true, []int{4, 4, 2}},
		{"argument budget", 3, 60 << 10, 0, 1, true, []int{2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := sizes(split(mk(tt.n, tt.pathLen), tt.batch, tt.size, tt.jobs))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDiscoverDefaultSkips(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"app.py": "", "pkg/mod.py": "", "vendor/lib.go": "", "README": "",
		"pkg/__pycache__/mod.cpython-312.pyc": "", "stray.pyc": "",
		".git/config": "", ".hg/x": "", ".svn/x": "", "node_modules/left-pad/index.js": "",
		".venv/lib/site.py": "", "venv/lib/site.py": "", ".tox/py/x.py": "", ".mypy_cache/x.json": "",
		".pytest_cache/v": "", ".gonogo/suppressions.txt": "",
		"parse_baseline.json": "{}", "out/gate_results.json": "{}", "gate_sign_off.md": "",
		"hist/20250101T000000_classification.json": "{}",
		".aetherra/workflow_suppressions.txt":      "", ".aetherra/workflow_history/trends.json": "[]",
		"sub/.aetherra/workflow_suppressions.txt": "", ".aetherra/hmr_audit.jsonl": "",
	})
	got, err := discover([]string{root}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var rels []string
	for _, tg := range got {
		rels = append(rels, tg.Rel)
	}
	if diff := cmp.Diff([]string{".aetherra/hmr_audit.jsonl", "README", "app.py", "pkg/mod.py", "vendor/lib.go"}, rels); diff != "" {
		t.Errorf("default include (-want +got):\n%s", diff)
	}
	// A skipped folder given as the PATH itself is walked: the user named it.
	got, err = discover([]string{filepath.Join(root, "node_modules")}, nil, nil)
	if err != nil || len(got) != 1 || got[0].Rel != "left-pad/index.js" {
		t.Errorf("node_modules as PATH: %v, %v", got, err)
	}
}

func TestBuildEmptyFailsClosed(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeTree(t, root, map[string]string{"a.py": ""})
	o := Options{Paths: []string{root}, Checker: "true", Include: []string{"**/*.aether"}, Exclude: []string{"old/**"},
		Env: []string{"PATH=" + os.Getenv("PATH")}}
	_, err := Build(context.Background(), o)
	if !errors.Is(err, ErrNoFiles) || !strings.Contains(err.Error(), "under "+root+" matching include **/*.aether; exclude old/**") {
		t.Errorf("Build of nothing: %v", err)
	}
	_, err = Build(context.Background(), Options{Statuses: "-", Stdin: strings.NewReader(`{"ok":true,"file":"a.py"}`), Include: []string{"*.js"}})
	if !errors.Is(err, ErrNoFiles) || !strings.Contains(err.Error(), "in the statuses - matching include *.js") {
		t.Errorf("ingest of nothing: %v", err)
	}
	o.AllowEmpty = true
	b, err := Build(context.Background(), o)
	if err != nil || b.Total != 0 {
		t.Errorf("allowed empty: %+v, %v", b, err)
	}
}

// TestSample compares --limit's sample with an independent computation:
// the paths sorted by the hex of their SHA-256, first N.
func TestSample(t *testing.T) {
	t.Parallel()
	var paths []string
	for i := range 200 {
		paths = append(paths, fmt.Sprintf("d%d/f%03d.aether", i%9, i))
	}
	slices.Sort(paths)
	byHash := slices.Clone(paths)
	hexOf := func(p string) string { s := sha256.Sum256([]byte(p)); return hex.EncodeToString(s[:]) }
	slices.SortFunc(byHash, func(a, b string) int { return strings.Compare(hexOf(a), hexOf(b)) })
	id := func(s string) string { return s }
	var prev []string
	for _, n := range []int{1, 7, 50, 199} {
		want := slices.Clone(byHash[:n])
		slices.Sort(want)
		got := narrow(slices.Clone(paths), id, n, 0, 0)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("sample of %d (-want +got):\n%s", n, diff)
		}
		for _, p := range prev {
			if _, ok := slices.BinarySearch(got, p); !ok {
				t.Errorf("sample of %d lost %s from the smaller sample", n, p)
			}
		}
		prev = got
	}
	if got := narrow(slices.Clone(paths), id, 500, 0, 0); len(got) != len(paths) {
		t.Errorf("limit above the count kept %d of %d", len(got), len(paths))
	}
}

// TestNamesNotUTF8: a name that is not UTF-8 is written in the baseline
// with U+FFFD for each invalid byte, so two of them (Latin-1 résumé and
// rèsumè) would be one path there, listed twice or passed and failing at
// once: the walk refuses them, naming both; one alone is checked.
func TestNamesNotUTF8(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeTree(t, root, map[string]string{"r\xe9sum\xe9.txt": "", "m/z.txt": "", "r\xe8sum\xe8.txt": ""})
	_, err := discover([]string{root}, nil, nil)
	if err == nil || !strings.Contains(err.Error(), `r\xe8sum\xe8.txt" and "`) || !strings.Contains(err.Error(), "are both written as \"r\uFFFDsum\uFFFD.txt\"") {
		t.Errorf("two names that read alike: err = %v", err)
	}
	got, err := discover([]string{root}, []string{"r\xe9*", "m/**"}, nil)
	if err != nil || len(got) != 2 {
		t.Errorf("one name that is not UTF-8: %v, %v", got, err)
	}
	// A name holding U+FFFD itself reads like one that is not UTF-8.
	writeTree(t, root, map[string]string{"x\uFFFD": "", "x\xff": ""})
	_, err = discover([]string{root}, []string{"x*"}, nil)
	if err == nil || !strings.Contains(err.Error(), "are both written as \"x\uFFFD\"") {
		t.Errorf("a name with U+FFFD and one not UTF-8: err = %v", err)
	}
	// Statuses that name them alike are refused as well.
	in := `{"ok":false,"code":20,"file":"q\udce9.py","message":"bad"}` + "\n" + `{"ok":true,"code":0,"file":"./q\udce9.py"}` + "\n"
	_, err = Build(context.Background(), Options{Statuses: "-", Stdin: strings.NewReader(in), Env: []string{}})
	if err == nil || !strings.Contains(err.Error(), "both read as") {
		t.Errorf("statuses naming files alike: err = %v", err)
	}
}
