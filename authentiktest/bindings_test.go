package authentiktest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/authentik-go/authentik"
)

// TestBindingRules pins FlowStageBindingViewSet and FlowStageBindingSerializer
// (authentik/flows/api/bindings.py) on the FlowStageBinding model
// (authentik/flows/models.py) with exact answers: every filter of
// filterset_fields = "__all__" (django-filter's filters for each field kind,
// Django's form messages), search and ordering, the related fields (DRF's
// PrimaryKeyRelatedField), unique_together (DRF's UniqueTogetherValidator)
// and the serializer's validate().
func TestBindingRules(t *testing.T) {
	t.Parallel()
	const bindings = "/api/v3/flows/bindings/"
	const unknown = "00000000-0000-4000-8000-0000000000ff"
	flowSet := func(pk, name, slug, designation, denied string) string {
		return `{"pk":"` + pk + `","policybindingmodel_ptr_id":"` + pk + `","name":"` + name + `","slug":"` + slug + `","title":"` + name + `",` +
			`"designation":"` + designation + `","background_url":"/static/dist/assets/images/flow_background.jpg","policy_engine_mode":"any",` +
			`"compatibility_mode":false,"export_url":"/api/v3/flows/instances/` + slug + `/export/","layout":"stacked","denied_action":"` + denied + `"}`
	}
	// The stage's flows in the order its bindings were made: beta's first.
	created := `{"evaluate_on_plan":false,"invalid_response_action":"retry","order":40,"pk":"{pk}","policy_engine_mode":"any",` +
		`"policybindingmodel_ptr_id":"{pk}","re_evaluate_policies":true,"stage":"` + mail2 + `","stage_obj":{"pk":"` + mail2 + `",` +
		`"name":"mail-two","component":"ak-stage-email-form","verbose_name":"Email Stage","verbose_name_plural":"Email Stages",` +
		`"meta_model_name":"authentik_stages_email.emailstage","flow_set":[` + flowSet(flowB, "Beta", "beta", "recovery", "continue") + `,` +
		flowSet(flowA, "Alpha", "alpha", "authentication", "message") + `]},"target":"` + flowA + `"}`
	bind := func(target, stage, order string) string {
		return `{"target":"` + target + `","stage":"` + stage + `","order":` + order
	}
	runRules(t, []ruleCase{
		// CreateModelMixin: the model's defaults; stage_obj is StageSerializer's.
		{"create", "POST", bindings, bind(flowA, mail2, "40") + `}`, 201, created, nil},
		{"required", "POST", bindings, `{}`, 400,
			`{"order":["This field is required."],"stage":["This field is required."],"target":["This field is required."]}`, nil},
		{"unknown target", "POST", bindings, bind(unknown, mail2, "40") + `}`, 400,
			`{"target":["Invalid pk \"` + unknown + `\" - object does not exist."]}`, nil},
		{"unknown stage", "POST", bindings, bind(flowA, strings.ToUpper(unknown), "40") + `}`, 400,
			`{"stage":["Invalid pk \"` + strings.ToUpper(unknown) + `\" - object does not exist."]}`, nil},
		{"a flow is no stage", "POST", bindings, bind(flowA, flowB, "40") + `}`, 400,
			`{"stage":["Invalid pk \"` + flowB + `\" - object does not exist."]}`, nil},
		{"stage not a uuid", "POST", bindings, bind(flowA, "mail-two", "40") + `}`, 400, `{"stage":["“mail-two” is not a valid UUID."]}`, nil},
		{"any stage type", "POST", bindings, bind(flowB, invite, "40") + `}`, 201, "", nil},
		{"order out of int32", "POST", bindings, bind(flowA, mail2, "2147483648") + `}`, 400,
			`{"order":["Ensure this value is less than or equal to 2147483647."]}`, nil},
		{"choices", "POST", bindings, bind(flowA, mail2, "40") + `,"policy_engine_mode":"none","invalid_response_action":"RETRY"}`, 400,
			`{"invalid_response_action":["\"RETRY\" is not a valid choice."],"policy_engine_mode":["\"none\" is not a valid choice."]}`, nil},
		{"unique together", "POST", bindings, bind(flowA, mail1, "10") + `}`, 400,
			`{"non_field_errors":["The fields target, stage, order must make a unique set."]}`, nil},
		{"unique together with another order", "POST", bindings, bind(flowA, mail1, "11") + `}`, 201, "", nil},
		{"field errors first", "POST", bindings, bind(flowA, mail1, "10") + `,"re_evaluate_policies":"x"}`, 400,
			`{"re_evaluate_policies":["Must be a valid boolean."]}`, nil},
		{"policies evaluated somewhere", "POST", bindings, bind(flowA, mail2, "40") + `,"re_evaluate_policies":false}`, 400,
			`{"non_field_errors":["Either evaluation on plan or evaluation on run must be enabled"]}`, nil},
		{"unique together before validate", "POST", bindings, bind(flowA, mail1, "10") + `,"re_evaluate_policies":false}`, 400,
			`{"non_field_errors":["The fields target, stage, order must make a unique set."]}`, nil},
		{"patch into another's place", "PATCH", bindings + bindA2 + "/", `{"stage":"` + mail1 + `","order":10}`, 400,
			`{"non_field_errors":["The fields target, stage, order must make a unique set."]}`, nil},
		{"patch the order only: the rest from the object", "PATCH", bindings + bindB2 + "/", `{"order":10,"stage":"` + mail1 + `"}`, 400,
			`{"non_field_errors":["The fields target, stage, order must make a unique set."]}`, nil},
		{"patch onto itself", "PATCH", bindings + bindA1 + "/", `{"order":10}`, 200, "", nil},
		{"put keeps what it does not send", "PUT", bindings + bindA2 + "/", bind(flowA, invite, "25") + `}`, 200, "", nil},
		{"retrieve not a uuid", "GET", bindings + "alpha/", "", 404, `{"detail":"Not found."}`, nil},
		{"used_by", "GET", bindings + bindA1 + "/used_by/", "", 200, `[]`, nil},

		// The view's ordering = ["order"]; OrderingFilter over every readable field.
		{"default ordering: order", "GET", bindings, "", 200, "", []string{bindA1, bindB1, bindA2, bindB2}},
		{"ordering", "GET", bindings + "?ordering=-target,-order", "", 200, "", []string{bindB2, bindB1, bindA2, bindA1}},
		{"search: the stage's name", "GET", bindings + "?search=MAIL", "", 200, "", []string{bindA1, bindB1, bindB2}},
		// filterset_fields = "__all__".
		{"evaluate_on_plan", "GET", bindings + "?evaluate_on_plan=1", "", 200, "", []string{bindA1, bindB1}},
		{"re_evaluate_policies", "GET", bindings + "?re_evaluate_policies=False", "", 200, "", []string{bindB1}},
		{"fsb_uuid", "GET", bindings + "?fsb_uuid=" + bindA2, "", 200, "", []string{bindA2}},
		{"fsb_uuid not a uuid", "GET", bindings + "?fsb_uuid=x", "", 400, `{"fsb_uuid":["Enter a valid UUID."]}`, nil},
		{"pbm_uuid", "GET", bindings + "?pbm_uuid=" + bindB2, "", 200, "", []string{bindB2}},
		{"invalid_response_action", "GET", bindings + "?invalid_response_action=restart", "", 200, "", []string{bindA2}},
		{"invalid_response_action not a choice", "GET", bindings + "?invalid_response_action=again", "", 400,
			`{"invalid_response_action":["Select a valid choice. again is not one of the available choices."]}`, nil},
		{"order", "GET", bindings + "?order=10", "", 200, "", []string{bindA1, bindB1}},
		{"order not a number", "GET", bindings + "?order=ten", "", 400, `{"order":["Enter a number."]}`, nil},
		{"policy_engine_mode", "GET", bindings + "?policy_engine_mode=all", "", 200, "", []string{bindA2}},
		{"policy_engine_mode not a choice", "GET", bindings + "?policy_engine_mode=ALL", "", 400,
			`{"policy_engine_mode":["Select a valid choice. ALL is not one of the available choices."]}`, nil},
		{"stage", "GET", bindings + "?stage=" + mail1, "", 200, "", []string{bindA1, bindB1}},
		{"stage of another type", "GET", bindings + "?stage=" + invite, "", 200, "", []string{bindA2}},
		{"stage unknown", "GET", bindings + "?stage=" + unknown, "", 400,
			`{"stage":["Select a valid choice. That choice is not one of the available choices."]}`, nil},
		{"stage not a uuid", "GET", bindings + "?stage=mail-one", "", 400,
			`{"stage":["Select a valid choice. That choice is not one of the available choices."]}`, nil},
		{"empty stage: no filter", "GET", bindings + "?stage=", "", 200, "", []string{bindA1, bindB1, bindA2, bindB2}},
		{"target", "GET", bindings + "?target=" + flowB, "", 200, "", []string{bindB1, bindB2}},
		{"target is a flow", "GET", bindings + "?target=" + mail1, "", 400,
			`{"target":["Select a valid choice. That choice is not one of the available choices."]}`, nil},
		{"policies: none is held", "GET", bindings + "?policies=" + unknown, "", 400,
			`{"policies":["Select a valid choice. ` + unknown + ` is not one of the available choices."]}`, nil},
		{"policies repeated, one not a uuid", "GET", bindings + "?policies=" + unknown + "&policies=x", "", 400,
			`{"policies":["“x” is not a valid UUID."]}`, nil},
		{"several bad filters", "GET", bindings + "?order=x&target=y", "", 400,
			`{"order":["Enter a number."],"target":["Select a valid choice. That choice is not one of the available choices."]}`, nil},
	})
}

// TestBindingsThroughTheSDK: every operation of Client.FlowStageBindings,
// and every list option, against the fake.
func TestBindingsThroughTheSDK(t *testing.T) {
	t.Parallel()
	s := relServer(t)
	c := s.Client()
	ctx := context.Background()
	b, err := c.FlowStageBindings.Create(ctx, &authentik.FlowStageBindingRequest{Target: authentik.Ptr(flowB), Stage: authentik.Ptr(invite),
		Order: authentik.Ptr(40), EvaluateOnPlan: authentik.Ptr(true), InvalidResponseAction: authentik.Ptr(authentik.InvalidResponseActionRestartWithContext)})
	if err != nil {
		t.Fatal(err)
	}
	if b.Target != flowB || b.Stage != invite || b.Order != 40 || !b.EvaluateOnPlan || !b.ReEvaluatePolicies ||
		b.InvalidResponseAction != authentik.InvalidResponseActionRestartWithContext || b.PolicyEngineMode != authentik.PolicyEngineModeAny ||
		b.StageObj.Name != "invite" || b.StageObj.Component != "ak-stage-invitation-form" || len(b.StageObj.FlowSet) != 2 {
		t.Errorf("created %+v", b)
	}
	if got, err := c.FlowStageBindings.Get(ctx, b.PK); err != nil || !reflect.DeepEqual(got, b) {
		t.Errorf("get %+v %v", got, err)
	}
	list := func(o *authentik.FlowStageBindingListOptions) []string {
		t.Helper()
		var pks []string
		for x, err := range c.FlowStageBindings.All(ctx, o) {
			if err != nil {
				t.Fatal(err)
			}
			pks = append(pks, x.PK)
		}
		return pks
	}
	for _, tt := range []struct {
		name string
		opts authentik.FlowStageBindingListOptions
		want []string
	}{
		{"none", authentik.FlowStageBindingListOptions{}, []string{bindA1, bindB1, bindA2, bindB2, b.PK}},
		{"every option at once", authentik.FlowStageBindingListOptions{EvaluateOnPlan: authentik.Ptr(true), FlowStageBindingUUID: b.PK,
			InvalidResponseAction: authentik.InvalidResponseActionRestartWithContext, Order: authentik.Ptr(40), PolicyBindingModelUUID: b.PK,
			PolicyEngineMode: authentik.PolicyEngineModeAny, ReEvaluatePolicies: authentik.Ptr(true), Stage: invite, Target: flowB}, []string{b.PK}},
		{"target and stage", authentik.FlowStageBindingListOptions{Target: flowA, Stage: mail1}, []string{bindA1}},
		{"search and ordering", authentik.FlowStageBindingListOptions{ListOptions: authentik.ListOptions{Search: "mail", Ordering: "-order"}},
			[]string{bindB2, bindA1, bindB1}},
	} {
		if got := list(&tt.opts); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	_, err = c.FlowStageBindings.List(ctx, &authentik.FlowStageBindingListOptions{Policies: []string{"00000000-0000-4000-8000-0000000000ff"}})
	var apiErr *authentik.APIError
	if !errors.Is(err, authentik.ErrValidation) || !errors.As(err, &apiErr) || len(apiErr.Fields["policies"]) != 1 {
		t.Errorf("policies: %v", err)
	}

	up, err := c.FlowStageBindings.Update(ctx, b.PK, &authentik.FlowStageBindingRequest{Target: authentik.Ptr(flowA), Stage: authentik.Ptr(invite),
		Order: authentik.Ptr(5)})
	if err != nil || up.Target != flowA || up.Order != 5 || !up.EvaluateOnPlan || up.InvalidResponseAction != authentik.InvalidResponseActionRestartWithContext {
		t.Errorf("update %+v %v", up, err)
	}
	pa, err := c.FlowStageBindings.Patch(ctx, b.PK, &authentik.FlowStageBindingRequest{PolicyEngineMode: authentik.Ptr(authentik.PolicyEngineModeAll)})
	if err != nil || pa.PolicyEngineMode != authentik.PolicyEngineModeAll || pa.Order != 5 {
		t.Errorf("patch %+v %v", pa, err)
	}
	if f, err := c.Flows.Get(ctx, "alpha"); err != nil || !reflect.DeepEqual(f.Stages, []string{mail1, invite, invite}) {
		t.Errorf("alpha's stages %v %v: one per binding", f.Stages, err)
	}
	if used, err := c.FlowStageBindings.UsedBy(ctx, b.PK); err != nil || len(used) != 0 {
		t.Errorf("used_by %+v %v", used, err)
	}
	if err := c.FlowStageBindings.Delete(ctx, b.PK); err != nil {
		t.Fatal(err)
	}
	if _, err := c.FlowStageBindings.Get(ctx, b.PK); !errors.Is(err, authentik.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if st, err := c.InvitationStages.Get(ctx, invite); err != nil || len(st.FlowSet) != 1 || st.FlowSet[0].PK != flowA {
		t.Errorf("the stage after its second binding's delete: %+v %v", st, err)
	}
}
