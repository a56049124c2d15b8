package gate

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// TestMetrics judges client_golang's real exposition, served with its real
// content type and read from a file.
func TestMetrics(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/metrics/client_golang.prom")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/metrics":
			w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8; escaping=underscores")
			w.Write(body)
		case "/html":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html></html>"))
		case "/garbage":
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte("aetherra_kernel_inflight three\n"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	writeFile(t, dir, "metrics.prom", string(body))
	url := "url: " + srv.URL + "/metrics"
	tests := []struct{ name, spec, want string }{
		{"inflight and swaps", url + `, expect: [{name: aetherra_kernel_inflight, value: {le: 10}}, {name: aetherra_hmr_swaps_total, labels: {module: engine}, value: {ge: 1}}]`, ""},
		{"from a file", `file: metrics.prom, expect: [{name: aetherra_kernel_inflight, value: 3}]`, ""},
		{"too many in flight", url + `, expect: [{name: aetherra_kernel_inflight, value: {lt: 3}}]`, "aetherra_kernel_inflight: got 3, want lt 3"},
		{"all matching series must hold", url + `, expect: [{name: aetherra_hmr_swaps_total, value: {ge: 1}}]`, `aetherra_hmr_swaps_total{module="agents"}: got 0, want ge 1`},
		{"absent series fails", url + `, expect: [{name: aetherra_dlq_depth, value: {le: 5}}]`, "aetherra_dlq_depth: absent, want le 5"},
		{"absent label value fails", url + `, expect: [{name: aetherra_hmr_swaps_total, labels: {module: memory}, value: {ge: 0}}]`, `aetherra_hmr_swaps_total{module="memory"}: absent`},
		{"absent wanted", url + `, expect: [{name: aetherra_dlq_depth, value: {absent: true}}]`, ""},
		{"present but absent wanted", url + `, expect: [{name: aetherra_kernel_inflight, value: {absent: true}}]`, "got 3, want absent"},
		{"histogram and summary series", url + `, expect: [{name: aetherra_request_seconds_count, value: 2}, {name: aetherra_request_seconds_bucket, labels: {le: "0.1"}, value: 1}, {name: aetherra_queue_wait_seconds, labels: {quantile: "0.5"}, value: {lt: 1}}, {name: aetherra_queue_wait_seconds_sum, value: {gt: 0.1}}]`, ""},
		{"not the text format", "url: " + srv.URL + "/html, expect: [{name: x, value: 1}]", `content type "text/html", want the Prometheus text format`},
		{"malformed exposition", "url: " + srv.URL + "/garbage, expect: [{name: x, value: 1}]", "is not a Prometheus text exposition"},
		{"not found", "url: " + srv.URL + "/none, expect: [{name: x, value: 1}]", "status 404"},
		{"missing file", `file: none.prom, expect: [{name: x, value: 1}]`, "metrics file none.prom is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := runConfig(t, "version: 1\ngates:\n  - id: m\n    metrics: {"+tt.spec+"}\n", Options{Dir: dir}).Gate("m")
			if tt.want == "" {
				if !g.OK {
					t.Fatalf("want pass: %s (%v)", g.Summary, g.Details)
				}
				return
			}
			if g.OK || !strings.Contains(g.Summary, tt.want) {
				t.Fatalf("summary %q, want fail with %q", g.Summary, tt.want)
			}
		})
	}
}

func TestMetricsConfigErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ spec, want string }{
		{`{url: 'http://x/m', file: m.prom, expect: [{name: a, value: 1}]}`, "give exactly one of url and file"},
		{`{url: 'http://x/m', expect: []}`, "expect must list at least one series"},
		{`{url: 'http://x/m', expect: [{name: a}]}`, "value is required"},
		{`{url: 'http://x/m', expect: [{name: a, value: {gte: 1}}]}`, `gonogo.yml:4: value: unknown operator "gte"`},
		{`{url: 'http://x/m', expect: [{name: a, value: {regex: x}}]}`, "gonogo.yml:4: metrics expect 1 (a): value: a sample is a number: regex matches text"},
		// exists beside a regex passed the load and failed every run.
		{`{url: 'http://x/m', expect: [{name: a, value: {exists: true, regex: '^1'}}]}`, "gonogo.yml:4: metrics expect 1 (a): value: a sample is a number: regex matches text"},
		{`{url: 'http://x/m', expect: [{name: a, value: {exists: true, len: 1}}]}`, "value: a sample is a number: len measures text"},
		{`{url: 'http://x/m', expect: [{name: a, value: "5"}]}`, `gonogo.yml:4: metrics expect 1 (a): value: a sample is a number: want a finite number, got "5"`},
		{`{url: 'http://x/m', expect: [{name: a, value: {eq: up}}]}`, `value: a sample is a number: want a finite number, got "up"`},
		{`{url: 'http://x/m', expect: [{name: a, value: true}]}`, `value: a sample is a number: want a finite number, got true`},
		{`{url: 'http://x/m', expect: [{name: a, value: {in: [1, "2"]}}]}`, `value: a sample is a number: in: want finite numbers, got "2"`},
		{`{url: 'http://x/m', expect: [{name: a, value: {ge: 1, ge: 2}}]}`, `gonogo.yml:4: value: ge is given twice; give each operator once`},
		{`{url: 'http://x/m', expect: [{name: a, value: {ge: '1'}}]}`, `gonogo.yml:4: value: ge: want a number, got the string "1"`},
		{`{url: 'http://x/m', expect: [{name: a, value: {le: .nan}}]}`, `gonogo.yml:4: value: le: want a finite number, got .nan`},
		{`{url: 'http://x/m', expect: [{name: a, lables: {x: y}, value: 1}]}`, `unknown key "lables"`},
		{`{url: 'ftp://x/m', expect: [{name: a, value: 1}]}`, "url must be an http(s) URL"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			t.Parallel()
			_, err := ParseConfig("gonogo.yml", []byte("version: 1\ngates:\n  - id: m\n    metrics: "+tt.spec+"\n"))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestMetricsConfigErrorLines: in a block mapping, a refused operator is
// named at its own line, not at the series'.
func TestMetricsConfigErrorLines(t *testing.T) {
	t.Parallel()
	for op, want := range map[string]string{
		"regex: '^1'": `gonogo.yml:10: metrics expect 1 (up): value: a sample is a number: regex matches text; use eq, in, lt, le, gt or ge`,
		"eq: 'one'":   `gonogo.yml:10: metrics expect 1 (up): value: a sample is a number: want a finite number, got "one"`,
		"ge: 2":       `gonogo.yml:10: value: ge is given twice; give each operator once`,
	} {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			cfg := "version: 1\ngates:\n  - id: m\n    metrics:\n      file: m.prom\n      expect:\n        - name: up\n          value:\n            ge: 1\n            " + op + "\n"
			_, err := ParseConfig("gonogo.yml", []byte(cfg))
			if err == nil || err.Error() != want {
				t.Errorf("error %v, want %q", err, want)
			}
		})
	}
	// exists beside a numeric operator is a sample's expectation.
	if _, err := ParseConfig("gonogo.yml", []byte("version: 1\ngates:\n  - id: m\n    metrics: {file: m.prom, expect: [{name: up, value: {exists: true, ge: 1, in: [1, 2]}}, {name: down, value: {absent: true}}, {name: x, value: 0}]}\n")); err != nil {
		t.Errorf("a numeric expectation is refused: %v", err)
	}
}
