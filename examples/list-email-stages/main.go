// Command list-email-stages lists authentik's email stages: which flows send
// mail, and through which SMTP server. It prints one page, or every page with
// -all, of GET /api/v3/stages/email/, with some of its filters as flags.
//
//	export AUTHENTIK_URL=https://authentik.example.com AUTHENTIK_TOKEN=...
//	list-email-stages -use-global-settings=false -all
//
// With AUTHENTIK_URL unset it lists the demo data of a built-in fake authentik.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is main with its arguments and output as parameters, so that tests can
// call it. It returns the exit status: 1 when something fails, 2 for bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("list-email-stages", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts authentik.EmailStageListOptions
	all := fs.Bool("all", false, "walk every page instead of fetching one")
	asJSON := fs.Bool("json", false, "print each stage as a line of JSON")
	fs.IntVar(&opts.Page, "page", 0, "fetch page `n` (with -all: start there)")
	fs.IntVar(&opts.PageSize, "page-size", 0, "`n` stages per page (0: the server's default, 20)")
	fs.StringVar(&opts.Ordering, "ordering", "", "sort by this `field` (-field: descending)")
	fs.StringVar(&opts.Search, "search", "", "only stages whose name contains this `text`")
	fs.StringVar(&opts.Name, "name", "", "only the stage with this `name`")
	fs.StringVar(&opts.Host, "host", "", "only stages using this SMTP `host`")
	fs.Func("port", "only stages using this SMTP `port`", func(s string) error {
		port, err := strconv.Atoi(s)
		opts.Port = &port // a pointer: nil is not sent, so -port 0 is a filter
		return err
	})
	boolFilter(fs, &opts.UseGlobalSettings, "use-global-settings", "only stages that (=false: do not) use the global email settings")
	boolFilter(fs, &opts.UseTLS, "use-tls", "only stages that (=false: do not) use STARTTLS")
	boolFilter(fs, &opts.UseSSL, "use-ssl", "only stages that (=false: do not) use SSL")
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
		err = list(ctx, c, &opts, *all, *asJSON, stdout, stderr)
	}
	if err != nil {
		fmt.Fprintln(stderr, "list-email-stages:", err)
		return 1
	}
	return 0
}

func list(ctx context.Context, c *authentik.Client, opts *authentik.EmailStageListOptions, all, asJSON bool, stdout, stderr io.Writer) error {
	var stages []authentik.EmailStage
	if all {
		for s, err := range c.EmailStages.All(ctx, opts) {
			if err != nil {
				return err
			}
			stages = append(stages, s)
		}
	} else {
		page, err := c.EmailStages.List(ctx, opts)
		if err != nil {
			return err
		}
		stages = page.Results
		if p := page.Pagination; p.TotalPages > 1 {
			fmt.Fprintf(stderr, "page %d of %d (%d stages); -all for every page\n", p.Current, p.TotalPages, p.Count)
		}
	}

	if asJSON {
		enc := json.NewEncoder(stdout)
		for _, s := range stages {
			if err := enc.Encode(s); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tPK\tSMTP\tFROM ADDRESS\tFLOWS")
	for _, s := range stages {
		smtp := "global settings"
		if !s.UseGlobalSettings {
			smtp = net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Name, s.PK, smtp, s.FromAddress, flows(s.FlowSet))
	}
	return tw.Flush()
}

// flows is the slugs of the flows a stage is bound to, or "-" when it is bound
// to none (it sends nothing).
func flows(set []authentik.FlowSet) string {
	var slugs []string
	for _, f := range set {
		slugs = append(slugs, f.Slug)
	}
	if len(slugs) == 0 {
		return "-"
	}
	return strings.Join(slugs, ",")
}

// boolFilter registers a flag for a filter that is sent only when the flag is
// given: -use-tls sends use_tls=true, -use-tls=false sends use_tls=false.
func boolFilter(fs *flag.FlagSet, p **bool, name, usage string) {
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
