package signoff_test

import (
	"strings"
	"testing"

	"github.com/org/gonogo-action/internal/gate"
	"github.com/org/gonogo-action/internal/report/signoff"
)

// TestRisksGolden: the watchlist under the sign-off table, one row per
// risk: mitigated when every mitigating gate passed, failing (highlighted,
// naming the gate) when one did not, open without a mitigating gate or when
// it did not run; hostile text escaped.
func TestRisksGolden(t *testing.T) {
	t.Parallel()
	r := &gate.Results{
		Meta: gate.Meta{Profile: "test", TS: 1730000000.123, Failed: []string{"net"}, Risks: []gate.Risk{
			{Area: "Plugin manifest signing partial", Impact: "Unsigned third-party risk", Mitigation: "Enforce Ed25519 & revocation list", Priority: "High", MitigatedBy: []string{"sig"}},
			{Area: "Network policy tuning", Impact: "Surprising denies", Mitigation: "Versioned allowlist tests", Priority: "Med", MitigatedBy: []string{"sig", "net"}},
			{Area: "Sandbox best-effort", Impact: "Escape risk", Mitigation: "Process/container isolation", Priority: "High"},
			{Area: "Not run", Impact: "x", Mitigation: "y", Priority: "Low", MitigatedBy: []string{"absent"}},
			{Area: "<img src=x> @team | #12", Impact: "`code` *bold*", Mitigation: "[link](http://evil)", Priority: "Low\nHigh"},
		}},
		Gates: []gate.GateResult{
			signOffGate("sig", "Signed", true, gate.StatusPass, 0.1, "ok"),
			signOffGate("net", "Net", false, gate.StatusFail, 0.1, "denied"),
		},
	}
	got := signoff.Markdown(r)
	signOffGolden(t, "signoff_risks.md", got)
	for _, want := range []string{
		"| ✅ mitigated (sig) |",
		"| ❌ **failing: net** |",
		"| Process/container isolation | High | open |",
		"| Low | open |\n| ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("sign-off lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "<img") || strings.Contains(got, "@team") || strings.Contains(got, "[link](") {
		t.Errorf("hostile text not escaped:\n%s", got)
	}
	if s := signoff.Risks(&gate.Results{}); s != "" {
		t.Errorf("no risks: %q", s)
	}
}
