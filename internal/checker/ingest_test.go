package checker

import (
	"encoding/json"
	"os"
	"path/filepath"
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
		"empty":                     "",
		"no status":                 "hello\nworld\n",
		"no file":                   `{"ok":false,"code":20}`,
		"sarif version":             `{"version":"2.0.0","runs":[]}`,
		"sarif broken":              `{"version":"2.1.0","runs":[`,
		"sarif no loc":              `{"version":"2.1.0","runs":[{"results":[{"level":"error","locations":[{"physicalLocation":{}}]}]}]}`,
		"sarif no locations":        `{"version":"2.1.0","runs":[{"results":[{"level":"error","ruleId":"R1","message":{"text":"x"}}]}]}`,
		"sarif warning no location": `{"version":"2.1.0","runs":[{"results":[{"message":{"text":"x"}}]}]}`,
		"sarif no runs":             `{"version":"2.1.0"}`,
		"sarif null runs":           `{"version":"2.1.0","runs":null}`,
		"sarif empty runs":          `{"version":"2.1.0","runs":[]}`,
		"sarif level case":          `{"version":"2.1.0","runs":[{"results":[{"level":"ERROR","locations":[{"physicalLocation":{"artifactLocation":{"uri":"a"}}}]}]}]}`,
		"sarif rule level":          `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"R","defaultConfiguration":{"level":"fatal"}}]}},"results":[]}]}`,
		"sarif kind":                `{"version":"2.1.0","runs":[{"results":[{"kind":"failed","locations":[{"physicalLocation":{"artifactLocation":{"uri":"a"}}}]}]}]}`,
		"sarif supp status":         `{"version":"2.1.0","runs":[{"results":[{"level":"error","suppressions":[{"status":"Accepted"}],"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a"}}}]}]}]}`,
		"sarif bad index":           `{"version":"2.1.0","runs":[{"artifacts":[],"results":[{"level":"error","locations":[{"physicalLocation":{"artifactLocation":{"index":3}}}]}]}]}`,
		"sarif failed run":          `{"version":"2.1.0","runs":[{"artifacts":[{"location":{"uri":"a"}}],"invocations":[{"executionSuccessful":false}]}]}`,
		"sarif no success":          `{"version":"2.1.0","runs":[{"artifacts":[{"location":{"uri":"a"}}],"invocations":[{}]}]}`,
		"sarif tool error":          `{"version":"2.1.0","runs":[{"artifacts":[{"location":{"uri":"a"}}],"invocations":[{"executionSuccessful":true,"toolExecutionNotifications":[{"level":"error","message":{"text":"config broken"}}]}]}]}`,
		"sarif base loop":           `{"version":"2.1.0","runs":[{"originalUriBaseIds":{"A":{"uri":"x/","uriBaseId":"B"},"B":{"uri":"y/","uriBaseId":"A"}},"artifacts":[{"location":{"uri":"a","uriBaseId":"A"}}]}]}`,
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
		{File: "new.aether", CodeName: "VALIDATION_ERROR", Message: "[X9] generic warning", Evidence: FromIngest},
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
	f.Add([]byte(eslintSARIF))
	// Real tools' logs (testdata/real).
	for _, p := range []string{"eslint-sarif/out/eslint.sarif", "staticcheck-sarif/out/staticcheck-show-ignored.sarif",
		"flawfinder-sarif/out/flawfinder.sarif", "gosec-sarif/out/gosec-track-suppressions.sarif"} {
		data, err := os.ReadFile(filepath.Join("../../testdata/real", p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"version":"2.1.0","runs":[{"results":[{"level":"ERROR","locations":[{"physicalLocation":{"artifactLocation":{"uri":"a"}}}]}]}]}`))
	f.Add([]byte(`{"version":"2.1.0","runs":[{"results":[{"level":"error","message":{"text":"no location"}}]}]}`))
	f.Add([]byte(`{"version":"2.1.0"}`))
	f.Add([]byte(`{"version":"2.1.0","runs":[{"artifacts":[{"location":{"uri":"a"}}],"results":[{"level":"error","locations":[{"physicalLocation":{"artifactLocation":{"uri":"a"}}}]}]}]}`))
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
		if got.Format == "sarif" {
			sarifNoFindingPasses(t, data, got)
			return
		}
		// No status line that names its file vanishes: its file is there.
		for _, line := range strings.Split(string(data), "\n") {
			if s, ok, err := ParseStatusLine([]byte(line)); ok && err == nil && !seen[s.File] {
				t.Fatalf("status line %q vanished", line)
			}
		}
	})
}

// sarifNoFindingPasses is the fuzz property of the SARIF reader: a file
// named by an unsuppressed result of level error (the simple case: a
// literal relative URI) never ends as SUCCESS.
func sarifNoFindingPasses(t *testing.T, data []byte, got *Ingested) {
	var log struct {
		Runs []struct {
			Results []struct {
				Level        string            `json:"level"`
				Kind         string            `json:"kind"`
				Suppressions []json.RawMessage `json:"suppressions"`
				Locations    []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if json.Unmarshal(data, &log) != nil {
		return
	}
	status := map[string]Status{}
	for _, s := range got.Statuses {
		status[s.File] = s
	}
	for _, run := range log.Runs {
		for _, res := range run.Results {
			if res.Level != "error" || (res.Kind != "" && res.Kind != "fail") || len(res.Suppressions) > 0 || len(res.Locations) != 1 {
				continue
			}
			al := res.Locations[0].PhysicalLocation.ArtifactLocation
			if al.URIBaseID != "" || al.URI == "" || strings.ContainsAny(al.URI, "%:?#") {
				continue
			}
			if s, ok := status[al.URI]; !ok || s.OK() {
				t.Fatalf("file %q of an error result ended as %+v (present %v)", al.URI, s, ok)
			}
		}
	}
}

// eslintSARIF is the shape of ESLint 9's SARIF formatter
// (@microsoft/eslint-formatter-sarif) on four files: a.js with an error
// and a warning, broken.js that does not parse (reported only as an
// invocation notification, with executionSuccessful false), disabled.js
// whose only error is silenced by an eslint-disable comment, and clean.js.
const eslintSARIF = `{
  "version": "2.1.0",
  "runs": [{
    "tool": {"driver": {"name": "ESLint", "version": "9.39.5", "rules": [
      {"id": "no-unused-vars", "properties": {}}, {"id": "no-console", "properties": {}}]}},
    "artifacts": [
      {"location": {"uri": "file:///home/runner/work/app/app/src/a.js"}},
      {"location": {"uri": "file:///home/runner/work/app/app/src/broken.js"}},
      {"location": {"uri": "file:///home/runner/work/app/app/src/clean.js"}},
      {"location": {"uri": "file:///home/runner/work/app/app/src/disabled.js"}}
    ],
    "results": [
      {"level": "error", "message": {"text": "'x' is assigned a value but never used."}, "ruleId": "no-unused-vars", "ruleIndex": 0,
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///home/runner/work/app/app/src/a.js", "index": 0}, "region": {"startLine": 1}}}]},
      {"level": "warning", "message": {"text": "Unexpected console statement."}, "ruleId": "no-console", "ruleIndex": 1,
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///home/runner/work/app/app/src/a.js", "index": 0}, "region": {"startLine": 2}}}]},
      {"level": "error", "message": {"text": "'y' is assigned a value but never used."}, "ruleId": "no-unused-vars", "ruleIndex": 0,
       "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///home/runner/work/app/app/src/disabled.js", "index": 3}, "region": {"startLine": 2}}}],
       "suppressions": [{"kind": "inSource", "justification": ""}]}
    ],
    "invocations": [{
      "toolConfigurationNotifications": [{"level": "error", "message": {"text": "Parsing error: Unexpected token"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///home/runner/work/app/app/src/broken.js", "index": 1}, "region": {"startLine": 2}}}],
        "descriptor": {"id": "ESL0999"}}],
      "executionSuccessful": false
    }]
  }]
}`

func TestIngestSARIFESLint(t *testing.T) {
	t.Parallel()
	got, err := Ingest(strings.NewReader(eslintSARIF))
	if err != nil {
		t.Fatal(err)
	}
	const root = "/home/runner/work/app/app/src/"
	want := &Ingested{Format: "sarif", Tool: "ESLint", Statuses: []Status{
		{File: root + "a.js", CodeName: "VALIDATION_ERROR", Line: 1, Message: "[no-unused-vars] 'x' is assigned a value but never used.", Evidence: FromIngest},
		{File: root + "broken.js", CodeName: "PARSE_ERROR", Line: 2, Message: "Parsing error: Unexpected token", Evidence: FromIngest},
		{File: root + "clean.js", CodeName: "SUCCESS", Evidence: FromIngest},
		{File: root + "disabled.js", CodeName: "VALIDATION_ERROR", Line: 2, Message: "[no-unused-vars] 'y' is assigned a value but never used.", Evidence: FromIngest, Suppressed: true},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestIngestSARIFSuppressionsAndBases(t *testing.T) {
	t.Parallel()
	const in = `{"version": "2.1.0", "runs": [{
	  "tool": {"driver": {"name": "gosec"}},
	  "originalUriBaseIds": {"ROOT": {"uri": "file:///github/workspace/"}, "SRC": {"uri": "src/", "uriBaseId": "ROOT"}},
	  "results": [
	    {"level": "error", "ruleId": "G1", "message": {"text": "accepted"}, "suppressions": [{"kind": "inSource", "status": "accepted"}],
	     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.go", "uriBaseId": "SRC"}, "region": {"startLine": 3}}}]},
	    {"level": "error", "ruleId": "G2", "message": {"text": "under review"}, "suppressions": [{"kind": "external", "status": "underReview"}],
	     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "b.go", "uriBaseId": "SRC"}, "region": {"startLine": 4}}}]},
	    {"level": "warning", "ruleId": "G3", "message": {"text": "rejected"}, "suppressions": [{"kind": "inSource", "status": "rejected"}],
	     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "c.go", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 5}}}]},
	    {"level": "warning", "ruleId": "G4", "message": {"text": "live warning"},
	     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.go", "uriBaseId": "SRC"}, "region": {"startLine": 9}}}]},
	    {"level": "note", "ruleId": "G5", "message": {"text": "a note"},
	     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "d.go"}}}]},
	    {"ruleId": "G6", "kind": "open", "message": {"text": "could not tell"},
	     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "d.go"}}}]}
	  ]}]}`
	got, err := Ingest(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Status{
		// An unsuppressed warning outranks a suppressed error.
		{File: "/github/workspace/src/a.go", CodeName: "VALIDATION_ERROR", Line: 9, Message: "[G4] live warning", Evidence: FromIngest},
		{File: "/github/workspace/src/b.go", CodeName: "VALIDATION_ERROR", Line: 4, Message: "[G2] under review", Evidence: FromIngest},
		// A base the run does not define is the checkout: the URI stays relative.
		{File: "c.go", CodeName: "VALIDATION_ERROR", Line: 5, Message: "[G3] rejected", Evidence: FromIngest},
		{File: "d.go", CodeName: "SUCCESS", Evidence: FromIngest},
	}
	if diff := cmp.Diff(want, got.Statuses); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestIngestSARIFErrorsNameTheField(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`{"version":"2.1.0","runs":[{"results":[{"level":"ERROR","locations":[{"physicalLocation":{"artifactLocation":{"uri":"a"}}}]}]}]}`: `runs[0].results[0]: level "ERROR": want one of none, note, warning, error`,
		`{"version":"2.1.0","runs":[{"results":[{"level":"error","ruleId":"R1","message":{"text":"x"}}]}]}`:                                `runs[0].results[0]: a failing result (R1 "x") names no file`,
		`{"version":"2.1.0"}`: "SARIF runs: missing or empty",
		`{"version":"2.1.0","runs":[{"invocations":[{"executionSuccessful":false}]}]}`: "runs[0].invocations[0]: the tool reports it did not run successfully",
	} {
		_, err := Ingest(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Ingest(%s) error = %v, want %q", in, err, want)
		}
	}
}

// TestIngestSARIFParsingErrorNotification: ESLint words every fatal
// error "Parsing error: …", whatever follows.
func TestIngestSARIFParsingErrorNotification(t *testing.T) {
	t.Parallel()
	const in = `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "ESLint"}},
	  "artifacts": [{"location": {"uri": "a.js"}}],
	  "invocations": [{"executionSuccessful": false, "toolConfigurationNotifications": [{"level": "error",
	    "message": {"text": "Parsing error: Identifier 'x' has already been declared"}, "descriptor": {"id": "ESL0999"},
	    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.js", "index": 0}, "region": {"startLine": 3}}}]}]}]}]}`
	got, err := Ingest(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Status{{File: "a.js", CodeName: "PARSE_ERROR", Line: 3, Message: "Parsing error: Identifier 'x' has already been declared", Evidence: FromIngest}}
	if diff := cmp.Diff(want, got.Statuses); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestIngestLossyNames: names that are not UTF-8 (Python writes a byte of
// one as an unpaired surrogate, "\udcff") read as one name with U+FFFD in
// place of the bytes. Two such lines may be two files: the later word
// cannot win, or a passing file would hide a failing one.
func TestIngestLossyNames(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"surrogates": `{"ok":false,"code":20,"file":"r\udce9sum\udce9.py","message":"bad"}` + "\n" +
			`{"ok":true,"code":0,"file":"r\udce8sum\udce8.py"}` + "\n",
		"invalid bytes": "{\"ok\":false,\"code\":20,\"file\":\"r\xe9sum\xe9.py\",\"message\":\"bad\"}\n" +
			"{\"ok\":true,\"code\":0,\"file\":\"r\xe8sum\xe8.py\"}\n",
		"one lossy, one written": `{"ok":false,"code":20,"file":"a\udcff.py","message":"bad"}` + "\n" +
			`{"ok":true,"code":0,"file":"a\ufffd.py"}` + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Ingest(strings.NewReader(in))
			if err == nil || !strings.Contains(err.Error(), "line 2: two status lines name files that both read as") {
				t.Errorf("Ingest = %+v, %v; want an error at line 2", got, err)
			}
		})
	}
	// A name written with U+FFFD itself is a name like any other: the
	// later word on it wins, as for any file.
	in := `{"ok":false,"code":20,"file":"a\ufffd.py","message":"bad"}` + "\n" + "{\"ok\":true,\"code\":0,\"file\":\"a\uFFFD.py\"}\n"
	got, err := Ingest(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Statuses) != 1 || !got.Statuses[0].OK() || got.Statuses[0].NameLossy {
		t.Errorf("statuses = %+v, want one SUCCESS, not lossy", got.Statuses)
	}
}
