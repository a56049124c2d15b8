package github

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/org/gonogo-action/internal/github/ghfake"
)

const permPath = "/repos/o/r/collaborators/u/permission"

var perm = map[string]any{"permission": "write", "role_name": "write", "user": map[string]any{"login": "u"}}

// logLines collects what the client logs.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) log(s string) { l.mu.Lock(); l.lines = append(l.lines, s); l.mu.Unlock() }
func (l *logLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func boundedClient(t *testing.T, f *ghfake.API, o Options) (*Client, *sleeps, *logLines) {
	t.Helper()
	s, l := &sleeps{}, &logLines{}
	o.Token, o.APIURL, o.Sleep, o.Log = testToken, f.URL(), s.sleep, l.log
	o.Now = func() time.Time { return testNow }
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c, s, l
}

// A used-up primary limit whose reset comes before the run's deadline is
// waited out and said in the log, even when it is further away than the cap
// for other waits (a minute); one resetting after the deadline fails at
// once, naming the reset time. The headers are the ones GitHub sends.
func TestPrimaryRateLimitWithinTheDeadline(t *testing.T) {
	t.Parallel()
	reset := testNow.Add(10 * time.Minute)
	limited := ghfake.WithHeaders(ghfake.RateLimit(1000, 0, reset, "core"),
		ghfake.Error(403, "API rate limit exceeded for installation ID 1."))
	tests := []struct {
		name     string
		deadline time.Duration
		waits    []time.Duration
		wantErr  string
	}{
		{"reset before the deadline", time.Hour, []time.Duration{10*time.Minute + time.Second}, ""},
		{"reset after the deadline", 5 * time.Minute, nil, "it resets at 2026-11-26T12:10:00Z, after this run's deadline"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t)
			f.On("GET", permPath, limited)
			if tt.wantErr == "" {
				f.On("GET", permPath, ghfake.JSON(200, perm))
			}
			c, s, l := boundedClient(t, f, Options{})
			ctx, cancel := context.WithTimeout(context.Background(), tt.deadline)
			defer cancel()
			ok, err := c.CanWrite(ctx, Repo{"o", "r"}, "u")
			switch {
			case tt.wantErr == "" && (err != nil || !ok):
				t.Errorf("CanWrite = %v, %v; want true after the wait", ok, err)
			case tt.wantErr != "" && (!errors.Is(err, ErrRateLimited) || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("err = %v, want ErrRateLimited saying %q", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.waits, s.got()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if tt.wantErr == "" && !strings.Contains(l.String(), "waiting 10m1s until it resets at 2026-11-26T12:10:00Z") {
				t.Errorf("the wait is not in the log: %q", l)
			}
		})
	}
}

// After an answer that used the last request of the hour (200 with
// X-RateLimit-Remaining: 0), the next call waits for the reset before it
// is made, instead of go-github refusing it without a request.
func TestLastRequestOfTheLimitWaitsBeforeTheNext(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.On("GET", permPath, ghfake.WithHeaders(ghfake.RateLimit(1000, 0, testNow.Add(30*time.Second), "core"), ghfake.JSON(200, perm)))
	f.On("GET", permPath, ghfake.WithHeaders(ghfake.RateLimit(1000, 999, testNow.Add(time.Hour), "core"), ghfake.JSON(200, perm)))
	c, s, l := boundedClient(t, f, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	for i := range 2 {
		if ok, err := c.CanWrite(ctx, Repo{"o", "r"}, "u"); err != nil || !ok {
			t.Fatalf("call %d: %v, %v", i+1, ok, err)
		}
	}
	if diff := cmp.Diff([]time.Duration{31 * time.Second}, s.got()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	if !strings.Contains(l.String(), "rate limit used up; waiting 31s") {
		t.Errorf("log: %q", l)
	}
}

// A search limit used up says nothing about the core limit the client
// uses.
func TestOtherResourcesLimitsAreNotWaitedFor(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.On("GET", permPath, ghfake.WithHeaders(ghfake.RateLimit(30, 0, testNow.Add(30*time.Second), "search"), ghfake.JSON(200, perm))).Times(2)
	c, s, _ := boundedClient(t, f, Options{})
	for range 2 {
		if _, err := c.CanWrite(context.Background(), Repo{"o", "r"}, "u"); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.got()) != 0 {
		t.Errorf("waited %v", s.got())
	}
}

// An API that answers one byte a second is cut off by the request timeout,
// headers having come at once, with an error that says so.
func TestTricklingAnswerIsCutOff(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.On("GET", permPath, ghfake.Trickle(`{"permission": "write"}`+strings.Repeat(" ", 1000), time.Second))
	c, _, _ := boundedClient(t, f, Options{RequestTimeout: 300 * time.Millisecond})
	start := time.Now()
	_, err := c.CanWrite(context.Background(), Repo{"o", "r"}, "u")
	if err == nil || !strings.Contains(err.Error(), "not complete within the request timeout (300ms)") {
		t.Errorf("err = %v, want the request timeout named", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s", d)
	}
}

// An answer that never ends is refused once it passes the cap, and the
// client stops reading: the server's writes fail long before its end.
func TestEndlessAnswerIsRefused(t *testing.T) {
	t.Parallel()
	const limit = 1 << 20
	f := newFake(t)
	stream := ghfake.NewStream(256 << 20)
	f.On("GET", "/repos/o/r/issues/7/comments", stream.ServeHTTP)
	c, _, _ := boundedClient(t, f, Options{MaxResponse: limit})
	_, err := c.FindComment(context.Background(), Repo{"o", "r"}, 7, "gonogo", DefaultBot)
	if !errors.Is(err, ErrResponseTooLarge) || !strings.Contains(err.Error(), "list comments") {
		t.Errorf("err = %v, want ErrResponseTooLarge", err)
	}
	if sent, cut := stream.Sent(); !cut {
		t.Errorf("the server sent all %d bytes: the client read on", sent)
	}
}

// An answer announcing its size is refused before its body is read.
func TestAnnouncedHugeAnswerIsRefused(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.On("GET", permPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", "419430400") // 400 MiB, never sent
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"permission": "write"`))
	})
	c, _, _ := boundedClient(t, f, Options{MaxResponse: 1 << 20})
	if _, err := c.CanWrite(context.Background(), Repo{"o", "r"}, "u"); !errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("err = %v, want ErrResponseTooLarge", err)
	}
}

// An artifact blob larger than it said is refused at the download cap, and
// its host stops being read.
func TestEndlessBlobIsRefused(t *testing.T) {
	t.Parallel()
	stream := ghfake.NewStream(256 << 20)
	blob := ghfake.NewBlobHostHandler(t, stream.ServeHTTP)
	f := newFake(t)
	f.On("GET", runsPath, ghfake.JSON(200, ghfake.Runs(ghfake.Run(20, "main", "push", ghfake.RepoID, testNow))))
	f.On("GET", "/repos/o/r/actions/artifacts", ghfake.JSON(200, ghfake.Artifacts(ghfake.Artifact(1, 20, "parse-baseline", ghfake.RepoID, false, ""))))
	f.On("GET", "/repos/o/r/actions/artifacts/1/zip", ghfake.Redirect(blob.URL+"/b/1"))
	c, _, _ := boundedClient(t, f, Options{})
	q := query
	q.MaxZip = 1 << 20
	_, err := c.FindReference(context.Background(), q)
	if !errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("err = %v, want ErrResponseTooLarge", err)
	}
	if sent, cut := stream.Sent(); !cut {
		t.Errorf("the blob host sent all %d bytes: the client read on", sent)
	}
}
