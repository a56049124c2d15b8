package baseline_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/org/gonogo-action/internal/baseline"
)

// seedBaseline is the specification's parse_baseline.json example.
const seedBaseline = `{
  "timestamp": "2025-09-12T10:15:00Z",
  "total": 2700,
  "by_code": {"SUCCESS": 900, "PARSE_ERROR": 1800},
  "failure_rate": 0.6667,
  "files": [ {"path": "wf/a.aether", "code_name": "PARSE_ERROR", "line": 12, "message": "Parse error (assignment)..." } ]
}`

func TestDecodeSeed(t *testing.T) {
	t.Parallel()
	b, err := baseline.Decode([]byte(seedBaseline))
	if err != nil {
		t.Fatal(err)
	}
	want := &baseline.Baseline{
		Timestamp: "2025-09-12T10:15:00Z", Total: 2700, FailureRate: 0.6667,
		ByCode: map[string]int{"SUCCESS": 900, "PARSE_ERROR": 1800},
		Files:  []baseline.File{{Path: "wf/a.aether", CodeName: "PARSE_ERROR", Line: 12, Message: "Parse error (assignment)..."}},
	}
	if diff := cmp.Diff(want, b); diff != "" {
		t.Errorf("Decode (-want +got):\n%s", diff)
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc, field, problem string
	}{
		{"total missing", `{"by_code": {}}`, "total", "missing"},
		{"total string", `{"total": "3", "by_code": {}}`, "total", "want a non-negative integer, got a string"},
		{"total fraction", `{"total": 2.5, "by_code": {}}`, "total", "non-negative integer"},
		{"total negative", `{"total": -1, "by_code": {}}`, "total", "negative count -1"},
		{"by_code missing", `{"total": 0}`, "by_code", "missing"},
		{"by_code list", `{"total": 0, "by_code": []}`, "by_code", "want an object"},
		{"unknown code", `{"total": 1, "by_code": {"PARSE_EROR": 1}}`, "by_code.PARSE_EROR", `unknown code name "PARSE_EROR"`},
		{"negative code count", `{"total": 0, "by_code": {"PARSE_ERROR": -2, "SUCCESS": 2}}`, "by_code.PARSE_ERROR", "negative count"},
		{"sum mismatch", `{"total": 5, "by_code": {"PARSE_ERROR": 3}}`, "by_code", "counts sum to 3, but total is 5"},
		{"rate above one", `{"total": 0, "by_code": {}, "failure_rate": 1.5}`, "failure_rate", "from 0 to 1"},
		{"timestamp number", `{"timestamp": 5, "total": 0, "by_code": {}}`, "timestamp", "want a string"},
		{"files object", `{"total": 0, "by_code": {}, "files": {}}`, "files", "want a list"},
		{"file without path", `{"total": 0, "by_code": {}, "files": [{"code_name": "PARSE_ERROR"}]}`, "files[0].path", "missing"},
		{"file line string", `{"total": 0, "by_code": {}, "files": [{"path": "a", "code_name": "PARSE_ERROR"}, {"path": "b", "code_name": "PARSE_ERROR", "line": "7"}]}`, "files[1].line", "want an integer or null, got a string"},
		{"file negative line", `{"total": 0, "by_code": {}, "files": [{"path": "a", "code_name": "PARSE_ERROR", "line": -3}]}`, "files[0].line", "negative line"},
		{"file unknown code", `{"total": 0, "by_code": {}, "files": [{"path": "a", "code_name": "OOPS"}]}`, "files[0].code_name", `unknown code name "OOPS"`},
		{"repeated top key", "{\"total\": 10, \"by_code\": {\"PARSE_ERROR\": 10},\n\"total\": 1}", "total", "repeated key (line 2)"},
		{"repeated code", `{"total": 10, "by_code": {"PARSE_ERROR": 10, "PARSE_ERROR": 1}}`, "by_code.PARSE_ERROR", "repeated key"},
		{"repeated file key", `{"total": 1, "by_code": {"PARSE_ERROR": 1}, "files": [{"path": "a", "code_name": "PARSE_ERROR", "path": "b"}]}`, "files[0].path", "repeated key"},
		{"repeated nested unknown key", `{"total": 0, "by_code": {}, "x": {"k": 1, "k": 2}}`, "x.k", "repeated key"},
		{"rate infinite", `{"total": 0, "by_code": {}, "failure_rate": 1e999}`, "failure_rate", "from 0 to 1"},
		{"rate NaN string", `{"total": 0, "by_code": {}, "failure_rate": "NaN"}`, "failure_rate", "from 0 to 1"},
		{"total infinite", `{"total": 1e999, "by_code": {}}`, "total", "non-negative integer"},
		{"code count infinite", `{"total": 0, "by_code": {"PARSE_ERROR": -1e999}}`, "by_code.PARSE_ERROR", "non-negative integer"},
		{"duration infinite", `{"total": 0, "by_code": {}, "duration_sec": 1e999}`, "duration_sec", "non-negative number"},
		{"category negative", `{"total": 0, "by_code": {}, "by_category": {"ParseError": -1}}`, "by_category.ParseError", "negative count"},
		{"line infinite", `{"total": 0, "by_code": {}, "files": [{"path": "a", "code_name": "PARSE_ERROR", "line": 1e999}]}`, "files[0].line", "want an integer"},
		{"passed twice", `{"total": 2, "by_code": {"SUCCESS": 2}, "passed": ["a", "a"]}`, "passed", `"a" is listed twice`},
		{"passed and failing", `{"total": 1, "by_code": {"PARSE_ERROR": 1}, "passed": ["a"], "files": [{"path": "a", "code_name": "PARSE_ERROR"}]}`, "passed", `"a" passed, but files[] lists it as PARSE_ERROR`},
		{"passed count", `{"total": 3, "by_code": {"SUCCESS": 2, "PARSE_ERROR": 1}, "passed": ["b"], "files": [{"path": "a", "code_name": "PARSE_ERROR"}]}`, "passed", "names 2 files with files[], but total is 3"},
		{"passed not strings", `{"total": 1, "by_code": {"SUCCESS": 1}, "passed": [1]}`, "passed[0]", "want a path"},
		{"unscoped string", `{"total": 1, "by_code": {"PARSE_ERROR": 1}, "files": [{"path": "a", "code_name": "PARSE_ERROR", "suppressed": true, "unscoped_suppression": "yes"}]}`, "files[0].unscoped_suppression", "want true or false, got a string"},
		{"unscoped unsuppressed", `{"total": 1, "by_code": {"PARSE_ERROR": 1}, "files": [{"path": "a", "code_name": "PARSE_ERROR", "unscoped_suppression": true}]}`, "files[0].unscoped_suppression", "not suppressed"},
		{"unknown category", `{"total": 1, "by_code": {"PARSE_ERROR": 1}, "files": [{"path": "a", "code_name": "PARSE_ERROR", "category": "Parse"}]}`, "files[0].category", `unknown category "Parse"`},
		{"category case", `{"total": 1, "by_code": {"PARSE_ERROR": 1}, "files": [{"path": "a", "code_name": "PARSE_ERROR", "category": "parseerror"}]}`, "files[0].category", "unknown category"},
		{"suppressed unknown category", `{"total": 1, "by_code": {"PARSE_ERROR": 1}, "files": [{"path": "a", "code_name": "PARSE_ERROR", "category": "Suppressed-Flaky"}]}`, "files[0].category", `unknown category "Suppressed-Flaky"`},
		{"unknown by_category", `{"total": 0, "by_code": {}, "by_category": {"Validation": 1}}`, "by_category.Validation", `unknown category "Validation"`},
		{"unknown phase", `{"total": 1, "by_code": {"PARSE_ERROR": 1}, "files": [{"path": "a", "code_name": "PARSE_ERROR", "phase": "compile"}]}`, "files[0].phase", `unknown phase "compile"`},
		{"files above by_code", `{"total": 3, "by_code": {"PARSE_ERROR": 1, "SUCCESS": 2}, "files": [{"path": "a", "code_name": "PARSE_ERROR"}, {"path": "b", "code_name": "PARSE_ERROR"}]}`, "files", "lists 2 file(s) with PARSE_ERROR, but by_code counts 1"},
		{"files code absent from by_code", `{"total": 1, "by_code": {"SUCCESS": 1}, "files": [{"path": "a", "code_name": "VALIDATION_ERROR"}]}`, "files", "lists 1 file(s) with VALIDATION_ERROR, but by_code counts 0"},
		{"file listed twice", `{"total": 1, "by_code": {"PARSE_ERROR": 1}, "files": [{"path": "a", "code_name": "PARSE_ERROR"}, {"path": "a", "code_name": "PARSE_ERROR"}]}`, "files", "lists 2 file(s) with PARSE_ERROR, but by_code counts 1"},
		{"listed unsuppressed above gated", `{"total": 2, "by_code": {"PARSE_ERROR": 2}, "suppressed_by_code": {"PARSE_ERROR": 2}, "files": [{"path": "a", "code_name": "PARSE_ERROR"}]}`, "files", "lists 1 file(s) with PARSE_ERROR as not suppressed, but by_code less suppressed_by_code leaves 0"},
		{"listed suppressed above suppressed_by_code", `{"total": 2, "by_code": {"PARSE_ERROR": 2}, "suppressed_by_code": {"PARSE_ERROR": 1}, "files": [{"path": "a", "code_name": "PARSE_ERROR", "suppressed": true}, {"path": "b", "code_name": "PARSE_ERROR", "suppressed": true}]}`, "files", "lists 2 file(s) with PARSE_ERROR as suppressed, but suppressed_by_code counts 1"},
		{"shard malformed", `{"total": 0, "by_code": {}, "shard": "0/4"}`, "shard", "want K/N with 1 ≤ K ≤ N and N ≥ 2"},
		{"shard of one", `{"total": 0, "by_code": {}, "shard": "1/1"}`, "shard", "want K/N"},
		{"shard padded", `{"total": 0, "by_code": {}, "shard": "01/4"}`, "shard", "want K/N"},
		{"shard number", `{"total": 0, "by_code": {}, "shard": 2}`, "shard", "want a string"},
		{"limit negative", `{"total": 0, "by_code": {}, "limit": -3}`, "limit", "negative count"},
		{"limit string", `{"total": 0, "by_code": {}, "limit": "300"}`, "limit", "want a non-negative integer"},
		{"suppressed above count", `{"total": 1, "by_code": {"PARSE_ERROR": 1}, "suppressed_by_code": {"PARSE_ERROR": 2}}`, "suppressed_by_code.PARSE_ERROR", "2 suppressed, but by_code has 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// In memory and streamed a byte at a time alike.
			for name, decode := range decoders {
				_, err := decode([]byte(tt.doc))
				var fe *baseline.FieldError
				if !errors.As(err, &fe) {
					t.Fatalf("%s error = %v, want a FieldError", name, err)
				}
				if fe.Field != tt.field || !strings.Contains(fe.Problem, tt.problem) {
					t.Errorf("%s error = field %q problem %q, want field %q problem containing %q", name, fe.Field, fe.Problem, tt.field, tt.problem)
				}
			}
		})
	}
}

func TestReadNamesFileAndLine(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "broken.json")
	if err := os.WriteFile(p, []byte("{\n\"total\": 1,\n,}"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := baseline.Read(p)
	if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("Read error = %v, want the path and line 3", err)
	}
}

func TestRoundTripKeepsUnknownFields(t *testing.T) {
	t.Parallel()
	doc := `{"total": 1, "by_code": {"PARSE_ERROR": 1}, "zeta": [1, 2], "alpha": {"k": "v"},
	  "files": [{"path": "a", "code_name": "PARSE_ERROR", "line": null, "message": "m", "owner": "team-x"}]}`
	b, err := baseline.Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	out, err := baseline.Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	again, err := baseline.Decode(out)
	if err != nil {
		t.Fatalf("re-decode: %v\n%s", err, out)
	}
	if diff := cmp.Diff(b, again); diff != "" {
		t.Errorf("round trip (-first +second):\n%s", diff)
	}
	flat := strings.Join(strings.Fields(string(out)), "")
	for _, s := range []string{`"zeta":[1,2]`, `"alpha":{"k":"v"}`, `"owner":"team-x"`} {
		if !strings.Contains(flat, s) {
			t.Errorf("encoded baseline lacks %s:\n%s", s, out)
		}
	}
	// Deterministic: the unknown keys come sorted after the known ones.
	if strings.Index(string(out), `"alpha"`) > strings.Index(string(out), `"zeta"`) {
		t.Errorf("unknown fields not sorted:\n%s", out)
	}
}

func TestNormalizeSortsAndDerives(t *testing.T) {
	t.Parallel()
	b := &baseline.Baseline{
		ByCode: map[string]int{"SUCCESS": 1, "PARSE_ERROR": 1, "VALIDATION_ERROR": 1},
		Files: []baseline.File{
			{Path: "b", CodeName: "PARSE_ERROR"},
			{Path: "a", CodeName: "VALIDATION_ERROR"},
			{Path: "a", CodeName: "PARSE_ERROR", Line: 2},
		},
	}
	b.Normalize()
	var got []string
	for _, f := range b.Files {
		got = append(got, f.Path+":"+f.CodeName)
	}
	if diff := cmp.Diff([]string{"a:PARSE_ERROR", "a:VALIDATION_ERROR", "b:PARSE_ERROR"}, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	if b.Total != 3 || b.FailureRate != 0.6667 {
		t.Errorf("total, rate = %d, %v; want 3, 0.6667", b.Total, b.FailureRate)
	}
}

func TestGatedCounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		b    baseline.Baseline
		want map[string]int
	}{
		{"by suppressed_by_code", baseline.Baseline{ByCode: map[string]int{"PARSE_ERROR": 5}, SuppressedByCode: map[string]int{"PARSE_ERROR": 2}}, map[string]int{"PARSE_ERROR": 3}},
		{"by flagged files", baseline.Baseline{ByCode: map[string]int{"PARSE_ERROR": 5}, Files: []baseline.File{{CodeName: "PARSE_ERROR", Suppressed: true}, {CodeName: "PARSE_ERROR"}}}, map[string]int{"PARSE_ERROR": 4}},
		{"nothing suppressed", baseline.Baseline{ByCode: map[string]int{"PARSE_ERROR": 5}}, map[string]int{"PARSE_ERROR": 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, tt.b.GatedCounts()); diff != "" {
				t.Errorf("GatedCounts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFingerprintMatchesSpecificationFormula(t *testing.T) {
	t.Parallel()
	// Expected values computed independently: sha256(...).hexdigest()[:16].
	tests := []struct {
		code    string
		line    int
		message string
		want    string
	}{
		{"PARSE_ERROR", 12, "Parse error (assignment) line 12: goal", "5c93e1c62ffe177c"},
		{"PARSE_ERROR", 12, "Parse error (assignment) line 12: goal\nsecond line", "5c93e1c62ffe177c"},
		{"VALIDATION_ERROR", 0, "x\r\nmore", "4ce502f55cddde32"},
	}
	for _, tt := range tests {
		if got := baseline.Fingerprint(tt.code, tt.line, tt.message); got != tt.want {
			t.Errorf("Fingerprint(%q, %d, %q) = %s, want %s", tt.code, tt.line, tt.message, got, tt.want)
		}
	}
}

func TestParseSuppressions(t *testing.T) {
	t.Parallel()
	in := `# Experimental quantum workflows under redesign
a1b2c3d4e5f67890 # deprecated goal syntax
DEADBEEFCAFE1234	# awaiting plugin migration expires=2025-10-01

0123456789abcdef
`
	got, err := baseline.ParseSuppressions(strings.NewReader(in), "supp.txt", parseDay)
	if err != nil {
		t.Fatal(err)
	}
	want := []baseline.Suppression{
		{Fingerprint: "a1b2c3d4e5f67890", Comment: "deprecated goal syntax", Line: 2},
		{Fingerprint: "deadbeefcafe1234", Comment: "awaiting plugin migration expires=2025-10-01", Line: 3, Expires: time.Date(2025, 10, 2, 0, 0, 0, 0, time.UTC)},
		{Fingerprint: "0123456789abcdef", Line: 5},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseSuppressions (-want +got):\n%s", diff)
	}
	if !got[1].Active(time.Date(2025, 10, 1, 23, 59, 0, 0, time.UTC), 0) || got[1].Active(time.Date(2025, 10, 2, 0, 0, 0, 0, time.UTC), 0) {
		t.Error("an entry must suppress through its expiry day and stop the day after")
	}
	if !got[0].Active(time.Now(), 0) || !got[0].Active(time.Now(), 1) {
		t.Error("an entry without expiry must stay active")
	}
}

func TestSuppressionScope(t *testing.T) {
	t.Parallel()
	in := `a1b2c3d4e5f67890 # unscoped, as the specification writes them
a1b2c3d4e5f67890 # written for one file first=tools/old.py
a1b2c3d4e5f67890 # restricted path=legacy/** path=*.tmp.py
`
	got, err := baseline.ParseSuppressions(strings.NewReader(in), "supp.txt", parseDay)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]string{nil, {"tools/old.py"}, nil}, [][]string{got[0].First, got[1].First, got[2].First}); diff != "" {
		t.Errorf("first= (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"legacy/**", "*.tmp.py"}, got[2].Paths); diff != "" {
		t.Errorf("path= (-want +got):\n%s", diff)
	}
	tests := []struct {
		entry         int
		path          string
		covers, wrote bool
	}{
		{0, "tools/old.py", true, false},
		{0, "app/new.py", true, false},
		{1, "tools/old.py", true, true},
		{1, "app/new.py", true, false}, // hidden, but not what it was written for
		{2, "legacy/a/b.py", true, true},
		{2, "x/y.tmp.py", true, true},
		{2, "app/new.py", false, false},
	}
	for _, tt := range tests {
		s := got[tt.entry]
		if s.Covers(tt.path) != tt.covers || s.WrittenFor(tt.path) != tt.wrote {
			t.Errorf("entry %d, %s: covers %v written for %v; want %v %v", tt.entry, tt.path, s.Covers(tt.path), s.WrittenFor(tt.path), tt.covers, tt.wrote)
		}
	}
}

func TestParseSuppressionsErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"nothex0123456789\n", "a1b2c3d4e5f6789 # 15 chars\n", "a1b2c3d4e5f67890 expires=2025-13-01\n",
		"a1b2c3d4e5f67890 path=/etc/*\n", "a1b2c3d4e5f67890 path=[\n", "a1b2c3d4e5f67890 path=\n", "a1b2c3d4e5f67890 first=\n", "a1b2c3d4e5f67890 first=/abs.py\n",
		"a1b2c3d4e5f67890 expires=\n", "a1b2c3d4e5f67890 expires=2026-01-01 expires=2027-01-01\n", "a1b2c3d4e5f67890 added=2026-01-01 added=2026-01-02\n",
		"a1b2c3d4e5f67890 owner=a owner=b\n", "a1b2c3d4e5f67890 owner=\n"} {
		_, err := baseline.ParseSuppressions(strings.NewReader(in), "supp.txt", parseDay)
		if err == nil || !strings.HasPrefix(err.Error(), "supp.txt:1: ") {
			t.Errorf("ParseSuppressions(%q) error = %v, want one naming supp.txt:1", in, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(seedBaseline))
	f.Add([]byte(`{"total": 0, "by_code": {}, "files": null}`))
	f.Add([]byte(`{"total": 1, "by_code": {"PARSE_ERROR": 1}, "suppressed_by_code": {"PARSE_ERROR": 1}, "files": [{"path": "a", "code_name": "PARSE_ERROR", "x": 1}]}`))
	f.Add([]byte(`{"total": 3, "by_code": {"SUCCESS": 2, "PARSE_ERROR": 1}, "passed": ["c", "b"], "files": [{"path": "a", "code_name": "PARSE_ERROR"}]}`))
	f.Add([]byte(`{"total": 10, "by_code": {"PARSE_ERROR": 10}, "total": 1}`))
	f.Add([]byte(`{"total": 2, "by_code": {"PARSE_ERROR": 1, "PARSE_ERROR": 2}}`))
	f.Add([]byte(`{"total": 1, "by_code": {"PARSE_ERROR": 1}, "files": [{"path": "a", "code_name": "PARSE_ERROR", "path": "b"}]}`))
	f.Add([]byte(`{"total": 0, "by_code": {}, "failure_rate": 1e999, "duration_sec": -1e999}`))
	f.Add([]byte(`{"total": 1, "by_code": {"SUCCESS": 1}, "by_category": {"Other": -1}, "files": [{"path": "a", "code_name": "SUCCESS", "line": 1e999}]}`))
	f.Add([]byte(`{"total": 0, "by_code": {}, "history": [{"timestamp": "2025-09-12T10:15:00Z", "commit": "0123456789abcdef0123456789abcdef01234567", "total": 1, "by_code": {"PARSE_ERROR": 1}, "suppressed_by_code": {"PARSE_ERROR": 1}}]}`))
	f.Add([]byte(`{"total": 0, "by_code": {}, "history": [{"timestamp": "2025-09-12T10:15:00Z", "total": 0, "total": 1, "by_code": {}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := baseline.Decode(data)
		// A stream reads the same document, or refuses it with the same error.
		streamed, serr := stream(iotest.HalfReader(bytes.NewReader(data)))
		if fmt.Sprint(err) != fmt.Sprint(serr) {
			t.Fatalf("Decode error %v, Reader error %v", err, serr)
		}
		if err != nil {
			return
		}
		if diff := cmp.Diff(b, streamed, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("Reader (-Decode +Reader):\n%s", diff)
		}
		// Every figure that decodes is within its range.
		sum := 0
		for c, n := range b.ByCode {
			if _, ok := baseline.CodeByName(c); !ok || n < 0 {
				t.Fatalf("by_code %s = %d", c, n)
			}
			sum += n
		}
		if sum != b.Total || b.Total < 0 || b.SuppressedFailures < 0 {
			t.Fatalf("total %d, by_code sum %d, suppressed %d", b.Total, sum, b.SuppressedFailures)
		}
		if !(b.FailureRate >= 0 && b.FailureRate <= 1) || !(b.DurationSec >= 0 && b.DurationSec <= math.MaxFloat64) {
			t.Fatalf("failure_rate %v, duration_sec %v", b.FailureRate, b.DurationSec)
		}
		for c, n := range b.SuppressedByCode {
			if n < 0 || n > b.ByCode[c] {
				t.Fatalf("suppressed_by_code %s = %d of %d", c, n, b.ByCode[c])
			}
		}
		for c, n := range b.ByCategory {
			if n < 0 {
				t.Fatalf("by_category %s = %d", c, n)
			}
		}
		paths := map[string]bool{}
		for _, f := range b.Files {
			if f.Path == "" || f.Line < 0 {
				t.Fatalf("file %+v", f)
			}
			paths[f.Path] = true
		}
		// A baseline that records the files it checked names each once.
		if b.Passed != nil && len(b.Passed)+len(paths) != b.Total {
			t.Fatalf("passed %d + listed %d != total %d", len(b.Passed), len(paths), b.Total)
		}
		// A document that names a key twice is never read as either of
		// its values: encoding/json would keep the last one. Inside the
		// history, which no verdict reads, the history alone is refused.
		if dupKey(data) && b.HistoryRefused == "" {
			t.Fatalf("decoded a document with a repeated key: %q", data)
		}
		if b.HistoryRefused != "" && b.History != nil {
			t.Fatalf("history refused (%s) but kept", b.HistoryRefused)
		}
		if len(b.History) > baseline.HistoryKeep {
			t.Fatalf("history of %d entries", len(b.History))
		}
		// Whatever decodes must encode and decode again to the same value.
		out, err := baseline.Encode(b)
		if err != nil {
			t.Fatalf("Encode: %v", err)
		}
		again, err := baseline.Decode(out)
		if err != nil {
			t.Fatalf("re-decode of encoded baseline: %v\n%s", err, out)
		}
		// A refused history is not written back: the second read has none
		// to refuse.
		b.HistoryRefused = ""
		if diff := cmp.Diff(b, again, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

// dupKey reports whether a JSON document has an object naming a key twice.
func dupKey(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		obj    bool
		keys   map[string]bool
		expKey bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		top := (*frame)(nil)
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.obj && top.expKey {
			if k, ok := tok.(string); ok {
				if top.keys[k] {
					return true
				}
				top.keys[k] = true
				top.expKey = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{obj: true, keys: map[string]bool{}, expKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 && stack[len(stack)-1].obj {
			stack[len(stack)-1].expKey = true
		}
	}
}

func TestParseCategory(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, base   string
		suppressed bool
		ok         bool
	}{
		{"ParseError", "ParseError", false, true},
		{"Suppressed-Timeout", "Timeout", true, true},
		{"Other", "Other", false, true},
		{"Suppressed-Other", "Other", true, true},
		{"Suppressed-", "", false, false},
		{"Suppressed-Suppressed-Other", "", false, false},
		{"timeout", "", false, false},
		{"", "", false, false},
	}
	for _, tt := range tests {
		base, supp, err := baseline.ParseCategory(tt.in)
		if (err == nil) != tt.ok || base != tt.base || supp != tt.suppressed {
			t.Errorf("ParseCategory(%q) = %q, %v, %v; want %q, %v, ok %v", tt.in, base, supp, err, tt.base, tt.suppressed, tt.ok)
		}
	}
}
