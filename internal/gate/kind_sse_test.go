package gate

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// sseServer streams the given events; behaviour varies the stream.
func sseServer(t *testing.T, types []string, behaviour string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("X-Aetherra-Policy", `{"scratchpad":"redacted"}`)
		flusher := w.(http.Flusher)
		start := 0
		if last := r.Header.Get("Last-Event-ID"); last != "" && behaviour != "restart" {
			n, _ := strconv.Atoi(last)
			start = n // ids are 1-based: resume after id n
		}
		for i := start; i < len(types); i++ {
			id := i + 1
			if behaviour == "nonmonotonic" && i == 2 {
				id = 1
			}
			fmt.Fprintf(w, "id: %d\nevent: %s\ndata: {\"n\": %d}\n\n", id, types[i], i)
			flusher.Flush()
		}
		if behaviour == "endless" {
			fmt.Fprint(w, ": keep-alive\n\n")
			flusher.Flush()
			<-r.Context().Done()
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestSSE(t *testing.T) {
	t.Parallel()
	good := []string{"status", "policy", "token", "token", "usage", "final"}
	const expect = `
      expect:
        order: [status, policy, usage, final]
        within: {policy: 3}
        monotonic_ids: true
        resume: true
        headers: {X-Aetherra-Policy: json}`
	tests := []struct {
		name      string
		types     []string
		behaviour string
		extra     string
		want      string // "" = pass; else substring of the summary
	}{
		{"good", good, "", "", ""},
		{"reordered", []string{"status", "usage", "policy", "final"}, "", "", "event order status→usage→policy→final"},
		{"policy late", []string{"status", "token", "token", "policy", "usage", "final"}, "", "", "event policy not within the first 3 (at 4)"},
		{"restart instead of resume", good, "restart", "", "resume: first id after Last-Event-ID 3 is 1, want 4"},
		{"non-monotonic ids", good, "nonmonotonic", "", "ids not monotonic: 1 after 2"},
		{"no events", nil, "", "", "no event from http://127.0.0.1:"},
		{"never ends", good, "endless", "\n      timeout: 300ms", "stream did not end within 300ms"},
		{"endless with until", good, "endless", "\n      until: final", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := sseServer(t, tt.types, tt.behaviour)
			res := runConfig(t, `version: 1
gates:
  - id: sse
    sse:
      url: `+srv.URL+tt.extra+expect+"\n", Options{})
			g := res.Gate("sse")
			if tt.want == "" {
				if !g.OK {
					t.Fatalf("want pass, got %s: %v", g.Summary, g.Details)
				}
				return
			}
			if g.OK || !strings.Contains(g.Summary, tt.want) {
				t.Fatalf("summary %q, want fail with %q (details %v)", g.Summary, tt.want, g.Details)
			}
		})
	}
}

func TestSSEDetails(t *testing.T) {
	t.Parallel()
	srv := sseServer(t, []string{"status", "policy", "usage", "final"}, "")
	res := runConfig(t, `version: 1
gates:
  - id: sse
    sse:
      url: `+srv.URL+`
      expect: {order: [status, policy], resume: true}
`, Options{})
	d := res.Gate("sse").Details
	if d["events_seen"] != 4 || d["order"] != "ok" || d["resume_from"] != "2" || d["resume_first_id"] != "3" {
		t.Errorf("details %v", d)
	}
}

// TestSSEData matches each event's JSON data with the expectation
// operators, and the policy header inside its JSON.
func TestSSEData(t *testing.T) {
	t.Parallel()
	srv := sseServer(t, []string{"status", "token", "token", "final"}, "")
	tests := []struct{ data, want string }{
		{`{token: {n: {ge: 1, le: 2}}, final: {n: 3}}`, ""},
		{`{token: {n: {lt: 2}}}`, `event token (id "3") data json n: got 2, want lt 2`},
		{`{usage: {n: {exists: true}}}`, "event usage: none in the stream"},
		{`{status: {n: {in: [1, 2]}}}`, `want in [1,2]`},
	}
	for _, tt := range tests {
		t.Run(tt.data, func(t *testing.T) {
			t.Parallel()
			res := runConfig(t, `version: 1
gates:
  - id: sse
    sse:
      url: `+srv.URL+`
      expect:
        headers: {X-Aetherra-Policy: {json: {scratchpad: {in: [redacted, off]}}}}
        data: `+tt.data+"\n", Options{})
			g := res.Gate("sse")
			if tt.want == "" {
				if !g.OK {
					t.Fatalf("want pass, got %s: %v", g.Summary, g.Details)
				}
				return
			}
			if g.OK || !strings.Contains(g.Summary, tt.want) {
				t.Fatalf("summary %q, want fail with %q", g.Summary, tt.want)
			}
		})
	}
}
