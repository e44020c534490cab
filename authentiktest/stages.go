package authentiktest

import (
	"crypto/sha256"
	"fmt"

	"github.com/authentik-go/authentik"
)

// What every stage collection shares: the Stage base model and StageSerializer.

// stageComputed is what StageSerializer adds to every stage of a type
// (component, verbose_name, verbose_name_plural, meta_model_name; see
// ../shared/authentik/REAL-DATA.md), and the flows it is bound to: none when
// created through the API.
func stageComputed(component, verbose, plural, model string) map[string]any {
	return map[string]any{"component": component, "verbose_name": verbose, "verbose_name_plural": plural,
		"meta_model_name": model, "flow_set": []any{}}
}

// addStages stores stages added by a test, their flows completed and
// remembered (see addFlows).
func addStages[T any](s *Server, c *collection, stages []T, flowSet func(*T) *[]authentik.FlowSet) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range stages {
		fs := flowSet(&st)
		*fs = s.addFlows(*fs)
		fields, keys := fieldsOf(st)
		s.put(c, fields, keys)
	}
}

// stageUsedBy is UsedByMixin.used_by (authentik/core/api/used_by.py) for a
// stage: the managers of the object in alphabetical order, so first the flows
// it is bound to (the reverse many-to-many flow_set: cascade_many, named by
// Flow.__str__ "Flow <name> (<slug>)"), then its FlowStageBinding rows
// (cascade, named by FlowStageBinding.__str__ "Flow-stage binding #<order> to
// <flow uuid>"). The fake binds each flow at order 10 and derives the
// binding's pk from the stage's and the flow's.
var stageUsedBy = action{detail: true, serve: func(_ *Server, r row) any {
	flows, _ := r.fields["flow_set"].([]any)
	out := make([]map[string]string, 0, 2*len(flows))
	var bindings []map[string]string
	for _, f := range flows {
		flow, _ := f.(map[string]any)
		pk, _ := flow["pk"].(string)
		name, _ := flow["name"].(string)
		slug, _ := flow["slug"].(string)
		out = append(out, map[string]string{"app": "authentik_flows", "model_name": "flow", "pk": pk,
			"name": fmt.Sprintf("Flow %s (%s)", name, slug), "action": "cascade_many"})
		bindings = append(bindings, map[string]string{"app": "authentik_flows", "model_name": "flowstagebinding",
			"pk": bindingPK(r.pk, pk), "name": "Flow-stage binding #10 to " + pk, "action": "cascade"})
	}
	return append(out, bindings...)
}}

// bindingPK is a stable UUID for the binding of stage to flow.
func bindingPK(stage, flow string) string {
	h := sha256.Sum256([]byte(stage + "/" + flow))
	h[6] = h[6]&0x0f | 0x40
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}
