// Command walk-all walks every page of authentik's email stages and then of its
// invitation stages with the SDK's All iterators, prints them in one table, and
// ends with a count of each kind.
//
//	export AUTHENTIK_URL=https://authentik.example.com AUTHENTIK_TOKEN=...
//	walk-all -page-size 100
//
// With AUTHENTIK_URL unset it walks the demo data of a built-in fake authentik.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
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
	fs := flag.NewFlagSet("walk-all", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts authentik.ListOptions // for both walks
	fs.IntVar(&opts.PageSize, "page-size", 0, "fetch `n` stages per request (0: the server's default, 20)")
	fs.StringVar(&opts.Search, "search", "", "only stages whose name contains this `text`")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0 // -h: the flag package has printed the usage
		}
		return 2 // the flag package has printed the error and the usage
	}

	c, stop, err := connect(stderr)
	if err == nil {
		defer stop()
		err = walk(ctx, c, opts, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "walk-all:", err)
		return 1
	}
	return 0
}

func walk(ctx context.Context, c *authentik.Client, opts authentik.ListOptions, stdout io.Writer) error {
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	defer tw.Flush() // the table is aligned and written at the end, also after an error
	fmt.Fprintln(tw, "KIND\tNAME\tPK\tFLOWS")
	email, invitation := 0, 0
	for s, err := range c.EmailStages.All(ctx, &authentik.EmailStageListOptions{ListOptions: opts}) {
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "email\t%s\t%s\t%s\n", s.Name, s.PK, flows(s.FlowSet))
		email++
	}
	for s, err := range c.InvitationStages.All(ctx, &authentik.InvitationStageListOptions{ListOptions: opts}) {
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "invitation\t%s\t%s\t%s\n", s.Name, s.PK, flows(s.FlowSet))
		invitation++
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(stdout, "email stages: %d, invitation stages: %d\n", email, invitation)
	return err
}

// flows is the slugs of the flows a stage is bound to, or "-" when it is bound
// to none.
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
