package scan

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/baseline"
)

// TestBuildMaxAge: entries older than MaxAgeDays (by added=) stop
// suppressing and are listed as expired; undated and young ones stay.
func TestBuildMaxAge(t *testing.T) {
	t.Parallel()
	const statuses = `{"ok": false, "code_name": "PARSE_ERROR", "file": "a.aether", "line": 1, "message": "old"}
{"ok": false, "code_name": "PARSE_ERROR", "file": "b.aether", "line": 2, "message": "young"}
{"ok": false, "code_name": "PARSE_ERROR", "file": "c.aether", "line": 3, "message": "undated"}
`
	old, young, undated := baseline.Fingerprint("PARSE_ERROR", 1, "old"), baseline.Fingerprint("PARSE_ERROR", 2, "young"), baseline.Fingerprint("PARSE_ERROR", 3, "undated")
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	supp := filepath.Join(t.TempDir(), "supp.txt")
	entries := old + " # owner=@a added=2026-09-01 first=a.aether\n" + young + " # added=2026-09-02 first=b.aether\n" + undated + " # first=c.aether\n"
	if err := os.WriteFile(supp, []byte(entries), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		maxAge  int
		gated   int
		expired []string
		owners  map[string][]string // of the stale entries, from the entries Build carries
	}{{0, 0, nil, map[string][]string{}}, {90, 1, []string{old}, map[string][]string{old: {"@a"}}}, {1, 2, []string{old, young}, map[string][]string{old: {"@a"}}}} {
		b, err := Build(context.Background(), Options{Statuses: "-", Stdin: strings.NewReader(statuses), Suppressions: supp,
			MaxAgeDays: tt.maxAge, Now: func() time.Time { return now }, Env: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		if n := b.GatedCounts()["PARSE_ERROR"]; n != tt.gated {
			t.Errorf("max age %d: %d gated, want %d", tt.maxAge, n, tt.gated)
		}
		slices.Sort(tt.expired) // the baseline sorts them
		if diff := cmp.Diff(tt.expired, b.ExpiredSuppressions); diff != "" {
			t.Errorf("max age %d: expired (-want +got):\n%s", tt.maxAge, diff)
		}
		if diff := cmp.Diff(tt.owners, b.StaleOwners()); diff != "" {
			t.Errorf("max age %d: owners of stale entries (-want +got):\n%s", tt.maxAge, diff)
		}
	}
	// A future added= is refused, naming the file and line.
	if err := os.WriteFile(supp, []byte(old+" # added=2026-12-02\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Build(context.Background(), Options{Statuses: "-", Stdin: strings.NewReader(statuses), Suppressions: supp, Now: func() time.Time { return now }, Env: []string{}})
	if err == nil || !strings.HasPrefix(err.Error(), supp+":1: added=2026-12-02 is after today") {
		t.Errorf("error = %v, want the future added= refused", err)
	}
}

func TestDefaultLocations(t *testing.T) {
	t.Parallel()
	write := func(t *testing.T, dir, name string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		files   []string
		dirs    []string
		supp    string
		hist    string
		wantErr string
	}{
		{name: "none"},
		{name: "ours", files: []string{SuppressionsFile}, supp: SuppressionsFile},
		{name: "the specification's", files: []string{SpecSuppressionsFile}, dirs: []string{SpecHistoryDir}, supp: SpecSuppressionsFile, hist: SpecHistoryDir},
		{name: "both", files: []string{SuppressionsFile, SpecSuppressionsFile}, wantErr: "suppressions: both "},
		{name: "a folder where the file goes", dirs: []string{SpecSuppressionsFile}, wantErr: "exists but is not a regular file"},
		{name: "a file where the folder goes", files: []string{SpecHistoryDir}, wantErr: "exists but is not a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for _, f := range tt.files {
				write(t, dir, f)
			}
			for _, d := range tt.dirs {
				if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			supp, err1 := DefaultSuppressions(dir)
			hist, err2 := DefaultHistoryDir(dir)
			if tt.wantErr != "" {
				if (err1 == nil || !strings.Contains(err1.Error(), tt.wantErr)) && (err2 == nil || !strings.Contains(err2.Error(), tt.wantErr)) {
					t.Fatalf("errors %v, %v; want one containing %q", err1, err2, tt.wantErr)
				}
				return
			}
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			rel := func(p string) string {
				if p == "" {
					return ""
				}
				r, _ := filepath.Rel(dir, p)
				return filepath.ToSlash(r)
			}
			if rel(supp) != tt.supp || rel(hist) != tt.hist {
				t.Errorf("suppressions %q, history %q; want %q, %q", rel(supp), rel(hist), tt.supp, tt.hist)
			}
		})
	}
}
