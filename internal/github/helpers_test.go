package github

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/org/gonogo-action/internal/github/ghfake"
)

const testToken = "ghs_testtoken"

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

func newFake(t *testing.T) *ghfake.API { return ghfake.NewAPI(t, testToken) }

func newTestClient(t *testing.T, f *ghfake.API) (*Client, *sleeps) {
	t.Helper()
	s := &sleeps{}
	c, err := New(Options{Token: testToken, APIURL: f.URL(), Sleep: s.sleep, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}
