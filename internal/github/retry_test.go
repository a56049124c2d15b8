package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/org/gonogo-action/internal/github/ghfake"

	"github.com/google/go-cmp/cmp"
)

func TestRetries(t *testing.T) {
	t.Parallel()
	const path = "/repos/o/r/collaborators/u/permission"
	perm := map[string]any{"permission": "write", "role_name": "write", "user": map[string]any{"login": "u"}}
	limited := func(code int, hdr map[string]string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			for k, v := range hdr {
				w.Header().Set(k, v)
			}
			ghfake.JSON(code, ghfake.ErrorBody("You have exceeded a secondary rate limit."))(w, r)
		}
	}
	tests := []struct {
		name    string
		replies []http.HandlerFunc
		waits   []time.Duration
		wantErr error
	}{
		{"502 then ok", []http.HandlerFunc{ghfake.JSON(502, ghfake.ErrorBody("Server Error")), ghfake.JSON(200, perm)}, []time.Duration{time.Second}, nil},
		{"429 retry-after", []http.HandlerFunc{limited(429, map[string]string{"Retry-After": "3"}), ghfake.JSON(200, perm)}, []time.Duration{3 * time.Second}, nil},
		{"403 secondary retry-after", []http.HandlerFunc{limited(403, map[string]string{"Retry-After": "7"}), ghfake.JSON(200, perm)}, []time.Duration{7 * time.Second}, nil},
		// GitHub sends secondary limits without retry-after too: only the
		// message says so, and the advice is to wait a minute.
		{"403 secondary, message only", []http.HandlerFunc{limited(403, nil), ghfake.JSON(200, perm)}, []time.Duration{time.Minute}, nil},
		{"403 secondary, message only, outlasting", []http.HandlerFunc{limited(403, nil), limited(403, nil), limited(403, nil), limited(403, nil)},
			[]time.Duration{time.Minute, time.Minute, time.Minute}, ErrRateLimited},
		{"403 primary reset", []http.HandlerFunc{limited(403, map[string]string{
			"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": fmt.Sprint(testNow.Add(10 * time.Second).Unix()),
		}), ghfake.JSON(200, perm)}, []time.Duration{11 * time.Second}, nil},
		{"reset beyond the cap fails at once", []http.HandlerFunc{limited(403, map[string]string{
			"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": fmt.Sprint(testNow.Add(time.Hour).Unix()),
		})}, nil, ErrRateLimited},
		{"bounded attempts", []http.HandlerFunc{
			ghfake.JSON(503, ghfake.ErrorBody("x")), ghfake.JSON(503, ghfake.ErrorBody("x")), ghfake.JSON(503, ghfake.ErrorBody("x")), ghfake.JSON(503, ghfake.ErrorBody("x")),
		}, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, nil},
		{"not accessible is not retried", []http.HandlerFunc{ghfake.JSON(403, ghfake.ErrorBody("Resource not accessible by integration"))}, nil, ErrNotAccessible},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t)
			for _, h := range tt.replies {
				f.On("GET", path, h)
			}
			c, s := newTestClient(t, f)
			_, err := c.CanWrite(context.Background(), Repo{"o", "r"}, "u")
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.name == "bounded attempts" && err == nil {
				t.Error("no error after the last attempt")
			}
			if tt.wantErr == nil && tt.name != "bounded attempts" && err != nil {
				t.Errorf("err = %v", err)
			}
			if diff := cmp.Diff(tt.waits, s.got()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPostIsNotRetriedBlindly(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.On("POST", "/repos/o/r/issues/1/comments", ghfake.JSON(502, ghfake.ErrorBody("Server Error")))
	c, s := newTestClient(t, f)
	_, _, err := c.gh.Issues.CreateComment(context.Background(), "o", "r", 1, nil)
	if err == nil {
		t.Fatal("want an error")
	}
	if len(s.got()) != 0 {
		t.Errorf("POST retried after %v", s.got())
	}
}

func TestPostIsRetriedWhenRefusedByRateLimit(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.On("POST", "/repos/o/r/statuses/abc", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "2")
		ghfake.JSON(429, ghfake.ErrorBody("secondary rate limit"))(w, r)
	})
	f.On("POST", "/repos/o/r/statuses/abc", ghfake.JSON(201, map[string]any{"id": 1, "state": "success", "context": "gonogo"}))
	c, s := newTestClient(t, f)
	if err := c.SetStatus(context.Background(), Repo{"o", "r"}, "abc", Status{Context: "gonogo", State: "success"}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]time.Duration{2 * time.Second}, s.got()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

// An API that never answers is an error after the header timeout, retried
// like any transport error for a GET, instead of a hang until the job's
// own timeout.
func TestStalledAnswerTimesOut(t *testing.T) {
	t.Parallel()
	f := newFake(t)
	f.On("GET", "/repos/o/r/collaborators/u/permission", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers; released when the client gives up
	})
	f.On("GET", "/repos/o/r/collaborators/u/permission", ghfake.JSON(200, map[string]any{"permission": "write", "role_name": "write"}))
	s := &sleeps{}
	c, err := New(Options{Token: testToken, APIURL: f.URL(), Sleep: s.sleep, Now: func() time.Time { return testNow },
		HeaderTimeout: time.Second}) // long enough for the second answer on a loaded machine
	if err != nil {
		t.Fatal(err)
	}
	ok, err := c.CanWrite(context.Background(), Repo{"o", "r"}, "u")
	if err != nil || !ok {
		t.Errorf("CanWrite = %v, %v; want true after one retry", ok, err)
	}
	if diff := cmp.Diff([]time.Duration{time.Second}, s.got()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}
