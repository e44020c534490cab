// Command recovery-flow sets up password recovery in code, as authentik's
// recovery blueprint does: a flow with the recovery designation whose stages
// ask for a username or an email address (identification), mail a link to
// the account's address (email), ask for a new password twice (prompt),
// store it (user write) and log the user in (user login), bound in that order
// at 10, 20, 30, 40 and 50.
//
//	export AUTHENTIK_URL=https://authentik.example.com AUTHENTIK_TOKEN=...
//	go run ./examples/recovery-flow -dry-run
//	go run ./examples/recovery-flow -slug default-recovery-flow
//
// It looks everything up first (the flow by its slug; stages and prompts by
// their names, which are unique) and creates only what is missing, so running
// it twice changes nothing the second time. Of what exists it changes only the
// order of a binding; a setting that differs from what it would create (say,
// an email stage that sends through its own SMTP server) is reported and left
// as it is, since someone may have changed it on purpose. The stages keep
// their names whatever -slug says, so a second flow shares them. -dry-run
// prints what it would do and writes nothing. With AUTHENTIK_URL unset it
// works on a built-in fake authentik with demo data.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
)

// The objects' names, as authentik's recovery blueprint has them, so that a
// server that imported the blueprint already has them all.
const (
	identificationName = "default-recovery-identification"
	emailName          = "default-recovery-email"
	passwordName       = "default-recovery-field-password"
	passwordRepeatName = "default-recovery-field-password-repeat"
	promptStageName    = "Change your password"
	userWriteName      = "default-recovery-user-write"
	userLoginName      = "default-recovery-user-login"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run is main with its arguments and output as parameters, so that tests can
// call it. It returns the exit status: 1 when something fails, 2 for bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("recovery-flow", flag.ContinueOnError)
	fs.SetOutput(stderr)
	slug := fs.String("slug", "default-recovery-flow", "the flow's `slug` (created when missing)")
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
		r := &recovery{c: c, out: stdout, dryRun: *dryRun}
		err = r.setUp(ctx, *slug)
	}
	if err != nil {
		fmt.Fprintln(stderr, "recovery-flow:", err)
		return 1
	}
	return 0
}

// recovery is one run: the client, where to say what it does, and how many
// changes it has made (or, with -dry-run, would make).
type recovery struct {
	c       *authentik.Client
	out     io.Writer
	dryRun  bool
	changes int
}

// setUp makes sure the flow, its stages and their bindings exist. A create
// whose answer is lost fails with authentik.ErrUnknownOutcome; running again
// finds what it did create by its name or slug.
func (r *recovery) setUp(ctx context.Context, slug string) error {
	flowPK, err := r.flow(ctx, slug)
	if err != nil {
		return err
	}
	// Each step returns the stage's pk: "" when -dry-run only says it would
	// create it.
	steps := []struct {
		name   string
		ensure func(context.Context) (string, error)
	}{
		{identificationName, r.identificationStage},
		{emailName, r.emailStage},
		{promptStageName, r.promptStage},
		{userWriteName, r.userWriteStage},
		{userLoginName, r.userLoginStage},
	}
	stagePKs := make([]string, len(steps))
	for i, s := range steps {
		if stagePKs[i], err = s.ensure(ctx); err != nil {
			return err
		}
	}
	// The bindings: the flow's, by stage.
	bound := map[string]authentik.FlowStageBinding{}
	if flowPK != "" {
		for b, err := range r.c.FlowStageBindings.All(ctx, &authentik.FlowStageBindingListOptions{Target: flowPK}) {
			if err != nil {
				return err
			}
			bound[b.Stage] = b
		}
	}
	for i, s := range steps {
		order := 10 * (i + 1)
		b, ok := bound[stagePKs[i]]
		switch {
		case !ok:
			err = r.change("bind", fmt.Sprintf("%q into %s at order %d", s.name, slug, order), func() error {
				_, err := r.c.FlowStageBindings.Create(ctx, &authentik.FlowStageBindingRequest{
					Target: &flowPK, Stage: &stagePKs[i], Order: &order})
				return err
			})
		case b.Order != order:
			err = r.change("move", fmt.Sprintf("%q in %s from order %d to %d", s.name, slug, b.Order, order), func() error {
				_, err := r.c.FlowStageBindings.Patch(ctx, b.PK, &authentik.FlowStageBindingRequest{Order: &order})
				return err
			})
		}
		if err != nil {
			return err
		}
	}

	switch {
	case r.changes == 0 && r.dryRun:
		fmt.Fprintf(r.out, "%s is set up: would change nothing\n", slug)
	case r.changes == 0:
		fmt.Fprintf(r.out, "%s is set up: changed nothing\n", slug)
	case r.dryRun:
		fmt.Fprintf(r.out, "would make %d changes\n", r.changes)
	default:
		fmt.Fprintf(r.out, "made %d changes\n", r.changes)
	}
	return nil
}

// flow returns the pk of the recovery flow with that slug, creating it when
// there is none. A flow with the slug and another designation is an error:
// its stages are not for password recovery.
func (r *recovery) flow(ctx context.Context, slug string) (string, error) {
	flow, err := r.c.Flows.Get(ctx, slug)
	if err == nil {
		if flow.Designation != authentik.FlowDesignationRecovery {
			return "", fmt.Errorf("flow %s is designated for %s, not recovery: choose another -slug", slug, flow.Designation)
		}
		r.differs("flow", slug, "authentication", flow.Authentication, authentik.FlowAuthenticationRequireUnauthenticated)
		return flow.PK, nil
	}
	if !errors.Is(err, authentik.ErrNotFound) {
		return "", err
	}
	return r.create("flow", slug, func() (string, error) {
		f, err := r.c.Flows.Create(ctx, &authentik.FlowRequest{
			Slug:        &slug,
			Name:        authentik.Ptr("Default recovery flow"),
			Title:       authentik.Ptr("Reset your password"),
			Designation: authentik.Ptr(authentik.FlowDesignationRecovery),
			// Recovery is for those who cannot log in.
			Authentication: authentik.Ptr(authentik.FlowAuthenticationRequireUnauthenticated),
		})
		if err != nil {
			return "", err
		}
		return f.PK, nil
	})
}

// identificationStage asks who is recovering their password: a username or
// an email address.
func (r *recovery) identificationStage(ctx context.Context) (string, error) {
	fields := []authentik.UserFields{authentik.UserFieldsEmail, authentik.UserFieldsUsername}
	page, err := r.c.IdentificationStages.List(ctx, &authentik.IdentificationStageListOptions{Name: identificationName})
	if err != nil {
		return "", err
	}
	if len(page.Results) > 0 {
		s := page.Results[0]
		r.differs("identification stage", s.Name, "user_fields", s.UserFields, fields)
		return s.PK, nil
	}
	return r.create("identification stage", identificationName, func() (string, error) {
		s, err := r.c.IdentificationStages.Create(ctx, &authentik.IdentificationStageRequest{
			Name: authentik.Ptr(identificationName), UserFields: fields})
		if err != nil {
			return "", err
		}
		return s.PK, nil
	})
}

// emailStage mails a link to the user's address, through the global email
// settings; following it continues the flow.
func (r *recovery) emailStage(ctx context.Context) (string, error) {
	const template = "email/password_reset.html"
	page, err := r.c.EmailStages.List(ctx, &authentik.EmailStageListOptions{Name: emailName})
	if err != nil {
		return "", err
	}
	if len(page.Results) > 0 {
		s := page.Results[0]
		r.differs("email stage", s.Name, "use_global_settings", s.UseGlobalSettings, true)
		r.differs("email stage", s.Name, "template", s.Template, template)
		return s.PK, nil
	}
	return r.create("email stage", emailName, func() (string, error) {
		s, err := r.c.EmailStages.Create(ctx, &authentik.EmailStageRequest{
			Name: authentik.Ptr(emailName), UseGlobalSettings: authentik.Ptr(true), Template: authentik.Ptr(template)})
		if err != nil {
			return "", err
		}
		return s.PK, nil
	})
}

// promptStage asks for the new password twice; authentik checks that the
// fields password and password_repeat match.
func (r *recovery) promptStage(ctx context.Context) (string, error) {
	password, err := r.prompt(ctx, passwordName, "password", "Password", 0)
	if err != nil {
		return "", err
	}
	repeat, err := r.prompt(ctx, passwordRepeatName, "password_repeat", "Password (repeat)", 1)
	if err != nil {
		return "", err
	}
	page, err := r.c.PromptStages.List(ctx, &authentik.PromptStageListOptions{Name: promptStageName})
	if err != nil {
		return "", err
	}
	if len(page.Results) > 0 {
		s := page.Results[0]
		for _, p := range []struct{ name, pk string }{{passwordName, password}, {passwordRepeatName, repeat}} {
			if !slices.Contains(s.Fields, p.pk) {
				fmt.Fprintf(r.out, "prompt stage %q does not ask for %q: left as it is\n", s.Name, p.name)
			}
		}
		return s.PK, nil
	}
	return r.create("prompt stage", promptStageName, func() (string, error) {
		s, err := r.c.PromptStages.Create(ctx, &authentik.PromptStageRequest{
			Name: authentik.Ptr(promptStageName), Fields: []string{password, repeat}})
		if err != nil {
			return "", err
		}
		return s.PK, nil
	})
}

// prompt is one required password field of the prompt stage: its value is
// stored in the flow under key, where the user write stage finds it.
func (r *recovery) prompt(ctx context.Context, name, key, label string, order int) (string, error) {
	page, err := r.c.Prompts.List(ctx, &authentik.PromptListOptions{Name: name})
	if err != nil {
		return "", err
	}
	if len(page.Results) > 0 {
		p := page.Results[0]
		r.differs("prompt", p.Name, "type", p.Type, authentik.PromptTypePassword)
		r.differs("prompt", p.Name, "field_key", p.FieldKey, key)
		return p.PK, nil
	}
	return r.create("prompt", name, func() (string, error) {
		p, err := r.c.Prompts.Create(ctx, &authentik.PromptRequest{
			Name: &name, FieldKey: &key, Label: &label, Placeholder: &label, Order: &order,
			Type: authentik.Ptr(authentik.PromptTypePassword), Required: authentik.Ptr(true)})
		if err != nil {
			return "", err
		}
		return p.PK, nil
	})
}

// userWriteStage sets the new password on the user the flow identified, and
// never creates a user.
func (r *recovery) userWriteStage(ctx context.Context) (string, error) {
	mode := authentik.UserCreationModeNeverCreate
	page, err := r.c.UserWriteStages.List(ctx, &authentik.UserWriteStageListOptions{Name: userWriteName})
	if err != nil {
		return "", err
	}
	if len(page.Results) > 0 {
		s := page.Results[0]
		r.differs("user write stage", s.Name, "user_creation_mode", s.UserCreationMode, mode)
		return s.PK, nil
	}
	return r.create("user write stage", userWriteName, func() (string, error) {
		s, err := r.c.UserWriteStages.Create(ctx, &authentik.UserWriteStageRequest{
			Name: authentik.Ptr(userWriteName), UserCreationMode: &mode})
		if err != nil {
			return "", err
		}
		return s.PK, nil
	})
}

// userLoginStage logs the user in with the new password set.
func (r *recovery) userLoginStage(ctx context.Context) (string, error) {
	page, err := r.c.UserLoginStages.List(ctx, &authentik.UserLoginStageListOptions{Name: userLoginName})
	if err != nil {
		return "", err
	}
	if len(page.Results) > 0 {
		return page.Results[0].PK, nil // its defaults are as good as any
	}
	return r.create("user login stage", userLoginName, func() (string, error) {
		s, err := r.c.UserLoginStages.Create(ctx, &authentik.UserLoginStageRequest{Name: authentik.Ptr(userLoginName)})
		if err != nil {
			return "", err
		}
		return s.PK, nil
	})
}

// create creates what is missing with write, which returns its pk; with
// -dry-run it only says so, and the pk is "".
func (r *recovery) create(kind, name string, write func() (string, error)) (pk string, err error) {
	err = r.change("create", fmt.Sprintf("%s %q", kind, name), func() error {
		pk, err = write()
		return err
	})
	return pk, err
}

// change makes one change with write and says what it did; with -dry-run it
// only says what it would do.
func (r *recovery) change(verb, what string, write func() error) error {
	r.changes++
	if r.dryRun {
		fmt.Fprintf(r.out, "would %s %s\n", verb, what)
		return nil
	}
	if err := write(); err != nil {
		return err
	}
	done := map[string]string{"create": "created", "bind": "bound", "move": "moved"}[verb]
	fmt.Fprintf(r.out, "%s %s\n", done, what)
	return nil
}

// differs reports a setting of an existing object that is not what this
// program would have created; it does not change it.
func (r *recovery) differs(kind, name, field string, have, want any) {
	if !reflect.DeepEqual(have, want) {
		fmt.Fprintf(r.out, "%s %q has %s %v, not %v: left as it is\n", kind, name, field, have, want)
	}
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
