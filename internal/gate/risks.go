package gate

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Risk is one row of the residual-risk watchlist (the specification's
// table: area, impact, suggested mitigation, priority). MitigatedBy names
// the gates whose passing shows the mitigation in place.
type Risk struct {
	Area        string   `yaml:"area" json:"area"`
	Impact      string   `yaml:"impact" json:"impact"`
	Mitigation  string   `yaml:"mitigation" json:"mitigation"`
	Priority    string   `yaml:"priority" json:"priority"`
	MitigatedBy []string `yaml:"mitigated_by" json:"mitigated_by,omitempty"`
}

// Risk states, from the results of a run.
const (
	RiskOpen      = "open"      // no mitigating gate declared, or one not in the results
	RiskMitigated = "mitigated" // every mitigating gate passed
	RiskFailing   = "failing"   // a mitigating gate did not pass
)

// RiskState is the risk's state given the results: failing when a
// mitigating gate did not pass (those gates are returned), mitigated when
// every one passed, open otherwise (a gate not run is no evidence).
func (r *Results) RiskState(k Risk) (string, []string) {
	var failed []string
	all := len(k.MitigatedBy) > 0
	for _, id := range k.MitigatedBy {
		g := r.Gate(id)
		switch {
		case g == nil:
			all = false
		case !g.OK:
			failed = append(failed, id)
		}
	}
	switch {
	case len(failed) > 0:
		return RiskFailing, failed
	case all:
		return RiskMitigated, nil
	}
	return RiskOpen, nil
}

// risks validates the watchlist: every text present, every mitigating gate
// declared.
func (d *Decoder) risks(cfg *Config, raw []Risk, node *yaml.Node) error {
	for i, k := range raw {
		n := node
		if node != nil && i < len(node.Content) {
			n = node.Content[i]
		}
		for _, f := range []struct{ key, v string }{{"area", k.Area}, {"impact", k.Impact}, {"mitigation", k.Mitigation}, {"priority", k.Priority}} {
			if strings.TrimSpace(f.v) == "" {
				return d.Errorf(n, "risk %d: %s is required", i+1, f.key)
			}
		}
		seen := map[string]bool{}
		for _, id := range k.MitigatedBy {
			if cfg.Gate(id) == nil {
				return d.Errorf(valueNode(n, "mitigated_by", n), "risk %q: mitigated_by names unknown gate %q", k.Area, id)
			}
			if seen[id] {
				return d.Errorf(valueNode(n, "mitigated_by", n), "risk %q: mitigated_by names %s twice", k.Area, id)
			}
			seen[id] = true
		}
	}
	cfg.Risks = raw
	return nil
}
