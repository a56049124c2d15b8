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
