package scan

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/baseline"
)

// TestWalkIsSorted: the walk yields paths in strings.Compare order without
// sorting them all, also where a folder's name is a prefix of a file's
// ("a/…" sorts after "a-c" and "a.b"), and merges several roots.
func TestWalkIsSorted(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	names := []string{"a/b", "a/c/d", "a-c", "a.b/x", "a0", "a b", "A", "ü/x", "x/y/z", "x-y", "x.y", "x/y-z", "x/y.z", "x0/y",
		"node_modules/skip", "deep/" + strings.Repeat("n/", 12) + "f"}
	files := map[string]string{}
	for _, n := range names {
		files["one/"+n] = ""
		files["two/t"+n] = ""
	}
	writeTree(t, root, files)
	var want []string
	for _, dir := range []string{"one", "two"} {
		filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if d.IsDir() && d.Name() == "node_modules" {
				return fs.SkipDir
			}
			if !d.IsDir() {
				rel, _ := filepath.Rel(filepath.Join(root, dir), p)
				want = append(want, filepath.ToSlash(rel))
			}
			return nil
		})
	}
	slices.Sort(want)
	var got []string
	for tg, err := range walk([]string{filepath.Join(root, "one"), filepath.Join(root, "two")}, nil, nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, tg.Rel)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("walk order (-sorted +walk):\n%s", diff)
	}
}

// TestWalkManyPaths: PATHs that are files (a command line can name
// thousands) are merged with the folders' walks in path order, without a
// goroutine each; a file named by two PATHs is refused, naming them in the
// order given.
func TestWalkManyPaths(t *testing.T) {
	// Not parallel: it counts the process's goroutines.
	root := t.TempDir()
	const n = 1500
	files := map[string]string{"d1/f/0100a": "", "d2/g": ""}
	var roots []string
	for i := n - 1; i >= 0; i-- { // given out of order
		name := fmt.Sprintf("f/%04d", i)
		files[name] = ""
		roots = append(roots, name)
	}
	writeTree(t, root, files)
	t.Chdir(root)
	roots = append(roots, "d1", "d2")
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("f/%04d", i))
	}
	want = append(want, "f/0100a", "g")
	slices.Sort(want)
	before, most := runtime.NumGoroutine(), 0
	var got []string
	for tg, err := range distinct(walk(roots, nil, nil)) {
		if err != nil {
			t.Fatal(err)
		}
		most = max(most, runtime.NumGoroutine()-before)
		got = append(got, tg.Rel)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("walk order (-sorted +walk):\n%s", diff)
	}
	if most > 10 {
		t.Errorf("%d goroutines while walking %d PATHs", most, len(roots))
	}
	writeTree(t, root, map[string]string{"d1/f/0005": ""})
	_, err := discover([]string{"f/0007", "d1", "f/0005"}, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "d1/f/0005 and f/0005 are both reported as") {
		t.Errorf("a file named by two PATHs: err = %v", err)
	}
	// The same folder twice is said as such, not as two folders to join.
	_, err = discover([]string{filepath.Join(root, "d1"), filepath.Join(root, "d1") + "/"}, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "is reached through two PATHs (a PATH given twice, or spelled two ways); name it once") {
		t.Errorf("one folder given twice: err = %v", err)
	}
}

// TestPlanIsNarrow: the first walk's sample and shard keep exactly the
// files that sampling and sharding the whole list keeps.
func TestPlanIsNarrow(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	files := map[string]string{}
	for i := range 300 {
		files[fmt.Sprintf("d%d/f%03d.aether", i%7, i)] = ""
	}
	writeTree(t, root, files)
	all, err := discover([]string{root}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	rel := func(tg target) string { return tg.Rel }
	for _, tc := range []struct{ limit, k, n int }{{0, 0, 0}, {10, 0, 0}, {299, 0, 0}, {300, 0, 0}, {500, 0, 0}, {0, 2, 3}, {40, 1, 4}, {40, 4, 4}} {
		o := Options{Paths: []string{root}, Limit: tc.limit, ShardK: tc.k, ShardN: tc.n}
		p, err := planRun(o)
		if err != nil {
			t.Fatal(err)
		}
		defer p.close()
		want := narrow(slices.Clone(all), rel, tc.limit, tc.k, tc.n)
		var got []target
		for tg, err := range p.targets(o) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, tg)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(target{})); diff != "" {
			t.Fatalf("limit %d, shard %d/%d (-narrow +plan):\n%s", tc.limit, tc.k, tc.n, diff)
		}
		if p.matched != len(all) || p.count != len(want) {
			t.Fatalf("limit %d, shard %d/%d: matched %d count %d, want %d and %d", tc.limit, tc.k, tc.n, p.matched, p.count, len(all), len(want))
		}
	}
}

// TestBuildSpilledIsInMemory: files judged out of order (a checker that
// sleeps a little per file, four at a time), with and without the spill
// and the cache, give one baseline, byte for byte.
func TestBuildSpilledIsInMemory(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{}
	for i := range 120 {
		content := "ok"
		if i%5 == 0 {
			content = "say Parse error line 2: bad"
		}
		files[fmt.Sprintf("d%d/f%03d.aether", i%4, i)] = content
	}
	writeTree(t, root, files)
	t.Chdir(root)
	checker := "sh -c 'sleep 0.0$(( $$ % 5 )); " + strings.ReplaceAll(fakeScript, "'", `'\''`) + "' sh {file}"
	build := func(spill bool, cache *Cache) []byte {
		t.Helper()
		b, err := Build(context.Background(), Options{Checker: checker, Jobs: 4, Env: []string{"PATH=" + os.Getenv("PATH")},
			Now: clock, Spill: spill, Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if spill != (b.PassedSpill != nil) {
			t.Fatalf("spill %v, PassedSpill %v", spill, b.PassedSpill)
		}
		b.DurationSec = 0
		var buf strings.Builder
		if err := baseline.EncodeTo(&buf, b); err != nil {
			t.Fatal(err)
		}
		return []byte(buf.String())
	}
	want := build(false, nil)
	if got := build(true, nil); string(got) != string(want) {
		t.Fatalf("spilled:\n%s\nin memory:\n%s", got, want)
	}
	first := &Cache{}
	if got := build(true, first); string(got) != string(want) {
		t.Fatal("with a cache (first run) the baseline differs")
	}
	data, err := first.Encode()
	if err != nil {
		t.Fatal(err)
	}
	second := &Cache{Sources: []CacheSource{{Name: "c", Data: data}}}
	if got := build(true, second); string(got) != string(want) {
		t.Fatal("with every verdict reused the baseline differs")
	}
	if st := second.Stats(); st.Reused != 120 || st.Rechecked != 0 {
		t.Fatalf("second run: %+v", st)
	}
}

// TestBuildChecksWhatItCounted: a checker that writes into the tree (its
// logs, in a folder the walk reaches after the files it checks) does not
// get its own output checked: the run checks the files it counted.
func TestBuildChecksWhatItCounted(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	files := map[string]string{}
	const n = 1100 // more than the window of files between the walk and the tally
	for i := range n {
		files[fmt.Sprintf("src/f%04d.aether", i)] = "ok"
	}
	writeTree(t, root, files)
	if err := os.Mkdir(filepath.Join(root, "zz"), 0o755); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), "check.sh")
	if err := os.WriteFile(script, []byte(`for f; do echo log > "$OUT/${f##*/}.log"; printf '{"ok":true,"file":"%s"}\n' "$f"; done`), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := Build(context.Background(), Options{Paths: []string{root}, Checker: "sh " + script + " {files}", BatchSize: 50, Jobs: 1,
		Now: clock, Env: []string{"PATH=" + os.Getenv("PATH"), "OUT=" + filepath.Join(root, "zz")}})
	if err != nil {
		t.Fatal(err)
	}
	if logs, _ := os.ReadDir(filepath.Join(root, "zz")); b.Total != n || len(logs) != n {
		t.Fatalf("checked %d files, want the %d counted (the checker wrote %d logs)", b.Total, n, len(logs))
	}
}

// TestExecPhaseBatches: a batch execute checker after a per-file checker
// runs once per batch of the files passed, as with a batch checker, not
// once per file.
func TestExecPhaseBatches(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	files := map[string]string{}
	for i := range 20 {
		files[fmt.Sprintf("f%02d.aether", i)] = "ok"
	}
	files["bad.aether"] = "exit 20 Parse error line 1: bad"
	writeTree(t, root, files)
	dir := t.TempDir()
	log, execScript := filepath.Join(dir, "exec.log"), filepath.Join(dir, "exec.sh")
	if err := os.WriteFile(execScript, []byte(`echo run >> "$LOG"; for f; do printf '{"ok":true,"file":"%s"}\n' "$f"; done`), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := Build(context.Background(), Options{
		Paths: []string{root}, Checker: fakeChecker(), ExecChecker: "sh " + execScript + " {files}",
		Jobs: 2, Now: clock, Env: []string{"PATH=" + os.Getenv("PATH"), "LOG=" + log},
	})
	if err != nil {
		t.Fatal(err)
	}
	if b.Total != 21 || b.ByCode["SUCCESS"] != 20 || len(b.Files) != 1 || b.Files[0].Phase != baseline.PhaseParse {
		t.Fatalf("total %d, by code %v, files %+v", b.Total, b.ByCode, b.Files)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	if runs := strings.Count(string(data), "run"); runs < 1 || runs > 2 {
		t.Errorf("the batch execute checker ran %d times on 20 files with 2 jobs, want 1 or 2 batches", runs)
	}
}

// TestInOrderHoldsAWindow: while the first unit is stuck, the walk goes on
// only as far as the window, and every unit still reaches done in order.
func TestInOrderHoldsAWindow(t *testing.T) {
	t.Parallel()
	const files, jobs = 5000, 4
	const window = 1024 // max(1024, 4 × jobs × a unit of 1)
	seq := func(yield func(target, error) bool) {
		for i := range files {
			if !yield(target{Rel: fmt.Sprintf("f%05d", i), Arg: "x"}, nil) {
				return
			}
		}
	}
	var started atomic.Int64
	release := make(chan struct{})
	var peak int64
	work := func(_ context.Context, u []target) []verdict {
		started.Add(int64(len(u)))
		if u[0].Rel == "f00000" {
			// Wait until the others fill the window (or time runs out),
			// then a while longer: none may start beyond it.
			for deadline := time.Now().Add(20 * time.Second); started.Load() < window && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(200 * time.Millisecond)
			peak = started.Load()
			close(release)
		}
		return make([]verdict, len(u))
	}
	var got []string
	err := inOrder(context.Background(), seq, jobs, 1, work, func(u []target, _ []verdict) error {
		for _, tg := range u {
			got = append(got, tg.Rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	<-release
	if peak != window {
		t.Fatalf("with the first unit stuck, %d files were started; want the window, %d", peak, window)
	}
	if len(got) != files || !slices.IsSorted(got) {
		t.Fatalf("done saw %d files, sorted %v", len(got), slices.IsSorted(got))
	}
}

// TestInOrderErrors: an error from the walk or from done ends the run with
// it, the units in flight cancelled.
func TestInOrderErrors(t *testing.T) {
	t.Parallel()
	boom := errors.New("walk failed")
	seq := func(yield func(target, error) bool) {
		for i := range 100 {
			if !yield(target{Rel: fmt.Sprint(i)}, nil) {
				return
			}
		}
		yield(target{}, boom)
	}
	work := func(ctx context.Context, u []target) []verdict { return make([]verdict, len(u)) }
	if err := inOrder(context.Background(), seq, 2, 3, work, func([]target, []verdict) error { return nil }); !errors.Is(err, boom) {
		t.Fatalf("walk error: %v", err)
	}
	stop := errors.New("disk full")
	calls := 0
	err := inOrder(context.Background(), seq, 2, 3, work, func([]target, []verdict) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("done error: %v after %d calls", err, calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := inOrder(ctx, seq, 2, 3, work, func([]target, []verdict) error { return nil }); err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("cancelled: %v", err)
	}
}
