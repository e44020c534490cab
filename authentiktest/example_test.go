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
