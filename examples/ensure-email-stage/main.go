// Command ensure-email-stage makes one email stage look as its flags say:
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
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/examples/internal/cli"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// setting is one flag and the stage field it sets.
type setting struct {
	flag  string
	value func() *string                       // the flag's value as text; nil when not given
	have  func(s *authentik.EmailStage) string // the stage's value as text
	apply func(r *authentik.EmailStageRequest) // puts the flag's value in a request
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := cli.NewFlagSet("ensure-email-stage", "Creates or updates one email stage so that it matches the flags.", stderr)
	name := fs.String("name", "", "the stage's `name` (required; names are unique)")
	dryRun := fs.Bool("dry-run", false, "print what would change, change nothing")
	passwordFile := fs.String("password-file", "", "a `file` holding the SMTP password, sent when the stage is created")
	var settings []setting
	text := func(flagName, usage string, have func(*authentik.EmailStage) string, field func(*authentik.EmailStageRequest) **string) {
		var v *string
		fs.Func(flagName, usage, func(s string) error { v = &s; return nil })
		settings = append(settings, setting{flagName, func() *string { return v }, have,
			func(r *authentik.EmailStageRequest) { *field(r) = v }})
	}
	number := func(flagName, usage string, have func(*authentik.EmailStage) int, field func(*authentik.EmailStageRequest) **int) {
		var v *int
		cli.IntVar(fs, &v, flagName, usage)
		settings = append(settings, setting{flagName, func() *string { return itoa(v) },
			func(s *authentik.EmailStage) string { return strconv.Itoa(have(s)) },
			func(r *authentik.EmailStageRequest) { *field(r) = v }})
	}
	boolean := func(flagName, usage string, have func(*authentik.EmailStage) bool, field func(*authentik.EmailStageRequest) **bool) {
		var v *bool
		cli.BoolVar(fs, &v, flagName, usage)
		settings = append(settings, setting{flagName, func() *string { return btoa(v) },
			func(s *authentik.EmailStage) string { return strconv.FormatBool(have(s)) },
			func(r *authentik.EmailStageRequest) { *field(r) = v }})
	}
	boolean("use-global-settings", "use the global email settings instead of the connection below",
		func(s *authentik.EmailStage) bool { return s.UseGlobalSettings }, func(r *authentik.EmailStageRequest) **bool { return &r.UseGlobalSettings })
	text("host", "the SMTP `host`", func(s *authentik.EmailStage) string { return s.Host }, func(r *authentik.EmailStageRequest) **string { return &r.Host })
	number("port", "the SMTP `port`", func(s *authentik.EmailStage) int { return s.Port }, func(r *authentik.EmailStageRequest) **int { return &r.Port })
	text("username", "the SMTP `user`", func(s *authentik.EmailStage) string { return s.Username }, func(r *authentik.EmailStageRequest) **string { return &r.Username })
	boolean("use-tls", "use STARTTLS", func(s *authentik.EmailStage) bool { return s.UseTLS }, func(r *authentik.EmailStageRequest) **bool { return &r.UseTLS })
	boolean("use-ssl", "use SSL", func(s *authentik.EmailStage) bool { return s.UseSSL }, func(r *authentik.EmailStageRequest) **bool { return &r.UseSSL })
	number("timeout", "the SMTP timeout in `seconds`", func(s *authentik.EmailStage) int { return s.Timeout }, func(r *authentik.EmailStageRequest) **int { return &r.Timeout })
	text("from-address", "the sender `address`", func(s *authentik.EmailStage) string { return s.FromAddress }, func(r *authentik.EmailStageRequest) **string { return &r.FromAddress })
	text("token-expiry", "how long the emailed token is valid, as a `duration` (e.g. minutes=30)",
		func(s *authentik.EmailStage) string { return s.TokenExpiry }, func(r *authentik.EmailStageRequest) **string { return &r.TokenExpiry })
	text("subject", "the email `subject`", func(s *authentik.EmailStage) string { return s.Subject }, func(r *authentik.EmailStageRequest) **string { return &r.Subject })
	text("template", "the email `template` (e.g. email/password_reset.html)", func(s *authentik.EmailStage) string { return s.Template }, func(r *authentik.EmailStageRequest) **string { return &r.Template })
	boolean("activate-user-on-success", "activate the user when the stage completes",
		func(s *authentik.EmailStage) bool { return s.ActivateUserOnSuccess }, func(r *authentik.EmailStageRequest) **bool { return &r.ActivateUserOnSuccess })
	number("recovery-max-attempts", "recovery attempts allowed within the recovery cache timeout (`n`)",
		func(s *authentik.EmailStage) int { return s.RecoveryMaxAttempts }, func(r *authentik.EmailStageRequest) **int { return &r.RecoveryMaxAttempts })
	text("recovery-cache-timeout", "the window recovery attempts are counted in, as a `duration`",
		func(s *authentik.EmailStage) string { return s.RecoveryCacheTimeout }, func(r *authentik.EmailStageRequest) **string { return &r.RecoveryCacheTimeout })

	return cli.Run(ctx, fs, args, getenv, stderr, func(ctx context.Context, c *authentik.Client) error {
		if strings.TrimSpace(*name) == "" {
			return errors.New("-name is required")
		}
		existing, err := find(ctx, c, *name)
		if err != nil {
			return err
		}
		if existing == nil {
			return create(ctx, c, stdout, *name, *passwordFile, settings, *dryRun)
		}
		return converge(ctx, c, stdout, existing, settings, *dryRun)
	})
}

// find looks the stage up by its name, which is unique.
func find(ctx context.Context, c *authentik.Client, name string) (*authentik.EmailStage, error) {
	page, err := c.EmailStages.List(ctx, &authentik.EmailStageListOptions{Name: name})
	if err != nil {
		return nil, err
	}
	for i := range page.Results {
		if page.Results[i].Name == name { // the filter is exact; a proxy's cache might not be
			return &page.Results[i], nil
		}
	}
	return nil, nil
}

func create(ctx context.Context, c *authentik.Client, stdout io.Writer, name, passwordFile string, settings []setting, dryRun bool) error {
	req := &authentik.EmailStageRequest{Name: authentik.Ptr(name)}
	for _, s := range settings {
		s.apply(req)
	}
	if passwordFile != "" {
		b, err := os.ReadFile(passwordFile)
		if err != nil {
			return fmt.Errorf("-password-file: %w", err)
		}
		req.Password = authentik.Ptr(strings.TrimRight(string(b), "\r\n"))
	}
	if dryRun {
		fmt.Fprintf(stdout, "would create %s %s\n", name, req)
		return nil
	}
	stage, err := c.EmailStages.Create(ctx, req)
	if errors.Is(err, authentik.ErrUnknownOutcome) {
		// The answer was lost: the name says whether the stage exists now.
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

func converge(ctx context.Context, c *authentik.Client, stdout io.Writer, stage *authentik.EmailStage, settings []setting, dryRun bool) error {
	req := &authentik.EmailStageRequest{}
	var changes []string
	for _, s := range settings {
		want := s.value()
		if want == nil || *want == s.have(stage) {
			continue
		}
		s.apply(req)
		changes = append(changes, fmt.Sprintf("%s: %q -> %q", s.flag, s.have(stage), *want))
	}
	if len(changes) == 0 {
		fmt.Fprintf(stdout, "%s (%s) is up to date\n", stage.Name, stage.PK)
		return nil
	}
	verb := "changed"
	if dryRun {
		verb = "would change"
	} else if _, err := c.EmailStages.Patch(ctx, stage.PK, req); err != nil {
		return err
	}
	for _, ch := range changes {
		fmt.Fprintf(stdout, "%s %s %s\n", verb, stage.Name, ch)
	}
	return nil
}

func itoa(v *int) *string {
	if v == nil {
		return nil
	}
	return authentik.Ptr(strconv.Itoa(*v))
}

func btoa(v *bool) *string {
	if v == nil {
		return nil
	}
	return authentik.Ptr(strconv.FormatBool(*v))
}
