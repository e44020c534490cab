// Command list-invitation-stages lists authentik's invitation stages: one page,
// or every page with -all. Every filter of GET /api/v3/stages/invitation/stages/
// is a flag.
//
// It asks the server at AUTHENTIK_URL, with the API token in AUTHENTIK_TOKEN:
//
//	export AUTHENTIK_URL=https://authentik.example.com AUTHENTIK_TOKEN=...
//	list-invitation-stages -no-flows
//
// With AUTHENTIK_URL unset it says so on stderr and asks a built-in fake
// authentik with demo data instead, so it runs with nothing set:
//
//	go run ./examples/list-invitation-stages -no-flows=false
package main

import (
	"context"
	"io"
	"os"
	"strconv"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/examples/internal/cli"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is main without the process: its arguments, environment and output are
// parameters, so tests can call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := cli.NewFlagSet("list-invitation-stages", "Lists authentik's invitation stages (one page, or all with -all).", stderr)
	var opts authentik.InvitationStageListOptions
	asJSON := cli.CommonFlags(fs, &opts.ListOptions)
	all := cli.PageFlags(fs, &opts.ListOptions)
	cli.BoolVar(fs, &opts.ContinueFlowWithoutInvitation, "continue-flow-without-invitation", "only stages that do (or, =false, do not) let the flow go on without an invitation")
	fs.StringVar(&opts.Name, "name", "", "only the stage with this `name`")
	cli.BoolVar(fs, &opts.NoFlows, "no-flows", "only stages bound to no flow (or, =false, only bound ones)")
	fs.StringVar(&opts.StageUUID, "stage-uuid", "", "only the stage with this `uuid` (its PK)")

	return cli.Run(ctx, fs, args, getenv, stderr, func(ctx context.Context, c *authentik.Client) error {
		stages := c.InvitationStages.All(ctx, &opts)
		if !*all {
			page, err := c.InvitationStages.List(ctx, &opts)
			stages = cli.OnePage(stderr, page, err)
		}
		out := cli.NewOutput(stdout, *asJSON, "NAME", "PK", "CONTINUE WITHOUT INVITATION", "FLOWS")
		_, err := cli.Print(out, stages, func(s authentik.InvitationStage) []string {
			return []string{s.Name, s.PK, strconv.FormatBool(s.ContinueFlowWithoutInvitation), cli.Flows(s.FlowSet)}
		})
		return out.Finish(err)
	})
}
