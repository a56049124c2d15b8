package github

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
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
type retrier struct {
	base        http.RoundTripper
	sleep       func(context.Context, time.Duration) error
	now         func() time.Time
	maxAttempts int
	maxWait     time.Duration
}

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
		resp, err := r.base.RoundTrip(req)
		wait, retry := r.decide(req, resp, err, attempt)
		if !retry || attempt >= r.maxAttempts || wait > r.maxWait {
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
		}
		if err := r.sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

// decide says whether to retry and after how long.
func (r *retrier) decide(req *http.Request, resp *http.Response, err error, attempt int) (time.Duration, bool) {
	backoff := time.Duration(1<<(attempt-1)) * time.Second // 1 s, 2 s, 4 s …
	if err != nil {
		return backoff, idempotent(req.Method) && req.Context().Err() == nil
	}
	if isRateLimited(resp) || secondaryByMessage(resp) {
		return r.rateLimitWait(resp), true
	}
	if resp.StatusCode >= 500 && idempotent(req.Method) {
		return backoff, true
	}
	return 0, false
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
