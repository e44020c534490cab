package authentik

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// checkRetry decides whether a try is repeated. The context comes first: once it
// ends nothing is retried. Then retryablehttp's default policy: connection errors,
// a body cut short, 429 and 5xx other than 501. Retrying is safe because the SDK
// only sends GETs; a future non-idempotent call must not reuse this policy.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if errors.Is(err, errTooLarge) {
		return false, err
	}
	return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
}

// cappedBackoff is retryablehttp's default backoff (exponential from min, or the
// server's Retry-After on 429 and 503) clamped to max, so a server asking for an
// hour cannot stall the caller past the configured wait.
func cappedBackoff(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
	wait := retryablehttp.DefaultBackoff(min, max, attempt, resp)
	if wait > max {
		wait = max
	}
	if wait < 0 {
		wait = 0
	}
	return wait
}
