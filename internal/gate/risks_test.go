package gate

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRisksConfig(t *testing.T) {
	t.Parallel()
	const gates = "gates:\n  - id: a\n    run: \"true\"\n  - id: b\n    run: \"false\"\n  - id: c\n    run: \"true\"\n"
	res := runConfig(t, "version: 1\n"+gates+"risks:\n"+
		"  - {area: A, impact: I, mitigation: M, priority: High, mitigated_by: [a, c]}\n"+
		"  - {area: B, impact: I, mitigation: M, priority: Med, mitigated_by: [a, b]}\n"+
		"  - {area: C, impact: I, mitigation: M, priority: Low}\n", Options{})
	var states []string
	for _, k := range res.Meta.Risks {
		s, failed := res.RiskState(k)
		states = append(states, s+" "+strings.Join(failed, ","))
	}
	if diff := cmp.Diff([]string{"mitigated ", "failing b", "open "}, states); diff != "" {
		t.Errorf("states (-want +got):\n%s", diff)
	}
	// A gate left out of the run is no evidence: open, not mitigated.
	part := runConfig(t, "version: 1\n"+gates+"risks:\n  - {area: A, impact: I, mitigation: M, priority: High, mitigated_by: [a, c]}\n", Options{Gates: []string{"a"}})
	if s, _ := part.RiskState(part.Meta.Risks[0]); s != RiskOpen {
		t.Errorf("partial run: %s", s)
	}
	// The watchlist travels in _meta, so a report read from the file shows it.
	data, err := res.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back Results
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(res.Meta.Risks, back.Meta.Risks); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	for _, tt := range []struct{ risk, want string }{
		{"{area: A, impact: I, mitigation: M, priority: High, mitigated_by: [zz]}", `t.yml:6: risk "A": mitigated_by names unknown gate "zz"`},
		{"{area: A, impact: I, mitigation: M, priority: High, mitigated_by: [a, a]}", `t.yml:6: risk "A": mitigated_by names a twice`},
		{"{area: A, impact: I, mitigation: M}", "t.yml:6: risk 1: priority is required"},
		{"{area: A, impact: I, mitigation: M, priority: High, owner: me}", `t.yml:6: unknown key "owner"`},
	} {
		_, err := ParseConfig("t.yml", []byte("version: 1\ngates:\n  - id: a\n    run: \"true\"\nrisks:\n  - "+tt.risk+"\n"))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q…", tt.risk, err, tt.want)
		}
	}
}
