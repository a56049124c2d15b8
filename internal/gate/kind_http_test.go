package gate

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHTTP(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/status":
			w.Header().Set("X-Policy", `{"a":1}`)
			w.Header().Set("X-Version", "v1.2.3")
			w.Write([]byte(`{"running": true, "queues": {"depth": 0}, "services": ["a", "b"]}`))
		case "/agents":
			if r.Header.Get("Authorization") != "Bearer dev" {
				http.Error(w, "disabled", http.StatusForbidden)
				return
			}
			w.Write([]byte(`{"enabled": true}`))
		case "/echo":
			if r.Method != http.MethodPost {
				t.Errorf("method %s", r.Method)
			}
			w.Header().Set("Content-Type", "application/json")
			buf := make([]byte, 100)
			n, _ := r.Body.Read(buf)
			w.Write(buf[:n])
		default:
			t.Errorf("unexpected request %s", r.URL)
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	tests := []struct {
		name, steps, want string
	}{
		{"good", `
      - request: {url: ` + srv.URL + `/status}
        expect:
          json: {"running": true, "queues.depth": 0, "services.1": "b"}
          headers: {X-Policy: json, X-Version: "/^v1\\./", Content-Type: present}
      - request: {url: ` + srv.URL + `/agents}
        expect: {status: [403, 501]}
      - request: {url: ` + srv.URL + `/agents, headers: {Authorization: Bearer dev}}
        expect: {json: {enabled: true}}
      - request: {method: post, url: ` + srv.URL + `/echo, body: '{"x": [1]}'}
        expect: {json: {x: [1]}}`, ""},
		{"status", `
      - request: {url: ` + srv.URL + `/agents}`, "step 1 (GET " + srv.URL + "/agents): status 403, want [200]"},
		{"json value", `
      - request: {url: ` + srv.URL + `/status}
        expect: {json: {running: false}}`, "json running: got true, want false"},
		{"json absent", `
      - request: {url: ` + srv.URL + `/status}
        expect: {json: {kernel.ok: true}}`, "json kernel.ok: absent"},
		{"header json", `
      - request: {url: ` + srv.URL + `/status}
        expect: {headers: {X-Version: json}}`, "header X-Version: not valid JSON"},
		{"header absent", `
      - request: {url: ` + srv.URL + `/status}
        expect: {headers: {X-Missing: present}}`, "header X-Missing: absent"},
		{"not json", `
      - request: {url: ` + srv.URL + `/agents, headers: {Authorization: Bearer dev}}
        expect: {json: {enabled: true}}
      - request: {url: ` + srv.URL + `/agents}
        expect: {status: [200], json: {a: 1}}`, "step 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runConfig(t, "version: 1\ngates:\n  - id: h\n    http:"+tt.steps+"\n", Options{})
			g := res.Gate("h")
			if tt.want == "" {
				if !g.OK {
					t.Fatalf("want pass: %s %v", g.Summary, g.Details)
				}
				return
			}
			if g.OK || !strings.Contains(g.Summary, tt.want) {
				t.Fatalf("summary %q, want %q", g.Summary, tt.want)
			}
		})
	}
}

func TestHTTPConnectionRefused(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	res := runConfig(t, "version: 1\ngates:\n  - id: h\n    http:\n      - request: {url: "+url+"}\n", Options{})
	if g := res.Gate("h"); g.OK || !strings.Contains(g.Summary, "request:") {
		t.Errorf("gate %+v", g)
	}
}

// TestHTTPCapture: named values of a step's JSON body land in details (as a
// run gate's capture takes them from stdout); an absent value fails the
// step, and names are checked when the configuration loads.
func TestHTTPCapture(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/memory":
			w.Write([]byte(`{"coherence": 0.98, "node_statistics": {"total_nodes": 3}}`))
		case "/text":
			w.Write([]byte(`ok`))
		case "/empty":
		default:
			t.Errorf("unexpected request %s", r.URL)
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	for _, tt := range []struct {
		name, steps, want string
		details           map[string]any
	}{
		{"two steps", `
      - request: {url: ` + srv.URL + `/memory}
        capture: {coherence: $.coherence}
      - request: {url: ` + srv.URL + `/memory}
        capture: {nodes: $.node_statistics.total_nodes}`, "", map[string]any{"coherence": 0.98, "nodes": float64(3)}},
		{"absent", `
      - request: {url: ` + srv.URL + `/memory}
        capture: {drift: $.drift}`, "step 1 (GET " + srv.URL + "/memory): capture drift: $.drift is absent from the body's JSON", map[string]any{}},
		{"not JSON", `
      - request: {url: ` + srv.URL + `/text}
        capture: {x: $.x}`, "body is not JSON: ok", map[string]any{}},
		{"empty", `
      - request: {url: ` + srv.URL + `/empty}
        capture: {x: $.x}`, "step 1 (GET " + srv.URL + "/empty): body is empty, want JSON", map[string]any{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := runConfig(t, "version: 1\ngates:\n  - id: h\n    http:"+tt.steps+"\n", Options{}).Gate("h")
			if tt.want == "" && !g.OK || tt.want != "" && (g.OK || !strings.Contains(g.Summary, tt.want)) {
				t.Fatalf("ok %v summary %q, want %q", g.OK, g.Summary, tt.want)
			}
			for k, v := range tt.details {
				if g.Details[k] != v {
					t.Errorf("details.%s = %v, want %v", k, g.Details[k], v)
				}
			}
			if _, ok := g.Details["drift"]; ok {
				t.Errorf("an absent value was captured: %v", g.Details)
			}
		})
	}
	for _, tt := range []struct{ capture, want string }{
		{`{steps: $.a}`, `gonogo.yml:6: capture: "steps" is a detail the gate writes itself`},
		{`{previous: $.a}`, `gonogo.yml:6: capture: "previous" is a detail the gate writes itself`},
		{`{a: a.b}`, `gonogo.yml:6: capture a: "a.b" is not a JSON path`},
		{`[a]`, `gonogo.yml:6: capture must be a mapping`},
	} {
		_, err := ParseConfig("gonogo.yml", []byte("version: 1\ngates:\n  - id: h\n    http:\n      - request: {url: http://x/}\n        capture: "+tt.capture+"\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("capture %s: error %v, want %q", tt.capture, err, tt.want)
		}
	}
	_, err := ParseConfig("gonogo.yml", []byte("version: 1\ngates:\n  - id: h\n    http:\n      - request: {url: http://x/}\n        capture: {a: $.a}\n      - request: {url: http://x/}\n        capture: {a: $.b}\n"))
	if err == nil || !strings.Contains(err.Error(), `gonogo.yml:8: http step 2: capture "a" is taken by an earlier step`) {
		t.Errorf("duplicate capture: %v", err)
	}
}
