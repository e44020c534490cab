package authentik

import (
	"log/slog"
	"net/http"
	"time"
)

// Option configures a Client. Options are applied in order by NewClient, and an
// option given an invalid value makes NewClient return an error.
type Option func(*clientConfig) error

// clientConfig is what the options set; NewClient turns it into a Client.
type clientConfig struct {
	httpClient       *http.Client
	retryMax         int
	retryWaitMin     time.Duration
	retryWaitMax     time.Duration
	userAgent        string
	logger           *slog.Logger
	insecureHTTP     bool
	prefetch         int
	timeout          time.Duration
	maxResponseBytes int64
	tokenFromEnv     bool // set by NewClientFromEnv
}

func defaultConfig() clientConfig {
	return clientConfig{
		retryMax:         4,
		retryWaitMin:     time.Second,
		retryWaitMax:     30 * time.Second,
		userAgent:        defaultUserAgent,
		prefetch:         1,
		timeout:          30 * time.Second,
		maxResponseBytes: 32 << 20,
	}
}

// WithHTTPClient makes the client send its requests through c: its transport, TLS
// settings, proxy and redirect policy. c is not modified (the SDK works on a copy);
// nil is an error.
func WithHTTPClient(c *http.Client) Option {
	return func(cfg *clientConfig) error {
		if c == nil {
			return inputErrorf("WithHTTPClient", "WithHTTPClient: the *http.Client is nil; pass http.DefaultClient or your own client")
		}
		cfg.httpClient = c
		return nil
	}
}

// WithRetryMax sets how many times a request is retried after the first try, for
// connection errors, 429 and 5xx other than 501. 0 disables retries; the default is 4.
func WithRetryMax(n int) Option {
	return func(cfg *clientConfig) error {
		if n < 0 {
			return inputErrorf("WithRetryMax", "WithRetryMax: %d retries is negative; use 0 to disable retries", n)
		}
		cfg.retryMax = n
		return nil
	}
}

// WithRetryWait sets the bounds of the exponential backoff between retries. A
// server's Retry-After is honoured but never waited past max. The defaults are 1s and 30s.
func WithRetryWait(min, max time.Duration) Option {
	return func(cfg *clientConfig) error {
		if min < 0 || max < 0 {
			return inputErrorf("WithRetryWait", "WithRetryWait: negative wait (min %s, max %s)", min, max)
		}
		if max < min {
			return inputErrorf("WithRetryWait", "WithRetryWait: max %s is less than min %s", max, min)
		}
		cfg.retryWaitMin, cfg.retryWaitMax = min, max
		return nil
	}
}

// WithUserAgent replaces the default User-Agent, "authentik-go/<version> (+<module path>)".
func WithUserAgent(ua string) Option {
	return func(cfg *clientConfig) error {
		if ua == "" {
			return inputErrorf("WithUserAgent", "WithUserAgent: the user agent is empty; omit the option to keep the default")
		}
		if i := controlIndex(ua); i >= 0 {
			return inputErrorf("WithUserAgent", "WithUserAgent: the user agent has a control character at byte %d", i)
		}
		cfg.userAgent = ua
		return nil
	}
}

// WithLogger makes the client log its requests and retries to l (at debug level,
// failures at error level). Without it, or with a nil l, the client logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(cfg *clientConfig) error {
		cfg.logger = l
		return nil
	}
}

// WithInsecureHTTP allows an http:// base URL whose host is not loopback. The
// bearer token then crosses the network in clear text; use it only on a network you trust.
func WithInsecureHTTP() Option {
	return func(cfg *clientConfig) error {
		cfg.insecureHTTP = true
		return nil
	}
}

// WithPrefetch sets how many pages All fetches ahead while the caller consumes the
// current one. The default is 1; 0 walks strictly sequentially. Depth 1 overlaps
// the next request with the caller's work on the current page; deeper prefetching
// also overlaps requests with each other once the first page has told how many
// pages there are (BENCHMARKS.md: 8 pages at 10 ms of latency walk about 6x
// faster than 0). Pages still come in order. Without WithHTTPClient the client
// keeps n+1 idle connections to the server; with your own client, allow at
// least n+1 (http.Transport.MaxIdleConnsPerHost) or the extra requests open new
// connections.
func WithPrefetch(n int) Option {
	return func(cfg *clientConfig) error {
		if n < 0 {
			return inputErrorf("WithPrefetch", "WithPrefetch: %d pages is negative; use 0 for a sequential walk", n)
		}
		cfg.prefetch = n
		return nil
	}
}

// WithTimeout bounds each HTTP request (each try, body included) apart from the
// caller's context. The default is 30s; 0 means no per-request bound.
func WithTimeout(d time.Duration) Option {
	return func(cfg *clientConfig) error {
		if d < 0 {
			return inputErrorf("WithTimeout", "WithTimeout: %s is negative; use 0 for no per-request timeout", d)
		}
		cfg.timeout = d
		return nil
	}
}

// WithMaxResponseBytes caps the size of a response body; a larger one is an error
// rather than an unbounded allocation. The default is 32 MiB.
func WithMaxResponseBytes(n int64) Option {
	return func(cfg *clientConfig) error {
		if n <= 0 {
			return inputErrorf("WithMaxResponseBytes", "WithMaxResponseBytes: %d bytes must be positive", n)
		}
		cfg.maxResponseBytes = n
		return nil
	}
}
