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

// checkRetry decides whether a try is repeated. The context comes first: once it
// ends nothing is retried. Errors that a retry cannot heal come next: a body
// over the size cap, a refused redirect, a host name that does not resolve.
// Then retryablehttp's default policy: connection errors, a body cut short, 429
// and 5xx other than 501 (it already refuses certificate errors). Retrying is
// safe because the SDK only sends GETs; a future non-idempotent call must not
// reuse this policy.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	var redir *redirectError
	var dns *net.DNSError
	switch {
	case errors.Is(err, errTooLarge), errors.As(err, &redir):
		return false, err
	case errors.As(err, &dns) && dns.IsNotFound:
		return false, &dnsError{host: dns.Name, err: err}
	}
	return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
}

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
// Retry-After waits what the server asks, but never past waitMax. Otherwise the
// wait grows exponentially from waitMin and is drawn at random from its upper
// half (never below waitMin, never above waitMax), so that many callers failing
// together do not retry in lockstep.
func jitteredBackoff(waitMin, waitMax time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now(), waitMax); ok {
			return d
		}
	}
	wait := waitMax
	if waitMin > 0 && attempt >= 0 && attempt < 63 {
		if grown := waitMin << attempt; grown>>attempt == waitMin && grown > 0 && grown < waitMax {
			wait = grown // no overflow, below the cap
		}
	}
	low := max(wait/2, waitMin)
	if wait > low {
		wait = low + rand.N(wait-low+1)
	}
	return wait
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
