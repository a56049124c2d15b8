package baseline_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/baseline"
)

// parseDay is the clock of the suppression tests: 2026-12-01, 10:00 UTC.
var parseDay = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

func TestSuppressionAddedOwner(t *testing.T) {
	t.Parallel()
	in := "a1b2c3d4e5f67890 # goal syntax owner=@lang-team added=2026-09-01 expires=2027-03-31\n" +
		"deadbeefcafe1234 # written today added=2026-12-01\n"
	got, err := baseline.ParseSuppressions(strings.NewReader(in), "supp.txt", parseDay)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Owner != "@lang-team" || !got[0].Added.Equal(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("owner %q, added %v; want @lang-team, 2026-09-01", got[0].Owner, got[0].Added)
	}
	if !got[1].Added.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("added %v, want today", got[1].Added)
	}
}

// TestSuppressionAge: the boundary days of --max-age. An entry added on
// 2026-09-01 is 90 days old on 2026-11-30 and 91 on 2026-12-01.
func TestSuppressionAge(t *testing.T) {
	t.Parallel()
	s := baseline.Suppression{Fingerprint: "a1b2c3d4e5f67890", Added: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)}
	expiring := s
	expiring.Expires = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC) // expires=2026-11-01
	undated := baseline.Suppression{Fingerprint: "a1b2c3d4e5f67890"}
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, time.UTC) }
	tests := []struct {
		name   string
		s      baseline.Suppression
		now    time.Time
		maxAge int
		want   bool
	}{
		{"no limit", s, at(12, 1, 0), 0, true},
		{"90 days old, limit 90", s, at(11, 30, 23), 90, true},
		{"91 days old, limit 90", s, at(12, 1, 0), 90, false},
		{"added today, limit 1", baseline.Suppression{Added: at(12, 1, 0)}, at(12, 1, 23), 1, true},
		{"1 day old, limit 1", baseline.Suppression{Added: at(11, 30, 0)}, at(12, 1, 23), 1, true},
		{"2 days old, limit 1", baseline.Suppression{Added: at(11, 29, 0)}, at(12, 1, 0), 1, false},
		{"young but past expires=", expiring, at(11, 2, 0), 90, false},
		{"undated never ages", undated, at(12, 1, 0), 1, true},
		{"clock in another zone", s, time.Date(2026, 12, 1, 1, 0, 0, 0, time.FixedZone("UTC+2", 2*3600)), 90, true}, // 2026-11-30 23:00 UTC
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.s.Active(tt.now, tt.maxAge); got != tt.want {
				t.Errorf("Active(%v, %d) = %v, want %v", tt.now, tt.maxAge, got, tt.want)
			}
		})
	}
}

// TestSuppressionErrors: each refusal is one line naming the file, the
// line, the key and the expected form.
func TestSuppressionErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"a1b2c3d4e5f67890 added=2026-9-1", "supp.txt:1: added=2026-9-1 is not a date (want YYYY-MM-DD)"},
		{"a1b2c3d4e5f67890 added=yesterday", "supp.txt:1: added=yesterday is not a date (want YYYY-MM-DD)"},
		{"a1b2c3d4e5f67890 added=2026-12-02", "supp.txt:1: added=2026-12-02 is after today (2026-12-01 UTC): want the day the entry was written, YYYY-MM-DD"},
		{"# c\n\na1b2c3d4e5f67890 added=2026-02-30", "supp.txt:3: added=2026-02-30 is not a date (want YYYY-MM-DD)"},
		{"a1b2c3d4e5f67890 owner=? expires=2027-01-01", "supp.txt:1: owner=?: fill in who owns the fix, e.g. owner=@lang-team"},
		{"a1b2c3d4e5f67890 owner=@me expires=?", "supp.txt:1: expires=?: fill in a date, YYYY-MM-DD"},
		{"a1b2c3d4e5f67890 added=2026-01-01 added=2026-01-01", "supp.txt:1: added= given 2 times: want it once"},
	}
	for _, tt := range tests {
		_, err := baseline.ParseSuppressions(strings.NewReader(tt.in), "supp.txt", parseDay)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q: error = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func failing(path, code string, line int, msg string, suppressed bool) baseline.File {
	return baseline.File{Path: path, CodeName: code, Line: line, Message: msg,
		Fingerprint: baseline.Fingerprint(code, line, msg), Suppressed: suppressed}
}

func TestCandidatesTemplate(t *testing.T) {
	t.Parallel()
	b := &baseline.Baseline{Files: []baseline.File{
		failing("a.aether", baseline.ParseError, 12, "unbalanced goal", false),
		failing("b.aether", baseline.ParseError, 12, "unbalanced goal", false),
		failing("c.aether", baseline.ParseError, 12, "unbalanced goal", true), // already suppressed
		failing("d.aether", baseline.RuntimeError, 3, "boom", false),
		failing("e.aether", baseline.RuntimeError, 3, "boom", true),
		{Path: "f.aether", CodeName: baseline.Success},
	}}
	cands, err := baseline.Candidates(b)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cands {
		got = append(got, fmt.Sprintf("%s %s %v", c.Fingerprint, c.CodeName, c.Paths))
	}
	want := []string{
		baseline.Fingerprint(baseline.ParseError, 12, "unbalanced goal") + " PARSE_ERROR [a.aether b.aether]",
		baseline.Fingerprint(baseline.RuntimeError, 3, "boom") + " RUNTIME_ERROR [d.aether]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Candidates (-want +got):\n%s", diff)
	}

	// Pasted as it is, the template is refused (owner and expiry to fill
	// in); filled in, it parses to entries for exactly those files.
	tmpl := baseline.Template(cands, parseDay)
	if _, err := baseline.ParseSuppressions(strings.NewReader(tmpl), "supp.txt", parseDay); err == nil || !strings.Contains(err.Error(), "owner=?: fill in") {
		t.Errorf("unfilled template: error = %v, want the owner refused", err)
	}
	filled := strings.NewReplacer("owner=?", "owner=@me", "expires=?", "expires=2027-01-31").Replace(tmpl)
	entries, err := baseline.ParseSuppressions(strings.NewReader(filled), "supp.txt", parseDay)
	if err != nil {
		t.Fatalf("filled template: %v\n%s", err, filled)
	}
	if len(entries) != 2 {
		t.Fatalf("%d entries, want 2:\n%s", len(entries), filled)
	}
	for i, e := range entries {
		if e.Fingerprint != cands[i].Fingerprint || e.Owner != "@me" || !e.Added.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) ||
			!cmp.Equal(e.First, cands[i].Paths) || e.Paths != nil {
			t.Errorf("entry %d = %+v, want %s written for %v, added today", i, e, cands[i].Fingerprint, cands[i].Paths)
		}
	}
}

// TestTemplateUntrusted: a message or a path from a checked file can say
// anything; in the template it stays comment text and never becomes a key
// of an entry or a line of its own.
func TestTemplateUntrusted(t *testing.T) {
	t.Parallel()
	evil := "x path=** expires=2999-01-01\n0123456789abcdef # injected"
	b := &baseline.Baseline{Files: []baseline.File{
		failing("dir/a b.aether", baseline.ParseError, 1, "msg first=all path=** owner=x added=2020-01-01 # \u2028"+evil, false),
		failing("dir/x\npath=**", baseline.ParseError, 1, "msg first=all path=** owner=x added=2020-01-01 # \u2028"+evil, false),
		failing("dir/ok#1.aether", baseline.ParseError, 1, "msg first=all path=** owner=x added=2020-01-01 # \u2028"+evil, false),
	}}
	cands, err := baseline.Candidates(b)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := baseline.Template(cands, parseDay)
	filled := strings.NewReplacer("owner=?", "owner=@me", "expires=?", "expires=2027-01-31").Replace(tmpl)
	entries, err := baseline.ParseSuppressions(strings.NewReader(filled), "supp.txt", parseDay)
	if err != nil {
		t.Fatalf("filled template: %v\n%s", err, filled)
	}
	if len(entries) != 1 {
		t.Fatalf("%d entries, want 1:\n%s", len(entries), filled)
	}
	e := entries[0]
	if e.Owner != "@me" || e.Paths != nil || !cmp.Equal(e.First, []string{"dir/ok#1.aether"}) || !e.Expires.Equal(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("entry = %+v, want owner @me, no path=, first= only the path that is one token, expiry as filled in", e)
	}
	for _, line := range strings.Split(strings.TrimSpace(tmpl), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, e.Fingerprint+" ") {
			t.Errorf("line %q is neither a comment nor the entry", line)
		}
	}
	if !strings.Contains(tmpl, "# 2 path(s) have spaces or control characters") {
		t.Errorf("template does not say which paths it could not name:\n%s", tmpl)
	}
}

func TestTemplateManyFiles(t *testing.T) {
	t.Parallel()
	b := &baseline.Baseline{}
	for i := range 101 {
		b.Files = append(b.Files, failing(fmt.Sprintf("f%03d.aether", i), baseline.ParseError, 1, "m", false))
	}
	cands, err := baseline.Candidates(b)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := baseline.Template(cands, parseDay)
	if strings.Contains(tmpl, " first=f") || !strings.Contains(tmpl, "# 101 files: too many to name with first=; add path=GLOB") {
		t.Errorf("template for 101 files:\n%s", tmpl)
	}
}

func TestCandidatesBadFingerprint(t *testing.T) {
	t.Parallel()
	b := &baseline.Baseline{Files: []baseline.File{{Path: "a", CodeName: baseline.ParseError, Fingerprint: "x # path=**"}}}
	if _, err := baseline.Candidates(b); err == nil || !strings.Contains(err.Error(), "files[0].fingerprint") {
		t.Errorf("error = %v, want one naming files[0].fingerprint", err)
	}
}

// Owners names whom to ask about each fingerprint asked for: every owner=
// of its entries, sorted, once; none for entries without owner=.
func TestOwners(t *testing.T) {
	t.Parallel()
	in := "a1b2c3d4e5f67890 owner=@z\n" +
		"a1b2c3d4e5f67890 path=a/* owner=@b\n" +
		"a1b2c3d4e5f67890 path=b/* owner=@z\n" +
		"deadbeefcafe1234 # no owner\n" +
		"0123456789abcdef owner=@not-asked\n"
	entries, err := baseline.ParseSuppressions(strings.NewReader(in), "s.txt", parseDay)
	if err != nil {
		t.Fatal(err)
	}
	got := baseline.Owners(entries, []string{"a1b2c3d4e5f67890", "deadbeefcafe1234"})
	if want := map[string][]string{"a1b2c3d4e5f67890": {"@b", "@z"}}; !cmp.Equal(want, got) {
		t.Errorf("owners %v, want %v", got, want)
	}
}

// StaleOwners names the owners of the expired and the unused entries the
// baseline carries, and of no other; a baseline without its entries (read
// from a file) names none.
func TestStaleOwners(t *testing.T) {
	t.Parallel()
	in := "a1b2c3d4e5f67890 owner=@expired\n" +
		"deadbeefcafe1234 owner=@unused\n" +
		"0123456789abcdef owner=@in-use\n"
	entries, err := baseline.ParseSuppressions(strings.NewReader(in), "s.txt", parseDay)
	if err != nil {
		t.Fatal(err)
	}
	b := &baseline.Baseline{ExpiredSuppressions: []string{"a1b2c3d4e5f67890"}, UnusedSuppressions: []string{"deadbeefcafe1234"}, Suppressions: entries}
	want := map[string][]string{"a1b2c3d4e5f67890": {"@expired"}, "deadbeefcafe1234": {"@unused"}}
	if got := b.StaleOwners(); !cmp.Equal(want, got) {
		t.Errorf("owners %v, want %v", got, want)
	}
	b.Suppressions = nil
	if got := b.StaleOwners(); len(got) != 0 {
		t.Errorf("without entries: owners %v, want none", got)
	}
}
