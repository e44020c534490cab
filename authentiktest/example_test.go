package authentiktest_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
)

// Test code that lists stages without a live authentik: start the fake, give it
// stages, and hand its client to the code under test.
func Example() {
	srv := authentiktest.NewServer()
	defer srv.Close()
	srv.AddEmailStages(
		authentik.EmailStage{Name: "password-reset", UseGlobalSettings: true},
		authentik.EmailStage{Name: "smtp-direct", Host: "smtp.example.com", Port: 587, UseTLS: true},
	)
	client := srv.Client()

	page, err := client.EmailStages.List(context.Background(), &authentik.EmailStageListOptions{
		UseTLS: authentik.Ptr(true),
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, stage := range page.Results {
		fmt.Println(stage.Name, stage.Host, stage.Port)
	}
	// Output:
	// smtp-direct smtp.example.com 587
}

// The demo data: the stages authentik's own blueprints create, and more, over
// several pages.
func ExampleWithDemoData() {
	srv := authentiktest.NewServer(authentiktest.WithDemoData())
	defer srv.Close()
	client := srv.Client()

	n := 0
	for stage, err := range client.InvitationStages.All(context.Background(), nil) {
		if err != nil {
			log.Fatal(err)
		}
		if len(stage.FlowSet) > 0 {
			fmt.Println(stage.Name, "->", stage.FlowSet[0].Slug)
		}
		n++
	}
	fmt.Println(n, "invitation stages")
	// Output:
	// internal-admin-invitation -> internal-admin-invitation
	// invitation-enrollment-invitation-external -> invitation-enrollment-flow-external
	// invitation-enrollment-invitation-internal -> invitation-enrollment-flow-internal
	// invitation-enrollment-invitation-internal-engineering -> invitation-enrollment-flow-internal-engineering
	// invitation-stage -> invitation-enrollment-flow
	// 25 invitation stages
}

// Faults: the next requests fail as an overloaded server would, and the client's
// retries carry the call through.
func ExampleServer_FailNext() {
	srv := authentiktest.NewServer()
	defer srv.Close()
	srv.AddEmailStages(authentik.EmailStage{Name: "password-reset"})
	srv.FailNext(2, http.StatusServiceUnavailable, 0)

	page, err := srv.Client().EmailStages.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(page.Results[0].Name, "after", srv.Requests(), "requests")
	// Output:
	// password-reset after 3 requests
}

// Give the fake a flow, a stage and the binding that puts the stage into the
// flow, with Add; the stage's flows and its used_by then come from the
// binding, and Objects shows what the server holds.
func ExampleAdd() {
	srv := authentiktest.NewServer()
	defer srv.Close()
	const flowPK, stagePK = "2a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d", "7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d"
	authentiktest.Add(srv, authentik.Flow{FlowSet: authentik.FlowSet{PK: flowPK, Name: "Recovery", Slug: "recovery",
		Title: "Reset your password", Designation: authentik.FlowDesignationRecovery}})
	authentiktest.Add(srv, authentik.EmailStage{PK: stagePK, Name: "recovery-email"})
	authentiktest.Add(srv, authentik.FlowStageBinding{Target: flowPK, Stage: stagePK, Order: 10})

	for _, stage := range authentiktest.Objects[authentik.EmailStage](srv) {
		fmt.Println(stage.Name, "->", stage.FlowSet[0].Slug)
	}
	used, err := srv.Client().EmailStages.UsedBy(context.Background(), stagePK)
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range used {
		fmt.Println(u.ModelName, u.Action)
	}
	// Output:
	// recovery-email -> recovery
	// flow cascade_many
	// flowstagebinding cascade
}
