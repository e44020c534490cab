// Command invite creates an invitation to an enrollment flow and prints the
// link that lets its holder enrol; with -email it also asks authentik to email
// the link (authentik 2026.5 or newer).
//
//	export AUTHENTIK_URL=https://authentik.example.com AUTHENTIK_TOKEN=...
//	invite -flow contractor-enrollment -expires 7d -single-use -fixed email=alex@example.com -email alex@example.com
//
// With AUTHENTIK_URL unset it works on a built-in fake authentik and prints a
// link to it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/mail"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is main with its arguments and output as parameters, so that tests can
// call it. It returns the exit status: 1 when something fails, 2 for bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("invite", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "invitation", "the invitation's `name` (letters, digits, - and _)")
	flowSlug := fs.String("flow", "invitation-enrollment-flow", "the `slug` of the enrollment flow the invitation is for")
	expires := fs.String("expires", "7d", "how long the invitation is valid: a `duration` such as 7d, 36h or 90m; never for no expiry")
	singleUse := fs.Bool("single-use", false, "delete the invitation once it has been used")
	var fixed, emails []string
	fs.Func("fixed", "a `key=value` the enrollment flow fills in (repeatable)", func(s string) error { fixed = append(fixed, s); return nil })
	fs.Func("email", "an `address` to email the link to (repeatable; authentik 2026.5+)", func(s string) error { emails = append(emails, s); return nil })
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0 // -h: the flag package has printed the usage
		}
		return 2 // the flag package has printed the error and the usage
	}

	c, stop, err := connect(stderr)
	if err == nil {
		defer stop()
		err = invite(ctx, c, *name, *flowSlug, *expires, *singleUse, fixed, emails, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "invite:", err)
		return 1
	}
	return 0
}

func invite(ctx context.Context, c *authentik.Client, name, flowSlug, expires string, singleUse bool, fixed, emails []string, stdout io.Writer) error {
	req := &authentik.InvitationRequest{Name: &name, SingleUse: &singleUse, FixedData: map[string]any{}}
	if expires != "never" {
		d, err := parseDuration(expires)
		if err != nil {
			return fmt.Errorf("-expires %q: %w", expires, err)
		}
		req.Expires = authentik.Ptr(time.Now().Add(d).UTC().Truncate(time.Second))
	}
	for _, kv := range fixed {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return fmt.Errorf("-fixed %q: want key=value", kv)
		}
		req.FixedData[k] = v
	}
	for _, a := range emails { // before anything is created (stricter than SendEmail: no quoted local parts)
		if parsed, err := mail.ParseAddress(a); err != nil || parsed.Name != "" || strings.TrimSpace(a) != parsed.Address {
			return fmt.Errorf("-email %q is not an email address", a)
		}
	}
	if !slug.MatchString(flowSlug) {
		return fmt.Errorf("-flow %q is not a flow's slug (letters, digits, - and _)", flowSlug)
	}
	// Resolve the slug to the flow's UUID: GET flows/instances/<slug>/.
	var flow struct {
		PK string `json:"pk"`
	}
	if _, err := c.Do(ctx, "GET", "flows/instances/"+url.PathEscape(flowSlug)+"/", nil, nil, &flow); err != nil {
		if errors.Is(err, authentik.ErrNotFound) {
			return fmt.Errorf("no flow with slug %q; pass the slug of an enrollment flow with -flow", flowSlug)
		}
		return err
	}
	req.Flow = authentik.Ptr(flow.PK)
	inv, err := c.Invitations.Create(ctx, req)
	if err != nil {
		return err
	}
	link, err := c.Invitations.EnrollmentURL(inv, "")
	if err != nil {
		return err
	}
	until := "never expires"
	if inv.Expires != nil {
		until = "expires " + inv.Expires.Format(time.RFC3339)
	}
	fmt.Fprintf(stdout, "created invitation %s (%s) for flow %s, %s\n%s\n", inv.Name, inv.PK, flowSlug, until, link)
	if len(emails) > 0 {
		if err := c.Invitations.SendEmail(ctx, inv.PK, &authentik.InvitationEmail{To: emails}); err != nil {
			// The invitation exists: say so, so that a rerun does not
			// create a second one (invitation names are not unique).
			if errors.Is(err, authentik.ErrUnknownOutcome) {
				return fmt.Errorf("the invitation was created (the link above works); whether the email went out is unknown: %w", err)
			}
			return fmt.Errorf("the invitation was created (the link above works), but emailing it failed: %w", err)
		}
		fmt.Fprintf(stdout, "emailed to %s\n", strings.Join(emails, ", "))
	}
	return nil
}

// slug is Django's validate_slug, which a flow's slug passes (Flow.slug is a SlugField).
var slug = regexp.MustCompile(`^[-a-zA-Z0-9_]+$`)

// parseDuration is time.ParseDuration plus days ("7d").
func parseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 || n > 3650 {
			return 0, errors.New("want a number of days from 1 to 3650")
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, errors.New("want a positive duration such as 7d, 36h or 90m")
	}
	return d, nil
}

// connect returns a client for the authentik at AUTHENTIK_URL, with the API
// token in AUTHENTIK_TOKEN; with AUTHENTIK_URL unset, one for a built-in fake
// authentik with demo data. stop shuts the fake down.
func connect(stderr io.Writer) (c *authentik.Client, stop func(), err error) {
	if os.Getenv("AUTHENTIK_URL") == "" {
		fmt.Fprintln(stderr, "AUTHENTIK_URL is not set: using a built-in fake authentik with demo data")
		srv := authentiktest.NewServer(authentiktest.WithDemoData())
		return srv.Client(), srv.Close, nil
	}
	c, err = authentik.NewClientFromEnv()
	return c, func() {}, err
}
