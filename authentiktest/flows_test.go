package authentiktest

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/authentik-go/authentik"
)

// The flows and bindings fixture: two flows, three stages of both types,
// four bindings with every field set some way.
const (
	flowA  = "0a000000-0000-4000-8000-000000000001" // alpha: authentication, denied_action message
	flowB  = "0b000000-0000-4000-8000-000000000002" // beta: recovery, denied_action continue
	mail1  = "0e000000-0000-4000-8000-000000000001" // mail-one (email)
	mail2  = "0e000000-0000-4000-8000-000000000002" // mail-two (email)
	invite = "0f000000-0000-4000-8000-000000000001" // invite (invitation)
	bindA1 = "0c000000-0000-4000-8000-0000000000a1" // alpha, mail-one, 10
	bindA2 = "0c000000-0000-4000-8000-0000000000a2" // alpha, invite, 20
	bindB1 = "0c000000-0000-4000-8000-0000000000b1" // beta, mail-one, 10
	bindB2 = "0c000000-0000-4000-8000-0000000000b2" // beta, mail-two, 30
)

func relServer(t *testing.T) *Server {
	t.Helper()
	s := Start(t, WithToken(testToken))
	flow := func(pk, name, slug string, d authentik.FlowDesignation, a authentik.DeniedAction) authentik.Flow {
		return authentik.Flow{FlowSet: authentik.FlowSet{PK: pk, Name: name, Slug: slug, Title: name, Designation: d,
			PolicyEngineMode: authentik.PolicyEngineModeAny, Layout: authentik.FlowLayoutStacked, DeniedAction: a},
			Authentication: authentik.FlowAuthenticationNone}
	}
	Add(s, flow(flowA, "Alpha", "alpha", authentik.FlowDesignationAuthentication, authentik.DeniedActionMessage),
		flow(flowB, "Beta", "beta", authentik.FlowDesignationRecovery, authentik.DeniedActionContinue))
	Add(s, authentik.EmailStage{PK: mail1, Name: "mail-one"}, authentik.EmailStage{PK: mail2, Name: "mail-two"})
	Add(s, authentik.InvitationStage{PK: invite, Name: "invite"})
	any_, all := authentik.PolicyEngineModeAny, authentik.PolicyEngineModeAll
	retry, restart := authentik.InvalidResponseActionRetry, authentik.InvalidResponseActionRestart
	Add(s,
		authentik.FlowStageBinding{PK: bindA1, Target: flowA, Stage: mail1, Order: 10, EvaluateOnPlan: true, ReEvaluatePolicies: true,
			PolicyEngineMode: any_, InvalidResponseAction: retry},
		authentik.FlowStageBinding{PK: bindA2, Target: flowA, Stage: invite, Order: 20, ReEvaluatePolicies: true,
			PolicyEngineMode: all, InvalidResponseAction: restart},
		authentik.FlowStageBinding{PK: bindB1, Target: flowB, Stage: mail1, Order: 10, EvaluateOnPlan: true,
			PolicyEngineMode: any_, InvalidResponseAction: retry},
		authentik.FlowStageBinding{PK: bindB2, Target: flowB, Stage: mail2, Order: 30, ReEvaluatePolicies: true,
			PolicyEngineMode: any_, InvalidResponseAction: authentik.InvalidResponseActionRestartWithContext},
	)
	return s
}

// listPKs is the pks of a list's results, in order, and its count.
func listPKs(t *testing.T, body []byte) (int, []string) {
	t.Helper()
	var env struct {
		Pagination struct{ Count int }
		Results    []struct{ PK string }
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	pks := []string{}
	for _, r := range env.Results {
		pks = append(pks, r.PK)
	}
	return env.Pagination.Count, pks
}

// ruleCase is a request and its exact answer: a body (with "{pk}" for the pk
// the server made) or, for a list, the pks it lists.
type ruleCase struct {
	name, method, path, body string
	status                   int
	want                     string   // the exact body ("" to skip)
	pks                      []string // for lists: the results' pks in order
}

// runRules runs each case on a fresh relServer.
func runRules(t *testing.T, tests []ruleCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := relServer(t)
			r := send(t, s, tt.method, tt.path, "application/json", tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.pks != nil {
				if n, got := listPKs(t, r.body); n != len(tt.pks) || !reflect.DeepEqual(got, tt.pks) {
					t.Errorf("listed %d %v, want %v", n, got, tt.pks)
				}
				return
			}
			body := string(r.body)
			var obj struct{ PK string }
			if json.Unmarshal(r.body, &obj) == nil && obj.PK != "" {
				body = strings.ReplaceAll(body, obj.PK, "{pk}")
			}
			if tt.want != "" && body != tt.want {
				t.Errorf("body %s\nwant %s", body, tt.want)
			}
		})
	}
}

// TestFlowRules pins FlowViewSet and FlowSerializer (authentik/flows/api/
// flows.py) on the Flow model (authentik/flows/models.py) with exact answers.
func TestFlowRules(t *testing.T) {
	t.Parallel()
	const flows = "/api/v3/flows/instances/"
	created := `{"authentication":"none","background":"","background_themed_urls":null,` +
		`"background_url":"/static/dist/assets/images/flow_background.jpg","cache_count":0,"compatibility_mode":false,` +
		`"denied_action":"message_continue","designation":"enrollment","export_url":"/api/v3/flows/instances/new-flow/export/",` +
		`"layout":"stacked","name":"New","pk":"{pk}","policies":[],"policy_engine_mode":"any","policybindingmodel_ptr_id":"{pk}",` +
		`"slug":"new-flow","stages":[],"title":"Hello"}`
	newFlow := `{"name":" New ","slug":"new-flow","title":"Hello","designation":"enrollment"`
	runRules(t, []ruleCase{
		// CreateModelMixin with the model's defaults and FlowSerializer's computed fields.
		{"create", "POST", flows, newFlow + `}`, 201, created, nil},
		{"slug not a slug", "POST", flows, `{"name":"n","slug":"a b","title":"t","designation":"recovery"}`, 400,
			`{"slug":["Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."]}`, nil},
		{"slug taken", "POST", flows, `{"name":"n","slug":"alpha","title":"t","designation":"recovery"}`, 400,
			`{"slug":["Flow with this slug already exists."]}`, nil},
		{"slug taken and a bad choice", "POST", flows, `{"name":"n","slug":"alpha","title":"t","designation":"x"}`, 400,
			`{"designation":["\"x\" is not a valid choice."],"slug":["Flow with this slug already exists."]}`, nil},
		{"designation not a choice", "POST", flows, newFlow[:len(newFlow)-len(`"enrollment"`)] + `"Enrollment"}`, 400,
			`{"designation":["\"Enrollment\" is not a valid choice."]}`, nil},
		{"a choice is str(value)", "POST", flows, newFlow + `,"layout":true,"denied_action":1.5}`, 400,
			`{"denied_action":["\"1.5\" is not a valid choice."],"layout":["\"True\" is not a valid choice."]}`, nil},
		{"a blank choice", "POST", flows, newFlow + `,"authentication":""}`, 400, `{"authentication":["\"\" is not a valid choice."]}`, nil},
		{"a newer choice", "POST", flows, newFlow + `,"authentication":"require_token","layout":"sidebar_left_frame_background"}`, 201,
			strings.NewReplacer(`"none"`, `"require_token"`, `"stacked"`, `"sidebar_left_frame_background"`).Replace(created), nil},
		{"blank title", "POST", flows, `{"name":"n","slug":"s","title":" ","designation":"recovery"}`, 400,
			`{"title":["This field may not be blank."]}`, nil},
		{"a stored background", "POST", flows, newFlow + `,"background":"flow-backgrounds/sea.jpg"}`, 201,
			strings.NewReplacer(`"background":""`, `"background":"flow-backgrounds/sea.jpg"`,
				`"/static/dist/assets/images/flow_background.jpg"`, `"/files/media/public/flow-backgrounds/sea.jpg"`).Replace(created), nil},
		{"a themed background", "POST", flows, newFlow + `,"background":"https://cdn.example.com/bg-%(theme)s.png"}`, 201,
			strings.NewReplacer(`"background":""`, `"background":"https://cdn.example.com/bg-%(theme)s.png"`,
				`"background_themed_urls":null`, `"background_themed_urls":{"dark":"https://cdn.example.com/bg-dark.png","light":"https://cdn.example.com/bg-light.png"}`,
				`"/static/dist/assets/images/flow_background.jpg"`, `"https://cdn.example.com/bg-%(theme)s.png"`).Replace(created), nil},

		// Detail routes by slug (lookup_field = "slug").
		{"retrieve", "GET", flows + "alpha/", "", 200, `{"pk":"{pk}","background_url":"/static/dist/assets/images/flow_background.jpg",` +
			`"compatibility_mode":false,"denied_action":"message","designation":"authentication","export_url":"/api/v3/flows/instances/alpha/export/",` +
			`"layout":"stacked","name":"Alpha","policy_engine_mode":"any","policybindingmodel_ptr_id":"{pk}","slug":"alpha","title":"Alpha",` +
			`"authentication":"none","cache_count":0,"policies":[],"stages":["` + mail1 + `","` + invite + `"],"background":"","background_themed_urls":null}`, nil},
		{"retrieve unknown", "GET", flows + "nope/", "", 404, `{"detail":"No Flow matches the given query."}`, nil},
		{"patch to a taken slug", "PATCH", flows + "alpha/", `{"slug":"beta"}`, 400, `{"slug":["Flow with this slug already exists."]}`, nil},
		{"patch to its own slug", "PATCH", flows + "alpha/", `{"slug":"alpha"}`, 200, "", nil},
		{"put needs the required fields", "PUT", flows + "alpha/", `{"name":"A"}`, 400,
			`{"designation":["This field is required."],"slug":["This field is required."],"title":["This field is required."]}`, nil},
		{"delete unknown", "DELETE", flows + "nope/", "", 404, `{"detail":"No Flow matches the given query."}`, nil},
		{"used_by", "GET", flows + "beta/used_by/", "", 200, `[{"action":"cascade","app":"authentik_flows","model_name":"flowstagebinding",` +
			`"name":"Flow-stage binding #10 to ` + flowB + `","pk":"` + bindB1 + `"},{"action":"cascade","app":"authentik_flows",` +
			`"model_name":"flowstagebinding","name":"Flow-stage binding #30 to ` + flowB + `","pk":"` + bindB2 + `"},` +
			`{"action":"cascade_many","app":"authentik_flows","model_name":"stage","name":"Stage mail-one","pk":"` + mail1 + `"},` +
			`{"action":"cascade_many","app":"authentik_flows","model_name":"stage","name":"Stage mail-two","pk":"` + mail2 + `"}]`, nil},

		// FlowViewSet's filterset_fields, search_fields and ordering.
		{"default ordering: slug", "GET", flows, "", 200, "", []string{flowA, flowB}},
		{"ordering", "GET", flows + "?ordering=-designation", "", 200, "", []string{flowB, flowA}},
		{"designation", "GET", flows + "?designation=recovery", "", 200, "", []string{flowB}},
		{"designation not a choice", "GET", flows + "?designation=Recovery", "", 400,
			`{"designation":["Select a valid choice. Recovery is not one of the available choices."]}`, nil},
		{"empty designation: no filter", "GET", flows + "?designation=", "", 200, "", []string{flowA, flowB}},
		{"denied_action", "GET", flows + "?denied_action=continue", "", 200, "", []string{flowB}},
		{"denied_action not a choice", "GET", flows + "?denied_action=deny", "", 400,
			`{"denied_action":["Select a valid choice. deny is not one of the available choices."]}`, nil},
		{"flow_uuid", "GET", flows + "?flow_uuid=" + strings.ToUpper(flowA), "", 200, "", []string{flowA}},
		{"flow_uuid not a uuid", "GET", flows + "?flow_uuid=alpha", "", 400, `{"flow_uuid":["Enter a valid UUID."]}`, nil},
		{"name", "GET", flows + "?name=Beta", "", 200, "", []string{flowB}},
		{"slug", "GET", flows + "?slug=alpha", "", 200, "", []string{flowA}},
		{"search in the designation", "GET", flows + "?search=RECOV", "", 200, "", []string{flowB}},
		{"search in the denied action", "GET", flows + "?search=message", "", 200, "", []string{flowA}},
	})
}

// TestFlowsThroughTheSDK: every operation of Client.Flows against the fake;
// a PATCH of the slug moves the flow (the lookup is the slug) and its
// export URL, and keeps its bindings (they refer to its pk).
func TestFlowsThroughTheSDK(t *testing.T) {
	t.Parallel()
	s := relServer(t)
	c := s.Client()
	ctx := context.Background()
	f, err := c.Flows.Create(ctx, &authentik.FlowRequest{Name: authentik.Ptr("Gamma"), Slug: authentik.Ptr("gamma"),
		Title: authentik.Ptr("G"), Designation: authentik.Ptr(authentik.FlowDesignationEnrollment),
		CompatibilityMode: authentik.Ptr(true), Background: authentik.Ptr("g.png")})
	if err != nil {
		t.Fatal(err)
	}
	want := authentik.Flow{FlowSet: authentik.FlowSet{PK: f.PK, PolicyBindingModelPtrID: f.PK, Name: "Gamma", Slug: "gamma", Title: "G",
		Designation: authentik.FlowDesignationEnrollment, Background: "/files/media/public/g.png", PolicyEngineMode: authentik.PolicyEngineModeAny,
		CompatibilityMode: true, ExportURL: "/api/v3/flows/instances/gamma/export/", Layout: authentik.FlowLayoutStacked,
		DeniedAction: authentik.DeniedActionMessageContinue}, Stages: []string{}, Policies: []string{},
		Authentication: authentik.FlowAuthenticationNone, BackgroundFile: "g.png"}
	if !reflect.DeepEqual(*f, want) {
		t.Errorf("created\n got %+v\nwant %+v", *f, want)
	}
	if got, err := c.Flows.Get(ctx, "gamma"); err != nil || !reflect.DeepEqual(*got, want) {
		t.Errorf("get %+v %v", got, err)
	}
	page, err := c.Flows.List(ctx, &authentik.FlowListOptions{Designation: authentik.FlowDesignationEnrollment,
		DeniedAction: authentik.DeniedActionMessageContinue, FlowUUID: f.PK, Name: "Gamma", Slug: "gamma"})
	if err != nil || len(page.Results) != 1 || !reflect.DeepEqual(page.Results[0], want) {
		t.Errorf("list %+v %v", page, err)
	}

	up, err := c.Flows.Update(ctx, "alpha", &authentik.FlowRequest{Name: authentik.Ptr("Alpha"), Slug: authentik.Ptr("alpha"),
		Title: authentik.Ptr("Sign in"), Designation: authentik.Ptr(authentik.FlowDesignationAuthentication),
		Layout: authentik.Ptr(authentik.FlowLayoutSidebarLeft)})
	if err != nil || up.Title != "Sign in" || up.Layout != authentik.FlowLayoutSidebarLeft || up.DeniedAction != authentik.DeniedActionMessage ||
		!reflect.DeepEqual(up.Stages, []string{mail1, invite}) {
		t.Errorf("update %+v %v", up, err)
	}
	// A new slug, through the API directly: the SDK's Patch takes an answer
	// for another slug than it asked for as a sign of a wrong object.
	if r := send(t, s, "PATCH", "/api/v3/flows/instances/alpha/", "application/json", `{"slug":"alpha-2"}`); r.status != 200 ||
		!strings.Contains(string(r.body), `"export_url":"/api/v3/flows/instances/alpha-2/export/"`) {
		t.Errorf("patch the slug: %d %s", r.status, r.body)
	}
	moved, err := c.Flows.Get(ctx, "alpha-2")
	if err != nil || moved.PK != flowA || !reflect.DeepEqual(moved.Stages, []string{mail1, invite}) {
		t.Errorf("moved %+v %v", moved, err)
	}
	if _, err := c.Flows.Get(ctx, "alpha"); !errors.Is(err, authentik.ErrNotFound) {
		t.Errorf("the old slug: %v", err)
	}
	st, err := c.EmailStages.Get(ctx, mail1)
	if err != nil || len(st.FlowSet) != 2 || st.FlowSet[0].Slug != "alpha-2" || st.FlowSet[0].Title != "Sign in" {
		t.Errorf("the stage shows the flow as it is now: %+v %v", st, err)
	}
	used, err := c.Flows.UsedBy(ctx, "alpha-2")
	if err != nil || len(used) != 4 || used[0].PK != bindA1 || used[1].PK != bindA2 || used[2].PK != mail1 || used[3].PK != invite {
		t.Errorf("used_by %+v %v", used, err)
	}
	if err := c.Flows.Delete(ctx, "alpha-2"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Flows.Get(ctx, "alpha-2"); !errors.Is(err, authentik.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if _, err := c.Flows.Create(ctx, &authentik.FlowRequest{Name: authentik.Ptr("B"), Slug: authentik.Ptr("beta"),
		Title: authentik.Ptr("B"), Designation: authentik.Ptr(authentik.FlowDesignationRecovery)}); !errors.Is(err, authentik.ErrValidation) {
		t.Errorf("a taken slug: %v", err)
	}
}
