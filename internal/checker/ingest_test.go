package checker

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/baseline"
)

func TestIngestLines(t *testing.T) {
	t.Parallel()
	in := "\ufeffchecker banner\n" +
		`{"ok":true,"code":0,"code_name":"SUCCESS","file":"a.aether"}` + "\n" +
		`{"ok":false,"code":20,"code_name":"PARSE_ERROR","file":"b.aether","message":"Parse error line 2","line":2,"phase":"parse"}` + "\n" +
		"not json\n" +
		`{"ok":false,"code":21,"file":"a.aether","message":"boom"}` + "\n"
	got, err := Ingest(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := &Ingested{Format: "jsonl", Statuses: []Status{
		{File: "a.aether", CodeName: "RUNTIME_ERROR", Message: "boom", Evidence: FromIngest},
		{File: "b.aether", CodeName: "PARSE_ERROR", Line: 2, Message: "Parse error line 2", Phase: "parse", Evidence: FromIngest},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestIngestErrors(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"empty":         "",
		"no status":     "hello\nworld\n",
		"no file":       `{"ok":false,"code":20}`,
		"sarif version": `{"version":"2.0.0","runs":[]}`,
		"sarif broken":  `{"version":"2.1.0","runs":[`,
		"sarif no loc":  `{"version":"2.1.0","runs":[{"results":[{"level":"error","locations":[{"physicalLocation":{}}]}]}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got, err := Ingest(strings.NewReader(in)); err == nil {
				t.Errorf("Ingest(%q) = %+v, want an error", in, got)
			}
		})
	}
}

const sarifLog1 = `{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [{
    "tool": {"driver": {"name": "aether-lint", "rules": [
      {"id": "AL001", "defaultConfiguration": {"level": "error"}, "properties": {"code_name": "VALIDATION_ERROR"}},
      {"id": "AL002", "defaultConfiguration": {"level": "note"}}
    ]}},
    "artifacts": [
      {"location": {"uri": "ok.aether"}},
      {"location": {"uri": "dir/with%20space.aether"}},
      {"location": {"uri": "file:///abs/x.aether"}}
    ],
    "results": [
      {"ruleId": "PARSE_ERROR", "level": "error", "message": {"text": "Parse error line 7\nmore"},
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "dir/with%20space.aether"}, "region": {"startLine": 7}}}]},
      {"ruleId": "PARSE_ERROR", "level": "error", "message": {"text": "earlier"},
       "locations": [{"physicalLocation": {"artifactLocation": {"index": 1}, "region": {"startLine": 3}}}]},
      {"ruleId": "AL001", "ruleIndex": 0, "message": {"text": "unknown function foo"},
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///abs/x.aether"}, "region": {"startLine": 2}}}]},
      {"ruleId": "AL002", "ruleIndex": 1, "message": {"text": "style"},
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "ok.aether"}, "region": {"startLine": 1}}}]},
      {"ruleId": "X9", "message": {"text": "generic warning"},
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "new.aether"}}}]},
      {"ruleId": "X9", "kind": "pass", "message": {"text": "checked"},
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "pass.aether"}}}]}
    ]
  }]
}`

func TestIngestSARIF(t *testing.T) {
	t.Parallel()
	got, err := Ingest(strings.NewReader(sarifLog1))
	if err != nil {
		t.Fatal(err)
	}
	want := &Ingested{Format: "sarif", Tool: "aether-lint", Statuses: []Status{
		{File: "ok.aether", CodeName: "SUCCESS", Evidence: FromIngest},
		{File: "dir/with space.aether", CodeName: "PARSE_ERROR", Line: 3, Message: "earlier", Evidence: FromIngest},
		{File: "/abs/x.aether", CodeName: "VALIDATION_ERROR", Line: 2, Message: "unknown function foo", Evidence: FromIngest},
		{File: "new.aether", CodeName: "GENERIC_FAILURE", Message: "[X9] generic warning", Evidence: FromIngest},
		{File: "pass.aether", CodeName: "SUCCESS", Evidence: FromIngest},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Minified onto one line, it is still SARIF.
	min := strings.Join(strings.Fields(sarifLog1), " ")
	got2, err := Ingest(strings.NewReader(min))
	if err != nil {
		t.Fatal(err)
	}
	if got2.Format != "sarif" || len(got2.Statuses) != len(want.Statuses) {
		t.Errorf("minified SARIF read as %s with %d statuses", got2.Format, len(got2.Statuses))
	}
}

func FuzzIngest(f *testing.F) {
	f.Add([]byte(sarifLog1))
	f.Add([]byte(`{"ok":false,"code":20,"file":"a"}` + "\n" + `{"ok":true,"file":"b"}`))
	f.Add([]byte(`{"version":"2.1.0","runs":[{"artifacts":[{"location":{"index":0}}],"results":[{"locations":[{"physicalLocation":{"artifactLocation":{"index":0}}}]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Ingest(strings.NewReader(string(data)))
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, s := range got.Statuses {
			if _, ok := baseline.CodeByName(s.CodeName); !ok {
				t.Fatalf("unknown code %q", s.CodeName)
			}
			if s.File == "" || seen[s.File] {
				t.Fatalf("empty or repeated file %q", s.File)
			}
			seen[s.File] = true
		}
	})
}
