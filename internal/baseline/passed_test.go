package baseline

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEncodeToSpilledIsEncode: a baseline whose passed list is spilled is
// written byte for byte as the same baseline held in memory, whatever
// the paths hold and whatever unknown fields sort around "passed".
func TestEncodeToSpilledIsEncode(t *testing.T) {
	paths := []string{"a <b> & c.aether", "d/\"quoted\".aether", "e/line\nbreak.aether", "f/ünï.aether", "g/\u2028.aether"}
	slices.Sort(paths)
	for _, tc := range []struct {
		name  string
		paths []string
		extra map[string]json.RawMessage
	}{
		{"empty", []string{}, nil},
		{"one", paths[:1], nil},
		{"many, unknown fields around", paths, map[string]json.RawMessage{"aaa": json.RawMessage(`{"passed": []}`), "zzz": json.RawMessage(`"\n  \"passed\": []"`)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := sample(tc.paths, tc.extra)
			want, err := Encode(mem)
			if err != nil {
				t.Fatal(err)
			}
			spilled := sample(tc.paths, tc.extra)
			spilled.Passed = nil
			spilled.PassedSpill = spill(t, tc.paths)
			var got bytes.Buffer
			if err := EncodeTo(&got, spilled); err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want) {
				t.Fatalf("spilled:\n%s\nin memory:\n%s", got.String(), want)
			}
			// And it reads back as the same list.
			back, err := Decode(got.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(back.Passed, tc.paths) {
				t.Fatalf("read back %q, want %q", back.Passed, tc.paths)
			}
			if _, err := json.Marshal(spilled); err == nil {
				t.Fatal("json.Marshal wrote a spilled baseline without its list")
			}
		})
	}
}

func TestWriteStreamsASpill(t *testing.T) {
	paths := make([]string, 20000)
	for i := range paths {
		paths[i] = strings.Repeat("d/", i%5) + "f" + string(rune('a'+i%26)) + "-" + strings.Repeat("x", i%7) + ".aether"
	}
	slices.Sort(paths)
	paths = slices.Compact(paths)
	b := sample(paths, nil)
	b.Passed = nil
	b.PassedSpill = spill(t, paths)
	p := filepath.Join(t.TempDir(), "parse_baseline.json")
	if err := Write(p, b); err != nil {
		t.Fatal(err)
	}
	back, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Passed, paths) {
		t.Fatalf("read back %d paths, want %d", len(back.Passed), len(paths))
	}
	var seen []string
	if err := b.EachPassed(func(p string) error { seen = append(seen, p); return nil }); err != nil || !slices.Equal(seen, paths) {
		t.Fatalf("EachPassed: %v, %d paths", err, len(seen))
	}
	if rec, checked := b.Records(paths[len(paths)/2]); !rec || !checked {
		t.Fatal("Records does not find a spilled path")
	}
	if rec, checked := b.Records("missing.aether"); !rec || checked {
		t.Fatalf("Records(missing) = %v, %v; want recorded, not checked", rec, checked)
	}
	if rec, checked := b.Records("bad.aether"); !rec || !checked {
		t.Fatal("Records does not find a listed failure")
	}
}

func TestPassedSpillRefusesOutOfOrder(t *testing.T) {
	s, err := NewPassedSpill()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Add("b"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"a", "b"} {
		if err := s.Add(p); err == nil || !strings.Contains(err.Error(), "sorted, each once") {
			t.Fatalf("Add(%q) after b: %v", p, err)
		}
	}
	// The first refusal sticks: the list is no longer trusted.
	if err := s.Add("c"); err == nil {
		t.Fatal("Add after a refusal succeeded")
	}
	if s.Len() != 1 {
		t.Fatalf("Len = %d", s.Len())
	}
}

func sample(passed []string, extra map[string]json.RawMessage) *Baseline {
	b := &Baseline{
		Timestamp: "2026-12-01T00:00:00Z", ByCode: map[string]int{Success: len(passed), ParseError: 1},
		Files:   []File{{Path: "bad.aether", CodeName: ParseError, Line: 2, Message: "Parse error"}},
		Passed:  passed,
		Checker: "check {file}", Extra: extra,
	}
	b.Normalize()
	return b
}

func spill(t *testing.T, paths []string) *PassedSpill {
	t.Helper()
	s, err := NewPassedSpill()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, p := range paths {
		if err := s.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	return s
}
