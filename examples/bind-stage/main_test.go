package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
	"github.com/authentik-go/authentik/examples/internal/clitest"
)

const prog = "bind-stage"

// writes are the requests of the log that change something.
func writes(s *authentiktest.Server) []string {
	var out []string
	for _, r := range clitest.Requests(s) {
		if !strings.HasPrefix(r, http.MethodGet+" ") {
			out = append(out, r)
		}
	}
	return out
}

// TestConverges: -dry-run changes nothing; the first run creates the stage
// and binds it; the second finds nothing to do; another -order moves the
// binding; the flow then lists the stage, and the stage the flow.
func TestConverges(t *testing.T) {
	s := authentiktest.Start(t, authentiktest.WithDemoData())
	ctx := context.Background()
	flow, err := s.Client().Flows.Get(ctx, "default-recovery-flow")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"-flow", "default-recovery-flow", "-stage", "ops-recovery-mail", "-order", "30"}

	res := clitest.Run(t, run, prog, clitest.Env(s), append(args, "-dry-run")...)
	res.Succeeded(t)
	if want := "would create email stage \"ops-recovery-mail\"\nwould bind it into default-recovery-flow at order 30\n"; res.Stdout != want {
		t.Errorf("dry run: %q, want %q", res.Stdout, want)
	}
	if w := writes(s); len(w) != 0 {
		t.Fatalf("the dry run wrote: %q", w)
	}

	res = clitest.Run(t, run, prog, clitest.Env(s), args...)
	res.Succeeded(t)
	if want := "created email stage \"ops-recovery-mail\"\nbind \"ops-recovery-mail\" into default-recovery-flow at order 30\n"; res.Stdout != want {
		t.Errorf("first run: %q, want %q", res.Stdout, want)
	}
	stages, err := s.Client().EmailStages.List(ctx, &authentik.EmailStageListOptions{Name: "ops-recovery-mail"})
	if err != nil || len(stages.Results) != 1 {
		t.Fatalf("%+v %v", stages, err)
	}
	st := stages.Results[0]
	if len(st.FlowSet) != 1 || st.FlowSet[0].Slug != "default-recovery-flow" || !st.UseGlobalSettings {
		t.Errorf("the stage after the first run: %+v", st)
	}
	w := writes(s)
	if len(w) != 2 || w[0] != `POST /api/v3/stages/email/ {"name":"ops-recovery-mail","use_global_settings":true}` ||
		w[1] != `POST /api/v3/flows/bindings/ {"order":30,"stage":"`+st.PK+`","target":"`+flow.PK+`"}` {
		t.Fatalf("first run wrote %q", w)
	}

	res = clitest.Run(t, run, prog, clitest.Env(s), args...)
	res.Succeeded(t)
	if want := "\"ops-recovery-mail\" is bound into default-recovery-flow at order 30: nothing to do\n"; res.Stdout != want {
		t.Errorf("second run: %q, want %q", res.Stdout, want)
	}
	if n := len(writes(s)); n != 2 {
		t.Errorf("the second run wrote: %q", writes(s)[2:])
	}

	res = clitest.Run(t, run, prog, clitest.Env(s), "-flow", "default-recovery-flow", "-stage", "ops-recovery-mail", "-order", "5")
	res.Succeeded(t)
	if want := "move \"ops-recovery-mail\" in default-recovery-flow from order 30 to 5\n"; res.Stdout != want {
		t.Errorf("move: %q, want %q", res.Stdout, want)
	}
	if w := writes(s); len(w) != 3 || !strings.HasPrefix(w[2], "PATCH /api/v3/flows/bindings/") || !strings.HasSuffix(w[2], ` {"order":5}`) {
		t.Errorf("move wrote %q", w)
	}
}

// TestUnknownFlow: a flow that does not exist is an error naming it, and
// nothing is written.
func TestUnknownFlow(t *testing.T) {
	s := authentiktest.Start(t, authentiktest.WithDemoData())
	res := clitest.Run(t, run, prog, clitest.Env(s), "-flow", "no-such-flow")
	res.Failed(t, `no flow has the slug "no-such-flow"`)
	if w := writes(s); len(w) != 0 {
		t.Errorf("wrote %q", w)
	}
}
