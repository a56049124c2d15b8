package scan

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/baseline"
)

// cacheChecker is a checker of its own for the cache tests, unlike the
// fake of scan_test.go: a script file (so editing it changes the checker's
// identity) that logs each file it is handed, so the tests count the
// files checked from the checker's side. The first word of a file decides
// its verdict, through each kind of evidence a cache keeps.
const cacheChecker = `for f in "$@"; do
  echo "$f" >>"$CHECK_LOG"
  read -r kind rest <"$f"
  case "$kind" in
    ok) st='{"ok":true,"code":0,"code_name":"SUCCESS","file":"%s"}' ;;
    parse) st='{"ok":false,"code":20,"code_name":"PARSE_ERROR","file":"%s","message":"Parse error: %s","line":2}' ;;
    *) st='{"ok":false,"code":25,"code_name":"VALIDATION_ERROR","file":"%s","message":"unknown %s"}' ;;
  esac
  printf "$st\n" "$f" "$rest"
done
[ $# -eq 1 ] && [ "$kind" = prefix ] && { echo "AETHER_ERROR_CODE:21" >&2; echo "boom at line 4" >&2; }
exit 0
`

type cacheCorpus struct {
	root, script, log string
	files             int
}

func newCacheCorpus(t *testing.T, files int) *cacheCorpus {
	t.Helper()
	dir := t.TempDir()
	c := &cacheCorpus{root: filepath.Join(dir, "tree"), script: filepath.Join(dir, "check.sh"), log: filepath.Join(dir, "log"), files: files}
	body := map[string]string{}
	for i := range files {
		kind := []string{"ok", "ok", "parse", "valid", "prefix"}[i%5]
		body[fmt.Sprintf("m%d/w%03d.flow", i%7, i)] = fmt.Sprintf("%s token%d\nmore\n", kind, i)
	}
	writeTree(t, c.root, body)
	if err := os.WriteFile(c.script, []byte(cacheChecker), 0o644); err != nil {
		t.Fatal(err)
	}
	return c
}

// run builds the baseline, with cache or without (nil), and returns it
// encoded, with the files the checker was handed.
func (c *cacheCorpus) run(t *testing.T, mode string, cache *Cache, env ...string) ([]byte, int) {
	t.Helper()
	if err := os.WriteFile(c.log, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := Build(context.Background(), Options{
		Paths: []string{c.root}, Checker: "sh " + c.script + " " + mode, Jobs: 3, Now: clock, Cache: cache,
		Env: append([]string{"PATH=" + os.Getenv("PATH"), "CHECK_LOG=" + c.log}, env...),
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := baseline.Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	logged, err := os.ReadFile(c.log)
	if err != nil {
		t.Fatal(err)
	}
	return data, bytes.Count(logged, []byte("\n"))
}

func (c *cacheCorpus) edit(t *testing.T, name, body string) {
	t.Helper()
	writeTree(t, c.root, map[string]string{name: body})
}

// cachedRun is one cached run: the baseline must be byte for byte the
// one a fresh full run writes, and the checker must have been handed
// exactly the files the cache says it re-checked.
func (c *cacheCorpus) cachedRun(t *testing.T, mode string, prev []byte, wantRechecked int, env ...string) (*Cache, []byte) {
	t.Helper()
	fresh, all := c.run(t, mode, nil, env...)
	if all != c.files {
		t.Fatalf("a full run handed the checker %d files, want %d", all, c.files)
	}
	var logs []string
	cache := &Cache{Log: func(s string) { logs = append(logs, s) }}
	if prev != nil {
		cache.Sources = []CacheSource{{Name: "prev", Data: prev}}
	}
	got, checked := c.run(t, mode, cache, env...)
	if diff := cmp.Diff(string(fresh), string(got)); diff != "" {
		t.Fatalf("cached baseline differs from a fresh full run (-fresh +cached):\n%s", diff)
	}
	st := cache.Stats()
	if st.Rechecked != wantRechecked || st.Rechecked+st.Reused != c.files || checked != wantRechecked {
		t.Fatalf("re-checked %d, reused %d, checker handed %d files; want %d re-checked of %d (log: %q)",
			st.Rechecked, st.Reused, checked, wantRechecked, c.files, logs)
	}
	next, err := cache.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return cache, next
}

func TestCacheMatchesFullRun(t *testing.T) {
	t.Parallel()
	for name, mode := range map[string]string{"per-file": "{file}", "batch": "{files}"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newCacheCorpus(t, 60)
			_, first := c.cachedRun(t, mode, nil, c.files)
			_, again := c.cachedRun(t, mode, first, 0)
			if !bytes.Equal(first, again) {
				t.Error("an unchanged tree wrote a different cache")
			}

			// 10 files change, some of them their verdict.
			for i := range 10 {
				name := fmt.Sprintf("m%d/w%03d.flow", (i*5)%7, i*5)
				c.edit(t, name, []string{"parse changed\n", "ok now\n"}[i%2])
			}
			_, after10 := c.cachedRun(t, mode, again, 10)

			// The checker's script is edited: its identity changes.
			script, _ := os.ReadFile(c.script)
			if err := os.WriteFile(c.script, bytes.Replace(script, []byte("Parse error: "), []byte("Parse error (v2): "), 1), 0o644); err != nil {
				t.Fatal(err)
			}
			_, afterScript := c.cachedRun(t, mode, after10, c.files)

			// A variable that describes the run does not change the
			// identity; one the checker may read does.
			_, sameRun := c.cachedRun(t, mode, afterScript, 0, "GITHUB_SHA=abc", "GITHUB_RUN_ID=7")
			c.cachedRun(t, mode, sameRun, c.files, "LANG=C.UTF-8")

			// Removed files are dropped from the cache.
			for _, n := range []string{"m0/w000.flow", "m1/w001.flow"} {
				if err := os.Remove(filepath.Join(c.root, n)); err != nil {
					t.Fatal(err)
				}
			}
			c.files -= 2
			_, pruned := c.cachedRun(t, mode, sameRun, 0)
			if bytes.Contains(pruned, []byte("w000.flow")) || !bytes.Contains(sameRun, []byte("w000.flow")) {
				t.Error("a removed file stayed in the cache")
			}
		})
	}
}

// TestCacheSkipsNamesJSONCannotHold: a file name that is not UTF-8 would
// be recorded as JSON makes it (U+FFFD for each bad byte), two such names
// as one path listed twice, and the next run would ignore the whole cache
// as damaged. Such files are checked on every run instead.
func TestCacheSkipsNamesJSONCannotHold(t *testing.T) {
	t.Parallel()
	c := newCacheCorpus(t, 10)
	c.edit(t, "m0/bad\xff.flow", "ok a\n")
	c.edit(t, "m0/other\xfe.flow", "ok b\n")
	first := &Cache{}
	c.run(t, "{file}", first)
	data, err := first.Encode()
	if err != nil {
		t.Fatal(err)
	}
	var logs []string
	again := &Cache{Log: func(s string) { logs = append(logs, s) }, Sources: []CacheSource{{Name: "first", Data: data}}}
	if _, checked := c.run(t, "{file}", again); checked != 2 || len(logs) != 0 {
		t.Errorf("checker handed %d files, want the 2 not-UTF-8 names; log %q", checked, logs)
	}
	if st := again.Stats(); st.Reused != c.files || st.Rechecked != 2 {
		t.Errorf("%+v, want %d reused and 2 re-checked", st, c.files)
	}
}

// TestCacheTempDirFails: the run's list of files and its cache are kept in
// temporary files; a TMPDIR that cannot hold them fails the run with an
// error that says what to do.
func TestCacheTempDirFails(t *testing.T) {
	// Not parallel: it sets TMPDIR.
	c := newCacheCorpus(t, 3)
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	_, err := Build(context.Background(), Options{Paths: []string{c.root}, Checker: "sh " + c.script + " {file}",
		Now: clock, Cache: &Cache{}, Env: []string{"PATH=" + os.Getenv("PATH"), "CHECK_LOG=" + c.log}})
	if err == nil || !strings.HasSuffix(err.Error(), "(set TMPDIR to a writable folder with room)") {
		t.Fatalf("err = %v", err)
	}
}

// TestCacheUntrusted: a cache that cannot be trusted whole is ignored with
// a line that says why, every file is checked again, and the baseline is
// still a full run's.
func TestCacheUntrusted(t *testing.T) {
	t.Parallel()
	c := newCacheCorpus(t, 30)
	_, good := c.cachedRun(t, "{file}", nil, c.files)
	lines := strings.SplitAfter(string(good), "\n")
	foreign, _ := c.run(t, "{file}", nil)
	tests := map[string]struct {
		data string
		want string
	}{
		"truncated":     {string(good[:len(good)-40]), "truncated"},
		"no end line":   {strings.Join(lines[:len(lines)-2], ""), "truncated"},
		"flipped":       {strings.Replace(string(good), "PARSE_ERROR", "SUCCESS\u0000\u0000\u0000\u0000", 1), "damaged"},
		"verdict":       {strings.Replace(string(good), `"code_name":"PARSE_ERROR"`, `"code_name":"SUCCESS"`, 1), "damaged"},
		"line dropped":  {strings.Join(append(lines[:3:3], lines[4:]...), ""), "damaged"},
		"foreign":       {string(foreign), "not a parse-baseline cache"},
		"empty":         {"", "not a parse-baseline cache"},
		"other version": {strings.Replace(string(good), `"tool":"`+toolID()+`"`, `"tool":"v0.0.1"`, 1), `version "v0.0.1"`},
		// An unstamped build of other code ("dev", as every build without
		// -ldflags said before): its verdicts are not this build's, even
		// resealed.
		"other unstamped build": {reseal(t, strings.Replace(string(good), `"tool":"`+toolID()+`"`, `"tool":"dev"`, 1)), `written by version "dev" of the tool, this is "dev+`},
		"other format":          {strings.Replace(string(good), `"version":1`, `"version":2`, 1), "format version 2"},
		// Lines edited and the end line's checksum recomputed: each line
		// is judged as a live verdict would be.
		"unknown phase": {reseal(t, strings.Replace(string(good), `"phase":"parse"`, `"phase":"bogus"`, 1)), "phase out of range"},
		"unknown code":  {reseal(t, strings.Replace(string(good), `"code_name":"PARSE_ERROR"`, `"code_name":"WHATEVER"`, 1)), `code_name "WHATEVER"`},
		"raw message":   {reseal(t, strings.Replace(string(good), `"message":"`, `"message":"\u001b[31m`, 1)), "message or phase out of range"},
		"listed twice":  {reseal(t, strings.Join(append(append(lines[:3:3], lines[2]), lines[3:]...), "")), "listed twice"},
		"out of order":  {reseal(t, strings.Join(append(append(append(lines[:2:2], lines[3]), lines[2]), lines[4:]...), "")), "not in path order"},
		"huge line":     {reseal(t, strings.Replace(string(good), `"message":"`, `"message":"`+strings.Repeat("x", 1<<20), 1)), "more than"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var logs []string
			cache := &Cache{Log: func(s string) { logs = append(logs, s) }, Sources: []CacheSource{{Name: "x.cache", Data: []byte(tc.data)}}}
			fresh, _ := c.run(t, "{file}", nil)
			got, checked := c.run(t, "{file}", cache)
			if !bytes.Equal(fresh, got) || checked != c.files || cache.Stats().Reused != 0 {
				t.Errorf("checked %d of %d, reused %d; baseline equal: %v", checked, c.files, cache.Stats().Reused, bytes.Equal(fresh, got))
			}
			if len(logs) != 1 || !strings.Contains(logs[0], "cache x.cache ignored: ") || !strings.Contains(logs[0], tc.want) {
				t.Errorf("log %q, want one line saying %q", logs, tc.want)
			}
		})
	}
}

// TestCacheNeverKeepsTransient: a timeout, an unreadable file or a crash
// is checked again on the next run.
func TestCacheNeverKeepsTransient(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"ok.x": "ok", "crash.x": "crash", "slow.x": "slow", "bad.x": "bad"})
	script := `read -r k <"$1"; case "$k" in ok) exit 0;; crash) kill -9 $$;; slow) sleep 5;; esac; exit 20`
	run := func(cache *Cache) *baseline.Baseline {
		b, err := Build(context.Background(), Options{Paths: []string{dir}, Checker: "sh -c '" + script + "' sh {file}",
			Timeout: 300 * 1e6, Env: []string{"PATH=" + os.Getenv("PATH")}, Now: clock, Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := &Cache{}
	run(first)
	data, err := first.Encode()
	if err != nil {
		t.Fatal(err)
	}
	second := &Cache{Sources: []CacheSource{{Name: "first", Data: data}}}
	b := run(second)
	if st := second.Stats(); st.Reused != 2 || st.Rechecked != 2 {
		t.Errorf("reused %d, re-checked %d; want the two real verdicts reused (ok, bad) and crash and slow re-checked", st.Reused, st.Rechecked)
	}
	if b.ByCode[baseline.TimeoutError] != 1 || b.ByCode[baseline.InternalError] != 1 {
		t.Errorf("by code %v", b.ByCode)
	}
}

func TestCacheRefusesStatuses(t *testing.T) {
	t.Parallel()
	_, err := Build(context.Background(), Options{Statuses: "-", Stdin: strings.NewReader(`{"ok":true,"file":"a"}`), Cache: &Cache{}})
	if err == nil || !strings.Contains(err.Error(), "no checker") {
		t.Errorf("err = %v, want a refusal", err)
	}
}

// TestCacheExecPhase: with an execute phase the final verdict is kept,
// and the execute checker is part of the identity.
func TestCacheExecPhase(t *testing.T) {
	t.Parallel()
	c := newCacheCorpus(t, 30)
	execScript := filepath.Join(filepath.Dir(c.root), "exec.sh")
	write := func(body string) {
		if err := os.WriteFile(execScript, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(`grep -q 'token1' "$1" && { printf '{"ok":false,"code_name":"RUNTIME_ERROR","file":"%s","message":"boom"}\n' "$1"; exit 1; }
printf '{"ok":true,"file":"%s"}\n' "$1"
`)
	run := func(cache *Cache) []byte {
		b, err := Build(context.Background(), Options{
			Paths: []string{c.root}, Checker: "sh " + c.script + " {file}", ExecChecker: "sh " + execScript + " {file}",
			Jobs: 3, Now: clock, Cache: cache, Env: []string{"PATH=" + os.Getenv("PATH"), "CHECK_LOG=" + c.log},
		})
		if err != nil {
			t.Fatal(err)
		}
		data, err := baseline.Encode(b)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	first := &Cache{}
	full := run(first)
	if !bytes.Contains(full, []byte(`"RUNTIME_ERROR"`)) || !bytes.Contains(full, []byte(`"phase": "execute"`)) {
		t.Fatalf("the execute phase judged nothing:\n%s", full)
	}
	data, err := first.Encode()
	if err != nil {
		t.Fatal(err)
	}
	again := &Cache{Sources: []CacheSource{{Name: "first", Data: data}}}
	if got := run(again); !bytes.Equal(got, full) || again.Stats().Reused != c.files {
		t.Errorf("reused %d of %d; baseline equal: %v", again.Stats().Reused, c.files, bytes.Equal(got, full))
	}
	// The execute checker's script changes: every file is checked again.
	write(`printf '{"ok":true,"file":"%s"}\n' "$1"
`)
	var logs []string
	changed := &Cache{Log: func(s string) { logs = append(logs, s) }, Sources: []CacheSource{{Name: "first", Data: data}}}
	fresh := run(nil)
	if got := run(changed); !bytes.Equal(got, fresh) || changed.Stats().Rechecked != c.files ||
		len(logs) != 1 || !strings.Contains(logs[0], "exec_files") {
		t.Errorf("re-checked %d of %d, log %q; baseline equal: %v", changed.Stats().Rechecked, c.files, logs, bytes.Equal(got, fresh))
	}
}

// reseal rewrites the end line of an edited cache so that its count and
// checksum match the edit: the damage then reaches the line checks.
func reseal(t *testing.T, data string) string {
	t.Helper()
	body := strings.TrimSuffix(data, "\n")
	cut := strings.LastIndexByte(body, '\n')
	if cut < 0 {
		t.Fatal("no end line")
	}
	content := data[:cut+1]
	first := strings.IndexByte(content, '\n')
	sum := sha256.Sum256([]byte(content))
	end, err := json.Marshal(cacheTrailer{End: true, Files: strings.Count(content[first+1:], "\n"), SHA256: hex.EncodeToString(sum[:])})
	if err != nil {
		t.Fatal(err)
	}
	return content + string(end) + "\n"
}

// TestCacheSourceReadAsTheRunGoes: a source in a file is read as the run
// goes; one that changes after it was verified is trusted no further (its
// remaining files are checked again, with a warning), and the baseline is
// still a full run's.
func TestCacheSourceReadAsTheRunGoes(t *testing.T) {
	t.Parallel()
	c := newCacheCorpus(t, 40)
	_, good := c.cachedRun(t, "{file}", nil, c.files)
	p := filepath.Join(t.TempDir(), "prev.cache")
	if err := os.WriteFile(p, good, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	fromFile := &Cache{Sources: []CacheSource{{Name: p, Content: f, Size: st.Size()}}}
	fresh, _ := c.run(t, "{file}", nil)
	got, checked := c.run(t, "{file}", fromFile)
	if !bytes.Equal(fresh, got) || checked != 0 || fromFile.Stats().Reused != c.files {
		t.Fatalf("from a file: checked %d, reused %d, equal %v", checked, fromFile.Stats().Reused, bytes.Equal(fresh, got))
	}

	// The 21st file's line breaks after verification.
	lines := strings.SplitAfter(string(good), "\n")
	lines[21] = strings.Replace(lines[21], `"sha256"`, `"sha-256"`, 1)
	changed := []byte(strings.Join(lines, ""))
	var logs []string
	cache := &Cache{Log: func(s string) { logs = append(logs, s) },
		Sources: []CacheSource{{Name: "moving", Content: &changesAfterFirstRead{before: good, after: changed}, Size: int64(len(good))}}}
	got, checked = c.run(t, "{file}", cache)
	if !bytes.Equal(fresh, got) {
		t.Fatal("the baseline differs from a full run's")
	}
	if s := cache.Stats(); s.Reused != 20 || s.Rechecked != c.files-20 || checked != c.files-20 {
		t.Fatalf("reused %d, re-checked %d, checker handed %d; want the 20 files before the change reused", s.Reused, s.Rechecked, checked)
	}
	if len(logs) != 1 || !strings.Contains(logs[0], "cache moving: changed since it was read; its remaining files are checked again") {
		t.Fatalf("logs %q", logs)
	}
}

// changesAfterFirstRead reads as before until a read starts over at 0,
// then as after.
type changesAfterFirstRead struct {
	before, after []byte
	reads         int
}

func (r *changesAfterFirstRead) ReadAt(p []byte, off int64) (int, error) {
	if off == 0 {
		r.reads++
	}
	data := r.before
	if r.reads > 1 {
		data = r.after
	}
	if off >= int64(len(data)) {
		return 0, io.EOF
	}
	n := copy(p, data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}
