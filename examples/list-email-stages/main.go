// Command list-email-stages lists authentik's email stages: one page, or every
// page with -all. Every filter of GET /api/v3/stages/email/ is a flag.
//
// It asks the server at AUTHENTIK_URL, with the API token in AUTHENTIK_TOKEN:
//
//	export AUTHENTIK_URL=https://authentik.example.com AUTHENTIK_TOKEN=...
//	list-email-stages -use-global-settings=false -all
//
// With AUTHENTIK_URL unset it says so on stderr and asks a built-in fake
// authentik with demo data instead, so it runs with nothing set:
//
//	go run ./examples/list-email-stages -all
package main

import (
	"context"
	"io"
	"os"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/examples/internal/cli"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is main without the process: its arguments, environment and output are
// parameters, so tests can call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := cli.NewFlagSet("list-email-stages", "Lists authentik's email stages (one page, or all with -all).", stderr)
	var opts authentik.EmailStageListOptions
	asJSON := cli.CommonFlags(fs, &opts.ListOptions)
	all := cli.PageFlags(fs, &opts.ListOptions)
	cli.BoolVar(fs, &opts.ActivateUserOnSuccess, "activate-user-on-success", "only stages that do (or, =false, do not) activate the user")
	fs.StringVar(&opts.FromAddress, "from-address", "", "only stages sending from this `address`")
	fs.StringVar(&opts.Host, "host", "", "only stages using this SMTP `host`")
	fs.StringVar(&opts.Name, "name", "", "only the stage with this `name`")
	cli.IntVar(fs, &opts.Port, "port", "only stages using this SMTP `port`")
	fs.StringVar(&opts.Subject, "subject", "", "only stages with this email `subject`")
	fs.StringVar(&opts.Template, "template", "", "only stages using this `template` (e.g. email/password_reset.html)")
	cli.IntVar(fs, &opts.Timeout, "timeout", "only stages with this SMTP timeout in `seconds`")
	fs.StringVar(&opts.TokenExpiry, "token-expiry", "", "only stages whose token expires after this `duration` (e.g. minutes=30)")
	cli.BoolVar(fs, &opts.UseGlobalSettings, "use-global-settings", "only stages that do (or, =false, do not) use the global email settings")
	cli.BoolVar(fs, &opts.UseSSL, "use-ssl", "only stages that do (or, =false, do not) use SSL")
	cli.BoolVar(fs, &opts.UseTLS, "use-tls", "only stages that do (or, =false, do not) use STARTTLS")
	fs.StringVar(&opts.Username, "username", "", "only stages logging in to SMTP as this `user`")

	return cli.Run(ctx, fs, args, getenv, stderr, func(ctx context.Context, c *authentik.Client) error {
		stages := c.EmailStages.All(ctx, &opts)
		if !*all {
			page, err := c.EmailStages.List(ctx, &opts)
			stages = cli.OnePage(stderr, page, err)
		}
		out := cli.NewOutput(stdout, *asJSON, "NAME", "PK", "FROM ADDRESS", "SUBJECT", "TOKEN EXPIRY", "FLOWS")
		_, err := cli.Print(out, stages, func(s authentik.EmailStage) []string {
			return []string{s.Name, s.PK, s.FromAddress, s.Subject, s.TokenExpiry, cli.Flows(s.FlowSet)}
		})
		return out.Finish(err)
	})
}
