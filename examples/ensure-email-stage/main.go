// Command ensure-email-stage makes one email stage send mail as its flags say:
// it creates the stage when no stage has that name, changes only the fields
// that differ when one does, and prints what it did (or, with -dry-run, what it
// would do). Running it twice changes nothing the second time.
//
//	export AUTHENTIK_URL=https://authentik.example.com AUTHENTIK_TOKEN=...
//	ensure-email-stage -name recovery-email -host smtp.example.com -port 587 -use-tls -dry-run
//
// The SMTP password is read from the file named by -password-file and sent
// only when the stage is created (the server never returns it, so it cannot be
// compared). With AUTHENTIK_URL unset it works on a built-in fake authentik.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is main with its arguments and output as parameters, so that tests can
// call it. It returns the exit status: 1 when something fails, 2 for bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ensure-email-stage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "the stage's `name` (required; names are unique)")
	dryRun := fs.Bool("dry-run", false, "print what would change, change nothing")
	passwordFile := fs.String("password-file", "", "a `file` holding the SMTP password, sent when the stage is created")
	// What the flags ask for. A field whose flag is not given stays nil: it is
	// neither sent nor compared.
	var want authentik.EmailStageRequest
	boolFlag(fs, &want.UseGlobalSettings, "use-global-settings", "use the global email settings instead of the connection below")
	fs.Func("host", "the SMTP `host`", func(s string) error { want.Host = &s; return nil })
	fs.Func("port", "the SMTP `port`", func(s string) error {
		port, err := strconv.Atoi(s)
		want.Port = &port
		return err
	})
	fs.Func("username", "the SMTP `user`", func(s string) error { want.Username = &s; return nil })
	boolFlag(fs, &want.UseTLS, "use-tls", "use STARTTLS")
	boolFlag(fs, &want.UseSSL, "use-ssl", "use SSL")
	fs.Func("from-address", "the sender's `address`", func(s string) error { want.FromAddress = &s; return nil })
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0 // -h: the flag package has printed the usage
		}
		return 2 // the flag package has printed the error and the usage
	}
	if fs.NArg() > 0 { // "-use-tls false" sets -use-tls and leaves "false"
		fmt.Fprintf(stderr, "unexpected argument %q (write -flag=false)\n", fs.Arg(0))
		return 2
	}

	c, stop, err := connect(stderr)
	if err == nil {
		defer stop()
		err = ensure(ctx, c, *name, want, *passwordFile, *dryRun, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "ensure-email-stage:", err)
		return 1
	}
	return 0
}

func ensure(ctx context.Context, c *authentik.Client, name string, want authentik.EmailStageRequest, passwordFile string, dryRun bool, stdout io.Writer) error {
	if strings.TrimSpace(name) == "" {
		return errors.New("-name is required")
	}
	stage, err := find(ctx, c, name)
	if err != nil {
		return err
	}
	if stage == nil {
		return create(ctx, c, name, want, passwordFile, dryRun, stdout)
	}

	// Patch only what differs, and say what.
	var patch authentik.EmailStageRequest
	var changes []string
	differ(&changes, "use-global-settings", stage.UseGlobalSettings, want.UseGlobalSettings, &patch.UseGlobalSettings)
	differ(&changes, "host", stage.Host, want.Host, &patch.Host)
	differ(&changes, "port", stage.Port, want.Port, &patch.Port)
	differ(&changes, "username", stage.Username, want.Username, &patch.Username)
	differ(&changes, "use-tls", stage.UseTLS, want.UseTLS, &patch.UseTLS)
	differ(&changes, "use-ssl", stage.UseSSL, want.UseSSL, &patch.UseSSL)
	differ(&changes, "from-address", stage.FromAddress, want.FromAddress, &patch.FromAddress)
	if len(changes) == 0 {
		fmt.Fprintf(stdout, "%s (%s) is up to date\n", stage.Name, stage.PK)
		return nil
	}
	verb := "would change"
	if !dryRun {
		if _, err := c.EmailStages.Patch(ctx, stage.PK, &patch); err != nil {
			return err
		}
		verb = "changed"
	}
	for _, ch := range changes {
		fmt.Fprintf(stdout, "%s %s %s\n", verb, stage.Name, ch)
	}
	return nil
}

// differ adds want to the patch, and a line to changes, when want is set and
// differs from what the stage has.
func differ[T comparable](changes *[]string, field string, have T, want *T, patch **T) {
	if want != nil && *want != have {
		*patch = want
		*changes = append(*changes, fmt.Sprintf("%s: %#v -> %#v", field, have, *want))
	}
}

func create(ctx context.Context, c *authentik.Client, name string, req authentik.EmailStageRequest, passwordFile string, dryRun bool, stdout io.Writer) error {
	req.Name = &name
	if passwordFile != "" {
		b, err := os.ReadFile(passwordFile)
		if err != nil {
			return err
		}
		req.Password = authentik.Ptr(strings.TrimRight(string(b), "\r\n"))
	}
	if dryRun {
		fmt.Fprintf(stdout, "would create %s %s\n", name, req) // its String method hides the password
		return nil
	}
	stage, err := c.EmailStages.Create(ctx, &req)
	if errors.Is(err, authentik.ErrUnknownOutcome) {
		// The answer was lost, so the create may or may not have been
		// applied. Names are unique: look it up.
		if stage, err = find(ctx, c, name); err == nil && stage == nil {
			return errors.New("the create was not applied (its answer was lost); run again")
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s (%s)\n", stage.Name, stage.PK)
	return nil
}

// find returns the stage with that name, or nil when there is none.
func find(ctx context.Context, c *authentik.Client, name string) (*authentik.EmailStage, error) {
	page, err := c.EmailStages.List(ctx, &authentik.EmailStageListOptions{Name: name})
	if err != nil || len(page.Results) == 0 {
		return nil, err
	}
	return &page.Results[0], nil
}

// boolFlag registers a flag that sets *p only when it is given: -use-tls sets
// true, -use-tls=false sets false.
func boolFlag(fs *flag.FlagSet, p **bool, name, usage string) {
	fs.BoolFunc(name, usage, func(s string) error {
		v, err := strconv.ParseBool(s)
		*p = &v
		return err
	})
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
