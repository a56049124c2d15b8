// Package ghfake is a stand-in for the GitHub API in tests, in the manner of
// cli/cli's httpmock: every expected call is registered with how many times
// it may come; any other call, a call without the expected token, or an
// expected call that never came fails the test. A second host serves
// artifact blobs and fails the test on any request carrying credentials.
// Response fixtures follow the shapes documented at docs.github.com/rest.
package ghfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// API is the fake API host.
type API struct {
	t      testing.TB
	token  string
	srv    *httptest.Server
	mu     sync.Mutex
	routes []*Route
	calls  []string
}

// Route is one expected call.
type Route struct {
	method, path string
	query        url.Values // these parameters must match exactly; others are free
	times        int
	used         int
	h            http.HandlerFunc
}

// NewAPI starts a fake API on 127.0.0.1 that expects "Bearer token" on
// every call (none when token is empty). It is closed and verified when the
// test ends.
func NewAPI(t testing.TB, token string) *API {
	a := &API{t: t, token: token}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(func() {
		a.srv.Close()
		a.Verify()
	})
	return a
}

// URL is the API's base URL (GITHUB_API_URL).
func (a *API) URL() string { return a.srv.URL }

// On registers one expected call of method on target ("/path?k=v"); the
// listed query parameters must match, others may be present.
func (a *API) On(method, target string, h http.HandlerFunc) *Route {
	u, err := url.Parse(target)
	if err != nil {
		a.t.Fatal(err)
	}
	r := &Route{method: method, path: u.Path, query: u.Query(), times: 1, h: h}
	a.mu.Lock()
	a.routes = append(a.routes, r)
	a.mu.Unlock()
	return r
}

// Times sets how many calls the route expects (1 by default).
func (r *Route) Times(n int) *Route { r.times = n; return r }

// Calls lists the calls served so far as "METHOD /path?query".
func (a *API) Calls() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.calls...)
}

func (a *API) serve(w http.ResponseWriter, req *http.Request) {
	want := ""
	if a.token != "" {
		want = "Bearer " + a.token
	}
	if got := req.Header.Get("Authorization"); got != want {
		a.t.Errorf("%s %s: Authorization = %q, want %q", req.Method, req.URL, got, want)
	}
	a.mu.Lock()
	a.calls = append(a.calls, req.Method+" "+req.URL.RequestURI())
	var match *Route
	for _, r := range a.routes {
		if r.method == req.Method && r.path == req.URL.Path && r.used < r.times && queryMatches(r.query, req.URL.Query()) {
			match = r
			break
		}
	}
	if match != nil {
		match.used++
	}
	a.mu.Unlock()
	if match == nil {
		a.t.Errorf("unexpected call %s %s", req.Method, req.URL)
		http.Error(w, "unexpected", http.StatusTeapot) // 418: never retried
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

// Verify fails the test for every expected call that did not come as often
// as registered.
func (a *API) Verify() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, r := range a.routes {
		if r.used != r.times {
			a.t.Errorf("%s %s?%s: called %d times, want %d", r.method, r.path, r.query.Encode(), r.used, r.times)
		}
	}
}

// NewBlobHost serves blobs by path on a second loopback host and fails the
// test on any request carrying an Authorization header.
func NewBlobHost(t testing.TB, blobs map[string][]byte) *httptest.Server {
	return NewBlobHostHandler(t, func(w http.ResponseWriter, req *http.Request) {
		b, ok := blobs[req.URL.Path]
		if !ok {
			t.Errorf("blob host: unexpected %s", req.URL)
			http.NotFound(w, req)
			return
		}
		w.Header().Set("Content-Type", "application/zip")
		_, _ = w.Write(b)
	})
}

// NewBlobHostHandler is NewBlobHost answering with h.
func NewBlobHostHandler(t testing.TB, h http.HandlerFunc) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if a := req.Header.Get("Authorization"); a != "" {
			t.Errorf("blob host got Authorization %q", a)
			http.Error(w, "credentials not allowed", http.StatusBadRequest)
			return
		}
		h(w, req)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// JSON replies with code and v as JSON.
func JSON(code int, v any) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(v)
	}
}

// Error replies with the documented error body.
func Error(code int, msg string) http.HandlerFunc { return JSON(code, ErrorBody(msg)) }

// ErrorBody is the documented error body.
func ErrorBody(msg string) map[string]any {
	return map[string]any{"message": msg, "documentation_url": "https://docs.github.com/rest"}
}

// WithHeaders adds response headers to h.
func WithHeaders(hdr map[string]string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, v := range hdr {
			w.Header().Set(k, v)
		}
		h(w, r)
	}
}

// Redirect answers 302 to, as the artifact download endpoint does.
func Redirect(to string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", to)
		w.WriteHeader(http.StatusFound)
	}
}

// RepoID is the fixtures' repository id.
const RepoID = 1296269

// Run is a workflow run on branch of event, pushed from the repository
// headRepo (RepoID for this repository, another id for a fork).
// https://docs.github.com/en/rest/actions/workflow-runs#list-workflow-runs-for-a-repository
func Run(id int64, branch, event string, headRepo int64, created time.Time) map[string]any {
	return map[string]any{
		"id": id, "name": "gonogo", "head_branch": branch, "head_sha": fmt.Sprintf("%040d", id),
		"event": event, "status": "completed", "conclusion": "success",
		"html_url":   fmt.Sprintf("https://github.com/o/r/actions/runs/%d", id),
		"created_at": created.UTC().Format(time.RFC3339), "head_repository_id": headRepo,
		"repository":      map[string]any{"id": RepoID, "full_name": "o/r"},
		"head_repository": map[string]any{"id": headRepo},
	}
}

// Runs is the list-runs response.
func Runs(runs ...any) map[string]any {
	return map[string]any{"total_count": len(runs), "workflow_runs": runs}
}

// Artifact is an artifact named name of run runID.
// https://docs.github.com/en/rest/actions/artifacts#list-artifacts-for-a-repository
func Artifact(id, runID int64, name string, headRepo int64, expired bool, digest string) map[string]any {
	a := map[string]any{
		"id": id, "node_id": "MDg6QXJ0aWZhY3QxMQ==", "name": name, "size_in_bytes": 556,
		"url":                  fmt.Sprintf("https://api.github.com/repos/o/r/actions/artifacts/%d", id),
		"archive_download_url": fmt.Sprintf("https://api.github.com/repos/o/r/actions/artifacts/%d/zip", id),
		"expired":              expired, "created_at": "2026-11-20T14:59:22Z", "expires_at": "2027-02-18T14:59:22Z",
		"updated_at": "2026-11-20T14:59:22Z",
		"workflow_run": map[string]any{
			"id": runID, "repository_id": RepoID, "head_repository_id": headRepo,
			"head_branch": "main", "head_sha": fmt.Sprintf("%040d", runID),
		},
	}
	if digest != "" {
		a["digest"] = digest
	}
	return a
}

// Artifacts is the list-artifacts response.
func Artifacts(arts ...any) map[string]any {
	return map[string]any{"total_count": len(arts), "artifacts": arts}
}

// Comment is an issue comment by login.
// https://docs.github.com/en/rest/issues/comments#list-issue-comments
func Comment(id int64, login, body string) map[string]any {
	return map[string]any{
		"id": id, "node_id": "x", "body": body,
		"html_url":   fmt.Sprintf("https://github.com/o/r/pull/7#issuecomment-%d", id),
		"created_at": "2026-11-20T14:59:22Z", "updated_at": "2026-11-20T14:59:22Z",
		"user": map[string]any{"login": login, "id": id, "type": "User"},
	}
}

// Page replies with items and, when next > 0, a Link header to that page
// of the same path.
func Page(a *API, path string, items []any, next int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if next > 0 {
			w.Header().Set("Link", fmt.Sprintf(`<%s%s?page=%d&per_page=100>; rel="next"`, a.URL(), path, next))
		}
		JSON(http.StatusOK, items)(w, r)
	}
}

// RateLimit returns the headers GitHub sends with every answer about the
// primary rate limit of resource (core for the REST calls here).
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#checking-the-status-of-your-rate-limit
func RateLimit(limit, remaining int, reset time.Time, resource string) map[string]string {
	return map[string]string{
		"X-RateLimit-Limit": strconv.Itoa(limit), "X-RateLimit-Remaining": strconv.Itoa(remaining),
		"X-RateLimit-Used": strconv.Itoa(limit - remaining), "X-RateLimit-Reset": strconv.FormatInt(reset.Unix(), 10),
		"X-RateLimit-Resource": resource,
	}
}

// Trickle answers 200 at once and then sends body one byte every interval,
// as a slow or hostile API does, until the client goes away.
func Trickle(body string, every time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		flusher, _ := w.(http.Flusher)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for i := 0; i < len(body); i++ {
			if _, err := w.Write([]byte{body[i]}); err != nil {
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
			}
		}
	}
}

// Stream serves an answer that never ends: a JSON array of the same object
// repeated, with no Content-Length, sent until a write fails (the client
// stopped reading and closed) or max bytes are out. It records how much was
// sent, so a test can assert the client stopped reading.
type Stream struct {
	max     int64
	written atomic.Int64
	once    sync.Once
	done    chan struct{}
}

// NewStream returns a Stream that sends at most max bytes.
func NewStream(max int64) *Stream { return &Stream{max: max, done: make(chan struct{})} }

// ServeHTTP streams the answer; one request per Stream.
func (s *Stream) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	defer s.once.Do(func() { close(s.done) })
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	var chunk []byte
	for len(chunk) < 64<<10 {
		chunk = append(chunk, `{"id": 1, "body": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},`...)
	}
	if _, err := w.Write([]byte("[")); err != nil {
		return
	}
	for s.written.Load() < s.max {
		n, err := w.Write(chunk)
		s.written.Add(int64(n))
		if err != nil {
			return
		}
	}
}

// Sent waits until the answer ended and returns how many bytes were sent
// and whether the client cut it short.
func (s *Stream) Sent() (int64, bool) {
	<-s.done
	n := s.written.Load()
	return n, n < s.max
}
