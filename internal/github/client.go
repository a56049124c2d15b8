// Package github is the action's only door to the GitHub API (go-github v62):
// the reference baseline artifact from the reference branch, the sticky
// sign-off comment, commit statuses and collaborator permissions. Every call
// goes through a transport that adds the token only for the API host and
// retries 5xx and rate limits with capped, bounded waits; artifact blobs are
// fetched by a second client that never carries the token. Every attempt of
// either client is bounded in time as a whole, and every answer in size.
package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v62/github"
)

// Repo names a repository.
type Repo struct{ Owner, Name string }

func (r Repo) String() string { return r.Owner + "/" + r.Name }

// ParseRepo splits "owner/name" (GITHUB_REPOSITORY).
func ParseRepo(s string) (Repo, error) {
	owner, name, ok := strings.Cut(s, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return Repo{}, fmt.Errorf("repository %q: want owner/name", s)
	}
	return Repo{owner, name}, nil
}

// ErrNotAccessible is a 403 "Resource not accessible by integration": the
// token lacks the permission, as a pull request from a fork always does for
// writes. Callers warn and carry on; the gates decide the exit code.
var ErrNotAccessible = errors.New("resource not accessible by integration (missing permission or a fork's read-only token)")

// ErrRateLimited is a rate limit that outlasted the retries.
var ErrRateLimited = errors.New("GitHub API rate limit exceeded")

// Options configures a Client. Zero values take the defaults shown.
type Options struct {
	Token     string
	APIURL    string            // GITHUB_API_URL; https://api.github.com/
	Transport http.RoundTripper // base transport for API calls; http.DefaultTransport
	Blob      *http.Client      // client for artifact blobs; one without credentials
	// Sleep waits between retries; it returns early with ctx's error.
	Sleep func(ctx context.Context, d time.Duration) error
	Now   func() time.Time
	// MaxAttempts bounds tries per request (4); MaxWait caps one wait (60 s):
	// a limit that resets later than that fails at once instead of stalling.
	MaxAttempts int
	MaxWait     time.Duration
	// HeaderTimeout bounds the wait for an API response's headers (60 s)
	// when Transport is nil: a stalled connection is an error (retried
	// like one) instead of holding the job until its own timeout.
	HeaderTimeout time.Duration
	// RequestTimeout bounds one API attempt, headers and body (60 s), and
	// DownloadTimeout one artifact blob download (5 min): an answer that
	// trickles is cut off.
	RequestTimeout  time.Duration
	DownloadTimeout time.Duration
	// MaxResponse caps an API answer's body (32 MiB): a longer one is
	// refused with ErrResponseTooLarge. Blobs are capped by
	// ReferenceQuery.MaxZip.
	MaxResponse int64
	// Log receives notes for the run's log, such as a wait for a rate
	// limit to reset; nil discards them.
	Log func(string)
}

// Client talks to one GitHub API host.
type Client struct {
	gh    *gh.Client
	blob  *http.Client
	retry *retrier
}

// New returns a Client for the API at o.APIURL authenticated with o.Token.
func New(o Options) (*Client, error) {
	api := o.APIURL
	if api == "" {
		api = "https://api.github.com/"
	}
	if !strings.HasSuffix(api, "/") {
		api += "/"
	}
	base, err := url.Parse(api)
	if err != nil || base.Host == "" || (base.Scheme != "https" && base.Scheme != "http") {
		return nil, fmt.Errorf("API URL %q: want an http(s) URL", o.APIURL)
	}
	transport := o.Transport
	if transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.ResponseHeaderTimeout = o.HeaderTimeout
		if t.ResponseHeaderTimeout <= 0 {
			t.ResponseHeaderTimeout = time.Minute
		}
		transport = t
	}
	r := &retrier{
		base: transport, sleep: o.Sleep, now: o.Now, log: o.Log,
		maxAttempts: o.MaxAttempts, maxWait: o.MaxWait,
		attemptTimeout: cmpOr(o.RequestTimeout, time.Minute), maxBody: cmpOr(o.MaxResponse, 32<<20),
	}
	r.defaults()
	api1 := &http.Client{
		Transport: &authTransport{base: r, token: o.Token, host: base.Host, scheme: base.Scheme},
		// The API never needs a redirect we should follow with credentials;
		// artifact downloads read the 302 Location themselves.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	c := gh.NewClient(api1)
	c.BaseURL = base
	c.UploadURL = base
	c.UserAgent = "gonogo-action"
	blob := o.Blob
	if blob == nil {
		// Same retries, no credentials: the blob host rejects them and the
		// token must not leave the API host.
		// The blob's size is capped by the reader (MaxZip).
		br := &retrier{sleep: r.sleep, now: r.now, log: r.log, maxAttempts: r.maxAttempts, maxWait: r.maxWait,
			attemptTimeout: cmpOr(o.DownloadTimeout, 5*time.Minute)}
		br.defaults()
		blob = &http.Client{Transport: br}
	}
	return &Client{gh: c, blob: blob, retry: r}, nil
}

func cmpOr[T int64 | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// ready waits out a primary rate limit the last answer reported used up
// (retrier.awaitReset) and returns ctx marked with go-github's
// SleepUntilPrimaryRateLimitResetWhenRateLimited, so go-github waits
// instead of refusing the request itself should its view of the limit lag
// ours. Every call of the API goes through it.
func (c *Client) ready(ctx context.Context) (context.Context, error) {
	if err := c.retry.awaitReset(ctx); err != nil {
		return ctx, err
	}
	return context.WithValue(ctx, gh.SleepUntilPrimaryRateLimitResetWhenRateLimited, true), nil
}

// authTransport adds the token to requests for the API host only, so no
// redirect or absolute URL can carry it anywhere else.
type authTransport struct {
	base   http.RoundTripper
	token  string
	host   string
	scheme string
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Del("Authorization")
	if t.token != "" && req.URL.Host == t.host && req.URL.Scheme == t.scheme {
		req.Header.Set("Authorization", "Bearer "+t.token)
	}
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	return t.base.RoundTrip(req)
}

// apiError wraps err from operation op once, mapping the cases callers act on.
func apiError(op string, err error) error {
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		switch code := er.Response.StatusCode; {
		case code == http.StatusForbidden && strings.Contains(strings.ToLower(er.Message), "not accessible by integration"):
			return fmt.Errorf("%s: %w", op, ErrNotAccessible)
		case isRateLimited(er.Response) || code == http.StatusForbidden && secondaryMessage(er.Message):
			return fmt.Errorf("%s: %w", op, ErrRateLimited)
		default:
			return fmt.Errorf("%s: %d %s", op, code, er.Message)
		}
	}
	var rl *gh.RateLimitError
	var ab *gh.AbuseRateLimitError
	if errors.As(err, &rl) || errors.As(err, &ab) {
		return fmt.Errorf("%s: %w", op, ErrRateLimited)
	}
	// The transport's own refusals say it all; the URL would only repeat
	// the operation.
	var ue *url.Error
	if errors.As(err, &ue) && (errors.Is(err, ErrRateLimited) || errors.Is(err, ErrResponseTooLarge)) {
		err = ue.Err
	}
	return fmt.Errorf("%s: %w", op, err)
}

// status returns the HTTP status of a go-github error, or 0.
func status(err error) int {
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}
