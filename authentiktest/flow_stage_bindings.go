package authentiktest

import (
	"crypto/sha256"
	"fmt"
	"slices"
)

// bindingStr is FlowStageBinding.__str__.
func bindingStr(f map[string]any) string {
	order, _ := f["order"].(float64)
	return fmt.Sprintf("Flow-stage binding #%d to %v", int64(order), f["target"])
}

// bindingRefs: target is ForeignKey("Flow", on_delete=CASCADE); stage is
// InheritanceForeignKey(Stage, on_delete=CASCADE), shown as stage_obj by
// StageSerializer (whatever the stage's type).
var bindingRefs = []reference{
	{field: "target", to: "Flow", onDelete: cascade},
	{field: "stage", to: "Stage", onDelete: cascade, obj: "stage_obj", show: stageFields},
}

// bindingUnique is Meta.unique_together = (("target", "stage", "order"),).
var bindingUnique = []uniqueSet{{fields: []string{"target", "stage", "order"}}}

// deriveBinding: the fake's bindings share their pk with the
// PolicyBindingModel row.
func deriveBinding(_ *Server, f map[string]any) {
	if ptr, _ := f["policybindingmodel_ptr_id"].(string); ptr == "" {
		f["policybindingmodel_ptr_id"] = f["pk"]
	}
}

// checkBinding is FlowStageBindingSerializer.validate: policies are
// evaluated at planning, when the stage runs, or both.
func checkBinding(v map[string]any) (string, string) {
	plan, _ := v["evaluate_on_plan"].(bool) // attrs.get("evaluate_on_plan", False)
	run, sent := v["re_evaluate_policies"].(bool)
	if !plan && sent && !run {
		return "", "Either evaluation on plan or evaluation on run must be enabled"
	}
	return "", ""
}

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
