package authentik

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// callState is what the retry policy knows of one call: its method, carried
// in the request's context because retryablehttp's CheckRetry sees no request
// when a try failed without a response, and whether an earlier try may have
// been applied by the server before its answer was lost.
type callState struct {
	method       string
	advice       string    // how to find out what a lost write did; "" for the default
	base         *redactor // the token's
	secrets      []string  // the request's own (a password)
	red          *redactor // base with secrets, built on first use (redactor)
	maybeApplied bool      // an earlier try may have been applied (DELETE's 404)
	maybeSent    bool      // a POST's try may have reached the server
	tries        int       // tries made so far
	retryable    bool      // the policy would retry the last try's failure
	start        time.Time // when the first try started
	// body is the last answer's body, once read (read) by the response
	// handler inside the retry loop (core.do).
	body []byte
	read bool
}

// redactor is the token's redactor with the request's own secrets: built when
// first asked for, since only what goes wrong (an error, a log record, a
// redirect refused) needs it. Called from the request's goroutine only.
func (st *callState) redactor() *redactor {
	if st.red == nil {
		st.red = st.base.with(st.secrets...)
	}
	return st.red
}

type callStateKey struct{}

func withCallState(ctx context.Context, st *callState) context.Context {
	return context.WithValue(ctx, callStateKey{}, st)
}

func callStateOf(ctx context.Context) *callState {
	st, _ := ctx.Value(callStateKey{}).(*callState)
	return st
}

// countTry is retryablehttp's hook before every try: it keeps the count the
// final error reports (CheckRetry cannot: it runs twice for a try whose body
// fails to read).
func countTry(_ retryablehttp.Logger, req *http.Request, attempt int) {
	if st := callStateOf(req.Context()); st != nil {
		st.tries = attempt + 1
	}
}

// checkRetry decides whether a try is repeated. The context comes first: once it
// ends nothing is retried. Errors that a retry cannot heal come next: a body
// over the size cap, a refused redirect, a host name that does not resolve.
// Then the method decides. GET, PUT, PATCH and DELETE are idempotent here and
// follow retryablehttp's default policy: connection errors, a body cut short,
// 429 and 5xx other than 501 (it already refuses certificate errors). A POST is
// retried only when the server certainly did not get it: the connection could
// not be made, or a 429 that refused it unprocessed.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st := callStateOf(ctx)
	if st != nil && st.method == http.MethodPost &&
		((resp != nil && resp.StatusCode != http.StatusTooManyRequests) || (resp == nil && err != nil && !notSent(err))) {
		st.maybeSent = true // a try that got past the connection and was not refused unprocessed
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if err != nil {
		if stop := unretryable(err); stop != nil {
			return false, stop
		}
	}
	if st != nil && st.method == http.MethodPost {
		switch {
		case err != nil:
			st.retryable = notSent(err)
			return notSent(err), nil
		case resp.StatusCode == http.StatusTooManyRequests:
			return true, nil
		}
		return false, nil
	}
	retry, checkErr := retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	if st != nil {
		st.retryable = retry
	}
	if retry && st != nil && ((resp != nil && resp.StatusCode != http.StatusTooManyRequests) || (resp == nil && !notSent(err))) {
		st.maybeApplied = true // this try may have been applied (a 429 was refused unprocessed)
	}
	return retry, checkErr
}

// unretryable is the error to stop with when no retry can heal err: a body
// over the size cap, a refused redirect, a host name that does not resolve;
// nil for any other. (Apart from checkRetry so that a try without an error
// does not pay for the targets errors.As needs.)
func unretryable(err error) error {
	var redir *redirectError
	var dns *net.DNSError
	switch {
	case errors.Is(err, errTooLarge), errors.As(err, &redir):
		return err
	case errors.As(err, &dns) && dns.IsNotFound:
		return &dnsError{host: dns.Name, err: err}
	}
	return nil
}

// notSent reports whether a failed try certainly never reached the server: the
// connection (or the proxy's) could not be made.
func notSent(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect")
}

// unknownOutcome turns the failure of a write that the server may have
// applied into an error matching ErrUnknownOutcome, which says how to find
// out; any other error is returned as it is. A write is unknown when its 2xx
// answer cannot be read (empty, cut short, not the object, refused by the
// memory guard): the server applied something the SDK cannot see. A POST, the
// one write never retried, is also unknown when a proxy answered that it
// passed the request on and lost the answer, or when a reset or timeout came
// after a try got past the connection.
func (c *core) unknownOutcome(st *callState, resp *http.Response, err error) error {
	if st.method == http.MethodGet || st.method == http.MethodHead || st.method == http.MethodOptions {
		return err
	}
	advice := st.advice
	switch {
	case resp != nil && resp.StatusCode >= 200 && resp.StatusCode <= 299:
		switch st.method {
		case http.MethodPost:
		case http.MethodDelete:
			advice = "it answered " + strconv.Itoa(resp.StatusCode) + ": get the object to see whether it still exists"
		default:
			advice = "it answered " + strconv.Itoa(resp.StatusCode) + ": get the object to see what it holds now"
		}
	case st.method != http.MethodPost:
		return err
	case resp != nil && proxyLostAnswer(resp.StatusCode):
	case resp == nil && st.maybeSent && !isPermanent(err):
		// A reset, a timeout, the caller's context ending, after a try got
		// past the connection (not while waiting to retry a refused one).
	default:
		return err
	}
	if advice == "" {
		advice = "look the object up by its name, which is unique, before trying again"
	}
	return &unknownOutcomeError{err: err, advice: advice}
}

// proxyLostAnswer reports whether a status is a proxy's or gateway's answer
// that does not say whether the origin got the request: 502, 503 and 504;
// Cloudflare's 520-527 (some, like 521 "web server down", mean the origin was
// never reached, but a client cannot tell them apart safely); 598 and 599,
// network read and connect timeouts behind some proxies. A 503 that authentik
// itself sends is after sending too, so it counts.
func proxyLostAnswer(status int) bool {
	switch {
	case status == http.StatusBadGateway, status == http.StatusServiceUnavailable, status == http.StatusGatewayTimeout:
		return true
	case status >= 520 && status <= 527, status == 598, status == 599:
		return true
	}
	return false
}

// isPermanent is a failure before anything was sent that no retry heals.
func isPermanent(err error) bool {
	var redir *redirectError
	var dns *dnsError
	return errors.As(err, &redir) || errors.As(err, &dns) || errors.Is(err, ErrResponseTooLarge)
}

// unknownOutcomeError is a write whose answer was lost. It never matches
// ErrUnavailable, even when its cause does: a write that may have been applied
// is not one to simply send again later.
type unknownOutcomeError struct {
	err    error
	advice string
}

func (e *unknownOutcomeError) Error() string {
	return e.err.Error() + " (the server may or may not have applied this change: " + e.advice + ")"
}

// Is matches ErrUnknownOutcome and whatever the cause matches but ErrUnavailable.
func (e *unknownOutcomeError) Is(target error) bool {
	return target == ErrUnknownOutcome || (target != ErrUnavailable && errors.Is(e.err, target))
}

// As reaches the cause (*APIError, *DecodeError, net.Error, ...).
func (e *unknownOutcomeError) As(target any) bool { return errors.As(e.err, target) }

// dnsError is a host name that does not resolve: a typo in the base URL far
// more often than a passing fault, so it is reported at once, not retried.
type dnsError struct {
	host string
	err  error
}

func (e *dnsError) Error() string {
	return fmt.Sprintf("the host %q does not resolve (no such host); check the base URL", e.host)
}

func (e *dnsError) Unwrap() error { return e.err }

// jitteredBackoff is the wait before retry number attempt+1. A 429 or 503 with
// Retry-After waits what the server asks, but never past waitMax. Otherwise
// the step grows exponentially from waitMin, and the wait is drawn at random
// from [step, 2*step] (capped at waitMax; past the cap, from its upper half),
// never below waitMin: the first retry is jittered as much as any, so many
// callers failing together do not retry in lockstep.
func jitteredBackoff(waitMin, waitMax time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now(), waitMax); ok {
			return d
		}
	}
	low := max(waitMax/2, waitMin)
	if waitMin > 0 && attempt >= 0 && attempt < 63 {
		if step := waitMin << attempt; step>>attempt == waitMin && step > 0 && step < waitMax {
			low = step // no overflow, below the cap
		}
	}
	high := waitMax
	if low <= waitMax/2 {
		high = 2 * low
	}
	if high <= low {
		return max(low, 0)
	}
	return low + rand.N(high-low+1)
}

// retryAfter reads a Retry-After value, seconds or an HTTP date, as a wait in
// [0, waitMax]. Values too large for a time.Duration are waitMax, not an
// overflow to a negative (immediate) wait. ok is false when the header is
// absent or unreadable.
func retryAfter(v string, now time.Time, waitMax time.Duration) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if strings.Trim(v, "0123456789") == "" {
		secs, err := strconv.ParseUint(v, 10, 64)
		if err != nil || secs > uint64(waitMax/time.Second) {
			return waitMax, true // a range error from ParseUint is a huge number too
		}
		return min(time.Duration(secs)*time.Second, waitMax), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(t.Sub(now), 0), waitMax), true
}
