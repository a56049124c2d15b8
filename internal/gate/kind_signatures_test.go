package gate

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/org/gonogo-action/internal/minisign"
	"github.com/org/gonogo-action/internal/signing"
)

func TestSignaturesGate(t *testing.T) {
	t.Parallel()
	pk, sk, err := minisign.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := pk.MarshalText()
	setup := func(t *testing.T) string {
		dir := t.TempDir()
		writeFile(t, dir, "keys/release.pub", string(pub))
		writeFile(t, dir, "scripts/a.sh", "#!/bin/sh\necho a\n")
		writeFile(t, dir, "scripts/b.sh", "#!/bin/sh\necho b\n")
		writeFile(t, dir, "revoked.txt", "# none yet\n")
		if _, err := signing.SignFiles(context.Background(), dir, []string{"scripts/a.sh", "scripts/b.sh"}, sk, signing.SignOptions{Now: time.Unix(1, 0)}); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	const spec = "{include: ['scripts/**/*.sh'], keys: [keys/release.pub], revoked: revoked.txt, strict: true}"
	tests := []struct {
		name, spec string
		edit       func(t *testing.T, dir string)
		ok         bool
		status     string
		summary    string
	}{
		{name: "signed", spec: spec, ok: true, summary: "2 files: 2 signed, 0 unsigned, 0 invalid, 0 revoked"},
		{name: "inline key", spec: "{include: ['scripts/*.sh'], keys: ['" + pk.String() + "'], strict: true}", ok: true},
		{
			name: "modified after signing", spec: spec,
			edit:    func(t *testing.T, dir string) { writeFile(t, dir, "scripts/b.sh", "#!/bin/sh\necho pwned\n") },
			status:  StatusFail,
			summary: "1 invalid, 0 revoked; first: scripts/b.sh invalid",
		},
		{
			name: "revoked key", spec: spec,
			edit:    func(t *testing.T, dir string) { writeFile(t, dir, "revoked.txt", pk.ID.String()+"\n") },
			status:  StatusFail,
			summary: "2 revoked",
		},
		{
			name: "unsigned, strict", spec: spec,
			edit:    func(t *testing.T, dir string) { writeFile(t, dir, "scripts/c.sh", "new\n") },
			status:  StatusFail,
			summary: "first: scripts/c.sh unsigned",
		},
		{
			name: "unsigned, warning", spec: strings.Replace(spec, "strict: true", "strict: false", 1),
			edit: func(t *testing.T, dir string) { writeFile(t, dir, "scripts/c.sh", "new\n") },
			ok:   true, summary: "1 unsigned",
		},
		{
			name: "missing revocation list fails closed", spec: strings.Replace(spec, "revoked.txt", "gone.txt", 1),
			status: StatusError, summary: "read revocation list gone.txt",
		},
		{name: "nothing matched", spec: "{include: ['*.py'], keys: [keys/release.pub]}", status: StatusFail, summary: "no file matched include"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := setup(t)
			if tt.edit != nil {
				tt.edit(t, dir)
			}
			g := runConfig(t, "version: 1\ngates:\n  - id: sig\n    signatures: "+tt.spec+"\n", Options{Dir: dir}).Gate("sig")
			if g.OK != tt.ok {
				t.Errorf("OK = %v, want %v (%s)", g.OK, tt.ok, g.Summary)
			}
			if tt.status != "" && g.Status() != tt.status {
				t.Errorf("status = %s, want %s", g.Status(), tt.status)
			}
			if !strings.Contains(g.Summary, tt.summary) {
				t.Errorf("summary = %q, want it to contain %q", g.Summary, tt.summary)
			}
		})
	}
}

func TestSignaturesConfigErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, spec, want string }{
		{"no keys", "{include: ['*.sh']}", "g.yml:4: signatures: no trusted keys"},
		{"no include", "{keys: [k.pub]}", "g.yml:4: signatures: no include patterns"},
		{"bad glob", "{include: ['[.sh'], keys: [k.pub]}", "g.yml:4: signatures: include pattern \"[.sh\": syntax error"},
		{"unknown key", "{include: ['*.sh'], keys: [k.pub], strict: true, revoke: r.txt}", "g.yml:4: unknown key \"revoke\""},
		{"not_before no date", "{include: ['*.sh'], keys: [k.pub], not_before: 1.1.2026}", "g.yml:4: signatures: not_before \"1.1.2026\": want a date (2026-01-15) or an RFC 3339 time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseConfig("g.yml", []byte("version: 1\ngates:\n  - id: a\n    signatures: "+tt.spec+"\n"))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
