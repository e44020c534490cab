package authentiktest

import (
	"crypto/sha256"
	"fmt"
	"reflect"
	"slices"

	"github.com/authentik-go/authentik"
)

// flowStageBindings are FlowStageBindingViewSet and
// FlowStageBindingSerializer (authentik/flows/api/bindings.py) on the
// FlowStageBinding model (authentik/flows/models.py): a stage's place in a
// flow, the through model of Flow.stages.
var flowStageBindings = &collection{
	path: "flows/bindings/", model: "FlowStageBinding", app: "authentik_flows",
	typ: reflect.TypeFor[authentik.FlowStageBinding](),
	// The view's ordering = ["order"]; the model's Meta.ordering, which its
	// related managers give, is ["target", "order"].
	order: "order", meta: "target,order",
	// FlowStageBinding.__str__.
	str: func(f map[string]any) string {
		order, _ := f["order"].(float64)
		return fmt.Sprintf("Flow-stage binding #%d to %v", int64(order), f["target"])
	},
	// filterset_fields = "__all__": every model field but the parent link
	// (django-filter's get_all_model_fields), as the 2026.8 schema lists them.
	filters: []filterSpec{
		{param: "evaluate_on_plan", kind: boolWidget},
		{param: "fsb_uuid", kind: uuidFilter},
		{param: "invalid_response_action", kind: choiceFilter, choices: invalidResponseActions},
		{param: "order", kind: numberFilter},
		{param: "pbm_uuid", kind: uuidFilter, path: []string{"policybindingmodel_ptr_id"}},
		// PolicyBindingModel.policies, through PolicyBinding: the fake holds
		// no policies, so every valid value is an unknown choice.
		{param: "policies", kind: refsFilter, ref: "Policy"},
		{param: "policy_engine_mode", kind: choiceFilter, choices: policyEngineModes},
		{param: "re_evaluate_policies", kind: boolWidget},
		{param: "stage", kind: refFilter, ref: "Stage"},
		{param: "target", kind: refFilter, ref: "Flow"},
	},
	// Every readable serializer field (stage_obj's source is stage).
	ordering: fieldSet("pk", "policybindingmodel_ptr_id", "target", "stage", "evaluate_on_plan", "re_evaluate_policies",
		"order", "policy_engine_mode", "invalid_response_action"),
	search: []searchField{{path: []string{"stage_obj", "name"}}}, // search_fields = ["stage__name"]
	fields: []field{
		{name: "target", kind: refField},
		{name: "stage", kind: refField},
		{name: "evaluate_on_plan", kind: boolField, def: false},
		{name: "re_evaluate_policies", kind: boolField, def: true},
		{name: "order", kind: intField, min: int32Min, max: int32Max},
		{name: "policy_engine_mode", kind: choiceField, choices: policyEngineModes, def: "any"},
		{name: "invalid_response_action", kind: choiceField, choices: invalidResponseActions, def: "retry"},
	},
	// target is ForeignKey("Flow", on_delete=CASCADE); stage is
	// InheritanceForeignKey(Stage, on_delete=CASCADE), shown as stage_obj by
	// StageSerializer (whatever the stage's type).
	refs: []reference{
		{field: "target", to: "Flow", onDelete: cascade},
		{field: "stage", to: "Stage", onDelete: cascade, obj: "stage_obj", show: stageFields},
	},
	// Meta.unique_together = (("target", "stage", "order"),).
	unique: []uniqueSet{{fields: []string{"target", "stage", "order"}}},
	derive: func(_ *Server, f map[string]any) {
		if ptr, _ := f["policybindingmodel_ptr_id"].(string); ptr == "" {
			f["policybindingmodel_ptr_id"] = f["pk"] // the fake's bindings share their pk with the PolicyBindingModel row
		}
	},
	// FlowStageBindingSerializer.validate: policies are evaluated at
	// planning, when the stage runs, or both.
	check: func(v map[string]any) string {
		plan, _ := v["evaluate_on_plan"].(bool) // attrs.get("evaluate_on_plan", False)
		run, sent := v["re_evaluate_policies"].(bool)
		if !plan && sent && !run {
			return "Either evaluation on plan or evaluation on run must be enabled"
		}
		return ""
	},
	actions: map[string]action{"used_by": usedBy},
}

// invalidResponseActions are InvalidResponseAction's choices.
var invalidResponseActions = []string{"retry", "restart", "restart_with_context"}

// bindStage makes the bindings of a stage given to Add one per flow of
// flowPKs (see AddEmailStages): a binding it has to such a flow is kept, a
// binding to a flow not listed is deleted, and a missing one is added at
// order 10 past the flow's highest (10 in a flow with none), with a pk
// derived from the stage's and the flow's (bindingPK), so that demo data
// has stable pks. Called with s.mu held.
func (s *Server) bindStage(stage string, flowPKs []string) {
	had := s.where(flowStageBindings, "stage", stage)
	kept := map[string]bool{}
	for _, flow := range flowPKs {
		if i := slices.IndexFunc(had, func(b row) bool { return b.fields["target"] == flow && !kept[b.pk] }); i >= 0 {
			kept[had[i].pk] = true
			continue
		}
		order := 0.0 // a flow's first binding: 10
		for i, b := range s.where(flowStageBindings, "target", flow) {
			if o, _ := b.fields["order"].(float64); i == 0 || o > order {
				order = o
			}
		}
		pk := bindingPK(stage, flow)
		if s.holds(flowStageBindings.model, pk) {
			pk = "" // the stage listed that flow twice: a generated pk
		}
		b := s.addLocked(flowStageBindings, map[string]any{"pk": pk, "target": flow, "stage": stage, "order": int64(order) + 10}, nil)
		kept[b.pk] = true
	}
	for _, b := range had {
		if !kept[b.pk] {
			s.removeLocked(flowStageBindings, b.pk)
		}
	}
}

// bindingPK is a stable UUID (version 4 bits) for the binding of stage to flow.
func bindingPK(stage, flow string) string {
	h := sha256.Sum256([]byte(stage + "/" + flow))
	h[6] = h[6]&0x0f | 0x40
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}
