package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/authentik-go/authentik"
)

// Connect builds a client from AUTHENTIK_URL, AUTHENTIK_TOKEN and
// AUTHENTIK_INSECURE, read through getenv rather than os.Getenv so that tests
// can hand each run its own environment without touching the process's.
//
// It is the one place that decides what happens when no server is configured:
// today that is an error telling the user how to set AUTHENTIK_URL; starting a
// built-in fake server instead only changes this function, which is why it
// returns a cleanup function (to stop that server; a no-op for now) and takes
// stderr (to say which server is used). cleanup is never nil, so callers can
// defer it unconditionally.
//
// Errors never quote the token, nor AUTHENTIK_INSECURE's value.
func Connect(getenv func(string) string, stderr io.Writer) (c *authentik.Client, cleanup func(), err error) {
	cleanup = func() {}
	baseURL := strings.TrimSpace(getenv(authentik.EnvURL))
	if baseURL == "" {
		return nil, cleanup, fmt.Errorf("%s is not set; set it to your authentik server's address, e.g. export %s=https://authentik.example.com",
			authentik.EnvURL, authentik.EnvURL)
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
