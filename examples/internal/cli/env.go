package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
)

// FakeNotice is the one line Connect prints on stderr when AUTHENTIK_URL is not
// set and it starts the built-in fake authentik instead.
const FakeNotice = "AUTHENTIK_URL is not set: using the built-in fake authentik with demo data " +
	"(set AUTHENTIK_URL and AUTHENTIK_TOKEN to use your server)"

// Connect builds a client from AUTHENTIK_URL, AUTHENTIK_TOKEN and
// AUTHENTIK_INSECURE, read through getenv rather than os.Getenv so that tests
// can hand each run its own environment without touching the process's.
//
// It is the one place that decides what happens when no server is configured:
// when AUTHENTIK_URL is unset (or blank) it starts the built-in fake authentik
// of package authentiktest, loaded with demo data, says so with FakeNotice on
// stderr, and returns a client for it, so that every example runs on a fresh
// clone with nothing set. AUTHENTIK_TOKEN and AUTHENTIK_INSECURE are then not
// read. With AUTHENTIK_URL set, AUTHENTIK_TOKEN is required.
//
// cleanup stops the fake server (it is a no-op for a real one). It is never nil,
// also when err is not, so callers defer it unconditionally, before checking err.
//
// Errors never quote the token, nor AUTHENTIK_INSECURE's value.
func Connect(getenv func(string) string, stderr io.Writer) (c *authentik.Client, cleanup func(), err error) {
	cleanup = func() {}
	baseURL := strings.TrimSpace(getenv(authentik.EnvURL))
	if baseURL == "" {
		return connectFake(stderr)
	}
	token := strings.TrimSpace(getenv(authentik.EnvToken))
	if token == "" {
		return nil, cleanup, fmt.Errorf("%s is not set; create an API token in authentik's admin interface (Directory > Tokens) and export %s=<token>",
			authentik.EnvToken, authentik.EnvToken)
	}
	var opts []authentik.Option
	if v := strings.TrimSpace(getenv(authentik.EnvInsecure)); v != "" {
		insecure, err := strconv.ParseBool(v)
		if err != nil {
			return nil, cleanup, fmt.Errorf("%s is not a boolean; set it to true or false", authentik.EnvInsecure)
		}
		if insecure {
			opts = append(opts, authentik.WithInsecureHTTP())
		}
	}
	c, err = authentik.NewClient(baseURL, token, opts...)
	if err != nil {
		return nil, cleanup, err
	}
	return c, cleanup, nil
}

// connectFake starts the fake authentik with demo data and returns a client for
// it made exactly as for a real server, so with the SDK's default retries; the
// fake, in this process, never fails a request anyway.
func connectFake(stderr io.Writer) (*authentik.Client, func(), error) {
	srv := authentiktest.NewServer(authentiktest.WithDemoData())
	c, err := authentik.NewClient(srv.URL, srv.Token)
	if err != nil {
		srv.Close() // Close is idempotent: a caller's cleanup may call it again
		return nil, srv.Close, fmt.Errorf("the built-in fake authentik: %w", err)
	}
	fmt.Fprintln(stderr, FakeNotice)
	return c, srv.Close, nil
}
