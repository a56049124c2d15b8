package signing

import (
	"strings"
	"testing"
	"time"
)

// TestNotBefore: with a minimum signing time, a signature older than it, or
// one whose trusted comment records no time (or a malformed or doubled one),
// is invalid; without it, each is signed (minisign's own model).
func TestNotBefore(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	at := func(ts string) string { return ts + "\tfile:a.sh\thashed" }
	cut := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, comment, reason string // reason "" passes with NotBefore set
	}{
		{"signed after", at("timestamp:1767225601"), ""},
		{"signed at the cut", at("timestamp:1767225600"), ""},
		{"signed before", at("timestamp:1767225599"), "signed 2025-12-31T23:59:59Z, before 2026-01-01T00:00:00Z"},
		{"no timestamp", "file:a.sh", "trusted comment records no timestamp"},
		{"empty timestamp", at("timestamp:"), "is not seconds since 1970"},
		{"negative timestamp", at("timestamp:-5"), "is not seconds since 1970"},
		{"two timestamps", "timestamp:1767225601\t" + at("timestamp:1"), "more than one timestamp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{"a.sh": "echo a\n"})
			resign(t, dir, "a.sh", k, tt.comment, false)
			spec := Spec{Files: []string{"a.sh"}, Keys: []string{k.inline}}
			rep, err := Check(t.Context(), dir, spec)
			if err != nil || rep.Signed != 1 {
				t.Fatalf("without not-before: %v %+v, want signed", err, rep)
			}
			spec.NotBefore = cut
			rep, err = Check(t.Context(), dir, spec)
			if err != nil {
				t.Fatal(err)
			}
			got := rep.Results[0]
			if tt.reason == "" {
				if got.Status != Signed {
					t.Fatalf("%+v, want signed", got)
				}
				return
			}
			if got.Status != Invalid || !strings.Contains(got.Reason, tt.reason) || rep.OK() {
				t.Fatalf("%+v, want invalid because %q", got, tt.reason)
			}
		})
	}
}

func TestParseNotBefore(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Time{
		"2026-01-15":                time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC),
		"2026-01-15T09:30:00Z":      time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC),
		"2026-01-15T11:30:00+02:00": time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC),
	} {
		if got, err := ParseNotBefore(in); err != nil || !got.Equal(want) {
			t.Errorf("ParseNotBefore(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "15.01.2026", "1767225600", "2026-13-01", "yesterday"} {
		if _, err := ParseNotBefore(bad); err == nil {
			t.Errorf("ParseNotBefore(%q) accepted", bad)
		}
	}
}
