// Command bind-stage puts an email stage to work: a stage does nothing until a
// flow-stage binding places it in a flow. It makes sure the stage exists
// (creating it with the global email settings when no stage has that name) and
// is bound into the flow at the given order, changing only what differs, and
// prints what it did (or, with -dry-run, what it would do). Running it twice
// changes nothing the second time.
//
//	export AUTHENTIK_URL=https://authentik.example.com AUTHENTIK_TOKEN=...
//	bind-stage -flow default-recovery-flow -stage recovery-email -order 10 -dry-run
//
// With AUTHENTIK_URL unset it works on a built-in fake authentik.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is main with its arguments and output as parameters, so that tests can
// call it. It returns the exit status: 1 when something fails, 2 for bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bind-stage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	flow := fs.String("flow", "default-recovery-flow", "the flow's `slug`")
	stage := fs.String("stage", "recovery-email", "the email stage's `name` (created when missing)")
	order := fs.Int("order", 10, "where the stage comes in the flow (bindings run from the lowest `order`)")
	dryRun := fs.Bool("dry-run", false, "print what would change, change nothing")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0 // -h: the flag package has printed the usage
		}
		return 2 // the flag package has printed the error and the usage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	c, stop, err := connect(stderr)
	if err == nil {
		defer stop()
		err = bind(ctx, c, *flow, *stage, *order, *dryRun, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "bind-stage:", err)
		return 1
	}
	return 0
}

// bind makes sure the stage exists and is bound into the flow at order.
func bind(ctx context.Context, c *authentik.Client, flowSlug, stageName string, order int, dryRun bool, out io.Writer) error {
	flow, err := c.Flows.Get(ctx, flowSlug)
	if errors.Is(err, authentik.ErrNotFound) {
		return fmt.Errorf("no flow has the slug %q", flowSlug)
	}
	if err != nil {
		return err
	}
	would := ""
	if dryRun {
		would = "would "
	}

	// The stage, by its name (stage names are unique).
	page, err := c.EmailStages.List(ctx, &authentik.EmailStageListOptions{Name: stageName})
	if err != nil {
		return err
	}
	var stagePK string
	switch {
	case len(page.Results) == 1:
		stagePK = page.Results[0].PK
	case dryRun:
		fmt.Fprintf(out, "would create email stage %q\n", stageName)
		fmt.Fprintf(out, "would bind it into %s at order %d\n", flowSlug, order)
		return nil
	default:
		created, err := c.EmailStages.Create(ctx, &authentik.EmailStageRequest{
			Name: authentik.Ptr(stageName), UseGlobalSettings: authentik.Ptr(true)})
		if err != nil {
			return err // on ErrUnknownOutcome, running again finds the stage by its name
		}
		stagePK = created.PK
		fmt.Fprintf(out, "created email stage %q\n", stageName)
	}

	// Its binding into the flow: one per (flow, stage) here.
	bindings, err := c.FlowStageBindings.List(ctx, &authentik.FlowStageBindingListOptions{Target: flow.PK, Stage: stagePK})
	if err != nil {
		return err
	}
	switch {
	case len(bindings.Results) == 0:
		fmt.Fprintf(out, "%sbind %q into %s at order %d\n", would, stageName, flowSlug, order)
		if dryRun {
			return nil
		}
		_, err = c.FlowStageBindings.Create(ctx, &authentik.FlowStageBindingRequest{
			Target: authentik.Ptr(flow.PK), Stage: authentik.Ptr(stagePK), Order: authentik.Ptr(order)})
		return err // on ErrUnknownOutcome, running again finds the binding
	case bindings.Results[0].Order != order:
		b := bindings.Results[0]
		fmt.Fprintf(out, "%smove %q in %s from order %d to %d\n", would, stageName, flowSlug, b.Order, order)
		if dryRun {
			return nil
		}
		_, err = c.FlowStageBindings.Patch(ctx, b.PK, &authentik.FlowStageBindingRequest{Order: authentik.Ptr(order)})
		return err
	}
	fmt.Fprintf(out, "%q is bound into %s at order %d: nothing to do\n", stageName, flowSlug, order)
	return nil
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
