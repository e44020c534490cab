// Command walk-all walks every page of authentik's email and invitation stages
// with the SDK's All iterators, prints them in one table and ends with a count
// of each kind.
//
// It asks the server at AUTHENTIK_URL, with the API token in AUTHENTIK_TOKEN:
//
//	export AUTHENTIK_URL=https://authentik.example.com AUTHENTIK_TOKEN=...
//	walk-all -page-size 100 -resource both
//
// With AUTHENTIK_URL unset it says so on stderr and walks a built-in fake
// authentik with demo data instead (45 email and 25 invitation stages), so it
// runs with nothing set:
//
//	go run ./examples/walk-all -page-size 3
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/examples/internal/cli"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is main without the process: its arguments, environment and output are
// parameters, so tests can call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := cli.NewFlagSet("walk-all", "Walks every page of authentik's email and invitation stages.", stderr)
	resource := "both"
	cli.ChoiceVar(fs, &resource, "resource", "which `kind` of stages to walk", "email", "invitation", "both")
	var lo authentik.ListOptions
	asJSON := cli.CommonFlags(fs, &lo)

	return cli.Run(ctx, fs, args, getenv, stderr, func(ctx context.Context, c *authentik.Client) error {
		out := cli.NewOutput(stdout, *asJSON, "KIND", "NAME", "PK", "FLOWS")
		var counts []string
		if resource != "invitation" {
			n, err := cli.Print(out, c.EmailStages.All(ctx, &authentik.EmailStageListOptions{ListOptions: lo}),
				func(s authentik.EmailStage) []string {
					return []string{"email", s.Name, s.PK, cli.Flows(s.FlowSet)}
				})
			if err != nil {
				return out.Finish(err)
			}
			counts = append(counts, plural(n, "email stage"))
		}
		if resource != "email" {
			n, err := cli.Print(out, c.InvitationStages.All(ctx, &authentik.InvitationStageListOptions{ListOptions: lo}),
				func(s authentik.InvitationStage) []string {
					return []string{"invitation", s.Name, s.PK, cli.Flows(s.FlowSet)}
				})
			if err != nil {
				return out.Finish(err)
			}
			counts = append(counts, plural(n, "invitation stage"))
		}
		if err := out.Finish(nil); err != nil || *asJSON {
			return err // JSON lines carry nothing but stages
		}
		_, err := fmt.Fprintln(stdout, strings.Join(counts, ", "))
		return err
	})
}

// plural is "1 email stage" or "n email stages".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
