package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/checker"
	"github.com/org/gonogo-action/internal/minisign"
)

// transcript is one command of a doc's console block and the output the
// doc quotes for it.
type transcript struct {
	cmd  string
	want []string // "…" marks lines left out
}

// readWalkthrough returns the console transcripts of the section of
// docs/parse-baseline.md titled heading: a line starting with "$ " is a
// command (a trailing " \" continues it on the next line), the lines up to
// the next command are its output as quoted.
func readWalkthrough(t *testing.T, heading string) []transcript {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "parse-baseline.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(data), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("docs/parse-baseline.md has no %q", heading)
	}
	var out []transcript
	in, other, cont := false, false, false // in a console block, in another block
	for _, l := range strings.Split(sec, "\n") {
		if !in && !other && strings.HasPrefix(l, "## ") {
			break // the next section
		}
		switch {
		case !in && !other && l == "```console":
			in = true
		case in && l == "```":
			in = false
		case strings.HasPrefix(l, "```"):
			other = !other
		case !in:
		case cont:
			out[len(out)-1].cmd += " " + strings.TrimSpace(strings.TrimSuffix(l, `\`))
			cont = strings.HasSuffix(l, `\`)
		case strings.HasPrefix(l, "$ "):
			out = append(out, transcript{cmd: strings.TrimSuffix(l[2:], `\`)})
			cont = strings.HasSuffix(l, `\`)
		case len(out) == 0:
			t.Fatalf("output before the first command: %q", l)
		default:
			out[len(out)-1].want = append(out[len(out)-1].want, l)
		}
	}
	return out
}

// Timestamps, days and key ids differ from run to run; the rest is compared
// as printed.
var walkVolatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\d{4}-\d\d-\d\d(T\d\d(\\?:\d\d){1,2}(\.\d+)?(Z|[+-]\d\d:\d\d)?| \d\d:\d\d UTC)`), "<time>"},
	{regexp.MustCompile(`added=\d{4}-\d\d-\d\d`), "added=<day>"},
	{regexp.MustCompile(`\(key [0-9A-F]{16}\)`), "(key <id>)"},
}

var walkProgress = regexp.MustCompile(`^checked \d+/\d+ files, \d+ files/s(, ETA .*)?$`)

func walkNormalize(s string) string {
	for _, v := range walkVolatile {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}

// TestWalkthrough keeps the remediation walkthrough of docs/parse-baseline.md
// true: it runs the commands of its transcripts, in order, on a fresh copy of
// the example corpus (the built gate and regression, the example's checker)
// and requires every output line the doc quotes, in the doc's order: the
// counts per category, the failure rates before and after, the signatures,
// the suppressed files, the ratchet's verdict. A command whose transcript
// ends in `; echo "exit $?"` prints its exit status as the shell would; any
// other must exit 0. The one step a person does by hand (keeping one entry of
// the suppression template) is done here from the template's own output.
func TestWalkthrough(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds gate and regression; skipped with -short")
	}
	if runtime.GOOS == "windows" {
		t.Skip("the transcripts use cat, echo and printf")
	}
	steps := readWalkthrough(t, "## Remediation walkthrough")
	if len(steps) < 20 {
		t.Fatalf("found %d commands in the walkthrough", len(steps))
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	bin := t.TempDir()
	build := exec.Command(goTool, "build", "-o", bin+string(filepath.Separator), "./cmd/gate", "./cmd/regression")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	// The set-up of the doc: a repository holding a copy of the corpus and
	// the rules; keys go beside it, outside.
	root := t.TempDir()
	dir := filepath.Join(root, "legacy")
	names, err := filepath.Glob(filepath.Join(legacyDir, "corpus", "*.aether"))
	if err != nil || len(names) == 0 {
		t.Fatalf("corpus: %v %v", names, err)
	}
	for _, n := range append(names, filepath.Join(legacyDir, "migrate.yml")) {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(legacyDir, n)
		writeFile(t, filepath.Join(dir, rel), string(b))
	}
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}

	// A fixed clock, a minute further at each command, so that the
	// history's entries are distinct and the suppression's expires= stays
	// ahead; no GITHUB_SHA, so that the history records no commit.
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, "GITHUB_") && !strings.HasPrefix(kv, "SOURCE_DATE_EPOCH=") && !strings.HasPrefix(kv, "MINISIGN_") {
			env = append(env, kv)
		}
	}
	env = append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	var template string // the output of parse-baseline suppressions
	for i, s := range steps {
		if s.cmd == "cat .aetherra/workflow_suppressions.txt" {
			// The person's edit: the doc's file, each entry of it one of
			// the template's with owner= and expires= filled in.
			fillSuppressions(t, dir, template, s.want)
		}
		got := runTranscript(t, dir, s.cmd, append(env, fmt.Sprintf("SOURCE_DATE_EPOCH=%d", start.Add(time.Duration(i)*time.Minute).Unix())))
		if strings.HasPrefix(s.cmd, "parse-baseline suppressions ") {
			template = got
		}
		if msg := matchTranscript(s.want, got); msg != "" {
			t.Errorf("$ %s\n%s\n--- printed:\n%s", s.cmd, msg, got)
		}
	}

	// The figures the doc states in its prose, computed independently: the
	// example's files after the walkthrough, by hand from lint's rules and
	// the one suppression.
	var wf struct {
		Total, Failed      int
		FailureRate        float64 `json:"failure_rate"`
		SuppressedFailures int     `json:"suppressed_failures"`
		Files              []struct{ Path, Category, Phase string }
	}
	data, err := os.ReadFile(filepath.Join(dir, "workflow_failures.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range wf.Files {
		if f.Category != "" {
			got[f.Path] = f.Category + "/" + f.Phase
		}
	}
	want := map[string]string{
		"hmr.aether":     "NotImplemented/execute", // call hmr_swap: no runtime
		"plugins.aether": "RuntimeError/execute",   // plugin_manager before memory_system
		"lyrixa.aether":  "Other/parse",            // summon: VALIDATION_ERROR
		"quantum.aether": "Suppressed-Other/parse", // teleport, suppressed on purpose
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("categories after the walkthrough (-want +got):\n%s", d)
	}
	if wf.Total != 12 || wf.Failed != 4 || wf.SuppressedFailures != 1 {
		t.Errorf("total %d, failed %d, suppressed %d; want 12, 4, 1", wf.Total, wf.Failed, wf.SuppressedFailures)
	}
}

// runTranscript runs one transcript command in dir, as a shell would for
// the forms the walkthrough uses: words split like a shell, a final
// `> FILE` or `>> FILE` for stdout, and a final `; echo "exit $?"`.
// It returns what a terminal shows: stdout and stderr as they interleave.
func runTranscript(t *testing.T, dir, line string, env []string) string {
	t.Helper()
	line, echoExit := strings.CutSuffix(line, `; echo "exit $?"`)
	words, err := checker.Split(line)
	if err != nil || len(words) == 0 {
		t.Fatalf("%q: %v", line, err)
	}
	var out bytes.Buffer
	var redirect *os.File
	if n := len(words); n > 2 && (words[n-2] == ">" || words[n-2] == ">>") {
		flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		if words[n-2] == ">>" {
			flag = os.O_WRONLY | os.O_CREATE | os.O_APPEND
		}
		p := words[n-1]
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		f, err := os.OpenFile(p, flag, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		redirect, words = f, words[:n-2]
	}
	if words[0] == "minisign" {
		if _, err := exec.LookPath("minisign"); err != nil {
			keygen(t, dir, words)
			return ""
		}
	}
	// The program is looked up in env's PATH (exec.Command would use the
	// test's own).
	prog := words[0]
	for _, kv := range env {
		if path, ok := strings.CutPrefix(kv, "PATH="); ok {
			for _, d := range filepath.SplitList(path) {
				if fi, err := os.Stat(filepath.Join(d, prog)); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
					prog = filepath.Join(d, prog)
					break
				}
			}
		}
	}
	cmd := exec.Command(prog, words[1:]...)
	cmd.Dir, cmd.Env = dir, env
	cmd.Stdout, cmd.Stderr = &out, &out
	if redirect != nil {
		cmd.Stdout = redirect
	}
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil && echoExit:
		out.WriteString("exit 0\n")
	case errors.As(err, &exit) && echoExit:
		out.WriteString("exit " + strconv.Itoa(exit.ExitCode()) + "\n")
	case err != nil:
		t.Fatalf("$ %s: %v\n%s", line, err, out.String())
	}
	return out.String()
}

// keygen stands in for `minisign -G -W -p PUB -s SEC` where minisign is not
// installed: the same files, a plain (unencrypted) key pair.
func keygen(t *testing.T, dir string, words []string) {
	t.Helper()
	var pubPath, secPath string
	for i := 1; i < len(words)-1; i++ {
		switch words[i] {
		case "-p":
			pubPath = words[i+1]
		case "-s":
			secPath = words[i+1]
		}
	}
	if pubPath == "" || secPath == "" || !strings.Contains(strings.Join(words, " "), " -G") {
		t.Fatalf("keygen: want minisign -G -W -p PUB -s SEC, got %q", words)
	}
	pk, sk, err := minisign.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	sec, err := sk.MarshalText(nil, minisign.KDF{})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := pk.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, secPath), string(sec))
	writeFile(t, filepath.Join(dir, pubPath), string(pub))
}

// fillSuppressions writes the suppressions file the doc shows, after
// checking that each of its entries is an entry of the template with
// owner= and expires= filled in (added= is the template's day).
func fillSuppressions(t *testing.T, dir, template string, doc []string) {
	t.Helper()
	fill := regexp.MustCompile(`owner=\S+ expires=\S+`)
	var file strings.Builder
	entries := 0
	for _, l := range doc {
		if !strings.HasPrefix(l, "#") && strings.TrimSpace(l) != "" {
			entries++
			fp, _, _ := strings.Cut(l, " ")
			var from string
			for _, tl := range strings.Split(template, "\n") {
				if strings.HasPrefix(tl, fp+" ") {
					from = tl
				}
			}
			if from == "" || walkNormalize(fill.ReplaceAllString(l, "owner=? expires=?")) != walkNormalize(from) {
				t.Fatalf("the doc's entry %q is not the template's %q filled in", l, from)
			}
			added := regexp.MustCompile(`added=\S+`).FindString(from)
			l = regexp.MustCompile(`added=\S+`).ReplaceAllString(l, added)
		}
		file.WriteString(l + "\n")
	}
	if entries == 0 {
		t.Fatal("the doc's suppressions file holds no entry")
	}
	writeFile(t, filepath.Join(dir, ".aetherra", "workflow_suppressions.txt"), file.String())
}

// matchTranscript says how got misses the lines quoted in want: each must
// be printed, in order; where the doc leaves nothing out ("…"), nothing
// else may be printed either.
func matchTranscript(want []string, got string) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		// The progress line every 5 s of a run off a terminal depends on
		// the machine's speed (a loaded one under -race sees it here).
		if got != "" && !walkProgress.MatchString(l) {
			lines = append(lines, walkNormalize(l))
		}
	}
	elided := false
	var quoted []string
	for _, w := range want {
		if w == "…" {
			elided = true
			continue
		}
		quoted = append(quoted, walkNormalize(w))
	}
	if !elided {
		if d := cmp.Diff(quoted, lines); d != "" {
			return "the doc's output differs (-doc +printed):\n" + d
		}
		return ""
	}
	j := 0
	for _, q := range quoted {
		for j < len(lines) && lines[j] != q {
			j++
		}
		if j == len(lines) {
			return fmt.Sprintf("the doc quotes %q, not printed (in this order)", q)
		}
		j++
	}
	return ""
}

func TestMatchTranscript(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		want []string
		got  string
		ok   bool
	}{
		{"exact", []string{"a", "b"}, "a\nb\n", true},
		{"an extra line", []string{"a"}, "a\nb\n", false},
		{"a line less", []string{"a", "b"}, "a\n", false},
		{"nothing printed", nil, "", true},
		{"elided", []string{"a", "…", "c"}, "a\nb\nc\n", true},
		{"elided, out of order", []string{"c", "…", "a"}, "a\nb\nc\n", false},
		{"elided, missing", []string{"a", "…", "d"}, "a\nb\nc\n", false},
		{"volatile parts", []string{"at 2026-12-01T03\\:47\\:21Z (key F762BCEED9630089) added=2026-12-01"},
			"at 2027-01-02T10\\:00\\:00Z (key 0123456789ABCDEF) added=2027-01-02\n", true},
		{"a figure is not volatile", []string{"9 failing (75.00%)"}, "9 failing (74.00%)\n", false},
		{"progress", []string{"done"}, "checked 3/12 files, 2 files/s, ETA 4s\ndone\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if msg := matchTranscript(tc.want, tc.got); (msg == "") != tc.ok {
				t.Errorf("matchTranscript(%q, %q) = %q, want ok=%v", tc.want, tc.got, msg, tc.ok)
			}
		})
	}
}
