package gate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"mime"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"gopkg.in/yaml.v3"
)

// metricsCheck reads a Prometheus text exposition (from a URL or a file)
// with the Prometheus project's own parser and judges series by name and
// labels. A series that is absent fails unless its expectation is
// {absent: true}; when several series match the labels, every one must
// meet the expectation (an unlabelled selector over a labelled metric
// judges all of them).
type metricsCheck struct {
	URL     string            `yaml:"url"`
	File    string            `yaml:"file"`
	Headers map[string]string `yaml:"headers"`
	Expect  []metricExpect    `yaml:"expect"`
	// AllowEmpty passes an exposition of no series (expectations of
	// absence are then all met); without it, that is no evidence.
	AllowEmpty bool `yaml:"allow_empty"`
}

// metricExpect selects series by name and (a subset of) labels, compared
// exactly, and holds the expectation on their value.
type metricExpect struct {
	Name   string            `yaml:"name"`
	Labels map[string]string `yaml:"labels"`
	Value  valueExpect       `yaml:"value"`
}

// valueExpect is an expectation decoded from YAML (as in json:).
type valueExpect struct{ *expectation }

// UnmarshalYAML decodes a plain value or an operator mapping.
func (v *valueExpect) UnmarshalYAML(node *yaml.Node) error {
	e, err := decodeExpectation(node, "value")
	v.expectation = e
	return err
}

func decodeMetrics(d *Decoder, value *yaml.Node, _ map[string]*yaml.Node) (Check, error) {
	c := &metricsCheck{}
	if err := d.Decode(value, c); err != nil {
		return nil, err
	}
	if (c.URL == "") == (c.File == "") {
		return nil, d.Errorf(value, "metrics: give exactly one of url and file")
	}
	if c.URL != "" && !isURL(c.URL) {
		return nil, d.Errorf(valueNode(value, "url", value), "metrics: url must be an http(s) URL")
	}
	if len(c.Expect) == 0 {
		return nil, d.Errorf(value, "metrics: expect must list at least one series")
	}
	list := valueNode(value, "expect", value)
	for i, e := range c.Expect {
		n := list.Content[i]
		if !model.UTF8Validation.IsValidMetricName(e.Name) {
			return nil, d.Errorf(n, "metrics expect %d: name %q is not a metric name", i+1, e.Name)
		}
		if e.Value.expectation == nil {
			return nil, d.Errorf(n, "metrics expect %d (%s): value is required (a number or operators such as {ge: 1})", i+1, e.Name)
		}
		if at, err := sampleOnly(valueNode(n, "value", n), e.Value.expectation); err != nil {
			return nil, d.Errorf(at, "metrics expect %d (%s): value: a sample is a number: %v", i+1, e.Name, err)
		}
	}
	return c, nil
}

// sampleOnly refuses what a sample, a number, can never meet, so that it
// fails the configuration rather than every run: a regex or a len (of a
// number), an eq or in holding anything but finite numbers ("5" is a
// string). exists and absent stand alone or beside numeric operators.
// It returns the node of the offending operator (node itself for a plain
// value).
func sampleOnly(node *yaml.Node, e *expectation) (*yaml.Node, error) {
	at := func(op string) *yaml.Node {
		if node.Kind == yaml.MappingNode {
			return valueNode(node, op, node)
		}
		return node
	}
	switch {
	case e.re != nil:
		return at("regex"), errors.New("regex matches text; use eq, in, lt, le, gt or ge")
	case e.length != nil:
		return at("len"), errors.New("len measures text or a list; use eq, in, lt, le, gt or ge")
	}
	if e.hasEq && !finiteNumber(e.eq) {
		return at("eq"), fmt.Errorf("want a finite number, got %s", compactJSON(e.eq))
	}
	for _, x := range e.in {
		if !finiteNumber(x) {
			return at("in"), fmt.Errorf("in: want finite numbers, got %s", compactJSON(x))
		}
	}
	return nil, nil
}

func finiteNumber(v any) bool {
	f, ok := v.(float64)
	return ok && !math.IsNaN(f) && !math.IsInf(f, 0)
}

// sample is one flattened series of an exposition.
type sample struct {
	Name   string
	Labels map[string]string
	Value  float64
}

func (c *metricsCheck) Run(ctx context.Context, rc *RunContext) Outcome {
	source := c.URL
	if source == "" {
		source = c.File
	}
	details := map[string]any{"source": source}
	text, out := c.read(ctx, rc)
	if out != nil {
		return *out
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		details["error"] = err.Error()
		return Failed(fmt.Sprintf("%s is not a Prometheus text exposition: %v", source, err), details)
	}
	samples := flatten(families)
	details["series_read"] = len(samples)
	if len(samples) == 0 && !c.AllowEmpty {
		// An empty scrape (or file) meets every {absent: true}: nothing
		// read is no evidence that nothing is there.
		return Failed(fmt.Sprintf("no series in %s: an empty exposition proves nothing (allow_empty: true accepts it)", source), details)
	}
	var problems []string
	var judged []map[string]any
	for _, e := range c.Expect {
		sel := e.selector()
		var hits []sample
		for _, s := range samples {
			if s.Name == e.Name && labelsMatch(s.Labels, e.Labels) {
				hits = append(hits, s)
			}
		}
		if len(hits) == 0 {
			row := map[string]any{"series": sel, "found": 0}
			if p := e.Value.check(nil, false); p != "" {
				problems = append(problems, fmt.Sprintf("%s: %s", sel, p))
				row["problem"] = p
			}
			judged = append(judged, row)
			continue
		}
		for _, s := range hits {
			row := map[string]any{"series": seriesString(s.Name, s.Labels), "value": formatValue(s.Value)}
			if p := e.Value.check(s.Value, true); p != "" {
				p = strings.Replace(p, "got "+compactJSON(s.Value), "got "+formatValue(s.Value), 1)
				problems = append(problems, fmt.Sprintf("%s: %s", seriesString(s.Name, s.Labels), p))
				row["problem"] = p
			}
			judged = append(judged, row)
		}
	}
	details["series"] = judged
	if len(problems) > 0 {
		details["problems"] = problems
		return Failed(problems[0], details)
	}
	parts := make([]string, len(c.Expect))
	for i, e := range c.Expect {
		parts[i] = e.selector() + " " + e.Value.String()
	}
	return Passed(strings.Join(parts, ", "), details)
}

// read returns the exposition text, or the outcome that ends the check.
func (c *metricsCheck) read(ctx context.Context, rc *RunContext) (string, *Outcome) {
	fail := func(o Outcome) (string, *Outcome) { return "", &o }
	var r io.Reader
	if c.File != "" {
		f, err := os.Open(rc.Path(c.File))
		if errors.Is(err, fs.ErrNotExist) {
			return fail(Missing("metrics file %s is missing", c.File))
		}
		if err != nil {
			return fail(Errored("open metrics file: %v", err))
		}
		defer f.Close()
		r = f
	} else {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL, nil)
		if err != nil {
			return fail(Errored("%v", err))
		}
		// Ask for the text format; a server that answers anything else
		// (protobuf, OpenMetrics) is refused below rather than misread.
		req.Header.Set("Accept", "text/plain;version=0.0.4")
		for _, k := range sortedKeys(c.Headers) {
			req.Header.Set(k, c.Headers[k])
		}
		resp, err := rc.HTTP.Do(req)
		if err != nil {
			return fail(Failed("request: "+err.Error(), map[string]any{"source": c.URL}))
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fail(Failed(fmt.Sprintf("GET %s: status %d, want 200", c.URL, resp.StatusCode), map[string]any{"source": c.URL, "status": resp.StatusCode}))
		}
		ct := resp.Header.Get("Content-Type")
		if mt, _, _ := mime.ParseMediaType(ct); mt != "text/plain" {
			return fail(Failed(fmt.Sprintf("GET %s: content type %q, want the Prometheus text format (text/plain)", c.URL, ct), map[string]any{"source": c.URL}))
		}
		r = resp.Body
	}
	data, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err != nil {
		return fail(Errored("read metrics: %v", err))
	}
	if len(data) > maxBody {
		return fail(Failed(fmt.Sprintf("exposition over %d bytes: refused rather than judged in part", maxBody), nil))
	}
	return string(data), nil
}

// flatten turns families into series the way Prometheus names them:
// a summary's quantiles, _sum and _count; a histogram's _bucket{le}, _sum
// and _count.
func flatten(families map[string]*dto.MetricFamily) []sample {
	var out []sample
	for _, name := range sortedKeys(families) {
		mf := families[name]
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, lp := range m.GetLabel() {
				labels[lp.GetName()] = lp.GetValue()
			}
			with := func(k, v string) map[string]string {
				l := maps.Clone(labels)
				l[k] = v
				return l
			}
			switch mf.GetType() {
			case dto.MetricType_COUNTER:
				out = append(out, sample{name, labels, m.GetCounter().GetValue()})
			case dto.MetricType_GAUGE:
				out = append(out, sample{name, labels, m.GetGauge().GetValue()})
			case dto.MetricType_SUMMARY:
				s := m.GetSummary()
				for _, q := range s.GetQuantile() {
					out = append(out, sample{name, with("quantile", formatValue(q.GetQuantile())), q.GetValue()})
				}
				out = append(out, sample{name + "_sum", labels, s.GetSampleSum()}, sample{name + "_count", labels, float64(s.GetSampleCount())})
			case dto.MetricType_HISTOGRAM, dto.MetricType_GAUGE_HISTOGRAM:
				h := m.GetHistogram()
				for _, b := range h.GetBucket() {
					out = append(out, sample{name + "_bucket", with("le", formatValue(b.GetUpperBound())), float64(b.GetCumulativeCount())})
				}
				out = append(out, sample{name + "_sum", labels, h.GetSampleSum()}, sample{name + "_count", labels, float64(h.GetSampleCount())})
			default:
				out = append(out, sample{name, labels, m.GetUntyped().GetValue()})
			}
		}
	}
	return out
}

func labelsMatch(have, want map[string]string) bool {
	for k, v := range want {
		if got, ok := have[k]; !ok || got != v {
			return false
		}
	}
	return true
}

func (e metricExpect) selector() string { return seriesString(e.Name, e.Labels) }

// seriesString writes name{a="x",b="y"} with sorted labels.
func seriesString(name string, labels map[string]string) string {
	if len(labels) == 0 {
		return name
	}
	parts := make([]string, 0, len(labels))
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		parts = append(parts, k+"="+strconv.Quote(labels[k]))
	}
	return name + "{" + strings.Join(parts, ",") + "}"
}

func formatValue(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
