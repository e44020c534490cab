package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
	"github.com/authentik-go/authentik/examples/internal/clitest"
)

const prog = "recovery-flow"

// writes are the requests of log that change something.
func writes(log []string) []string {
	var out []string
	for _, r := range log {
		if !strings.HasPrefix(r, http.MethodGet+" ") {
			out = append(out, r)
		}
	}
	return out
}

// created is what a run on a server with none of the flow prints before its
// last line, with its verbs: "created" and "bound", or for -dry-run "would
// create" and "would bind".
func created(create, bind string) string {
	return clitest.Lines(
		create+` flow "default-recovery-flow"`,
		create+` identification stage "default-recovery-identification"`,
		create+` email stage "default-recovery-email"`,
		create+` prompt "default-recovery-field-password"`,
		create+` prompt "default-recovery-field-password-repeat"`,
		create+` prompt stage "Change your password"`,
		create+` user write stage "default-recovery-user-write"`,
		create+` user login stage "default-recovery-user-login"`,
		bind+` "default-recovery-identification" into default-recovery-flow at order 10`,
		bind+` "default-recovery-email" into default-recovery-flow at order 20`,
		bind+` "Change your password" into default-recovery-flow at order 30`,
		bind+` "default-recovery-user-write" into default-recovery-flow at order 40`,
		bind+` "default-recovery-user-login" into default-recovery-flow at order 50`,
	)
}

// TestConverges: on a server with none of the flow, -dry-run says what it
// would create and writes nothing; the first run creates the flow, its seven
// objects and five bindings in order; the second run, on the same server,
// only reads and says it changed nothing.
func TestConverges(t *testing.T) {
	s := authentiktest.Start(t)
	ctx := context.Background()

	res := clitest.Run(t, run, prog, clitest.Env(s), "-dry-run")
	res.Succeeded(t)
	if want := created("would create", "would bind") + "would make 13 changes\n"; res.Stdout != want {
		t.Errorf("dry run:\n%s\nwant:\n%s", res.Stdout, want)
	}
	if w := writes(clitest.Requests(s)); len(w) != 0 {
		t.Fatalf("the dry run wrote: %q", w)
	}

	res = clitest.Run(t, run, prog, clitest.Env(s))
	res.Succeeded(t)
	if want := created("created", "bound") + "made 13 changes\n"; res.Stdout != want {
		t.Errorf("first run:\n%s\nwant:\n%s", res.Stdout, want)
	}
	first := clitest.Requests(s)
	var paths []string
	for _, w := range writes(first) {
		method, rest, _ := strings.Cut(w, " ")
		path, _, _ := strings.Cut(rest, " ")
		paths = append(paths, method+" "+path)
	}
	if want := []string{
		"POST /api/v3/flows/instances/",
		"POST /api/v3/stages/identification/",
		"POST /api/v3/stages/email/",
		"POST /api/v3/stages/prompt/prompts/",
		"POST /api/v3/stages/prompt/prompts/",
		"POST /api/v3/stages/prompt/stages/",
		"POST /api/v3/stages/user_write/",
		"POST /api/v3/stages/user_login/",
		"POST /api/v3/flows/bindings/", "POST /api/v3/flows/bindings/", "POST /api/v3/flows/bindings/",
		"POST /api/v3/flows/bindings/", "POST /api/v3/flows/bindings/",
	}; !slices.Equal(paths, want) {
		t.Errorf("first run wrote:\n%q\nwant:\n%q", paths, want)
	}

	// What the server holds: the flow, with the stages bound in order.
	c := s.Client()
	flow, err := c.Flows.Get(ctx, "default-recovery-flow")
	if err != nil {
		t.Fatal(err)
	}
	if flow.Designation != authentik.FlowDesignationRecovery || flow.Authentication != authentik.FlowAuthenticationRequireUnauthenticated {
		t.Errorf("the flow: %+v", flow)
	}
	var bound []string
	for b, err := range c.FlowStageBindings.All(ctx, &authentik.FlowStageBindingListOptions{
		Target: flow.PK, ListOptions: authentik.ListOptions{Ordering: "order"}}) {
		if err != nil {
			t.Fatal(err)
		}
		bound = append(bound, fmt.Sprintf("%s@%d", b.StageObj.Name, b.Order))
	}
	if want := []string{"default-recovery-identification@10", "default-recovery-email@20", "Change your password@30",
		"default-recovery-user-write@40", "default-recovery-user-login@50"}; !slices.Equal(bound, want) {
		t.Errorf("the flow's bindings: %q, want %q", bound, want)
	}
	if len(flow.Stages) != 5 {
		t.Errorf("the flow lists %d stages, want 5", len(flow.Stages))
	}
	// The settings each object was created with.
	ident, err := c.IdentificationStages.List(ctx, &authentik.IdentificationStageListOptions{Name: identificationName})
	if err != nil || len(ident.Results) != 1 ||
		!slices.Equal(ident.Results[0].UserFields, []authentik.UserFields{"email", "username"}) {
		t.Errorf("the identification stage: %+v %v", ident, err)
	}
	email, err := c.EmailStages.List(ctx, &authentik.EmailStageListOptions{Name: emailName})
	if err != nil || len(email.Results) != 1 || !email.Results[0].UseGlobalSettings ||
		email.Results[0].Template != "email/password_reset.html" {
		t.Errorf("the email stage: %+v %v", email, err)
	}
	prompts, err := c.Prompts.List(ctx, &authentik.PromptListOptions{Type: authentik.PromptTypePassword})
	if err != nil || len(prompts.Results) != 2 {
		t.Fatalf("the prompts: %+v %v", prompts, err)
	}
	var keys []string
	for _, p := range prompts.Results {
		keys = append(keys, p.FieldKey)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"password", "password_repeat"}) {
		t.Errorf("the prompts' field keys: %q", keys)
	}
	stage, err := c.PromptStages.List(ctx, &authentik.PromptStageListOptions{Name: promptStageName})
	if err != nil || len(stage.Results) != 1 || len(stage.Results[0].Fields) != 2 ||
		!slices.Contains(stage.Results[0].Fields, prompts.Results[0].PK) || !slices.Contains(stage.Results[0].Fields, prompts.Results[1].PK) {
		t.Errorf("the prompt stage: %+v %v", stage, err)
	}
	write, err := c.UserWriteStages.List(ctx, &authentik.UserWriteStageListOptions{Name: userWriteName})
	if err != nil || len(write.Results) != 1 || write.Results[0].UserCreationMode != authentik.UserCreationModeNeverCreate {
		t.Errorf("the user write stage: %+v %v", write, err)
	}

	// The second run, on the same server, only reads.
	before := len(s.RequestLog())
	res = clitest.Run(t, run, prog, clitest.Env(s))
	res.Succeeded(t)
	if want := "default-recovery-flow is set up: changed nothing\n"; res.Stdout != want {
		t.Errorf("second run: %q, want %q", res.Stdout, want)
	}
	second := s.RequestLog()[before:]
	if len(second) == 0 {
		t.Fatal("the second run sent no request")
	}
	for _, r := range second {
		if r.Method != http.MethodGet {
			t.Errorf("the second run wrote: %s %s %s", r.Method, r.Path, r.Body)
		}
	}

	res = clitest.Run(t, run, prog, clitest.Env(s), "-dry-run")
	res.Succeeded(t)
	if want := "default-recovery-flow is set up: would change nothing\n"; res.Stdout != want {
		t.Errorf("dry run when set up: %q, want %q", res.Stdout, want)
	}
	if w := writes(clitest.Requests(s)); len(w) != 13 {
		t.Errorf("%d writes in all, want the first run's 13", len(w))
	}
}

// TestDemo: the demo's recovery flow has its email stage, bound at order 10
// and sending through its own SMTP server. The run adds the rest, moves the
// email stage to order 20 and leaves its settings, and the flow's
// authentication, as they are, saying so; a second run only reads.
func TestDemo(t *testing.T) {
	s := authentiktest.Start(t, authentiktest.WithDemoData())
	notes := clitest.Lines(
		`flow "default-recovery-flow" has authentication none, not require_unauthenticated: left as it is`,
		`email stage "default-recovery-email" has use_global_settings false, not true: left as it is`,
	)
	res := clitest.Run(t, run, prog, clitest.Env(s))
	res.Succeeded(t)
	want := strings.Join([]string{
		strings.SplitAfter(notes, "\n")[0],
		`created identification stage "default-recovery-identification"` + "\n",
		strings.SplitAfter(notes, "\n")[1],
		clitest.Lines(
			`created prompt "default-recovery-field-password"`,
			`created prompt "default-recovery-field-password-repeat"`,
			`created prompt stage "Change your password"`,
			`created user write stage "default-recovery-user-write"`,
			`created user login stage "default-recovery-user-login"`,
			`bound "default-recovery-identification" into default-recovery-flow at order 10`,
			`moved "default-recovery-email" in default-recovery-flow from order 10 to 20`,
			`bound "Change your password" into default-recovery-flow at order 30`,
			`bound "default-recovery-user-write" into default-recovery-flow at order 40`,
			`bound "default-recovery-user-login" into default-recovery-flow at order 50`,
			`made 11 changes`),
	}, "")
	if res.Stdout != want {
		t.Errorf("first run:\n%s\nwant:\n%s", res.Stdout, want)
	}
	w := writes(clitest.Requests(s))
	if len(w) != 11 || !strings.HasPrefix(w[7], "PATCH /api/v3/flows/bindings/") || !strings.HasSuffix(w[7], ` {"order":20}`) {
		t.Errorf("first run wrote %q", w)
	}

	before := len(s.RequestLog())
	res = clitest.Run(t, run, prog, clitest.Env(s))
	res.Succeeded(t)
	if want := notes + "default-recovery-flow is set up: changed nothing\n"; res.Stdout != want {
		t.Errorf("second run:\n%s\nwant:\n%s", res.Stdout, want)
	}
	for _, r := range s.RequestLog()[before:] {
		if r.Method != http.MethodGet {
			t.Errorf("the second run wrote: %s %s %s", r.Method, r.Path, r.Body)
		}
	}
}

// TestFailures: a flow with the slug but another designation is refused
// before anything is written, and bad flags are usage errors.
func TestFailures(t *testing.T) {
	s := authentiktest.Start(t, authentiktest.WithDemoData())
	clitest.Run(t, run, prog, clitest.Env(s), "-slug", "default-authentication-flow").
		Failed(t, "flow default-authentication-flow is designated for authentication, not recovery")
	for _, args := range [][]string{{"extra"}, {"-slug"}, {"-dry-run=maybe"}} {
		if res := clitest.Run(t, run, prog, clitest.Env(s), args...); res.Code != 2 || res.Stdout != "" {
			t.Errorf("%q: exit %d, stdout %q", args, res.Code, res.Stdout)
		}
	}
	if w := writes(clitest.Requests(s)); len(w) != 0 {
		t.Errorf("the failures wrote: %q", w)
	}
}
