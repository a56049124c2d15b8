package gate

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// failNonFinite fails a gate whose details hold NaN or ±Inf, and keeps
// the record writable. A figure that is not a number was never
// established, so it cannot be evidence of a pass (fail closed); and JSON
// has no encoding for it, so left in place it would stop
// gate_results.json (and the sign-off written with it) from being
// written at all. The value is kept as a string ("NaN", "+Inf", "-Inf")
// so the record still shows what the gate saw.
func failNonFinite(r *GateResult) {
	var bad []string
	r.Details = finiteValue("details", r.Details, &bad).(map[string]any)
	if len(bad) == 0 {
		// A value the walk cannot see into (a typed field, a struct in
		// details) is checked as it will be written.
		if _, err := json.Marshal(*r); err != nil {
			bad = append(bad, "details cannot be recorded: "+err.Error())
			r.Details = map[string]any{}
			r.Regression, r.Reference, r.Tests = nil, nil, nil
		}
	}
	if len(bad) == 0 {
		return
	}
	msg := bad[0]
	if len(bad) > 1 {
		msg += fmt.Sprintf(" (and %d more)", len(bad)-1)
	}
	r.OK = false
	r.Summary = msg
	r.Details["reason"] = msg
	r.Details["status"] = StatusError
	delete(r.Details, "manual_followup")
}

// finiteValue returns v with every non-finite float replaced by its
// name, appending the replaced fields' paths to bad in a stable order.
func finiteValue(path string, v any, bad *[]string) any {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			*bad = append(*bad, path+" is "+nonFiniteName(x)+", not a finite number")
			return nonFiniteName(x)
		}
	case float32:
		return finiteValue(path, float64(x), bad)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			x[k] = finiteValue(path+"."+k, x[k], bad)
		}
	case []any:
		for i := range x {
			x[i] = finiteValue(path+"["+strconv.Itoa(i)+"]", x[i], bad)
		}
	case []map[string]any: // http steps, metrics series
		for i := range x {
			finiteValue(path+"["+strconv.Itoa(i)+"]", x[i], bad)
		}
	case []CheckResult: // a multi-check gate's checks, each with its details
		for i := range x {
			if x[i].Details != nil {
				finiteValue(path+"["+strconv.Itoa(i)+"].details", x[i].Details, bad)
			}
		}
	case []float64:
		out := make([]any, len(x))
		changed := false
		for i, f := range x {
			out[i] = finiteValue(path+"["+strconv.Itoa(i)+"]", f, bad)
			_, isStr := out[i].(string)
			changed = changed || isStr
		}
		if changed {
			return out
		}
	}
	return v
}

func nonFiniteName(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return "NaN"
}
