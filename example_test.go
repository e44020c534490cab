package authentik_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/authentik-go/authentik"
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

// A first listing: one page of email stages, filtered on use_global_settings.
func Example() {
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
	fmt.Printf("%d email stages, page %d of %d\n", page.Pagination.Count, page.Pagination.Current, page.Pagination.TotalPages)
	for _, stage := range page.Results {
		fmt.Println(stage.Name, stage.Subject)
	}
	// Output:
	// 3 email stages, page 1 of 2
	// default-authentication-email-magic-link authentik sign-in link
	// default-enrollment-email-verification authentik
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
