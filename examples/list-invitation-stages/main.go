// Command list-invitation-stages lists every invitation stage of authentik and
// the flows it is bound to: it walks all pages of
// GET /api/v3/stages/invitation/stages/ with the SDK's All iterator. Every
// filter of that endpoint is a flag.
//
//	export AUTHENTIK_URL=https://authentik.example.com AUTHENTIK_TOKEN=...
//	list-invitation-stages -no-flows=false -json
//
// With AUTHENTIK_URL unset it lists the demo data of a built-in fake authentik.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
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
	fs := flag.NewFlagSet("list-invitation-stages", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts authentik.InvitationStageListOptions
	asJSON := fs.Bool("json", false, "print each stage as a line of JSON")
	fs.IntVar(&opts.PageSize, "page-size", 0, "fetch `n` stages per request (0: the server's default, 20)")
	fs.StringVar(&opts.Name, "name", "", "only the stage with this `name`")
	fs.StringVar(&opts.StageUUID, "stage-uuid", "", "only the stage with this `uuid` (its PK)")
	boolFilter(fs, &opts.NoFlows, "no-flows", "only stages bound to no flow (=false: only bound ones)")
	boolFilter(fs, &opts.ContinueFlowWithoutInvitation, "continue-flow-without-invitation",
		"only stages that (=false: do not) let the flow go on without an invitation")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0 // -h: the flag package has printed the usage
		}
		return 2 // the flag package has printed the error and the usage
	}
	if fs.NArg() > 0 { // "-no-flows false" sets -no-flows and leaves "false"
		fmt.Fprintf(stderr, "unexpected argument %q (write -flag=false)\n", fs.Arg(0))
		return 2
	}

	c, stop, err := connect(stderr)
	if err == nil {
		defer stop()
		err = list(ctx, c, &opts, *asJSON, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "list-invitation-stages:", err)
		return 1
	}
	return 0
}

func list(ctx context.Context, c *authentik.Client, opts *authentik.InvitationStageListOptions, asJSON bool, stdout io.Writer) error {
	enc := json.NewEncoder(stdout)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	defer tw.Flush() // the table is aligned and written at the end, also after an error
	if !asJSON {
		fmt.Fprintln(tw, "NAME\tPK\tCONTINUE WITHOUT INVITATION\tFLOWS")
	}
	for s, err := range c.InvitationStages.All(ctx, opts) {
		if err != nil {
			return err
		}
		if asJSON {
			if err := enc.Encode(s); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%t\t%s\n", s.Name, s.PK, s.ContinueFlowWithoutInvitation, flows(s.FlowSet))
	}
	return tw.Flush()
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

// boolFilter registers a flag for a filter that is sent only when the flag is
// given: -no-flows sends no_flows=true, -no-flows=false sends no_flows=false.
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
