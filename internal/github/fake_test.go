package github

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

const testToken = "ghs_testtoken"

// fakeAPI is a GitHub API stand-in in the manner of cli/cli's httpmock: each
// expected call is registered with how many times it may come; any other
// call fails the test, and so does an expected call that never came.
type fakeAPI struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	routes []*route
}

type route struct {
	method, path string
	query        url.Values // these parameters must match exactly; others are free
	times        int        // calls expected
	used         int
	h            http.HandlerFunc
}

func newFakeAPI(t *testing.T) *fakeAPI {
	f := &fakeAPI{t: t}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(func() {
		f.srv.Close()
		f.verify()
	})
	return f
}

// on registers one expected call of method on target ("/path?k=v").
func (f *fakeAPI) on(method, target string, h http.HandlerFunc) *route {
	u, err := url.Parse(target)
	if err != nil {
		f.t.Fatal(err)
	}
	r := &route{method: method, path: u.Path, query: u.Query(), times: 1, h: h}
	f.mu.Lock()
	f.routes = append(f.routes, r)
	f.mu.Unlock()
	return r
}

func (r *route) n(times int) *route { r.times = times; return r }

func (f *fakeAPI) serve(w http.ResponseWriter, req *http.Request) {
	if got := req.Header.Get("Authorization"); got != "Bearer "+testToken {
		f.t.Errorf("%s %s: Authorization = %q", req.Method, req.URL, got)
	}
	f.mu.Lock()
	var match *route
	for _, r := range f.routes {
		if r.method == req.Method && r.path == req.URL.Path && r.used < r.times && queryMatches(r.query, req.URL.Query()) {
			match = r
			break
		}
	}
	if match != nil {
		match.used++
	}
	f.mu.Unlock()
	if match == nil {
		f.t.Errorf("unexpected call %s %s", req.Method, req.URL)
		http.Error(w, "unexpected", http.StatusTeapot) // 418: not retried
		return
	}
	match.h(w, req)
}

func queryMatches(want, got url.Values) bool {
	for k, v := range want {
		if fmt.Sprint(got[k]) != fmt.Sprint(v) {
			return false
		}
	}
	return true
}

func (f *fakeAPI) verify() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.routes {
		if r.used != r.times {
			f.t.Errorf("%s %s?%s: called %d times, want %d", r.method, r.path, r.query.Encode(), r.used, r.times)
		}
	}
}

// blobHost stands in for the artifact storage: it serves fixed blobs and
// fails the test on any request carrying credentials.
func newBlobHost(t *testing.T, blobs map[string][]byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if a := req.Header.Get("Authorization"); a != "" {
			t.Errorf("blob host got Authorization %q", a)
			http.Error(w, "credentials not allowed", http.StatusBadRequest)
			return
		}
		b, ok := blobs[req.URL.Path]
		if !ok {
			t.Errorf("blob host: unexpected %s", req.URL)
			http.NotFound(w, req)
			return
		}
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func jsonReply(v any) http.HandlerFunc {
	return jsonStatus(http.StatusOK, v)
}

func jsonStatus(code int, v any) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(v)
	}
}

// sleeps records the waits a client asked for instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return nil
}

func (s *sleeps) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func newTestClient(t *testing.T, f *fakeAPI) (*Client, *sleeps) {
	t.Helper()
	s := &sleeps{}
	c, err := New(Options{Token: testToken, APIURL: f.srv.URL, Sleep: s.sleep, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

// ghError is the documented error body.
func ghError(msg string) map[string]any {
	return map[string]any{"message": msg, "documentation_url": "https://docs.github.com/rest"}
}
