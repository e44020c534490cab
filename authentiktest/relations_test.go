package authentiktest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/authentik-go/authentik"
)

// TestBindThroughTheSDK is the scenario through the SDK: a flow and
// an email stage created, the stage bound at order 10; the stage then shows
// the flow (flow_set, from the binding), used_by lists the flow and the
// binding, the same (target, stage, order) again is refused
// (unique_together), and deleting the flow deletes the binding
// (FlowStageBinding.target is on_delete=CASCADE) and empties the stage's
// flow_set.
func TestBindThroughTheSDK(t *testing.T) {
	t.Parallel()
	s := Start(t, WithToken(testToken))
	c := s.Client()
	ctx := context.Background()

	flow, err := c.Flows.Create(ctx, &authentik.FlowRequest{Name: authentik.Ptr("Recovery"), Slug: authentik.Ptr("recovery"),
		Title: authentik.Ptr("Reset your password"), Designation: authentik.Ptr(authentik.FlowDesignationRecovery)})
	if err != nil {
		t.Fatal(err)
	}
	stage, err := c.EmailStages.Create(ctx, &authentik.EmailStageRequest{Name: authentik.Ptr("recovery-mail")})
	if err != nil {
		t.Fatal(err)
	}
	bind := &authentik.FlowStageBindingRequest{Target: &flow.PK, Stage: &stage.PK, Order: authentik.Ptr(10)}
	binding, err := c.FlowStageBindings.Create(ctx, bind)
	if err != nil {
		t.Fatal(err)
	}
	wantFlowSet := []authentik.FlowSet{{PK: flow.PK, PolicyBindingModelPtrID: flow.PK, Name: "Recovery", Slug: "recovery",
		Title: "Reset your password", Designation: authentik.FlowDesignationRecovery,
		Background: "/static/dist/assets/images/flow_background.jpg", PolicyEngineMode: authentik.PolicyEngineModeAny,
		ExportURL: "/api/v3/flows/instances/recovery/export/", Layout: authentik.FlowLayoutStacked,
		DeniedAction: authentik.DeniedActionMessageContinue}}
	wantBinding := authentik.FlowStageBinding{PK: binding.PK, PolicyBindingModelPtrID: binding.PK, Target: flow.PK, Stage: stage.PK,
		StageObj: authentik.Stage{PK: stage.PK, Name: "recovery-mail", Component: "ak-stage-email-form", VerboseName: "Email Stage",
			VerboseNamePlural: "Email Stages", MetaModelName: "authentik_stages_email.emailstage", FlowSet: wantFlowSet},
		ReEvaluatePolicies: true, Order: 10, PolicyEngineMode: authentik.PolicyEngineModeAny,
		InvalidResponseAction: authentik.InvalidResponseActionRetry}
	if !reflect.DeepEqual(*binding, wantBinding) {
		t.Errorf("binding\n got %+v\nwant %+v", *binding, wantBinding)
	}

	got, err := c.EmailStages.Get(ctx, stage.PK)
	if err != nil || !reflect.DeepEqual(got.FlowSet, wantFlowSet) {
		t.Errorf("the stage's flow_set %+v (%v)\nwant %+v", got.FlowSet, err, wantFlowSet)
	}
	if f, err := c.Flows.Get(ctx, "recovery"); err != nil || !reflect.DeepEqual(f.Stages, []string{stage.PK}) {
		t.Errorf("the flow's stages %v (%v)", f.Stages, err)
	}
	used, err := c.EmailStages.UsedBy(ctx, stage.PK)
	wantUsed := []authentik.UsedBy{
		{App: "authentik_flows", ModelName: "flow", PK: flow.PK, Name: "Flow Recovery (recovery)", Action: authentik.UsedByActionCascadeMany},
		{App: "authentik_flows", ModelName: "flowstagebinding", PK: binding.PK, Name: "Flow-stage binding #10 to " + flow.PK,
			Action: authentik.UsedByActionCascade},
	}
	if err != nil || !reflect.DeepEqual(used, wantUsed) {
		t.Errorf("used_by %+v (%v)\nwant %+v", used, err, wantUsed)
	}

	_, err = c.FlowStageBindings.Create(ctx, bind)
	var apiErr *authentik.APIError
	if !errors.Is(err, authentik.ErrValidation) || !errors.As(err, &apiErr) ||
		!reflect.DeepEqual(apiErr.Fields, map[string][]string{"non_field_errors": {"The fields target, stage, order must make a unique set."}}) {
		t.Errorf("the same binding again: %v", err)
	}

	if err := c.Flows.Delete(ctx, "recovery"); err != nil {
		t.Fatal(err)
	}
	if got, err := c.EmailStages.Get(ctx, stage.PK); err != nil || got.FlowSet == nil || len(got.FlowSet) != 0 {
		t.Errorf("after the flow's delete, flow_set %#v (%v), want []", got.FlowSet, err)
	}
	if _, err := c.FlowStageBindings.Get(ctx, binding.PK); !errors.Is(err, authentik.ErrNotFound) {
		t.Errorf("the binding after the flow's delete: %v", err)
	}
	if used, err := c.EmailStages.UsedBy(ctx, stage.PK); err != nil || len(used) != 0 {
		t.Errorf("used_by after the flow's delete: %+v (%v)", used, err)
	}
	if n := len(Objects[authentik.FlowStageBinding](s)); n != 0 {
		t.Errorf("%d bindings left", n)
	}
}

// TestDeletesCascade: deleting a stage deletes its bindings
// (FlowStageBinding.stage is on_delete=CASCADE) and no flow; deleting a flow
// deletes its bindings and nulls the invitations' flow (Invitation.flow is
// on_delete=SET_DEFAULT, default None), which used_by says beforehand.
func TestDeletesCascade(t *testing.T) {
	t.Parallel()
	s := Start(t, WithToken(testToken), WithDemoData())
	const (
		engineering = "7a8b9cad-becf-40d1-8234-5e6f7a8b9cad"               // invitation-enrollment-flow-internal-engineering
		stage       = "cfd0e1f2-0314-4526-9789-adbecfd0e1f2"               // its invitation stage
		contractor  = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"               // an invitation for it
		recovery    = "stages/email/7f2e8b3a-0c6d-4b4a-9d5c-9e3f4a5b6c7d/" // default-recovery-email
	)
	binding := bindingPK(stage, engineering)
	r := send(t, s, "GET", "/api/v3/flows/instances/invitation-enrollment-flow-internal-engineering/used_by/", "", "")
	want := `[{"action":"cascade","app":"authentik_flows","model_name":"flowstagebinding",` +
		`"name":"Flow-stage binding #10 to ` + engineering + `","pk":"` + binding + `"},` +
		`{"action":"set_default","app":"authentik_stages_invitation","model_name":"invitation",` +
		`"name":"Invitation ` + contractor + ` created by akadmin","pk":"` + contractor + `"},` +
		`{"action":"cascade_many","app":"authentik_flows","model_name":"stage",` +
		`"name":"Stage invitation-enrollment-invitation-internal-engineering","pk":"` + stage + `"}]`
	if r.status != 200 || string(r.body) != want {
		t.Errorf("flow used_by: %d %s\nwant %s", r.status, r.body, want)
	}
	if r := send(t, s, "GET", "/api/v3/flows/bindings/"+binding+"/used_by/", "", ""); r.status != 200 || string(r.body) != `[]` {
		t.Errorf("binding used_by: %d %s", r.status, r.body)
	}

	if r := send(t, s, "DELETE", "/api/v3/flows/instances/invitation-enrollment-flow-internal-engineering/", "", ""); r.status != 204 || len(r.body) != 0 {
		t.Fatalf("delete the flow: %d %s", r.status, r.body)
	}
	if r := send(t, s, "GET", "/api/v3/flows/bindings/"+binding+"/", "", ""); r.status != 404 ||
		string(r.body) != `{"detail":"No FlowStageBinding matches the given query."}` {
		t.Errorf("the binding: %d %s", r.status, r.body)
	}
	for _, inv := range s.Invitations() {
		if inv.PK == contractor && (inv.Flow != "" || inv.FlowObj != nil) {
			t.Errorf("the invitation still has its flow: %+v", inv)
		}
	}
	if r := send(t, s, "GET", "/api/v3/stages/invitation/stages/"+stage+"/", "", ""); r.status != 200 || !strings.Contains(string(r.body), `"flow_set":[]`) {
		t.Errorf("the stage: %d %s", r.status, r.body)
	}

	// The stage's delete takes its binding, and leaves its flow.
	if r := send(t, s, "DELETE", "/api/v3/"+recovery, "", ""); r.status != 204 {
		t.Fatalf("delete the stage: %d %s", r.status, r.body)
	}
	if r := send(t, s, "GET", "/api/v3/flows/bindings/?target=2a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d", "", ""); r.status != 200 ||
		!strings.Contains(string(r.body), `"count":0`) {
		t.Errorf("the recovery flow's bindings: %d %s", r.status, r.body)
	}
	if r := send(t, s, "GET", "/api/v3/flows/instances/default-recovery-flow/", "", ""); r.status != 200 || !strings.Contains(string(r.body), `"stages":[]`) {
		t.Errorf("the recovery flow: %d %s", r.status, r.body)
	}
	if got, want := len(Objects[authentik.FlowStageBinding](s)), 6; got != want {
		t.Errorf("%d bindings, want %d", got, want)
	}
}

// TestAddObjectsRoundTrip: what Add stores, Objects gives back as the API
// lists it (its ordering, derived fields computed), for every model the fake
// serves; a reference to nothing and a type the fake does not serve panic.
func TestAddObjectsRoundTrip(t *testing.T) {
	t.Parallel()
	s := Start(t, WithToken(testToken))
	const flowPK, stagePK, invPK, bindPK = "00000000-0000-4000-8000-00000000f001", "00000000-0000-4000-8000-00000000e001",
		"00000000-0000-4000-8000-00000000a001", "00000000-0000-4000-8000-00000000b001"
	flow := authentik.Flow{FlowSet: authentik.FlowSet{PK: flowPK, Name: "Sign up", Slug: "sign-up", Title: "Welcome",
		Designation: authentik.FlowDesignationEnrollment, PolicyEngineMode: authentik.PolicyEngineModeAll,
		Layout: authentik.FlowLayoutStacked, DeniedAction: authentik.DeniedActionContinue},
		Authentication: authentik.FlowAuthenticationRequireUnauthenticated, BackgroundFile: "bg-%(theme)s.svg"}
	Add(s, flow)
	Add(s, authentik.InvitationStage{PK: stagePK, Name: "invite-only"}, authentik.InvitationStage{Name: "spare"})
	Add(s, authentik.FlowStageBinding{PK: bindPK, Target: strings.ToUpper(flowPK), Stage: stagePK, Order: 7,
		PolicyEngineMode: authentik.PolicyEngineModeAny, InvalidResponseAction: authentik.InvalidResponseActionRestart})
	Add(s, authentik.Invitation{PK: invPK, Name: "welcome", Flow: flowPK})

	flow.PolicyBindingModelPtrID = flowPK
	flow.ExportURL = "/api/v3/flows/instances/sign-up/export/"
	flow.Background = "/files/media/public/bg-%(theme)s.svg"
	flow.BackgroundThemedURLs = &authentik.ThemedURLs{Light: "/files/media/public/bg-light.svg", Dark: "/files/media/public/bg-dark.svg"}
	flow.Stages, flow.Policies = []string{stagePK}, []string{}
	if got := Objects[authentik.Flow](s); !reflect.DeepEqual(got, []authentik.Flow{flow}) {
		t.Errorf("flows\n got %+v\nwant %+v", got, []authentik.Flow{flow})
	}
	stages := Objects[authentik.InvitationStage](s)
	if len(stages) != 2 || stages[0].Name != "invite-only" || stages[1].Name != "spare" || stages[1].PK == "" ||
		!reflect.DeepEqual(stages[0].FlowSet, []authentik.FlowSet{flow.FlowSet}) || stages[0].Component != "ak-stage-invitation-form" {
		t.Errorf("invitation stages %+v", stages)
	}
	bindings := Objects[authentik.FlowStageBinding](s)
	if len(bindings) != 1 || bindings[0].Target != flowPK || bindings[0].StageObj.Name != "invite-only" ||
		bindings[0].PolicyBindingModelPtrID != bindPK || bindings[0].InvalidResponseAction != authentik.InvalidResponseActionRestart {
		t.Errorf("bindings %+v", bindings)
	}
	invs := Objects[authentik.Invitation](s)
	if len(invs) != 1 || invs[0].FlowObj == nil || !reflect.DeepEqual(*invs[0].FlowObj, flow) || invs[0].CreatedBy.Username != "akadmin" {
		t.Errorf("invitations %+v", invs)
	}
	// A copy: changing it changes nothing held.
	stages[0].Name = "changed"
	if Objects[authentik.InvitationStage](s)[0].Name != "invite-only" {
		t.Error("Objects shares the server's data")
	}
	if got := Objects[authentik.EmailStage](s); len(got) != 0 {
		t.Errorf("email stages %+v", got)
	}

	for name, add := range map[string]func(){
		"a binding to no flow": func() {
			Add(s, authentik.FlowStageBinding{Target: "00000000-0000-4000-8000-0000000000ff", Stage: stagePK, Order: 1})
		},
		"a binding to no stage":          func() { Add(s, authentik.FlowStageBinding{Target: flowPK, Stage: "nope", Order: 1}) },
		"a type the fake does not serve": func() { Add(s, authentik.TypeCreate{Name: "x"}) },
		"the view of every stage type":   func() { Add(s, authentik.Stage{Name: "x"}) },
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.HasPrefix(fmt.Sprint(r), "authentiktest: Add: ") {
					t.Errorf("%s: recovered %v", name, r)
				}
			}()
			add()
		}()
	}
	if n := len(Objects[authentik.FlowStageBinding](s)); n != 1 {
		t.Errorf("%d bindings after the refusals, want 1", n)
	}
}

// TestAddStageBindsAsItsFlowSet: a stage given to Add is bound as its
// FlowSet says, each new binding last in its flow (10, 20, ...); given
// again, it keeps the bindings to flows it still lists and loses the others.
func TestAddStageBindsAsItsFlowSet(t *testing.T) {
	t.Parallel()
	s := Start(t, WithToken(testToken))
	one, two := authentik.FlowSet{Slug: "one", Name: "One"}, authentik.FlowSet{Slug: "two", Name: "Two"}
	s.AddEmailStages(authentik.EmailStage{PK: "00000000-0000-4000-8000-0000000000e1", Name: "first", FlowSet: []authentik.FlowSet{one}},
		authentik.EmailStage{PK: "00000000-0000-4000-8000-0000000000e2", Name: "second", FlowSet: []authentik.FlowSet{one, two}})
	orders := func() map[string]int {
		out := map[string]int{}
		for _, b := range Objects[authentik.FlowStageBinding](s) {
			out[b.StageObj.Name+"@"+slugOf(t, s, b.Target)] = b.Order
		}
		return out
	}
	if got, want := orders(), map[string]int{"first@one": 10, "second@one": 20, "second@two": 10}; !reflect.DeepEqual(got, want) {
		t.Errorf("orders %v, want %v", got, want)
	}
	kept := Objects[authentik.FlowStageBinding](s)
	s.AddEmailStages(authentik.EmailStage{PK: "00000000-0000-4000-8000-0000000000e2", Name: "second", FlowSet: []authentik.FlowSet{two}})
	if got, want := orders(), map[string]int{"first@one": 10, "second@two": 10}; !reflect.DeepEqual(got, want) {
		t.Errorf("orders after the stage again %v, want %v", got, want)
	}
	for _, b := range Objects[authentik.FlowStageBinding](s) {
		if b.StageObj.Name == "second" && b.PK != kept[0].PK && b.PK != kept[1].PK && b.PK != kept[2].PK {
			t.Errorf("the kept binding has a new pk: %+v", b)
		}
	}
	if got := len(Objects[authentik.Flow](s)); got != 2 {
		t.Errorf("%d flows, want 2", got)
	}
}

func slugOf(t *testing.T, s *Server, flowPK string) string {
	t.Helper()
	for _, f := range Objects[authentik.Flow](s) {
		if f.PK == flowPK {
			return f.Slug
		}
	}
	t.Fatalf("no flow %s", flowPK)
	return ""
}
