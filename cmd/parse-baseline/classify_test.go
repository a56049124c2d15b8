package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/baseline"
	"github.com/org/gonogo-action/internal/cli"
	"github.com/org/gonogo-action/internal/signing"
)

// expectation is what one corpus file must end as.
type expectation struct {
	code, category, phase string
	line                  int
	msg                   string
	suppressed            bool
}

// expectTwoPhase is the independent computation: it reads a corpus file
// of testdata/twophase and decides, by rules written here rather than
// taken from the package, what the two checkers make of it.
func expectTwoPhase(text string) (e expectation, executed bool) {
	lines := strings.Split(text, "\n")
	first := func(prefix string) int {
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimLeft(l, " \t"), prefix) {
				return i + 1
			}
		}
		return 0
	}
	if n := first("intent:"); n > 0 {
		return expectation{"PARSE_ERROR", "ParseError", "parse", n, fmt.Sprintf("Parse error line %d: legacy intent: (use goal:)", n), false}, false
	}
	if o, c := strings.Count(text, "{"), strings.Count(text, "}"); o != c {
		return expectation{"PARSE_ERROR", "ParseError", "parse", 0, fmt.Sprintf("unbalanced braces: %d open, %d closed", o, c), false}, false
	}
	if first("silent") > 0 {
		// The execute checker said nothing: an error, never a pass.
		return expectation{code: "INTERNAL_ERROR", category: "Other", phase: "execute"}, true
	}
	for _, d := range []struct{ prefix, code, cat, msg string }{
		{"call quantum", "UNSUPPORTED_FEATURE", "NotImplemented", "quantum teleport: not implemented"},
		{"fail", "RUNTIME_ERROR", "RuntimeError", "service planner missing at line %d"},
		{"budget", "TIMEOUT_ERROR", "Timeout", "step exceeded its 5s budget"},
		// Only exit 1's generic code: the words make the category.
		{"unsigned", "GENERIC_FAILURE", "SignatureMissing", "plugin refused: signature missing"},
	} {
		if n := first(d.prefix); n > 0 {
			msg := d.msg
			if strings.Contains(msg, "%d") {
				msg = fmt.Sprintf(msg, n)
			}
			return expectation{d.code, d.cat, "execute", n, msg, false}, true
		}
	}
	return expectation{code: "SUCCESS", phase: "execute"}, true
}

// classification is the part of workflow_failures.json the test reads.
type classification struct {
	Total, Failed      int
	ByCategory         map[string]int `json:"by_category"`
	ByPhase            map[string]int `json:"by_phase"`
	SuppressedFailures int            `json:"suppressed_failures"`
	Complete           bool
	Files              []struct {
		Path, Category, Phase, Message, Fingerprint, Signature string
		CodeName                                               string `json:"code_name"`
		Line                                                   int
		Suppressed                                             bool
	}
}

// TestTwoPhaseClassification runs the corpus and checker pair of
// testdata/twophase, per file and in batches, and compares every count
// and category with expectTwoPhase.
func TestTwoPhaseClassification(t *testing.T) {
	t.Parallel()
	dir, err := filepath.Abs(filepath.Join("testdata", "twophase"))
	if err != nil {
		t.Fatal(err)
	}
	corpus := filepath.Join(dir, "corpus")
	want := map[string]expectation{}
	var wantExecuted []string
	err = filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(corpus, p)
		rel = filepath.ToSlash(rel)
		e, executed := expectTwoPhase(string(data))
		want[rel] = e
		if executed {
			wantExecuted = append(wantExecuted, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// One runtime failure is suppressed: it must move to
	// Suppressed-RuntimeError and count as suppressed.
	e := want["service.aether"]
	e.suppressed, e.category = true, "Suppressed-RuntimeError"
	want["service.aether"] = e
	wantCats := map[string]int{"ParseError": 0, "SignatureMissing": 0, "RuntimeError": 0, "Timeout": 0, "NotImplemented": 0, "Other": 0}
	wantPhases := map[string]int{"parse": 0, "execute": 0}
	wantCodes := map[string]int{}
	failed, suppressed := 0, 0
	for _, e := range want {
		wantCodes[e.code]++
		if e.code == "SUCCESS" {
			continue
		}
		failed++
		wantCats[e.category]++
		wantPhases[e.phase]++
		if e.suppressed {
			suppressed++
		}
	}
	if failed < 8 || wantCats["Other"] == 0 || wantPhases["parse"] == 0 || wantPhases["execute"] == 0 {
		t.Fatalf("the corpus no longer exercises both phases and every category: %v %v", wantCats, wantPhases)
	}

	for name, mode := range map[string]string{"batch": "{files}", "per-file": "{file}"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			log := filepath.Join(out, "exec.log")
			supp := filepath.Join(out, "supp.txt")
			fp := baseline.Fingerprint("RUNTIME_ERROR", 2, "service planner missing at line 2")
			if err := os.WriteFile(supp, []byte(fp+" # planner migration, owner: core\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			args := []string{
				"--checker", "sh " + filepath.Join(dir, "check.sh") + " {file}",
				"--exec-checker", "sh " + filepath.Join(dir, "exec.sh") + " " + log + " " + mode,
				"--suppressions", supp, "--no-progress", "--jobs", "2",
				"--output", filepath.Join(out, "b.json"),
				"--classification", filepath.Join(out, "wf.json"),
				"--classification-md", filepath.Join(out, "wf.md"),
				corpus,
			}
			code := run(context.Background(), args, cli.Stdio{In: strings.NewReader(""), Out: &stdout, Err: &stderr}, func(string) string { return "" })
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}

			// The execute checker ran on exactly the files that parsed.
			data, err := os.ReadFile(log)
			if err != nil {
				t.Fatal(err)
			}
			var ran []string
			for l := range strings.Lines(string(data)) {
				rel, _ := filepath.Rel(corpus, strings.TrimSpace(l))
				ran = append(ran, filepath.ToSlash(rel))
			}
			slices.Sort(ran)
			slices.Sort(wantExecuted)
			if diff := cmp.Diff(wantExecuted, ran); diff != "" {
				t.Errorf("files the execute checker ran on (-want +got):\n%s", diff)
			}

			b, err := baseline.Read(filepath.Join(out, "b.json"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantCodes, b.ByCode); diff != "" {
				t.Errorf("by_code (-want +got):\n%s", diff)
			}
			if b.SuppressedFailures != suppressed {
				t.Errorf("suppressed_failures = %d, want %d", b.SuppressedFailures, suppressed)
			}

			var c classification
			data, err = os.ReadFile(filepath.Join(out, "wf.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &c); err != nil {
				t.Fatal(err)
			}
			if c.Total != len(want) || c.Failed != failed || c.SuppressedFailures != suppressed || !c.Complete {
				t.Errorf("total %d failed %d suppressed %d complete %v; want %d, %d, %d, true", c.Total, c.Failed, c.SuppressedFailures, c.Complete, len(want), failed, suppressed)
			}
			if diff := cmp.Diff(wantCats, c.ByCategory); diff != "" {
				t.Errorf("by_category (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantPhases, c.ByPhase); diff != "" {
				t.Errorf("by_phase (-want +got):\n%s", diff)
			}
			if len(c.Files) != len(want) {
				t.Fatalf("files lists %d, want %d", len(c.Files), len(want))
			}
			for _, f := range c.Files {
				e := want[f.Path]
				got := expectation{f.CodeName, f.Category, f.Phase, f.Line, f.Message, f.Suppressed}
				if e.code == "INTERNAL_ERROR" {
					e.msg = got.msg // the wording differs per mode; the code is the contract
					if !strings.Contains(got.msg, "reported no status for this file") {
						t.Errorf("%s: message %q, want the missing-status message", f.Path, got.msg)
					}
				}
				if diff := cmp.Diff(e, got, cmp.AllowUnexported(expectation{})); diff != "" {
					t.Errorf("%s (-want +got):\n%s", f.Path, diff)
				}
				if f.CodeName != "SUCCESS" && f.Fingerprint != baseline.Fingerprint(f.CodeName, f.Line, f.Message) {
					t.Errorf("%s: fingerprint %s", f.Path, f.Fingerprint)
				}
			}

			md, err := os.ReadFile(filepath.Join(out, "wf.md"))
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range []string{
				fmt.Sprintf("| ParseError | %d | 0 | %d |", wantCats["ParseError"], wantCats["ParseError"]),
				fmt.Sprintf("| NotImplemented | 0 | %d | %d |", wantCats["NotImplemented"], wantCats["NotImplemented"]),
				"| Suppressed-RuntimeError | 0 | 1 | 1 |",
				fmt.Sprintf("| **Total** | %d | %d | %d | |", wantPhases["parse"], wantPhases["execute"], failed),
			} {
				if !strings.Contains(string(md), row) {
					t.Errorf("workflow_failures.md lacks %q:\n%s", row, md)
				}
			}
		})
	}
}

// TestClassificationSignatures records the signature state of the demo's
// signed workflows under its release key, as the signing package itself
// judges them.
func TestClassificationSignatures(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	flows := filepath.Join(root, "examples", "aetherra", "workflows")
	key := filepath.Join(root, "examples", "aetherra", "keys", "release.pub")
	revoked := filepath.Join(root, "examples", "aetherra", "keys", "revoked.txt")
	out := t.TempDir()
	dir, _ := filepath.Abs(filepath.Join("testdata", "twophase"))
	var stderr bytes.Buffer
	code := run(context.Background(), []string{
		"--checker", "sh " + filepath.Join(dir, "check.sh") + " {file}", "--include", "*.aether", "--no-progress",
		"--output", filepath.Join(out, "b.json"), "--classification", filepath.Join(out, "wf.json"),
		"--signatures-key", key, "--signatures-revoked", revoked, "--signatures-root", root, flows,
	}, cli.Stdio{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &stderr}, func(string) string { return "" })
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	rep, err := signing.Check(context.Background(), root, signing.Spec{
		Include: []string{"examples/aetherra/workflows/*.aether"}, Keys: []string{key}, Revoked: revoked,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, r := range rep.Results {
		want[strings.TrimPrefix(r.Path, "examples/aetherra/workflows/")] = string(r.Status)
	}
	var c classification
	data, err := os.ReadFile(filepath.Join(out, "wf.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range c.Files {
		got[f.Path] = f.Signature
	}
	if len(want) < 3 {
		t.Fatalf("the demo has %d signed workflows, want 3", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("signature states (-signing.Check +classification):\n%s", diff)
	}
}

// TestClassificationSignaturesPaths: a PATH that is a file is found as
// itself, and a file outside --signatures-root is refused by name before
// any verdict is recorded.
func TestClassificationSignaturesPaths(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	flows := filepath.Join(root, "examples", "aetherra", "workflows")
	key := filepath.Join(root, "examples", "aetherra", "keys", "release.pub")
	check, _ := filepath.Abs(filepath.Join("testdata", "twophase", "check.sh"))
	boot, hmr := filepath.Join(flows, "boot.aether"), filepath.Join(flows, "hmr_swap.aether")
	run1 := func(t *testing.T, sigRoot string) (int, string, classification) {
		out := t.TempDir()
		var stderr bytes.Buffer
		code := run(context.Background(), []string{
			"--checker", "sh " + check + " {file}", "--no-progress", "--suppressions", "",
			"--output", filepath.Join(out, "b.json"), "--classification", filepath.Join(out, "wf.json"),
			"--signatures-key", key, "--signatures-root", sigRoot, boot, hmr,
		}, cli.Stdio{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &stderr}, func(string) string { return "" })
		var c classification
		if data, err := os.ReadFile(filepath.Join(out, "wf.json")); err == nil {
			if err := json.Unmarshal(data, &c); err != nil {
				t.Fatal(err)
			}
		}
		return code, stderr.String(), c
	}
	t.Run("file PATHs", func(t *testing.T) {
		t.Parallel()
		code, stderr, c := run1(t, root)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		rep, err := signing.Check(context.Background(), root, signing.Spec{
			Files: []string{"examples/aetherra/workflows/boot.aether", "examples/aetherra/workflows/hmr_swap.aether"}, Keys: []string{key},
		})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for _, r := range rep.Results {
			want[filepath.Join(root, filepath.FromSlash(r.Path))] = string(r.Status)
		}
		got := map[string]string{}
		for _, f := range c.Files {
			got[filepath.FromSlash(f.Path)] = f.Signature
		}
		if len(want) != 2 {
			t.Fatalf("signing.Check judged %d files, want 2", len(want))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("signature states (-signing.Check +classification):\n%s", diff)
		}
	})
	t.Run("outside the root", func(t *testing.T) {
		t.Parallel()
		other := t.TempDir()
		code, stderr, _ := run1(t, other)
		want := "parse-baseline: signatures: " + filepath.ToSlash(filepath.Clean(boot)) + " lies outside the repository root " + other + " (give --signatures-root)"
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, want)
		}
	})
}

// TestLocate: a reported path is found under the first folder PATH that
// holds it, a file PATH only as itself, and a PATH that does not exist
// holds nothing.
func TestLocate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, f := range []string{"one/a.aether", "one/both.aether", "two/b.aether", "two/both.aether", "single.aether"} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	single := filepath.Join(dir, "single.aether")
	roots, err := statRoots([]string{filepath.Join(dir, "gone"), filepath.Join(dir, "one"), filepath.Join(dir, "two"), single})
	if err != nil {
		t.Fatal(err)
	}
	if len(roots) != 3 {
		t.Fatalf("statRoots kept %d PATHs, want 3 (the missing one dropped): %+v", len(roots), roots)
	}
	for _, tt := range []struct {
		rel, want string
		ok        bool
	}{
		{"a.aether", "one/a.aether", true},
		{"b.aether", "two/b.aether", true},
		{"both.aether", "one/both.aether", true},
		{filepath.ToSlash(single), "single.aether", true},
		{"single.aether", "", false},
		{"gone/x.aether", "", false},
		{"c.aether", "", false},
	} {
		got, ok := locate(roots, tt.rel)
		want := ""
		if tt.ok {
			want = filepath.Join(dir, filepath.FromSlash(tt.want))
		}
		if got != want || ok != tt.ok {
			t.Errorf("locate(%q) = %q, %v; want %q, %v", tt.rel, got, ok, want, tt.ok)
		}
	}
}
