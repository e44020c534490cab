// Package cli is what the example programs share: reading the environment into
// a client, tri-state filter flags, table and JSON-lines output, and turning an
// outcome into an exit status. It lives here so that each example's main.go
// shows only what is particular to its resource.
//
// The examples talk to the authentik server named by AUTHENTIK_URL, with the API
// token in AUTHENTIK_TOKEN. When AUTHENTIK_URL is not set they start the
// built-in fake authentik of package authentiktest, loaded with demo data, and
// say so in one line on stderr (FakeNotice), so that
//
//	go run ./examples/list-email-stages
//
// works on a fresh clone with nothing set. Connect is where that is decided.
//
// The contract every example keeps, enforced here rather than in each main:
// exit status 0 on success, 1 with exactly one line "<program>: <error>" on
// stderr when something fails (after FakeNotice when the fake is used), 2 for
// bad flags; the API token is never printed; and nothing is left running
// behind: the fake server is stopped however the program ends.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/authentik-go/authentik"
)

// Exit statuses, as the flag package and most Unix tools use them.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// NewFlagSet returns a flag set for the program name that reports its errors
// instead of exiting, so run stays testable, and writes its usage to stderr. The
// usage text starts with summary and lists the environment variables, because
// flags alone cannot tell a user how to reach their server (nor that without
// AUTHENTIK_URL a fake one is used).
func NewFlagSet(name, summary string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: %s [flags]\n\n%s\n\n", fs.Name(), summary)
		fmt.Fprintf(w, "Environment:\n")
		fmt.Fprintf(w, "  %-19s the authentik server's address, e.g. https://authentik.example.com;\n", authentik.EnvURL)
		fmt.Fprintf(w, "  %-19s unset: a built-in fake authentik with demo data\n", "")
		fmt.Fprintf(w, "  %-19s an API token (authentik admin interface: Directory > Tokens);\n", authentik.EnvToken)
		fmt.Fprintf(w, "  %-19s required when %s is set\n", "", authentik.EnvURL)
		fmt.Fprintf(w, "  %-19s true allows http:// to a host that is not this machine\n\n", authentik.EnvInsecure)
		fmt.Fprintf(w, "Flags:\n")
		fs.PrintDefaults()
	}
	return fs
}

// Run is the part of every example's run function that does not depend on the
// resource: it parses args into fs, connects with Connect, calls body, and turns
// the result into the exit status. Parse errors and stray arguments give 2 (the
// flag package has already printed the usage), -h gives 0, and any other error
// gives 1 with one line on stderr, from which the token is removed even if a
// server echoed it back. Connect's cleanup runs whatever happens, so the fake
// server it may have started is stopped before Run returns.
func Run(ctx context.Context, fs *flag.FlagSet, args []string, getenv func(string) string, stderr io.Writer,
	body func(ctx context.Context, c *authentik.Client) error) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		// The usual cause is "-use-tls false": a boolean flag takes its value after '='.
		fmt.Fprintf(fs.Output(), "unexpected argument %q (a boolean flag takes its value as -flag=false)\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	secret := strings.TrimSpace(getenv(authentik.EnvToken))
	c, cleanup, err := connect(getenv, stderr)
	defer cleanup() // never nil, also on error
	if err != nil {
		return fail(stderr, fs.Name(), err, secret)
	}
	if err := body(ctx, c); err != nil {
		return fail(stderr, fs.Name(), err, secret)
	}
	return exitOK
}

// connect is Connect, as a variable so that tests can check that Run always
// calls the cleanup it returns.
var connect = Connect

// fail prints err as the single line "<prog>: <err>" and returns exit status 1.
// The SDK keeps the token out of its errors, but an error can quote what a
// server or proxy sent back, so secret is removed here as a last line of
// defence. Control characters (newlines from a multi-line body, terminal escape
// sequences) become spaces, so the message stays one harmless line.
func fail(stderr io.Writer, prog string, err error, secret string) int {
	msg := err.Error()
	if errors.Is(err, authentik.ErrUnauthorized) {
		// The token came from the environment (Connect): say which variable.
		msg += " (check " + authentik.EnvToken + ")"
	}
	if secret != "" {
		msg = strings.ReplaceAll(msg, secret, "[REDACTED]")
	}
	msg = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, msg)
	fmt.Fprintf(stderr, "%s: %s\n", prog, msg)
	return exitError
}
