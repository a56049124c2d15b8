package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/baseline/baselinetest"
	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/compare"
)

// tricky renames a synthetic path after the characters a report must
// escape or keep: quotes, HTML's <>&, a backslash, non-ASCII letters, a
// new line, a tab and the line separators JSON escapes.
func tricky(path string) string {
	var n int
	fmt.Sscanf(path, "workflows/wf_%05d.aether", &n)
	parts := []string{`say "hi"`, "<a href=x>&amp;</a>", `back\slash`, "ünïcödé/中文/😀", "new\nline\ttab", "sep\u2028\u2029"}
	return fmt.Sprintf("workflows/%s/wf_%05d.aether", parts[n%len(parts)], n)
}

// writeTricky writes the synthetic baseline of s with tricky paths and
// messages, some files suppressed by an entry not written for them and
// some carrying fields this version does not know; swap puts its last two
// files out of order.
func writeTricky(t *testing.T, path string, s baselinetest.Spec, suppress, swap bool) {
	t.Helper()
	b, err := baselinetest.Synth(s)
	if err != nil {
		t.Fatal(err)
	}
	for i := range b.Files {
		f := &b.Files[i]
		f.Path = tricky(f.Path)
		f.Message += ` — "quoted" <tag> & 'apostrophe'` + "\n second line"
		f.Fingerprint = baseline.Fingerprint(f.CodeName, f.Line, f.Message)
		if i%7 == 0 {
			f.Extra = map[string]json.RawMessage{"x_tool": json.RawMessage(`{"rules": ["a<b", "c&d"], "empty": [], "none": {}}`)}
		}
		if suppress && i%4 == 0 {
			if b.SuppressedByCode == nil {
				b.SuppressedByCode = map[string]int{}
			}
			f.Suppressed, f.UnscopedSuppression = true, true
			b.SuppressedByCode[f.CodeName]++
		}
	}
	b.Normalize()
	if swap {
		n := len(b.Files)
		b.Files[n-1], b.Files[n-2] = b.Files[n-2], b.Files[n-1]
	}
	if err := baseline.Write(path, b); err != nil {
		t.Fatal(err)
	}
}

// TestFullIsTheReportInMemory: --full, which writes its lists through
// temporary files, writes byte for byte the report and the markdown that
// the whole comparison held in memory renders, on stdout and in --output;
// so does a run that falls back to reading an unsorted baseline whole
// after its stream has spilled files.
func TestFullIsTheReportInMemory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ref, next, unsorted := filepath.Join(dir, "ref.json"), filepath.Join(dir, "new.json"), filepath.Join(dir, "unsorted.json")
	writeTricky(t, ref, baselinetest.Spec{Total: 600, Counts: map[string]int{baseline.ParseError: 300, baseline.ValidationError: 40, baseline.InternalError: 3}}, false, false)
	spec := baselinetest.Spec{Total: 600, Offset: 37, Counts: map[string]int{baseline.ParseError: 280, baseline.ValidationError: 70, baseline.InternalError: 5}}
	writeTricky(t, next, spec, true, false)
	writeTricky(t, unsorted, spec, true, true)

	refDoc, err := baseline.Read(ref)
	if err != nil {
		t.Fatal(err)
	}
	nextDoc, err := baseline.Read(next)
	if err != nil {
		t.Fatal(err)
	}
	policy := compare.DefaultPolicy()
	whole := compare.Compare(refDoc, nextDoc, policy)
	if whole.NewFailuresTotal <= fullHead || whole.FixedTotal <= fullHead || whole.NewSuppressedTotal <= fullHead {
		t.Fatalf("test data: %d new, %d fixed, %d newly suppressed: each list must pass the %d files kept in memory",
			whole.NewFailuresTotal, whole.FixedTotal, whole.NewSuppressedTotal, fullHead)
	}
	whole.Timestamp = compare.Stamp(time.Unix(1757758522, 0))
	wantJSON, err := encodeReport(whole)
	if err != nil {
		t.Fatal(err)
	}
	wantMD := markdown(refDoc, ref, whole, policy, io.Discard)
	for _, s := range []string{`say \"hi\"`, "<a href=x>&amp;</a>", `back\\slash`, "中文/😀", `new\nline\ttab`, `sep\u2028\u2029`, `"x_tool": {`} {
		if !bytes.Contains(wantJSON, []byte(s)) {
			t.Fatalf("test data: the report does not hold %q", s)
		}
	}

	for _, newPath := range []string{next, unsorted} {
		t.Run(filepath.Base(newPath), func(t *testing.T) {
			t.Parallel()
			out, md := filepath.Join(t.TempDir(), "report.json"), filepath.Join(t.TempDir(), "report.md")
			var stdout, stderr bytes.Buffer
			args := []string{"--full", "--new", newPath, "--ref", ref, "--output", out, "--markdown", md}
			if code := run(context.Background(), args, cli.Stdio{Out: &stdout, Err: &stderr}, func(string) string { return "1757758522" }); code != cli.ExitFail {
				t.Fatalf("exit code %d, want %d\n%s", code, cli.ExitFail, stderr.String())
			}
			want := string(wantJSON)
			if diff := cmp.Diff(want, stdout.String()); diff != "" {
				t.Errorf("stdout (-in memory +--full):\n%s", diff)
			}
			for name, want := range map[string]string{out: want, md: wantMD} {
				got, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, string(got)); diff != "" {
					t.Errorf("%s (-in memory +--full):\n%s", filepath.Base(name), diff)
				}
			}
		})
	}
}
