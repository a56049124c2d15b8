package baseline_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/baseline"
)

const (
	shaA = "0123456789abcdef0123456789abcdef01234567"
	shaB = "89abcdef0123456789abcdef0123456789abcdef"
)

// withHistory is the seed example with a history field.
func withHistory(history string) string {
	return strings.Replace(seedBaseline, `"failure_rate": 0.6667,`, `"failure_rate": 0.6667, "history": `+history+`,`, 1)
}

func TestDecodeHistory(t *testing.T) {
	t.Parallel()
	doc := withHistory(`[
	  {"timestamp": "2025-09-11T10:15:00Z", "commit": "` + shaA + `", "total": 2700, "by_code": {"SUCCESS": 850, "PARSE_ERROR": 1850}, "suppressed_by_code": {"PARSE_ERROR": 10}},
	  {"timestamp": "2025-09-12T10:15:00.5+02:00", "total": 2700, "by_code": {"SUCCESS": 900, "PARSE_ERROR": 1800}, "later": [1]}
	]`)
	b, err := baseline.Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []baseline.Point{
		{Timestamp: "2025-09-11T10:15:00Z", Commit: shaA, Total: 2700, ByCode: map[string]int{"SUCCESS": 850, "PARSE_ERROR": 1850},
			SuppressedByCode: map[string]int{"PARSE_ERROR": 10}},
		{Timestamp: "2025-09-12T10:15:00.5+02:00", Total: 2700, ByCode: map[string]int{"SUCCESS": 900, "PARSE_ERROR": 1800}},
	}
	if diff := cmp.Diff(want, b.History); diff != "" || b.HistoryRefused != "" {
		t.Errorf("history (-want +got):\n%s\nrefused: %s", diff, b.HistoryRefused)
	}
	if _, ok := b.Extra["history"]; ok {
		t.Error("history also kept as an unknown field")
	}
	if got, want := want[0].Counts("PARSE_ERROR", false), 1840; got != want {
		t.Errorf("gated count %d, want %d", got, want)
	}
	if got, want := want[0].Counts("PARSE_ERROR", true), 1850; got != want {
		t.Errorf("raw count %d, want %d", got, want)
	}
	// Written back, read again: the same points.
	data, err := baseline.Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	again, err := baseline.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, again.History); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// A history that is wrong is dropped with the reason; the baseline, whose
// verdicts do not depend on it, is still read.
func TestDecodeHistoryRefused(t *testing.T) {
	t.Parallel()
	entry := func(fields string) string {
		return `[{"timestamp": "2025-09-12T10:15:00Z", "total": 3, "by_code": {"SUCCESS": 1, "PARSE_ERROR": 2}` + fields + `}]`
	}
	long := make([]string, baseline.HistoryKeep+1)
	for i := range long {
		long[i] = fmt.Sprintf(`{"timestamp": "2025-09-12T10:%02d:00Z", "total": 0, "by_code": {}}`, i)
	}
	tests := []struct{ name, history, want string }{
		{"not a list", `{"a": 1}`, "want a list, got an object"},
		{"too long", "[" + strings.Join(long, ",") + "]", "21 entries, at most 20"},
		{"entry not an object", `[5]`, "history[0].entry: want an object"},
		{"repeated key", `[{"timestamp": "2025-09-12T10:15:00Z", "total": 0, "total": 9, "by_code": {}}]`, "repeated key"},
		{"repeated code", `[{"timestamp": "2025-09-12T10:15:00Z", "total": 2, "by_code": {"SUCCESS": 1, "SUCCESS": 1}}]`, "repeated key"},
		{"timestamp missing", `[{"total": 0, "by_code": {}}]`, "history[0].timestamp: want an RFC 3339 time"},
		{"timestamp number", `[{"timestamp": 1, "total": 0, "by_code": {}}]`, "history[0].timestamp: want a string, got 1"},
		{"timestamp free text", `[{"timestamp": "yesterday\"]\nline [9]", "total": 0, "by_code": {}}]`, "want an RFC 3339 time"},
		{"commit short", entry(`, "commit": "abc1234"`), "history[0].commit: want a full commit id"},
		{"commit upper case", entry(`, "commit": "` + strings.ToUpper(shaA) + `"`), "want a full commit id"},
		{"commit null", entry(`, "commit": null`), "history[0].commit: want a string, got null"},
		{"commit with newline", entry(`, "commit": "` + shaA + `\n"`), "want a full commit id"},
		{"total string", `[{"timestamp": "2025-09-12T10:15:00Z", "total": "3", "by_code": {"SUCCESS": 3}}]`, "history[0].total: want a non-negative integer, got a string"},
		{"total fraction", `[{"timestamp": "2025-09-12T10:15:00Z", "total": 2.5, "by_code": {}}]`, "history[0].total: want a non-negative integer"},
		{"total huge", `[{"timestamp": "2025-09-12T10:15:00Z", "total": 9223372036854775807, "by_code": {"SUCCESS": 9223372036854775807}}]`, "not a plausible run"},
		{"count negative", `[{"timestamp": "2025-09-12T10:15:00Z", "total": 1, "by_code": {"SUCCESS": 2, "PARSE_ERROR": -1}}]`, "history[0].by_code.PARSE_ERROR: negative count"},
		{"count above total", `[{"timestamp": "2025-09-12T10:15:00Z", "total": 1, "by_code": {"SUCCESS": 2}}]`, "more than total"},
		{"sum mismatch", `[{"timestamp": "2025-09-12T10:15:00Z", "total": 5, "by_code": {"SUCCESS": 1}}]`, "counts sum to 1, but total is 5"},
		{"unknown code", entry(`, "suppressed_by_code": {"PARSE_EROR": 1}`), `unknown code name "PARSE_EROR"`},
		{"by_code missing", `[{"timestamp": "2025-09-12T10:15:00Z", "total": 0}]`, "history[0].by_code: missing"},
		{"suppressed above", entry(`, "suppressed_by_code": {"PARSE_ERROR": 3}`), "3 suppressed, but by_code has 2"},
		{"suppressed success", entry(`, "suppressed_by_code": {"SUCCESS": 1}`), "a success is not suppressed"},
		{"repeated code in suppressed", entry(`, "suppressed_by_code": {"PARSE_ERROR": 1, "PARSE_ERROR": 1}`), "history[0].suppressed_by_code.PARSE_ERROR: repeated key"},
		{"repeated key in an unknown field", entry(`, "later": {"a": 1, "a": 2}`), "history[0].later.a: repeated key"},
		{"out of order", `[{"timestamp": "2025-09-12T10:15:00Z", "total": 0, "by_code": {}}, {"timestamp": "2025-09-13T10:15:00Z", "total": 0, "by_code": {}},
			{"timestamp": "2025-09-11T10:15:00Z", "total": 0, "by_code": {}}]`,
			"history[2].timestamp: 2025-09-11T10:15:00Z is earlier than history[1]'s 2025-09-13T10:15:00Z: want the entries oldest first"},
		{"out of order across zones", `[{"timestamp": "2025-09-12T09:00:00Z", "total": 0, "by_code": {}}, {"timestamp": "2025-09-12T10:15:00+02:00", "total": 0, "by_code": {}}]`,
			"history[1].timestamp: 2025-09-12T10:15:00+02:00 is earlier than history[0]'s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := baseline.Decode([]byte(withHistory(tt.history)))
			if err != nil {
				t.Fatalf("the baseline was refused for its history: %v", err)
			}
			if b.History != nil || !strings.Contains(b.HistoryRefused, tt.want) {
				t.Errorf("history %v, refused %q; want refused with %q", b.History, b.HistoryRefused, tt.want)
			}
			if b.Total != 2700 {
				t.Errorf("total %d, want 2700", b.Total)
			}
			if _, err := baseline.DecodeHistory([]byte(tt.history)); err == nil {
				t.Error("DecodeHistory accepted it")
			}
		})
	}
}

// Points in time order are kept as given: equal times (two runs within a
// second) and times in other zones that are later.
func TestDecodeHistoryOrder(t *testing.T) {
	t.Parallel()
	history := `[{"timestamp": "2025-09-12T10:15:00+02:00", "total": 0, "by_code": {}}, {"timestamp": "2025-09-12T08:15:00Z", "total": 0, "by_code": {}},
		{"timestamp": "2025-09-12T09:00:00Z", "total": 0, "by_code": {}}]`
	got, err := baseline.DecodeHistory([]byte(history))
	if err != nil {
		t.Fatal(err)
	}
	var times []string
	for _, p := range got {
		times = append(times, p.Timestamp)
	}
	if want := []string{"2025-09-12T10:15:00+02:00", "2025-09-12T08:15:00Z", "2025-09-12T09:00:00Z"}; !cmp.Equal(want, times) {
		t.Errorf("timestamps %v, want %v", times, want)
	}
}

// A repeated key in a baseline's history is refused with the line of the
// document it is on, whether the document is read whole or streamed.
func TestDecodeHistoryRepeatedKeyLine(t *testing.T) {
	t.Parallel()
	doc := withHistory("[\n{\"timestamp\": \"2025-09-12T10:15:00Z\",\n \"total\": 0, \"by_code\": {},\n \"total\": 0}]")
	line := 1 + strings.Count(doc[:strings.LastIndex(doc, `"total": 0}`)], "\n")
	want := fmt.Sprintf("field history[0].total: repeated key (line %d)", line)
	for name, decode := range decoders {
		b, err := decode([]byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.HasPrefix(b.HistoryRefused, want) || b.History != nil {
			t.Errorf("%s: history %v, refused %q; want %q", name, b.History, b.HistoryRefused, want)
		}
	}
	// Read on its own, the lines are the history's.
	_, err := baseline.DecodeHistory([]byte("[{\"total\": 0,\n\"total\": 0}]"))
	if err == nil || !strings.Contains(err.Error(), "repeated key (line 2)") {
		t.Errorf("DecodeHistory: %v, want the repeated key on line 2", err)
	}
}

// A history that is not JSON is a document that is not JSON: refused.
func TestDecodeHistorySyntax(t *testing.T) {
	t.Parallel()
	if _, err := baseline.Decode([]byte(withHistory(`[{"timestamp": }]`))); err == nil {
		t.Error("a syntax error inside history was accepted")
	}
}

func TestContinueHistory(t *testing.T) {
	t.Parallel()
	point := func(i int, commit string) baseline.Point {
		return baseline.Point{Timestamp: fmt.Sprintf("2025-09-%02dT10:00:00Z", i), Commit: commit, Total: i, ByCode: map[string]int{"PARSE_ERROR": i}}
	}
	next := func() *baseline.Baseline {
		return &baseline.Baseline{Timestamp: "2025-10-01T00:00:00Z", Total: 7, ByCode: map[string]int{"SUCCESS": 4, "PARSE_ERROR": 3},
			SuppressedByCode: map[string]int{"PARSE_ERROR": 1}}
	}
	own := baseline.Point{Timestamp: "2025-10-01T00:00:00Z", Commit: shaB, Total: 7, ByCode: map[string]int{"SUCCESS": 4, "PARSE_ERROR": 3},
		SuppressedByCode: map[string]int{"PARSE_ERROR": 1}}
	full := make([]baseline.Point, baseline.HistoryKeep)
	for i := range full {
		full[i] = point(i+1, "")
	}
	tests := []struct {
		name   string
		prev   []baseline.Point
		commit string
		want   []baseline.Point
	}{
		{"first", nil, shaB, []baseline.Point{own}},
		{"appended", []baseline.Point{point(1, shaA)}, shaB, []baseline.Point{point(1, shaA), own}},
		{"bounded to the last 20", full, shaB, append(append([]baseline.Point{}, full[1:]...), own)},
		{"a re-run replaces its commit's point", []baseline.Point{point(1, shaA), point(2, shaB)}, shaB, []baseline.Point{point(1, shaA), own}},
		{"no commit", []baseline.Point{point(1, "")}, "", []baseline.Point{point(1, ""), func() baseline.Point { p := own; p.Commit = ""; return p }()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := next()
			if err := b.ContinueHistory(tt.prev, tt.commit); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, b.History); diff != "" {
				t.Errorf("history (-want +got):\n%s", diff)
			}
		})
	}
	// A baseline older than the last entry it follows (clocks that
	// disagree) would write a history refused when read: b is left as is.
	b := next()
	late := []baseline.Point{{Timestamp: "2025-10-01T00:00:01Z", Total: 0, ByCode: map[string]int{}}}
	if err := b.ContinueHistory(late, shaB); err == nil || !strings.Contains(err.Error(), "2025-10-01T00:00:00Z is earlier than the last entry it follows (2025-10-01T00:00:01Z)") {
		t.Errorf("out of order: err %v", err)
	}
	if b.History != nil {
		t.Errorf("out of order: history %+v, want none", b.History)
	}
	if err := b.ContinueHistory(nil, "HEAD"); err == nil || !strings.Contains(err.Error(), "40 lowercase hex") {
		t.Errorf("commit HEAD: err %v", err)
	}
	b.Timestamp = "Tuesday"
	if err := b.ContinueHistory(nil, ""); err == nil {
		t.Error("a timestamp that is not RFC 3339 made a point")
	}
}

// HistoryOf continues a reference's history, or starts from the reference
// alone; TrendOf charts the same, but a refused history is no point and
// the reason.
func TestHistoryOfAndTrendOf(t *testing.T) {
	t.Parallel()
	ref := func() *baseline.Baseline {
		return &baseline.Baseline{Timestamp: "2025-09-13T10:15:00Z", Total: 3, ByCode: map[string]int{"SUCCESS": 1, "PARSE_ERROR": 2}}
	}
	own := []baseline.Point{{Timestamp: "2025-09-13T10:15:00Z", Total: 3, ByCode: map[string]int{"SUCCESS": 1, "PARSE_ERROR": 2}}}
	hist := []baseline.Point{{Timestamp: "2025-09-12T10:15:00Z", Commit: shaA, Total: 3, ByCode: map[string]int{"PARSE_ERROR": 3}}, own[0]}
	for _, tt := range []struct {
		name      string
		edit      func(*baseline.Baseline)
		history   []baseline.Point
		trend     []baseline.Point
		refused   string
		historyOK bool
	}{
		{"a history", func(b *baseline.Baseline) { b.History = hist }, hist, hist, "", true},
		{"none", func(*baseline.Baseline) {}, own, own, "", true},
		{"refused", func(b *baseline.Baseline) { b.HistoryRefused = "field history: want a list" }, own, nil, "field history: want a list", true},
		{"no point", func(b *baseline.Baseline) { b.Timestamp = "Tuesday" }, nil, nil, "", false},
	} {
		b := ref()
		tt.edit(b)
		h, err := baseline.HistoryOf(b)
		if d := cmp.Diff(tt.history, h); d != "" || (err == nil) != tt.historyOK {
			t.Errorf("%s: HistoryOf (-want +got):\n%s\nerr %v", tt.name, d, err)
		}
		points, refused := baseline.TrendOf(b)
		if d := cmp.Diff(tt.trend, points); d != "" || refused != tt.refused {
			t.Errorf("%s: TrendOf (-want +got):\n%s\nrefused %q, want %q", tt.name, d, refused, tt.refused)
		}
	}
}
