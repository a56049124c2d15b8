package github

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// retrier is an http.RoundTripper that retries what GitHub asks to be
// retried, with waits it caps and attempts it bounds:
//   - rate limits (403 or 429 with retry-after, or x-ratelimit-remaining: 0,
//     or a 403 whose message names a secondary limit):
//     the server refused the request, so even a POST is safe to resend; wait
//     retry-after, else until x-ratelimit-reset, else a minute (GitHub's
//     advice for secondary limits);
//   - 5xx and transport errors: only for idempotent methods. A POST may have
//     been applied before the error, so it is never retried here; callers
//     that can check (the sticky comment re-lists) retry themselves.
//
// go-github v62 recognises only 403 as a secondary limit; this sees 429 too.
// https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#handle-rate-limit-errors-appropriately
//
// A primary limit (x-ratelimit-remaining: 0 with x-ratelimit-reset) is
// waited out when the reset comes before the request context's deadline
// (or within maxWait when it has none), and the wait is logged; a reset
// beyond that fails at once with an error naming the reset time. A limit
// that outlasts the attempts becomes an error too, never a response: go-github
// would otherwise remember it and sleep on its own clock.
//
// Each attempt is bounded as a whole (headers and body) by attemptTimeout,
// and a body longer than maxBody is refused with ErrResponseTooLarge, so a
// trickling or endless answer cannot hold or swell the action.
type retrier struct {
	base           http.RoundTripper
	sleep          func(context.Context, time.Duration) error
	now            func() time.Time
	log            func(string)
	maxAttempts    int
	maxWait        time.Duration
	attemptTimeout time.Duration // 0: none
	maxBody        int64         // 0: no cap

	mu      sync.Mutex
	primary rateState // the core limit as the last answer reported it
}

// rateState is a primary rate limit as response headers report it.
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#checking-the-status-of-your-rate-limit
type rateState struct {
	known     bool
	limit     string
	remaining int64
	reset     time.Time
}

// ErrResponseTooLarge is an answer longer than the client accepts.
var ErrResponseTooLarge = errors.New("response over the size limit")

func (r *retrier) defaults() {
	if r.base == nil {
		r.base = http.DefaultTransport
	}
	if r.sleep == nil {
		r.sleep = sleepCtx
	}
	if r.now == nil {
		r.now = time.Now
	}
	if r.maxAttempts <= 0 {
		r.maxAttempts = 4
	}
	if r.maxWait <= 0 {
		r.maxWait = time.Minute
	}
	if r.log == nil {
		r.log = func(string) {}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

func (r *retrier) RoundTrip(req *http.Request) (*http.Response, error) {
	for attempt := 1; ; attempt++ {
		if attempt > 1 && req.Body != nil {
			if req.GetBody == nil {
				return nil, fmt.Errorf("retry %s %s: request body cannot be replayed", req.Method, req.URL.Path)
			}
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req = req.Clone(req.Context())
			req.Body = body
		}
		resp, err := r.attempt(req)
		r.record(resp)
		wait, retry, limited := r.decide(req, resp, err, attempt)
		retry = retry && attempt < r.maxAttempts
		if reset, ok := primaryReset(resp); retry && ok {
			if err := r.mayWait(req.Context(), wait, reset); err != nil {
				drain(resp)
				return nil, err
			}
		} else if retry && wait > r.maxWait {
			retry = false
		}
		if !retry {
			if limited {
				drain(resp)
				return nil, fmt.Errorf("%w (%d attempts)", ErrRateLimited, attempt)
			}
			return resp, err
		}
		drain(resp)
		if err := r.sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

func drain(resp *http.Response) {
	if resp != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
	}
}

// attempt sends req once under attemptTimeout and caps the answer's body.
func (r *retrier) attempt(req *http.Request) (*http.Response, error) {
	cancel := func() {}
	outer, ctx := req.Context(), req.Context()
	if r.attemptTimeout > 0 {
		ctx, cancel = context.WithTimeout(outer, r.attemptTimeout)
		req = req.WithContext(ctx)
	}
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		cancel()
		if r.attemptTimeout > 0 && ctx.Err() == context.DeadlineExceeded && outer.Err() == nil {
			err = fmt.Errorf("no answer within the request timeout (%s): %w", r.attemptTimeout, err)
		}
		return nil, err
	}
	if r.maxBody > 0 && resp.ContentLength > r.maxBody {
		resp.Body.Close()
		cancel()
		return nil, fmt.Errorf("%s %s: %w: %d bytes announced, limit %d", req.Method, req.URL.Redacted(), ErrResponseTooLarge, resp.ContentLength, r.maxBody)
	}
	resp.Body = &boundedBody{rc: resp.Body, left: r.maxBody, limit: r.maxBody, ctx: ctx, outer: outer, timeout: r.attemptTimeout, cancel: cancel}
	return resp, nil
}

// boundedBody reads at most limit bytes (io.LimitReader + 1: one byte more
// is the proof of an oversized answer, refused rather than cut), and names
// the request timeout when it ends a slow body.
type boundedBody struct {
	rc      io.ReadCloser
	left    int64
	limit   int64           // 0: no cap
	ctx     context.Context // the attempt's
	outer   context.Context // the caller's
	timeout time.Duration
	cancel  func()
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.limit > 0 {
		if b.left <= 0 {
			var one [1]byte
			if n, _ := io.ReadFull(b.rc, one[:]); n > 0 {
				return 0, fmt.Errorf("%w (%d bytes)", ErrResponseTooLarge, b.limit)
			}
			return 0, io.EOF
		}
		if int64(len(p)) > b.left {
			p = p[:b.left]
		}
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if err != nil && err != io.EOF && b.timeout > 0 && b.ctx.Err() == context.DeadlineExceeded && b.outer.Err() == nil {
		err = fmt.Errorf("answer not complete within the request timeout (%s): %w", b.timeout, err)
	}
	return n, err
}

func (b *boundedBody) Close() error {
	err := b.rc.Close()
	b.cancel()
	return err
}

// record keeps the core primary limit the answer reports.
func (r *retrier) record(resp *http.Response) {
	if resp == nil {
		return
	}
	h := resp.Header
	if res := h.Get("X-RateLimit-Resource"); res != "" && res != "core" {
		return // search, graphql…: limits of their own, never called here
	}
	rem, err1 := strconv.ParseInt(h.Get("X-RateLimit-Remaining"), 10, 64)
	reset, err2 := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64)
	if err1 != nil || err2 != nil {
		return
	}
	r.mu.Lock()
	r.primary = rateState{known: true, limit: h.Get("X-RateLimit-Limit"), remaining: rem, reset: time.Unix(reset, 0)}
	r.mu.Unlock()
}

// awaitReset waits out a primary limit that the last answer reported used
// up, before a request is made: go-github v62 refuses such a request
// itself (RateLimitError, "not making remote request") unless the context
// asks it to sleep, and it sleeps on the real clock with no word in the log
// and until the deadline when the reset comes after it. So the wait is
// decided and logged here, and the context then carries go-github's
// SleepUntilPrimaryRateLimitResetWhenRateLimited (see Client.ready).
func (r *retrier) awaitReset(ctx context.Context) error {
	r.mu.Lock()
	st := r.primary
	r.mu.Unlock()
	if !st.known || st.remaining > 0 || !st.reset.After(r.now()) {
		return nil
	}
	wait := st.reset.Sub(r.now()) + time.Second
	if err := r.mayWait(ctx, wait, st.reset); err != nil {
		return err
	}
	if err := r.sleep(ctx, wait); err != nil {
		return err
	}
	r.mu.Lock()
	if r.primary == st {
		r.primary.known = false // reset: the next answer says anew
	}
	r.mu.Unlock()
	return nil
}

// mayWait decides whether a primary-limit wait until reset fits: before
// ctx's deadline, or within maxWait when ctx has none. It logs the wait it
// allows and returns an error naming the reset time otherwise.
func (r *retrier) mayWait(ctx context.Context, wait time.Duration, reset time.Time) error {
	at := reset.UTC().Format(time.RFC3339)
	if dl, ok := ctx.Deadline(); ok {
		if wait >= time.Until(dl) {
			return fmt.Errorf("%w: it resets at %s, after this run's deadline (%s from now)", ErrRateLimited, at, time.Until(dl).Round(time.Second))
		}
	} else if wait > r.maxWait {
		return fmt.Errorf("%w: it resets at %s, more than %s from now", ErrRateLimited, at, r.maxWait)
	}
	r.log(fmt.Sprintf("GitHub API rate limit used up; waiting %s until it resets at %s", wait.Round(time.Second), at))
	return nil
}

// decide says whether to retry and after how long, and whether resp is a
// rate limit.
func (r *retrier) decide(req *http.Request, resp *http.Response, err error, attempt int) (wait time.Duration, retry, limited bool) {
	backoff := time.Duration(1<<(attempt-1)) * time.Second // 1 s, 2 s, 4 s …
	if err != nil {
		// An oversized answer would be as large again.
		retry := idempotent(req.Method) && req.Context().Err() == nil && !errors.Is(err, ErrResponseTooLarge)
		return backoff, retry, false
	}
	if isRateLimited(resp) || secondaryByMessage(resp) {
		return r.rateLimitWait(resp), true, true
	}
	if resp.StatusCode >= 500 && idempotent(req.Method) {
		return backoff, true, false
	}
	return 0, false, false
}

// primaryReset returns the reset time of a primary rate limit answer: one
// with x-ratelimit-remaining: 0 and a reset, and no retry-after (which
// rules when present).
func primaryReset(resp *http.Response) (time.Time, bool) {
	if !isRateLimited(resp) || resp.Header.Get("Retry-After") != "" || resp.Header.Get("X-RateLimit-Remaining") != "0" {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}

// isRateLimited recognises primary and secondary rate limit answers.
func isRateLimited(resp *http.Response) bool {
	if resp == nil {
		return false
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true
	case http.StatusForbidden:
		return resp.Header.Get("Retry-After") != "" || resp.Header.Get("X-RateLimit-Remaining") == "0"
	}
	return false
}

// secondaryByMessage recognises a secondary rate limit that GitHub answers
// with a 403 carrying neither retry-after nor x-ratelimit-remaining: 0, so
// only the message tells it from a permission error ("You have exceeded a
// secondary rate limit"; older: "abuse detection mechanism"). It reads the
// head of the body and puts it back for the caller.
func secondaryByMessage(resp *http.Response) bool {
	if resp.StatusCode != http.StatusForbidden || resp.Body == nil {
		return false
	}
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	return secondaryMessage(string(head))
}

func secondaryMessage(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "secondary rate limit") || strings.Contains(s, "abuse detection")
}

func (r *retrier) rateLimitWait(resp *http.Response) time.Duration {
	if s := resp.Header.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			return time.Duration(n) * time.Second
		}
		if t, err := http.ParseTime(s); err == nil {
			return max(0, t.Sub(r.now()))
		}
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if n, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			return max(0, time.Unix(n, 0).Sub(r.now())+time.Second)
		}
	}
	return time.Minute
}
