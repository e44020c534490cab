package authentik_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/authentik-go/authentik"
	"github.com/authentik-go/authentik/authentiktest"
)

// exampleServer stands in for your authentik: it serves the pages in testdata/
// and refuses any token but "fake-token" the way authentik does (403).
func exampleServer() *httptest.Server {
	files := map[string]string{
		"/api/v3/stages/email/?":              "email_stages_2026_page1.json",
		"/api/v3/stages/email/?2":             "email_stages_2026_page2.json",
		"/api/v3/stages/invitation/stages/?":  "invitation_stages_2026.json",
		"/api/v3/stages/invitation/stages/?1": "invitation_stages_2026.json",
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer fake-token" {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"detail": "Token invalid/expired"}`)
			return
		}
		name, ok := files[r.URL.Path+"?"+r.URL.Query().Get("page")]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"detail": "Invalid page."}`)
			return
		}
		body, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			panic(err)
		}
		_, _ = w.Write(body)
	}))
}

// One page of a list: the pagination says where it stands. (exampleServer
// serves recorded pages of a real authentik; see the package example for your own.)
func ExampleEmailStagesService_List() {
	srv := exampleServer() // stands in for https://authentik.example.com
	defer srv.Close()
	client, err := authentik.NewClient(srv.URL, "fake-token")
	if err != nil {
		log.Fatal(err)
	}

	page, err := client.EmailStages.List(context.Background(), &authentik.EmailStageListOptions{
		UseGlobalSettings: authentik.Ptr(true),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("page %d of %d, %d stages in all; next: %d\n", page.Pagination.Current, page.Pagination.TotalPages,
		page.Pagination.Count, page.Pagination.Next)
	for _, stage := range page.Results {
		fmt.Printf("%s (%s)\n", stage.Name, stage.Template)
	}
	// Output:
	// page 1 of 2, 3 stages in all; next: 2
	// default-authentication-email-magic-link (email/account_confirmation.html)
	// default-enrollment-email-verification (email/account_confirmation.html)
}

// Walk every page: All follows pagination.next until the last page.
func ExampleEmailStagesService_All() {
	srv := exampleServer()
	defer srv.Close()
	client, err := authentik.NewClient(srv.URL, "fake-token")
	if err != nil {
		log.Fatal(err)
	}

	for stage, err := range client.EmailStages.All(context.Background(), nil) {
		if err != nil {
			log.Fatal(err)
		}
		for _, flow := range stage.FlowSet {
			fmt.Printf("%s sends mail in %s (%s)\n", stage.Name, flow.Slug, flow.Designation)
		}
	}
	// Output:
	// default-authentication-email-magic-link sends mail in default-authentication-flow (authentication)
	// default-enrollment-email-verification sends mail in default-enrollment-flow (enrollment)
	// default-recovery-email sends mail in default-recovery-flow (recovery)
}

// Invitation stages, with a tri-state filter: Ptr(false) sends
// continue_flow_without_invitation=false, nil would send nothing.
func ExampleInvitationStagesService_List() {
	srv := exampleServer()
	defer srv.Close()
	client, err := authentik.NewClient(srv.URL, "fake-token")
	if err != nil {
		log.Fatal(err)
	}

	page, err := client.InvitationStages.List(context.Background(), &authentik.InvitationStageListOptions{
		ContinueFlowWithoutInvitation: authentik.Ptr(false),
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, stage := range page.Results {
		fmt.Println(stage.Name, "->", stage.FlowSet[0].Slug)
	}
	// Output:
	// internal-admin-invitation -> internal-admin-invitation
	// invitation-enrollment-invitation-external -> invitation-enrollment-flow-external
	// invitation-enrollment-invitation-internal -> invitation-enrollment-flow-internal
	// invitation-enrollment-invitation-internal-engineering -> invitation-enrollment-flow-internal-engineering
	// invitation-stage -> invitation-enrollment-flow
}

// Errors: authentik answers a bad token with 403, which matches ErrUnauthorized;
// errors.As reaches the status and authentik's detail message.
func ExampleAPIError() {
	srv := exampleServer()
	defer srv.Close()
	client, err := authentik.NewClient(srv.URL, "an-expired-token")
	if err != nil {
		log.Fatal(err)
	}

	_, err = client.EmailStages.List(context.Background(), nil)
	var apiErr *authentik.APIError
	switch {
	case errors.Is(err, authentik.ErrUnauthorized) && errors.As(err, &apiErr):
		fmt.Println("check the token:", apiErr.StatusCode, apiErr.Detail)
	case errors.Is(err, authentik.ErrForbidden):
		fmt.Println("the token lacks a permission")
	case err != nil:
		log.Fatal(err)
	}
	// Output:
	// check the token: 403 Token invalid/expired
}

// Token expiry uses authentik's duration syntax.
func ExampleParseTokenExpiry() {
	d, err := authentik.ParseTokenExpiry("hours=3;minutes=17;seconds=300")
	fmt.Println(d, err)
	_, err = authentik.ParseTokenExpiry("hours=3,minutes=17")
	fmt.Println(err)
	// Output:
	// 3h22m0s <nil>
	// authentik: duration "hours=3,minutes=17": pairs are separated by ';', not ',' (e.g. hours=3;minutes=17)
}

// Configuration from AUTHENTIK_URL, AUTHENTIK_TOKEN and AUTHENTIK_INSECURE, with
// retries, a logger and a per-request timeout.
func ExampleNewClientFromEnv() {
	client, err := authentik.NewClientFromEnv(
		authentik.WithRetryMax(2),
		authentik.WithRetryWait(500*time.Millisecond, 10*time.Second),
		authentik.WithTimeout(15*time.Second),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client)
}

// Create a stage, then change one field of it: Patch sends only what is set.
// (authentiktest stands in for your authentik here.)
func ExampleEmailStagesService_Create() {
	srv := authentiktest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	stage, err := client.EmailStages.Create(ctx, &authentik.EmailStageRequest{
		Name:     authentik.Ptr("recovery-email"),
		Host:     authentik.Ptr("smtp.example.com"),
		Port:     authentik.Ptr(587),
		UseTLS:   authentik.Ptr(true),
		Password: authentik.Ptr(os.Getenv("SMTP_PASSWORD")), // never printed, never in an error
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(stage.Name, stage.Host, stage.Port, stage.TokenExpiry)

	stage, err = client.EmailStages.Patch(ctx, stage.PK, &authentik.EmailStageRequest{
		TokenExpiry: authentik.Ptr("hours=1"),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(stage.Name, stage.Host, stage.Port, stage.TokenExpiry)
	// Output:
	// recovery-email smtp.example.com 587 minutes=30
	// recovery-email smtp.example.com 587 hours=1
}

// What the server refuses is an *APIError matching ErrValidation, with DRF's
// field errors in Fields; what the SDK can tell before sending is an *InputError.
func ExampleErrValidation() {
	srv := authentiktest.NewServer(authentiktest.WithDemoData())
	defer srv.Close()
	client := srv.Client()

	_, err := client.EmailStages.Create(context.Background(), &authentik.EmailStageRequest{
		Name:        authentik.Ptr("default-recovery-email"), // taken: stage names are unique
		FromAddress: authentik.Ptr("not-an-address"),
	})
	var apiErr *authentik.APIError
	if errors.Is(err, authentik.ErrValidation) && errors.As(err, &apiErr) {
		fmt.Println("name:", apiErr.Fields["name"])
		fmt.Println("from_address:", apiErr.Fields["from_address"])
	}

	_, err = client.EmailStages.Create(context.Background(), &authentik.EmailStageRequest{
		Name:        authentik.Ptr("x"),
		TokenExpiry: authentik.Ptr("hours=3,minutes=17"),
	})
	var inErr *authentik.InputError
	if errors.As(err, &inErr) {
		fmt.Println("refused before sending:", inErr.Field)
	}
	// Output:
	// name: [stage with this name already exists.]
	// from_address: [Enter a valid email address.]
	// refused before sending: EmailStageRequest.TokenExpiry
}

// A create whose answer was lost is never retried (it could create the stage
// twice): it matches ErrUnknownOutcome, and the name, which is unique, tells
// whether it was applied.
func ExampleErrUnknownOutcome() {
	srv := authentiktest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	srv.FailNext(1, http.StatusBadGateway, 0) // a proxy's 502: did the server get it?
	_, err := client.EmailStages.Create(ctx, &authentik.EmailStageRequest{Name: authentik.Ptr("invites")})
	if errors.Is(err, authentik.ErrUnknownOutcome) {
		page, err := client.EmailStages.List(ctx, &authentik.EmailStageListOptions{Name: "invites"})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("created:", len(page.Results) == 1)
	}
	// Output:
	// created: false
}

// Invite someone: resolve the enrollment flow's slug, create a single-use
// invitation valid for a week, and print the link to send them.
func ExampleInvitationsService_Create() {
	srv := authentiktest.NewServer(authentiktest.WithDemoData())
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	var flow struct {
		PK string `json:"pk"`
	}
	if _, err := client.Do(ctx, "GET", "flows/instances/invitation-enrollment-flow/", nil, nil, &flow); err != nil {
		log.Fatal(err)
	}
	inv, err := client.Invitations.Create(ctx, &authentik.InvitationRequest{
		Name:      authentik.Ptr("contractor-alex"),
		Expires:   authentik.Ptr(time.Now().Add(7 * 24 * time.Hour)),
		SingleUse: authentik.Ptr(true),
		FixedData: map[string]any{"email": "alex@example.com"},
		Flow:      authentik.Ptr(flow.PK),
	})
	if err != nil {
		log.Fatal(err)
	}
	link, err := client.Invitations.EnrollmentURL(inv, "")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(inv.Name, inv.SingleUse, inv.FlowObj.Slug)
	fmt.Println(strings.HasSuffix(link, "/if/flow/invitation-enrollment-flow/?itoken="+inv.PK))
	// Output:
	// contractor-alex true invitation-enrollment-flow
	// true
}

// Walk an endpoint the SDK has no type for, with your own struct: here every
// enrollment flow (authentiktest stands in for your authentik).
func ExampleAll() {
	srv := authentiktest.NewServer(authentiktest.WithDemoData())
	defer srv.Close()
	client := srv.Client()

	type flow struct {
		Slug        string `json:"slug"`
		Designation string `json:"designation"`
	}
	query := url.Values{"designation": {"enrollment"}, "ordering": {"slug"}}
	for f, err := range authentik.All[flow](context.Background(), client, "flows/instances/", query) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(f.Slug)
	}
	// Output:
	// default-enrollment-flow
	// internal-admin-invitation
	// invitation-enrollment-flow
	// invitation-enrollment-flow-external
	// invitation-enrollment-flow-internal
	// invitation-enrollment-flow-internal-engineering
}

// The quick start: your server's address and an API token (Directory > Tokens).
// Compiled, not run: it needs your authentik.
func Example() {
	client, err := authentik.NewClient("https://authentik.example.com", os.Getenv("AUTHENTIK_TOKEN"))
	if err != nil {
		log.Fatal(err)
	}
	page, err := client.EmailStages.List(context.Background(), &authentik.EmailStageListOptions{
		UseGlobalSettings: authentik.Ptr(true),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d email stages, page %d of %d\n", page.Pagination.Count, page.Pagination.Current, page.Pagination.TotalPages)
	for _, stage := range page.Results {
		fmt.Println(stage.Name, stage.Subject)
	}
}

// Get one stage by its pk; a stage that does not exist matches ErrNotFound.
func ExampleEmailStagesService_Get() {
	srv := authentiktest.NewServer(authentiktest.WithDemoData())
	defer srv.Close()
	client := srv.Client()

	stage, err := client.EmailStages.Get(context.Background(), "7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(stage.Name, stage.TokenExpiry, stage.FlowSet[0].Slug)

	_, err = client.EmailStages.Get(context.Background(), "00000000-0000-4000-8000-000000000000")
	fmt.Println(errors.Is(err, authentik.ErrNotFound))
	// Output:
	// default-recovery-email minutes=30 default-recovery-flow
	// true
}

// Test your code with httpmock: hand the client a mock transport with
// WithHTTPClient, and answer as authentik would.
func ExampleWithHTTPClient() {
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder("GET", "https://authentik.example.com/api/v3/stages/email/",
		httpmock.NewStringResponder(200, `{"pagination":{"next":0,"previous":0,"count":1,"current":1,"total_pages":1,"start_index":1,"end_index":1},"results":[{"pk":"7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d","name":"recovery","subject":"Reset your password"}]}`))
	client, err := authentik.NewClient("https://authentik.example.com", "fake-token",
		authentik.WithHTTPClient(&http.Client{Transport: mock}))
	if err != nil {
		log.Fatal(err)
	}
	page, err := client.EmailStages.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(page.Results[0].Name, page.Results[0].Subject)
	// Output:
	// recovery Reset your password
}

// A stage does nothing until a binding puts it into a flow: create a flow and
// an email stage, bind the stage at order 10, and the stage lists the flow.
func ExampleFlowStageBindingsService_Create() {
	srv := authentiktest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	flow, err := client.Flows.Create(ctx, &authentik.FlowRequest{
		Name:        authentik.Ptr("Recovery"),
		Slug:        authentik.Ptr("recovery"),
		Title:       authentik.Ptr("Reset your password"),
		Designation: authentik.Ptr(authentik.FlowDesignationRecovery),
	})
	if err != nil {
		log.Fatal(err)
	}
	stage, err := client.EmailStages.Create(ctx, &authentik.EmailStageRequest{
		Name:              authentik.Ptr("recovery-email"),
		UseGlobalSettings: authentik.Ptr(true),
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.FlowStageBindings.Create(ctx, &authentik.FlowStageBindingRequest{
		Target: authentik.Ptr(flow.PK),
		Stage:  authentik.Ptr(stage.PK),
		Order:  authentik.Ptr(10),
	})
	if err != nil {
		log.Fatal(err)
	}
	stage, err = client.EmailStages.Get(ctx, stage.PK)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range stage.FlowSet {
		fmt.Println(stage.Name, "sends mail in", f.Slug)
	}
	// Output:
	// recovery-email sends mail in recovery
}
