package gate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func statusLines(n int, code string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"ok": false, "code_name": %q, "file": "wf/f%03d.aether", "line": %d, "message": "Parse error line %d"}`+"\n", code, i, i+1, i+1)
	}
	fmt.Fprintf(&b, `{"ok": true, "code_name": "SUCCESS", "file": "wf/good.aether"}`+"\n")
	return b.String()
}

func refBaseline(parseErrors int) string {
	return fmt.Sprintf(`{"timestamp": "2025-09-13T10:15:22Z", "total": %d, "by_code": {"SUCCESS": 1, "PARSE_ERROR": %d}, "failure_rate": 0.5, "files": []}`, parseErrors+1, parseErrors)
}

type fakeFetcher struct {
	data []byte
	err  error
	got  *ArtifactRef
}

func (f *fakeFetcher) FetchReference(_ context.Context, ref ArtifactRef) ([]byte, error) {
	f.got = &ref
	return f.data, f.err
}

var _ ReferenceFetcher = (*fakeFetcher)(nil)

func TestParseRegressionGate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "new20.jsonl", statusLines(20, "PARSE_ERROR"))
	writeFile(t, dir, "new11.jsonl", statusLines(11, "PARSE_ERROR"))
	writeFile(t, dir, "ref10.json", refBaseline(10))
	writeFile(t, dir, "wf/a.aether", "fine\n")
	writeFile(t, dir, "wf/b.aether", "bad\n")
	tests := []struct {
		name, spec string
		fetch      ReferenceFetcher
		ok         bool
		status     string
		summary    string
	}{
		{"regression", "{statuses: new20.jsonl, reference: {file: ref10.json}}", nil, false, "fail", "regression: PARSE_ERROR +10 (PARSE_ERROR 10→20, VALIDATION_ERROR 0→0)"},
		{"within thresholds", "{statuses: new11.jsonl, reference: {file: ref10.json}}", nil, true, "pass", "PARSE_ERROR 10→11"},
		{"custom threshold", "{statuses: new11.jsonl, reference: {file: ref10.json}, abs_threshold: 0, rel_threshold: 0}", nil, false, "fail", "regression: PARSE_ERROR +1"},
		{"missing ref warn", "{statuses: new11.jsonl, reference: {file: none.json}}", nil, true, "pass", "not compared (warning)"},
		{"missing ref pass", "{statuses: new11.jsonl, reference: {file: none.json}, missing_reference: pass}", nil, true, "pass", "missing_reference: pass"},
		{"missing ref fail", "{statuses: new11.jsonl, reference: {file: none.json}, missing_reference: fail}", nil, false, "missing", "no reference baseline"},
		{"missing statuses", "{statuses: none.jsonl, reference: {file: ref10.json}}", nil, false, "missing", "statuses file none.jsonl is missing"},
		{"artifact", "{statuses: new20.jsonl, reference: {artifact: parse-baseline}}", &fakeFetcher{data: []byte(refBaseline(19))}, true, "pass", "PARSE_ERROR 19→20"},
		{"artifact not found", "{statuses: new20.jsonl, reference: {artifact: pb}, missing_reference: fail}", &fakeFetcher{err: fmt.Errorf("run 42: %w", ErrReferenceNotFound)}, false, "missing", "run 42"},
		{"artifact without fetcher", "{statuses: new20.jsonl, reference: {artifact: pb}, missing_reference: fail}", nil, false, "missing", "fetched by the action"},
		{"artifact error", "{statuses: new20.jsonl, reference: {artifact: pb}}", &fakeFetcher{err: fmt.Errorf("403 forbidden")}, false, "error", "403 forbidden"},
		{"bad reference", "{statuses: new20.jsonl, reference: {file: new11.jsonl}}", nil, false, "error", "reference new11.jsonl"},
		{"checker", `{checker: "sh -c 'grep -q bad \"$1\" && exit 20 || exit 0' _ {file}", paths: [wf], include: ["*.aether"], reference: {file: ref10.json}}`, nil, true, "pass", "PARSE_ERROR 10→1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runConfig(t, "version: 1\ngates:\n  - id: pr\n    parse-regression: "+tt.spec+"\n", Options{Dir: dir, Reference: tt.fetch})
			g := res.Gate("pr")
			if g.OK != tt.ok || g.Status() != tt.status || !strings.Contains(g.Summary, tt.summary) {
				t.Fatalf("ok %v status %s summary %q; want %v %s %q\n%v", g.OK, g.Status(), g.Summary, tt.ok, tt.status, tt.summary, g.Details)
			}
		})
	}
}

func TestParseRegressionWritesOutputAndReport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "new.jsonl", statusLines(20, "VALIDATION_ERROR"))
	writeFile(t, dir, "ref.json", refBaseline(0))
	f := &fakeFetcher{data: []byte(refBaseline(0))}
	res := runConfig(t, `version: 1
gates:
  - id: pr
    parse-regression:
      statuses: new.jsonl
      reference: {artifact: pb}
      output: out/parse_baseline.json
      codes: [VALIDATION_ERROR]
`, Options{Dir: dir, Reference: f})
	g := res.Gate("pr")
	if g.OK || g.Details["report"] == nil {
		t.Fatalf("want a regression: %s %v", g.Summary, g.Details)
	}
	if *f.got != (ArtifactRef{Artifact: "pb", Branch: "main", File: "parse_baseline.json"}) {
		t.Errorf("fetched %+v", *f.got)
	}
	report := g.Details["report"].(map[string]any)
	regs := report["regressions"].([]any)
	if len(regs) != 1 || regs[0].(map[string]any)["code"] != "VALIDATION_ERROR" || report["timestamp"] == "" {
		t.Errorf("report %v", report)
	}
	if _, err := os.Stat(filepath.Join(dir, "out/parse_baseline.json")); err != nil {
		t.Errorf("output not written: %v", err)
	}
}

func TestParseRegressionConfigErrors(t *testing.T) {
	t.Parallel()
	for spec, want := range map[string]string{
		"{reference: {file: r}}":                                        "give statuses: FILE or checker: CMD",
		"{statuses: s, checker: c, reference: {file: r}}":               "give statuses: FILE or checker: CMD",
		"{statuses: s}":                                                 "reference needs file",
		"{statuses: s, reference: {file: r}, missing_reference: maybe}": "missing_reference must be",
		"{statuses: s, reference: {file: r}, codes: [PARSE_ERRORS]}":    "unknown code \"PARSE_ERRORS\"",
		"{statuses: s, reference: {file: r, artefact: x}}":              "unknown key \"artefact\"",
	} {
		_, err := ParseConfig("g.yml", []byte("version: 1\ngates:\n  - id: pr\n    parse-regression: "+spec+"\n"))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want %q", spec, err, want)
		}
	}
}
