package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/examples/aetherra/legacy/lint"
	"github.com/org/gonogo-action/internal/golden"
)

const legacyDir = "../../examples/aetherra/legacy"

// legacyStatus is the migration example's corpus as its author reads it:
// each file's status code before the migration and after it. It is
// written by hand, from the files and lint's documented rules, not
// computed by the code under test.
var legacyStatus = map[string][2]int{
	"agents.aether":  {20, 0},  // CR LF and intent:
	"audit.aether":   {20, 0},  // intent: under a tab; blank lines at the end
	"boot.aether":    {0, 0},   // clean
	"chat.aether":    {0, 0},   // clean but for the final newline
	"hmr.aether":     {20, 0},  // CR LF only
	"kernel.aether":  {20, 20}, // { left open: no rule fixes it
	"lyrixa.aether":  {20, 25}, // intent:, then an unknown statement shows
	"memory.aether":  {20, 0},  // intent:
	"net.aether":     {20, 20}, // intent:, then { left open shows
	"plugins.aether": {20, 0},  // intent: and trailing white space
	"quantum.aether": {25, 25}, // an unknown statement
	"sse.aether":     {0, 0},   // "intent:" inside a string is not the key
}

// TestMigrateExample runs the migration example end to end as a user does
// (the built command, the example's checker, from the folder above the
// corpus) and holds every figure to an independent computation: the counts
// per rule from plain string tests of the original files, the failure
// rates from legacyStatus, the rewritten content from sed, and the dry
// run's diff through the real patch.
func TestMigrateExample(t *testing.T) {
	t.Parallel()
	names, err := filepath.Glob(filepath.Join(legacyDir, "corpus", "*.aether"))
	if err != nil || len(names) == 0 {
		t.Fatalf("corpus: %v %v", names, err)
	}
	orig := map[string]string{}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		orig[filepath.Base(n)] = string(b)
	}
	if got := slices.Sorted(mapsKeys(orig)); !slices.Equal(got, slices.Sorted(mapsKeys(legacyStatus))) {
		t.Fatalf("corpus %v differs from legacyStatus: update the table", got)
	}
	// The checker agrees with the table on the originals.
	for n, c := range orig {
		if code, _, msg := lint.Check(c); code != legacyStatus[n][0] {
			t.Errorf("%s: lint says %d (%s), the table %d", n, code, msg, legacyStatus[n][0])
		}
	}
	rules, err := os.ReadFile(filepath.Join(legacyDir, "migrate.yml"))
	if err != nil {
		t.Fatal(err)
	}
	setup := func() string {
		dir := t.TempDir()
		for n, c := range orig {
			writeFile(t, filepath.Join(dir, "corpus", n), c)
		}
		writeFile(t, filepath.Join(dir, "migrate.yml"), string(rules))
		return dir
	}
	pb := func(dir string, args ...string) (string, string) {
		t.Helper()
		cmd := exec.Command("parse-baseline", append([]string{"migrate", "--rules", "migrate.yml", "--include", "**/*.aether", "--checker", "aether-lint", "corpus"}, args...)...)
		cmd.Dir = dir
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("parse-baseline migrate %v: %v\n%s", args, err, stderr.String())
		}
		return stdout.String(), stderr.String()
	}

	// The expected figures.
	var before, after int
	for _, s := range legacyStatus {
		if s[0] != 0 {
			before++
		}
		if s[1] != 0 {
			after++
		}
	}
	total := len(legacyStatus)
	rate := func(n int) float64 { return float64(int(float64(n)/float64(total)*10000+0.5)) / 100 }
	wantRate := fmt.Sprintf("| **Failure rate** | %.2f%% | %.2f%% | **−%.2f points** |", rate(before), rate(after), rate(before)-rate(after))
	perRule := map[string][2]int{} // files, lines
	add := func(rule string, lines int) {
		if lines > 0 {
			perRule[rule] = [2]int{perRule[rule][0] + 1, perRule[rule][1] + lines}
		}
	}
	for _, c := range orig {
		intent, trailing := 0, 0
		for _, l := range strings.Split(strings.ReplaceAll(c, "\r\n", "\n"), "\n") {
			if strings.HasPrefix(strings.TrimLeft(l, " \t"), "intent:") {
				intent++
			}
			if strings.TrimRight(l, " \t") != l {
				trailing++
			}
		}
		add("intent-to-goal", intent)
		add("trailing-space", trailing)
		add("crlf", strings.Count(c, "\r\n"))
		trimmed := strings.TrimRight(strings.ReplaceAll(c, "\r\n", "\n"), "\n")
		eof := len(strings.ReplaceAll(c, "\r\n", "\n")) - len(trimmed) - 1 // blank lines removed
		if !strings.HasSuffix(c, "\n") {
			eof = 1 // an ending added
		}
		add("final-newline", eof)
	}

	// Dry run: a patch on stdout, the tree untouched, the after-figures
	// from a copy.
	dir := setup()
	patch, summary := pb(dir, "--dry-run", "--report", "dry.md")
	for n, c := range orig {
		if b, _ := os.ReadFile(filepath.Join(dir, "corpus", n)); string(b) != c {
			t.Errorf("the dry run changed %s", n)
		}
	}
	report, err := os.ReadFile(filepath.Join(dir, "dry.md"))
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "migrate_example_report.md"), report)
	if !strings.Contains(string(report), wantRate) {
		t.Errorf("report lacks %q:\n%s", wantRate, report)
	}
	for rule, n := range perRule {
		row := fmt.Sprintf("| `%s` | %d | %d |", rule, n[0], n[1])
		if !strings.Contains(string(report), row) {
			t.Errorf("report lacks %q:\n%s", row, report)
		}
	}
	wantSummary := fmt.Sprintf("failure rate %.2f%% → %.2f%% (-%.2f points)", rate(before), rate(after), rate(before)-rate(after))
	if !strings.Contains(summary, wantSummary) {
		t.Errorf("summary %q lacks %q", summary, wantSummary)
	}

	// Apply: the files are rewritten, and the checker's view of them is
	// the table's.
	applied := setup()
	pb(applied, "--apply", "--report", "applied.md")
	got := map[string]string{}
	for n := range orig {
		b, err := os.ReadFile(filepath.Join(applied, "corpus", n))
		if err != nil {
			t.Fatal(err)
		}
		got[n] = string(b)
		if code, _, msg := lint.Check(string(b)); code != legacyStatus[n][1] {
			t.Errorf("%s after --apply: lint says %d (%s), the table %d", n, code, msg, legacyStatus[n][1])
		}
	}
	if rep, _ := os.ReadFile(filepath.Join(applied, "applied.md")); !strings.Contains(string(rep), wantRate) {
		t.Errorf("applied report lacks %q", wantRate)
	}

	// The dry run's patch, applied by GNU patch, gives the same files.
	if _, err := exec.LookPath("patch"); err == nil {
		cmd := exec.Command("patch", "-p0", "--batch", "--no-backup-if-mismatch", "-i", "-")
		cmd.Dir, cmd.Stdin = dir, strings.NewReader(patch)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("patch: %v\n%s", err, out)
		}
		for n := range orig {
			b, _ := os.ReadFile(filepath.Join(dir, "corpus", n))
			if diff := cmp.Diff(got[n], string(b)); diff != "" {
				t.Errorf("%s: --apply and the patched dry run differ (-apply +patch):\n%s", n, diff)
			}
		}
	}

	// sed, with the rules spelled its way, agrees on every file's content
	// (sed keeps a missing final newline and blank lines at the end; the
	// final-newline rule is finished here).
	if _, err := exec.LookPath("sed"); err == nil {
		for n, c := range orig {
			cmd := exec.Command("sed", "-e", `s/\r$//`, "-e", `s/^\([[:blank:]]*\)intent:/\1goal:/`, "-e", `s/[[:blank:]]*$//`)
			cmd.Stdin = strings.NewReader(c)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("sed: %v", err)
			}
			want := regexp.MustCompile(`\n*$`).ReplaceAllString(string(out), "\n")
			if diff := cmp.Diff(want, got[n]); diff != "" {
				t.Errorf("%s: sed and --apply differ (-sed +apply):\n%s", n, diff)
			}
		}
	}
}

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// With --exec-checker, migrate's failure rates count the execute phase too,
// as parse-baseline --exec-checker does: here two files that the migration
// makes parse fail when run, so the rate after is above the parse-only one.
func TestMigrateExecPhase(t *testing.T) {
	t.Parallel()
	names, err := filepath.Glob(filepath.Join(legacyDir, "corpus", "*.aether"))
	if err != nil || len(names) == 0 {
		t.Fatalf("corpus: %v %v", names, err)
	}
	dir := t.TempDir()
	rules, err := os.ReadFile(filepath.Join(legacyDir, "migrate.yml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "migrate.yml"), string(rules))
	// fails is the two phases' verdict, computed here with the checker's
	// own functions rather than through parse-baseline.
	fails := func(c string) bool {
		if code, _, _ := lint.Check(c); code != 0 {
			return true
		}
		code, _, _ := lint.Run(c)
		return code != 0
	}
	before := 0
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "corpus", filepath.Base(n)), string(b))
		if fails(string(b)) {
			before++
		}
	}
	cmd := exec.Command("parse-baseline", "migrate", "--rules", "migrate.yml", "--include", "**/*.aether", "--apply",
		"--report", "", "--checker", "aether-lint {file}", "--exec-checker", "aether-lint --run {file}", "corpus")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	after := 0
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, "corpus", filepath.Base(n)))
		if err != nil {
			t.Fatal(err)
		}
		if fails(string(b)) {
			after++
		}
	}
	total := float64(len(names))
	pct := func(n int) float64 { return float64(n) / total * 100 }
	want := fmt.Sprintf("failure rate %.2f%% → %.2f%% (-%.2f points)", pct(before), pct(after), pct(before)-pct(after))
	if !strings.Contains(string(out), want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
	if after <= 2 || before == after {
		t.Errorf("before %d, after %d: the corpus no longer shows the execute phase", before, after)
	}

	// Without --checker, --exec-checker is refused with one line.
	cmd = exec.Command("parse-baseline", "migrate", "--rules", "migrate.yml", "--include", "**/*.aether", "--dry-run",
		"--exec-checker", "aether-lint --run {file}", "corpus")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "--exec-checker runs on the files --checker passed") {
		t.Errorf("want a usage error, got %v:\n%s", err, out)
	}
}
